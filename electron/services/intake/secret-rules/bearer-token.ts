import type { DetectorHit, SecretDetector } from './detector';
import { looksLikeJwt } from './jwt';

// `Authorization: Bearer <token>`, `"bearer <token>"`: token68 characters (RFC 7235), 20 or more.
const BEARER = /\bbearer[ \t]+([A-Za-z0-9\-._~+/]{20,}=*)/gi;

/**
 * Placeholders in docs ("Bearer YOUR_ACCESS_TOKEN_HERE") have no digits; real tokens mix letters
 * and digits. JWTs are left to tokenops/jwt so one secret gives one finding.
 */
function isPlausibleToken(token: string): boolean {
  return /[0-9]/.test(token) && /[A-Za-z]/.test(token) && !looksLikeJwt(token);
}

export const bearerTokenDetector: SecretDetector = {
  id: 'tokenops/bearer-token',
  label: 'bearer token',
  *detect(text: string): Iterable<DetectorHit> {
    for (const m of text.matchAll(BEARER)) {
      const token = m[1];
      if (!isPlausibleToken(token)) continue;
      const start = (m.index ?? 0) + m[0].length - token.length;
      yield { start, end: start + token.length };
    }
  },
};
