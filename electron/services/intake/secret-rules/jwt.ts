import type { DetectorHit, SecretDetector } from './detector';

// Three base64url segments; a JOSE header is a JSON object, so it always starts with `{"` = "eyJ".
// The signature may be empty (alg "none"); a JWE's first three segments match too, which is wanted.
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])/g;

/** True when `header` (one base64url segment) decodes to a JSON object with a string "alg". */
function isJoseHeader(header: string): boolean {
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

/**
 * Claims that make a signed token an AP2 mandate: evidence the user signed, meant to be shown to the
 * merchant and the payment processor, not a credential that grants access. AP2 carries mandates as
 * JWT / SD-JWT-VC (google-agentic-commerce/AP2 src/ap2/types/mandate.py: `user_authorization`,
 * `merchant_authorization`; the v0.2 closed mandates as SD-JWT with a `vct` naming the mandate type).
 * A bearer token has none of these, so it stays a secret.
 */
const MANDATE_CLAIMS = [
  'payment_mandate_contents',
  'payment_mandate_id',
  'cart_hash',
  'payment_mandate_hash',
  'cart_mandate',
  'payment_mandate',
  'checkout_mandate',
  'intent_mandate',
  'transaction_data',
];

function isAp2Mandate(token: string): boolean {
  const payload = token.split('.')[1];
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return false;
    const c = claims as Record<string, unknown>;
    if (typeof c.vct === 'string' && /mandate|ap2/i.test(c.vct)) return true;
    return MANDATE_CLAIMS.some((k) => k in c);
  } catch {
    return false;
  }
}

export const jwtDetector: SecretDetector = {
  id: 'tokenops/jwt',
  label: 'JSON Web Token',
  *detect(text: string): Iterable<DetectorHit> {
    for (const m of text.matchAll(JWT)) {
      const start = m.index ?? 0;
      if (isJoseHeader(m[0].slice(0, m[0].indexOf('.'))) && !isAp2Mandate(m[0]))
        yield { start, end: start + m[0].length };
    }
  },
};
