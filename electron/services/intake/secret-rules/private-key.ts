import type { DetectorHit, SecretDetector } from './detector';

// Any PEM private key: PKCS#8 (no label), RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK.
const BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;
const END = /-----END ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;
// Keys embedded in JSON carry escaped newlines.
const LINE_BREAK = /\r?\n|\\r\\n|\\n/;
const MAX_BODY = 16 * 1024;
const MIN_BASE64 = 64;

/**
 * A real key has a base64 body; "-----BEGIN PRIVATE KEY----- ... -----END" in documentation or a
 * redacted "<removed>" body does not. RFC 1421 headers (Proc-Type, DEK-Info) and PGP armor headers
 * are dropped first.
 */
function hasKeyBody(body: string): boolean {
  const payload = body
    .split(LINE_BREAK)
    .filter((line) => !/^\s*[A-Za-z][A-Za-z0-9-]*:/.test(line))
    .join('')
    .replace(/\s+/g, '');
  return payload.length >= MIN_BASE64 && /^[A-Za-z0-9+/=]+$/.test(payload);
}

export const privateKeyDetector: SecretDetector = {
  id: 'tokenops/private-key',
  label: 'private key',
  *detect(text: string): Iterable<DetectorHit> {
    for (const m of text.matchAll(BEGIN)) {
      const start = m.index ?? 0;
      const bodyStart = start + m[0].length;
      const window = text.slice(bodyStart, bodyStart + MAX_BODY);
      END.lastIndex = 0;
      const end = END.exec(window);
      let body: string;
      let stop: number;
      if (end) {
        body = window.slice(0, end.index);
        stop = bodyStart + end.index + end[0].length;
      } else {
        // Truncated key (a log line, a cut-off paste): what follows the header is still key material.
        body = /^(?:[A-Za-z0-9+/=\s]|\\[rn])*/.exec(window)?.[0] ?? '';
        stop = bodyStart + body.length;
      }
      if (hasKeyBody(body)) yield { start, end: stop };
    }
  },
};
