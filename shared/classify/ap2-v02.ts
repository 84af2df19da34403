/**
 * AP2 (Agent Payments Protocol) v0.2: closed mandates as SD-JWT, payment receipts and checkout receipts.
 * Learned from google-agentic-commerce/AP2 (commit b4587ac "Release Ap2 v0.2", read at e1ea56d):
 *   code/sdk/schemas/ap2/payment_mandate.json, checkout_mandate.json, open_payment_mandate.json,
 *   open_checkout_mandate.json, payment_receipt.json, checkout_receipt.json, types/amount.json,
 *   types/merchant.json, types/payment_instrument.json, types/receipt_status.json,
 *   code/sdk/schemas/ucp/types/checkout.json and total.json (the merchant's Checkout JWT payload),
 *   docs/ap2/payment_mandate.md and docs/ap2/checkout_mandate.md (the encoded SD-JWT examples),
 *   docs/ap2/specification.md ("Mandate Versioning", verification rules, receipt `reference`),
 *   code/sdk/python/ap2/sdk/sdjwt/common.py (compact form, `~~` chains, sd_hash),
 *   code/sdk/python/ap2/sdk/mandate.py `get_closed_mandate_jwt` and code/sdk/python/ap2/sdk/README.md
 *   (receipt reference = base64url SHA-256 of the leaf JWT of the chain),
 *   code/samples/python/src/common/constants.py (A2A data keys `ap2.mandates.PaymentMandateSdJwt`,
 *   `ap2.mandates.CheckoutMandateSdJwt`, `ap2.PaymentReceipt`).
 *
 * Compact form: `<issuer-jwt>~<disclosure>~…~[<kb-jwt>]`, hops of a delegation chain joined by `~~`
 * (open mandate first, the closed mandate last). A disclosure is base64url JSON `[salt, name, value]`
 * (an object property, referenced from `_sd`) or `[salt, value]` (an array element, referenced as
 * `{"...": digest}`); digest = base64url(SHA-256(the disclosure's text)). The mandates themselves sit in
 * the payload's `delegate_payload[]`, each with a `vct` naming its type and version.
 *
 * SIGNATURES ARE NOT VERIFIED: TokenOps runs offline and holds none of the issuers' or agents' keys. The
 * header, payload and disclosures are decoded and the disclosures matched to their digests; every record
 * from a token says so in its note.
 *
 * Fields mapped (v0.2 amounts are integers in ISO 4217 minor units, as for ACP and Stripe):
 *   closed PaymentMandate `{vct: mandate.payment.1, transaction_id, payee{id, name}, payment_amount{amount,
 *     currency}, payment_instrument{id, type}}` -> payment_request (payment_request_id = transaction_id, the
 *     checkout's hash, so it lines up with the checkout mandate; provider_id = the mandate's reference, the
 *     hash a payment receipt names; pay_to = payee.id; scheme = payment_instrument.type).
 *   closed CheckoutMandate `{vct: mandate.checkout.1, checkout_hash, checkout_jwt}` -> payment_request
 *     (payment_request_id = checkout_hash; provider_id = the mandate's reference; amount = the `total` entry
 *     of the Checkout JWT's `totals`, else its `total_price` as in the docs example; pay_to = merchant.id).
 *   PaymentReceipt `{status: Success | Error, iss, iat, reference, payment_id, psp_confirmation_id?,
 *     network_confirmation_id?, error?, error_description?}` (JSON, or the payload of a receipt JWT)
 *     -> settlement_reference (settlement_reference = payment_id, provider_reference = reference, so a
 *     receipt for another mandate shows; Error -> failed with the error as reason). It states no amount.
 *   CheckoutReceipt `{status, iss, iat, reference, order_id? | error, error_description}` -> settlement_reference
 *     (settlement_reference = order_id, else the reference; Error -> failed), as an ACP order is one.
 *
 * Decision: open mandates (`mandate.payment.open.1`, `mandate.checkout.open.1`) are the user's constraints
 * for future checkouts and payments, signed before any exists. Like the v0.1 IntentMandate they yield no
 * record; in a chain the closed mandate after them is the evidence.
 */
