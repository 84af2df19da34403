/**
 * Rules for names inside a bundle, shared by the writer (never produce what the verifier refuses)
 * and the verifier (never accept what could escape a folder or clash on extraction).
 */

/** Why `name` is unsafe as a zip entry name, or null when it is fine. A trailing `/` marks a directory. */
export function unsafeNameReason(name: string): string | null {
  if (name.length === 0) return 'has an empty name';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character (NUL, newline, …)';
  if (name.includes('\\')) return 'contains a backslash, which Windows treats as a folder separator';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter (absolute Windows path)';
  if (name.includes(':')) return "contains ':', which Windows reads as a drive or alternate data stream";
  const parts = (name.endsWith('/') ? name.slice(0, -1) : name).split('/');
  for (const part of parts) {
    if (part === '') return 'contains an empty path segment (//)';
    if (part === '..') return "contains a '..' segment, which would escape the folder";
    if (part === '.') return "contains a '.' segment";
    if (Buffer.byteLength(part, 'utf8') > 255) return 'has a path segment longer than 255 bytes';
  }
  return null;
}

/**
 * Two names with the same key would be one file on a case-insensitive file system (macOS, Windows),
 * after Unicode normalisation (macOS stores NFD), or after Windows drops trailing dots and spaces.
 */
export function collisionKey(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .split('/')
    .map((part) => part.replace(/[. ]+$/, ''))
    .join('/');
}

/** Quotes a name for a message, escaping what a terminal would hide or interpret. */
export function printable(name: string): string {
  return JSON.stringify(name);
}
