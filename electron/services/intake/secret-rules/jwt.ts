import type { DetectorHit, SecretDetector } from './detector';

// Three base64url segments; a JOSE header is a JSON object, so it always starts with `{"` = "eyJ".
// The signature may be empty (alg "none"); a JWE's first three segments match too, which is wanted.
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])/g;

/** True when `header` (one base64url segment) decodes to a JSON object with a string "alg". */
export function isJoseHeader(header: string): boolean {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

export function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  return parts.length >= 3 && isJoseHeader(parts[0]);
}

export const jwtDetector: SecretDetector = {
  id: 'tokenops/jwt',
  label: 'JSON Web Token',
  *detect(text: string): Iterable<DetectorHit> {
    for (const m of text.matchAll(JWT)) {
      const start = m.index ?? 0;
      if (isJoseHeader(m[0].slice(0, m[0].indexOf('.')))) yield { start, end: start + m[0].length };
    }
  },
};
