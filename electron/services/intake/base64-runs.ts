/**
 * Base64 inside evidence: a token encoded once (a Kubernetes Secret, a `Basic` header, a config blob)
 * is still a token. These are the runs worth decoding and scanning again: long enough to hold a
 * credential, and decoding to text. Random bytes (digests, signatures, transaction hashes, which are
 * made of the same letters) decode to binary and are passed over.
 */

/** 24 decoded bytes: shorter runs are identifiers and hashes, and no credential we look for is shorter. */
const RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}/g;
const PROBE_CHARS = 344; // decode this much first (256 bytes): most runs are binary, and that is enough to tell

export interface Base64Run {
  start: number;
  end: number;
  decoded: string;
}

export function* base64Runs(text: string): Iterable<Base64Run> {
  for (const m of text.matchAll(RUN)) {
    const run = m[0];
    // A run that mixes both alphabets' special characters is not base64 of anything.
    if (/[+/]/.test(run) && /[-_]/.test(run)) continue;
    const encoding = /[-_]/.test(run) ? 'base64url' : 'base64';
    if (!isText(Buffer.from(run.slice(0, PROBE_CHARS), encoding), run.length <= PROBE_CHARS)) continue;
    const bytes = run.length <= PROBE_CHARS ? undefined : Buffer.from(run, encoding);
    if (bytes && !isText(bytes, true)) continue;
    yield { start: m.index, end: m.index + run.length, decoded: (bytes ?? Buffer.from(run, encoding)).toString('utf8') };
  }
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