import { decodeBase64Strict, encodeBase64Url } from '../base64';
import type { Money, PaymentRequestRecord, SettlementReferenceRecord } from '../domain/evidence';
import { sha256Hex } from '../sha256';
import type { ClassifiedRecord, ClassifyResult, FamilyClassifier } from './types';
import {
  compact,
  isObj,
  minorUnitsToDecimal,
  decimal,
  notEvidence,
  obj,
  recognised,
  str,
  unixToIso,
  type Obj,
} from './values';

const UNVERIFIED = 'signature not verified (offline: no issuer or agent key); claims decoded only';

/** A2A data keys under which the AP2 v0.2 samples carry a mandate SD-JWT (a string) or a receipt (an object). */
const SD_JWT_KEYS = ['ap2.mandates.PaymentMandateSdJwt', 'ap2.mandates.CheckoutMandateSdJwt'];
const RECEIPT_KEY = 'ap2.PaymentReceipt';

// ---------------------------------------------------------------------------------------------------
// Decoding

interface DecodedJwt {
  /** The compact JWT text, `header.payload.signature`. */
  raw: string;
  header: Obj;
  payload: Obj;
}

interface Disclosure {
  raw: string;
  /** base64url SHA-256 of `raw`: what `_sd` and `{"...": …}` name. */
  digest: string;
  salt: string;
  /** The claim name of an object-property disclosure; absent for an array element. */
  name?: string;
  value: unknown;
}

/** One hop of a (possibly chained) SD-JWT: issuer-signed JWT, its disclosures and an optional KB-JWT. */
interface SdJwtHop {
  issuer: DecodedJwt;
  disclosures: Disclosure[];
  kb?: DecodedJwt;
  /** The payload with every matched disclosure put back in place (`_sd`, `_sd_alg`, `...` removed). */
  claims: Obj;
  /** Disclosures no digest of the payload names: they are not part of the signed claims, so not used. */
  unreferenced: number;
}

type SdJwtDecoding = { hops: SdJwtHop[] } | { problem: string };

const COMPACT = /^[A-Za-z0-9_\-.~]+$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function b64urlText(segment: string): string | undefined {
  const bytes = decodeBase64Strict(segment, { urlSafe: true });
  if (!bytes) return undefined;
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

function b64urlJson(segment: string): unknown {
  const text = b64urlText(segment);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** base64url (no padding) of SHA-256(text): the digest SD-JWT and AP2 use for disclosures and references. */
export function sha256B64url(text: string): string {
  const hex = sha256Hex(text);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return encodeBase64Url(bytes);
}

/** A compact JWT `header.payload.signature` whose header and payload are JSON objects; a reason otherwise. */
export function decodeJwt(raw: string): DecodedJwt | string {
  const parts = raw.split('.');
  if (parts.length !== 3) return `a JWT has 3 dot-separated parts (header.payload.signature), this one ${parts.length}`;
  const header = b64urlJson(parts[0]);
  if (!isObj(header) || typeof header.alg !== 'string')
    return 'the JWT header is not base64url JSON with an "alg" (not a JOSE header)';
  const payload = b64urlJson(parts[1]);
  if (!isObj(payload)) return 'the JWT payload is not base64url-encoded JSON object';
  return { raw, header, payload };
}

function decodeDisclosure(raw: string): Disclosure | string {
  const value = b64urlJson(raw);
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 3) || typeof value[0] !== 'string')
    return 'a disclosure is not base64url JSON [salt, name, value] or [salt, value]';
  if (value.length === 3 && typeof value[1] !== 'string') return 'a disclosure names its claim with a non-string';
  const digest = sha256B64url(raw);
  return value.length === 3
    ? { raw, digest, salt: value[0], name: value[1] as string, value: value[2] }
    : { raw, digest, salt: value[0], value: value[1] };
}

