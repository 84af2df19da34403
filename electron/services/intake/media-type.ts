/**
 * Media type of an evidence file, from its extension only.
 * We never sniff content here: the file manifest must be reproducible from the name alone,
 * and the secret scan decides text vs binary on its own.
 */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  json: 'application/json',
  // An HTTP archive (HAR 1.2) is a JSON document; no media type of its own is registered.
  har: 'application/json',
  csv: 'text/csv',
  txt: 'text/plain',
  md: 'text/markdown',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  zip: 'application/zip',
  html: 'text/html',
  htm: 'text/html',
  xml: 'application/xml',
  // RFC 9512 registered application/yaml in 2024.
  yaml: 'application/yaml',
  yml: 'application/yaml',
};

const DEFAULT_MEDIA_TYPE = 'application/octet-stream';

/** `name` may be a bare name or a path with `/` or `\` separators; matching is case-insensitive. */
export function mediaTypeOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  // A leading dot (".env") is a hidden file, not an extension.
  if (dot <= 0 || dot === base.length - 1) return DEFAULT_MEDIA_TYPE;
  return BY_EXTENSION[base.slice(dot + 1).toLowerCase()] ?? DEFAULT_MEDIA_TYPE;
}
