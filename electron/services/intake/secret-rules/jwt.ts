import { decodeJwt, decodeSdJwt, isAp2SignedEvidence } from '../../../../shared/classify/ap2-v02';
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

/** Characters of a compact JWT / SD-JWT / `~~` chain; a token run longer than this is not a mandate. */
const TOKEN_CHAR = /[A-Za-z0-9_\-.~]/;
const MAX_TOKEN_RUN = 256 * 1024;

/**
 * AP2 v0.2 puts the mandate in the SD-JWT's disclosures (`delegate_payload[]` items with `vct`
 * `mandate.payment.1`, `mandate.checkout.1`, or the open ones), not in the issuer JWT's payload; a
 * receipt may itself be a JWT. So the JWT at `start` is read with the disclosures and KB-JWT of its hop
 * (the `~`-joined run around it, cut at `~~`) and exempt only when the hop's reconstructed claims hold an
 * AP2 v0.2 mandate or receipt (shared/classify/ap2-v02.ts, the classifier intake uses).
 */
function isAp2V02Hop(text: string, start: number): boolean {
  let from = start;
  while (from > 0 && start - from < MAX_TOKEN_RUN && TOKEN_CHAR.test(text[from - 1])) from--;
  let to = start;
  while (to < text.length && to - start < MAX_TOKEN_RUN && TOKEN_CHAR.test(text[to])) to++;
  const run = text.slice(from, to);
  // The hop holding `start`: from the `~~` before it (or the run's start) to the `~~` after it (or the end).
  const at = start - from;
  const hopStart = at >= 2 ? run.lastIndexOf('~~', at - 2) : -1;
  const hopEnd = run.indexOf('~~', at);
  const hop = run.slice(hopStart < 0 ? 0 : hopStart + 2, hopEnd < 0 ? run.length : hopEnd);
  return isAp2SignedEvidence(decodeSdJwt(hop));
}

/**
 * The merchant-signed Checkout JWT an AP2 v0.2 CheckoutMandate discloses as its `checkout_jwt` claim
 * (code/sdk/schemas/ap2/checkout_mandate.json). The scan sees it alone, in the decoded disclosure
 * `["salt", "checkout_jwt", "eyJ…"]`: it is exempt only there (or as `"checkout_jwt": "eyJ…"`) and only
 * when its payload is a checkout (`line_items` and a currency), the merchant's signed cart, not a credential.
 */
function isCheckoutJwtClaim(text: string, start: number, token: string): boolean {
  if (!/"checkout_jwt"\s*[,:]\s*"$/.test(text.slice(Math.max(0, start - 40), start))) return false;
  const claims = decodeJwt(token);
  return (
    typeof claims !== 'string' &&
    Array.isArray(claims.payload.line_items) &&
    typeof claims.payload.currency === 'string'
  );
}

export const jwtDetector: SecretDetector = {
  id: 'tokenops/jwt',
  label: 'JSON Web Token',
  *detect(text: string): Iterable<DetectorHit> {
    for (const m of text.matchAll(JWT)) {
      const start = m.index ?? 0;
      if (
        isJoseHeader(m[0].slice(0, m[0].indexOf('.'))) &&
        !isAp2Mandate(m[0]) &&
        !isAp2V02Hop(text, start) &&
        !isCheckoutJwtClaim(text, start, m[0])
      )
        yield { start, end: start + m[0].length };
    }
  },
};