/** RFC 9901 §7.1: put each disclosure back where its digest is named, recursively; unmatched digests stay hidden. */
function reconstruct(payload: Obj, disclosures: Disclosure[]): { claims: Obj; used: Set<string> } {
  const byDigest = new Map(disclosures.map((d) => [d.digest, d]));
  const used = new Set<string>();
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 32) return v;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v) {
        if (isObj(item) && Object.keys(item).length === 1 && typeof item['...'] === 'string') {
          const d = byDigest.get(item['...']);
          if (d && d.name === undefined && !used.has(d.digest)) {
            used.add(d.digest);
            out.push(walk(d.value, depth + 1));
          }
          continue;
        }
        out.push(walk(item, depth + 1));
      }
      return out;
    }
    if (!isObj(v)) return v;
    const out: Obj = {};
    for (const [k, val] of Object.entries(v)) if (k !== '_sd' && k !== '_sd_alg') out[k] = walk(val, depth + 1);
    if (Array.isArray(v._sd)) {
      for (const digest of v._sd) {
        const d = typeof digest === 'string' ? byDigest.get(digest) : undefined;
        if (!d || d.name === undefined || used.has(d.digest) || d.name in out) continue;
        used.add(d.digest);
        out[d.name] = walk(d.value, depth + 1);
      }
    }
    return out;
  };
  return { claims: walk(payload, 0) as Obj, used };
}

/**
 * Decodes a compact JWT, SD-JWT or `~~`-joined chain of them. Structure only: no signature is checked.
 * Never throws; a malformed token gives a reason in words.
 */
export function decodeSdJwt(text: string): SdJwtDecoding {
  const body = text.trim();
  if (!body) return { problem: 'the text is empty' };
  if (!COMPACT.test(body)) return { problem: 'the text is not a compact JWT or SD-JWT (only base64url, "." and "~")' };
  const hops: SdJwtHop[] = [];
  const hopTexts = body.split('~~');
  for (const [index, hopText] of hopTexts.entries()) {
    const where = hopTexts.length > 1 ? `hop ${index + 1}: ` : '';
    const segments = hopText.split('~');
    const issuer = decodeJwt(segments[0]);
    if (typeof issuer === 'string') return { problem: `${where}${issuer}` };
    const rest = segments.slice(1);
    if (rest.length && rest[rest.length - 1] === '') rest.pop();
    let kb: DecodedJwt | undefined;
    if (rest.length && rest[rest.length - 1].includes('.')) {
      const decoded = decodeJwt(rest.pop() as string);
      if (typeof decoded === 'string') return { problem: `${where}key-binding JWT: ${decoded}` };
      kb = decoded;
    }
    const disclosures: Disclosure[] = [];
    for (const [n, raw] of rest.entries()) {
      if (!raw) return { problem: `${where}disclosure ${n + 1} is empty` };
      const d = decodeDisclosure(raw);
      if (typeof d === 'string') return { problem: `${where}disclosure ${n + 1}: ${d}` };
      disclosures.push(d);
    }
    const alg = issuer.payload._sd_alg;
    if (alg !== undefined && alg !== 'sha-256' && disclosures.length)
      return {
        problem: `${where}_sd_alg ${String(alg)} is not supported (only sha-256): disclosures cannot be matched`,
      };
    const { claims, used } = reconstruct(issuer.payload, disclosures);
    hops.push({ issuer, disclosures, ...(kb ? { kb } : {}), claims, unreferenced: disclosures.length - used.size });
  }
  return { hops };
}

/** Cheap shape test: the text could be a compact JWT / SD-JWT (for intake, before decoding). */
export function looksLikeCompactJwt(text: string): boolean {
  const body = text.trim();
  return body.startsWith('eyJ') && COMPACT.test(body) && body.split('~')[0].split('.').length === 3;
}

// ---------------------------------------------------------------------------------------------------
// Mandates and receipts

const VCT = /^mandate\.(payment|checkout)(\.open)?\.(\d+)$/;

interface Mandate {
  type: 'payment' | 'checkout';
  open: boolean;
  version: string;
  claims: Obj;
}

/** The AP2 mandates of a decoded token: each `delegate_payload[]` item (or the claims themselves) with a mandate `vct`. */
function mandatesOf(claims: Obj): Mandate[] {
  const candidates = [claims, ...(Array.isArray(claims.delegate_payload) ? claims.delegate_payload : [])];
  const out: Mandate[] = [];
  for (const c of candidates) {
    if (!isObj(c) || typeof c.vct !== 'string') continue;
    const m = VCT.exec(c.vct);
    if (m) out.push({ type: m[1] as Mandate['type'], open: !!m[2], version: m[3], claims: c });
  }
  return out;
}

/** True when a decoded token holds an AP2 mandate or receipt: signed evidence, not a credential. */
export function isAp2SignedEvidence(decoding: SdJwtDecoding): boolean {
  if (!('hops' in decoding)) return false;
  return decoding.hops.some((h) => mandatesOf(h.claims).length > 0 || receiptKind(h.claims) !== null);
}

