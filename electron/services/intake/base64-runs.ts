/**
 * Base64 inside evidence: a token encoded once (a Kubernetes Secret, a `Basic` header, a config blob)
 * is still a token. These are the runs worth decoding and scanning again: long enough to hold a
 * credential, and decoding to text. Random bytes (digests, signatures, transaction hashes, which are
 * made of the same letters) decode to binary and are passed over.
 */

/** 24 decoded bytes: shorter runs are identifiers and hashes, and no credential we look for is shorter. */
export const MIN_RUN = 32;
const PROBE_CHARS = 344; // decode this much first (256 bytes): most runs are binary, and that is enough to tell

// Characters of either alphabet (RFC 4648 §4 base64, §5 base64url), as a lookup table: a plain loop
// over the text is several times faster than a regex with a lookbehind on JSON full of short words.
export const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_';
const IN_ALPHABET = new Uint8Array(128);
for (const c of BASE64_ALPHABET) IN_ALPHABET[c.charCodeAt(0)] = 1;

export interface Base64Run {
  start: number;
  end: number;
  decoded: string;
}

export function* base64Runs(text: string): Iterable<Base64Run> {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (c < 128 && IN_ALPHABET[c] === 1) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= MIN_RUN) {
      let end = i;
      while (end < text.length && end - i < 2 && text.charCodeAt(end) === 0x3d /* = */) end++;
      const run = decodeRun(text.slice(start, i));
      if (run !== undefined) yield { start, end, decoded: run };
    }
    start = -1;
  }
}

function decodeRun(run: string): string | undefined {
  // A run that mixes both alphabets' special characters is not base64 of anything.
  const standard = run.includes('+') || run.includes('/');
  const url = run.includes('-') || run.includes('_');
  if (standard && url) return undefined;
  const encoding = url ? 'base64url' : 'base64';
  if (!isText(Buffer.from(run.slice(0, PROBE_CHARS), encoding), run.length <= PROBE_CHARS)) return undefined;
  if (run.length <= PROBE_CHARS) return Buffer.from(run, encoding).toString('utf8');
  const bytes = Buffer.from(run, encoding);
  return isText(bytes, true) ? bytes.toString('utf8') : undefined;
}

/** Printable UTF-8: no control characters but tab and newlines, valid up to a cut-off last character. */
function isText(bytes: Buffer, whole: boolean): boolean {
  if (bytes.length < 16) return false;
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !whole });
    return true;
  } catch {
    return false;
  }
}
