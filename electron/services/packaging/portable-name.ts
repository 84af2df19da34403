/**
 * A file name as it may appear inside a bundle, on any system that unpacks it: the bag path of an
 * evidence file. The operator's own name stays, unchanged, in the evidence manifest.
 * - Windows-reserved characters `<>:"|?*`, `\` and control characters become `_`; so does `%`, which
 *   BagIt's manifest encoding uses and which the Library of Congress validators mishandle.
 * - Windows device names (CON, NUL, COM1, LPT1… with any extension) get a leading `_`, trailing dots
 *   and spaces (which Windows drops) become `_`, and `.`/`..`/empty segments cannot occur.
 * - A segment is cut to at most 200 UTF-8 bytes at a code point, keeping its extension: cutting UTF-16
 *   units once split an emoji's surrogate pair, and the bundle then failed its own verify.
 */
const MAX_SEGMENT_BYTES = 200;
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

function portableSegment(segment: string): string {
  // eslint-disable-next-line no-control-regex
  let s = segment.replace(/[\u0000-\u001f\u007f<>:"|?*\\%]/g, '_');
  // A lone surrogate (a name cut elsewhere) cannot be written as UTF-8.
  s = s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '_');
  s = s.replace(/[. ]+$/, (tail) => '_'.repeat(tail.length));
  if (s === '' || DEVICE.test(s)) s = `_${s}`;
  return cutToBytes(s, MAX_SEGMENT_BYTES);
}

export function portablePath(name: string): string {
  return name.split('/').map(portableSegment).join('/');
}

/** At most `max` UTF-8 bytes, cut between code points, the extension (up to 16 bytes) kept. */
function cutToBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  const dot = s.lastIndexOf('.');
  const ext = dot > 0 && Buffer.byteLength(s.slice(dot), 'utf8') <= 16 ? s.slice(dot) : '';
  const budget = max - Buffer.byteLength(ext, 'utf8');
  let out = '';
  let bytes = 0;
  for (const ch of ext ? s.slice(0, dot) : s) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > budget) break;
    out += ch;
    bytes += n;
  }
  return out + ext;
}