function amountMinor(v: unknown): Money | undefined {
  const a = obj(v);
  const currency = str(a?.currency);
  if (!currency) return undefined;
  const value = minorUnitsToDecimal(a?.amount, currency);
  return value === undefined ? undefined : { value, currency: currency.toUpperCase() };
}

/** The Checkout JWT's total: UCP `totals[{type: "total", amount}]` (minor units), else the docs example's `total_price`. */
function checkoutTotal(checkout: Obj): Money | undefined {
  const currency = str(checkout.currency);
  if (!currency) return undefined;
  const total = Array.isArray(checkout.totals)
    ? checkout.totals.find((t) => isObj(t) && t.type === 'total')
    : undefined;
  if (isObj(total)) {
    const value = minorUnitsToDecimal(total.amount, currency);
    return value === undefined ? undefined : { value, currency: currency.toUpperCase() };
  }
  const value = decimal(checkout.total_price);
  return value === undefined ? undefined : { value, currency: currency.toUpperCase() };
}

function notes(...parts: Array<string | undefined>): string {
  return parts.filter((p): p is string => !!p).join('; ');
}

function paymentMandate(m: Obj, reference: string, extra?: string): ClassifyResult {
  const id = str(m.transaction_id);
  if (!id) return notEvidence('AP2 v0.2 PaymentMandate without transaction_id: nothing ties it to a checkout');
  const payee = obj(m.payee);
  const record: PaymentRequestRecord = compact({
    kind: 'payment_request',
    payment_request_id: id,
    provider: 'ap2',
    provider_id: reference,
    amount: amountMinor(m.payment_amount),
    pay_to: str(payee?.id) ?? str(payee?.name),
    scheme: str(obj(m.payment_instrument)?.type),
  });
  return recognised([{ record, format: 'ap2_v0.2/payment_mandate_sd_jwt', note: notes(UNVERIFIED, extra) }]);
}

function checkoutMandate(m: Obj, reference: string, extra?: string): ClassifyResult {
  const id = str(m.checkout_hash);
  if (!id) return notEvidence('AP2 v0.2 CheckoutMandate without checkout_hash: nothing identifies the checkout');
  const said: string[] = [];
  let checkout: Obj | undefined;
  const jwt = str(m.checkout_jwt);
  if (!jwt) said.push('checkout_jwt not disclosed: no amount or merchant');
  else {
    const decoded = decodeJwt(jwt);
    if (typeof decoded === 'string') said.push(`checkout_jwt unreadable (${decoded})`);
    else checkout = decoded.payload;
    // An integrity check we can make offline: checkout_hash is the hash of the checkout_jwt value.
    if (sha256B64url(jwt) !== id) said.push('checkout_hash is not the SHA-256 of the disclosed checkout_jwt');
  }
  const merchant = obj(checkout?.merchant);
  const checkoutId = str(checkout?.id) ?? str(checkout?.order_id);
  if (checkoutId) said.push(`checkout ${checkoutId}`);
  const record: PaymentRequestRecord = compact({
    kind: 'payment_request',
    payment_request_id: id,
    provider: 'ap2',
    provider_id: reference,
    amount: checkout ? checkoutTotal(checkout) : undefined,
    pay_to: str(merchant?.id) ?? str(merchant?.name),
  });
  return recognised([{ record, format: 'ap2_v0.2/checkout_mandate_sd_jwt', note: notes(UNVERIFIED, ...said, extra) }]);
}

function receiptKind(o: Obj): 'payment' | 'checkout' | null {
  // receipt_status.json: exactly `Success` or `Error`; `reference` (the closed mandate's hash) and `iss`/`iat` are required.
  if ((o.status !== 'Success' && o.status !== 'Error') || !str(o.reference)) return null;
  if (typeof o.iss !== 'string' && o.iat === undefined) return null;
  if (str(o.payment_id)) return 'payment';
  if (str(o.order_id) || (o.status === 'Error' && !('payment_id' in o))) return 'checkout';
  return null;
}

