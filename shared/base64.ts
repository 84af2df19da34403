/**
 * Strict base64 decoding, the one implementation behind DSSE envelopes, x402 header values and
 * webhook secrets, and base64url encoding (SD-JWT digests). `Buffer.from(s, 'base64')` silently skips characters outside the alphabet, so a
 * tampered value could decode to something; this refuses instead. Pure (no Buffer): the renderer
 * and the classifier use it too.
 */
const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < STANDARD.length; i++) VALUE[STANDARD.charCodeAt(i)] = i;

export interface Base64Options {
  /** Also accept the URL-safe alphabet (`-` and `_`, RFC 4648 §5). Default true. */
  urlSafe?: boolean;
  /** Require `=` padding to a multiple of 4 characters. Default false. */
  padded?: boolean;
}

/** The decoded bytes, or null when `s` is not base64 of that kind (bad character, padding or length). */
export function decodeBase64Strict(s: string, options: Base64Options = {}): Uint8Array | null {
  const { urlSafe = true, padded = false } = options;
  const body = s.replace(/={1,2}$/, '');
  const padding = s.length - body.length;
  if (padded ? s.length % 4 !== 0 : padding > 0 && s.length % 4 !== 0) return null;
  if (body.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((body.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    let c = body.charCodeAt(i);
    if (urlSafe && c === 0x2d /* - */) c = 0x2b;
    else if (urlSafe && c === 0x5f /* _ */) c = 0x2f;
    const v = c < 128 ? VALUE[c] : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding (RFC 4648 §5), as JOSE and SD-JWT write digests. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += URL_SAFE[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}