function receipt(o: Obj, kind: 'payment' | 'checkout', signed: boolean): ClassifyResult {
  const ok = o.status === 'Success';
  const said = [str(o.error), str(o.error_description)].filter((x): x is string => !!x).join(': ');
  const reason = ok ? undefined : said || 'status Error';
  const reference = str(o.reference) as string;
  const record: SettlementReferenceRecord = compact({
    kind: 'settlement_reference',
    settlement_reference: (kind === 'payment' ? str(o.payment_id) : str(o.order_id)) ?? reference,
    provider: 'ap2',
    provider_reference: reference,
    transaction: kind === 'payment' ? (str(o.network_confirmation_id) ?? str(o.psp_confirmation_id)) : undefined,
    status: ok ? 'settled' : 'failed',
    status_reason: reason,
    settled_at: ok ? unixToIso(o.iat) : undefined,
  });
  const what = kind === 'payment' ? 'payment' : 'checkout';
  const note = notes(
    signed ? UNVERIFIED : undefined,
    ok ? undefined : `${what} did not succeed: ${reason}`,
    kind === 'payment' ? 'an AP2 v0.2 payment receipt states no amount' : undefined,
  );
  const format = `ap2_v0.2/${kind}_receipt${signed ? '_jwt' : ''}`;
  return recognised([{ record, format, ...(note ? { note } : {}) }]);
}

const OPEN_REASON =
  "AP2 v0.2 open %s Mandate (%s): the user's constraints for future %s, signed before any exists. " +
  'It is not payment evidence, so no record is made; the closed mandate chained after it is.';

/**
 * The records of a compact JWT / SD-JWT / chain text: its closed mandates (or a receipt JWT). Null when
 * the text is not a compact token at all; an `unrecognised` reason when it is one but holds no AP2 evidence.
 */
export function classifyAp2SdJwt(text: string): ClassifyResult {
  const decoding = decodeSdJwt(text);
  if ('problem' in decoding) return notEvidence(`Not a readable JWT / SD-JWT: ${decoding.problem}`);
  const records: ClassifiedRecord[] = [];
  const skipped: string[] = [];
  for (const hop of decoding.hops) {
    // The receipt `reference` is the SHA-256 of the hop's issuer-signed JWT (the chain's leaf for a closed mandate).
    const reference = sha256B64url(hop.issuer.raw);
    const extra = hop.unreferenced
      ? `${hop.unreferenced} disclosure${hop.unreferenced === 1 ? '' : 's'} named by no digest, ignored`
      : undefined;
    const mandates = mandatesOf(hop.claims);
    for (const m of mandates) {
      if (m.version !== '1') {
        skipped.push(`AP2 mandate vct ${String(m.claims.vct)}: version ${m.version} is not known (v0.2 defines .1)`);
        continue;
      }
      if (m.open) {
        const future = m.type === 'payment' ? 'payments' : 'checkouts';
        skipped.push(OPEN_REASON.replace('%s', m.type).replace('%s', String(m.claims.vct)).replace('%s', future));
        continue;
      }
      const r =
        m.type === 'payment' ? paymentMandate(m.claims, reference, extra) : checkoutMandate(m.claims, reference, extra);
      records.push(...r.records);
      if (r.unrecognised) skipped.push(r.unrecognised);
    }
    if (!mandates.length) {
      const kind = receiptKind(hop.claims);
      if (kind) records.push(...receipt(hop.claims, kind, true).records);
    }
  }
  if (records.length) return recognised(records);
  if (skipped.length) return notEvidence(skipped.join('; '));
  const keys = Object.keys(decoding.hops[decoding.hops.length - 1].claims)
    .slice(0, 8)
    .join(', ');
  return notEvidence(
    `JWT / SD-JWT whose claims (${keys || 'none'}) hold no AP2 v0.2 mandate (vct mandate.payment.1 / mandate.checkout.1) or receipt`,
  );
}

/** JSON family: v0.2 receipts (bare or under `ap2.PaymentReceipt`) and mandate SD-JWTs held in a string field. */
export const classifyAp2V02: FamilyClassifier = (input) => {
  for (const key of SD_JWT_KEYS) {
    const v = input[key];
    if (typeof v === 'string') return classifyAp2SdJwt(v);
  }
  const o = isObj(input[RECEIPT_KEY]) ? (input[RECEIPT_KEY] as Obj) : input;
  const kind = receiptKind(o);
  return kind ? receipt(o, kind, false) : null;
};
