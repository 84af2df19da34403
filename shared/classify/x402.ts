/**
 * x402 (HTTP 402 payments), versions 1 and 2.
 * Learned from coinbase/x402: specs/x402-specification-v1.md, specs/x402-specification-v2.md,
 * specs/transports-v1/http.md, specs/transports-v2/http.md, specs/extensions/payment_identifier.md.
 *
 * Fields mapped:
 *   PaymentRequired v1 `{x402Version:1, error, accepts[]}`; v2 `{x402Version:2, resource{url}, accepts[], extensions}`
 *     accepts[i]: scheme, network, maxAmountRequired (v1) | amount (v2), asset, payTo, resource (v1)
 *     -> payment_request (first option; the others are named in the note).
 *   PaymentPayload v1 `{x402Version:1, scheme, network, payload{signature, authorization{from,to,value,nonce…}}}`
 *     v2 `{x402Version:2, resource?, accepted{…requirements}, payload, extensions?}` -> payment_request.
 *   Facilitator /verify or /settle body `{x402Version, paymentPayload, paymentRequirements}` -> payment_request.
 *   SettlementResponse `{success, transaction, network, payer?, errorReason?}` (the PAYMENT-RESPONSE /
 *     X-PAYMENT-RESPONSE header, base64 JSON) -> settlement_reference = transaction hash.
 *
 * Decisions:
 *   - x402 messages carry no request id. payment_request_id is derived from scheme|network|amount|payTo,
 *     fields present in both the requirements and the signed payload, so the 402 response and the
 *     payment that answers it map to the same payment request. The payload's own identifier
 *     (payment-identifier extension id, else the EIP-3009 nonce) goes in provider_id.
 *   - Amounts stay in atomic token units with currency = the asset (token contract, or ISO code for
 *     fiat in v2): token decimals are not in the message and are not guessed. A v1 payload names no
 *     asset, so it carries no amount.
 *   - A failed settlement (`success: false`) becomes a settlement record with status failed and the
 *     provider's `errorReason`, so the exception names the failure (settlement_failed).
 */
import type { Money, PaymentRequestRecord, SettlementReferenceRecord } from '../domain/evidence';
import type { ClassifyResult, FamilyClassifier } from './types';
import { X402_ATOMIC_PREFIX } from '../evaluation/amounts';
import { compact, notEvidence, obj, recognised, shortHash, str, type Obj } from './values';

function requestId(scheme?: string, network?: string, amount?: string, payTo?: string): string {
  return `x402_${shortHash([scheme ?? '', network ?? '', amount ?? '', (payTo ?? '').toLowerCase()].join('|'))}`;
}

function atomic(value: string | undefined, asset: string | undefined): Money | undefined {
  return value && /^\d+$/.test(value) && asset ? { value, currency: asset } : undefined;
}

function fromRequirements(req: Obj, version: 1 | 2, resourceUrl?: string): PaymentRequestRecord {
  const amount = str(version === 1 ? req.maxAmountRequired : req.amount);
  const scheme = str(req.scheme);
  const network = str(req.network);
  const payTo = str(req.payTo);
  return compact({
    kind: 'payment_request',
    payment_request_id: requestId(scheme, network, amount, payTo),
    provider: 'x402',
    amount: atomic(amount, str(req.asset)),
    pay_to: payTo,
    network,
    scheme,
    resource: version === 1 ? str(req.resource) : resourceUrl,
  });
}

function paymentRequired(o: Obj, version: 1 | 2): ClassifyResult {
  const accepts = (o.accepts as unknown[]).filter((a): a is Obj => obj(a) !== undefined);
  const format = `x402_v${version}_payment_required`;
  if (!accepts.length)
    return notEvidence(`x402 v${version} PaymentRequired offers no payment options (accepts is empty)`);
  const record = fromRequirements(accepts[0], version, str(obj(o.resource)?.url));
  const note =
    accepts.length > 1
      ? `${accepts.length} payment options offered; the first (${str(accepts[0].scheme) ?? '?'} on ${str(accepts[0].network) ?? '?'}) is recorded`
      : undefined;
  return recognised([{ record, format, ...(note ? { note } : {}) }]);
}

function paymentPayload(o: Obj, version: 1 | 2): ClassifyResult {
  const payload = obj(o.payload) ?? {};
  const auth = obj(payload.authorization);
  const format = `x402_v${version}_payment_payload`;
  const extId = str(obj(obj(obj(o.extensions)?.['payment-identifier'])?.info)?.id);
  const providerId = extId ?? str(auth?.nonce);
  let record: PaymentRequestRecord;
  if (version === 2) {
    record = fromRequirements(obj(o.accepted) ?? {}, 2, str(obj(o.resource)?.url));
  } else {
    const scheme = str(o.scheme);
    const network = str(o.network);
    const value = str(auth?.value);
    const to = str(auth?.to);
    record = compact({
      kind: 'payment_request',
      payment_request_id: requestId(scheme, network, value, to),
      provider: 'x402',
      pay_to: to,
      network,
      scheme,
    });
  }
  if (!auth && !extId) {
    // Schemes without an EIP-3009 authorization (e.g. Solana's signed transaction): the signed blob identifies the payment.
    const blob = str(payload.transaction) ?? str(payload.signature);
    if (blob && version === 1) record.payment_request_id = `x402_${shortHash(blob)}`;
  }
  if (providerId) record.provider_id = providerId;
  return recognised([{ record, format }]);
}

/** A facilitator /verify or /settle request body: the payload plus the requirements it answers. */
function facilitatorRequest(o: Obj, version: 1 | 2): ClassifyResult {
  const payload = obj(o.paymentPayload) as Obj;
  const record = fromRequirements(obj(o.paymentRequirements) as Obj, version, str(obj(payload.resource)?.url));
  const nonce = str(obj(obj(payload.payload)?.authorization)?.nonce);
  if (nonce) record.provider_id = nonce;
  return recognised([{ record, format: `x402_v${version}_facilitator_request` }]);
}

function settlementResponse(o: Obj): ClassifyResult {
  const tx = str(o.transaction);
  const network = str(o.network);
  // The settled amount, when the facilitator states it, is in atomic units of the accepted asset (spec:
  // SettlementResponse); it names no asset, so its unit is tied to the network (evaluation/amounts.ts).
  const value = str(o.amount);
  const amount =
    value && /^\d+$/.test(value)
      ? { value, currency: str(o.asset) ?? `${X402_ATOMIC_PREFIX}${network ?? ''}` }
      : undefined;
  if (o.success !== true || !tx) {
    // A failed settlement is evidence too: the run's exception says the payment failed and why,
    // instead of asking for a settlement as if none had been tried.
    const reason = str(o.errorReason) ?? 'no reason given';
    const id = `x402_failed_${shortHash([network ?? '', str(o.payer) ?? '', reason, tx ?? ''].join('|'))}`;
    const failed: SettlementReferenceRecord = compact({
      kind: 'settlement_reference',
      settlement_reference: id,
      provider: 'x402',
      // The transaction, when the facilitator names one, links the failure to the run's own record of it.
      provider_reference: tx,
      network,
      payer: str(o.payer),
      status: 'failed',
      status_reason: reason,
    });
    return recognised([
      { record: failed, format: 'x402_settlement_response', note: `x402 settlement failed: ${reason}` },
    ]);
  }
  const record: SettlementReferenceRecord = compact({
    kind: 'settlement_reference',
    settlement_reference: tx,
    provider: 'x402',
    transaction: tx,
    network,
    payer: str(o.payer),
    amount,
    status: 'settled',
  });
  return recognised([{ record, format: 'x402_settlement_response' }]);
}

export const classifyX402: FamilyClassifier = (o) => {
  const v = o.x402Version;
  if (v !== undefined) {
    if (v !== 1 && v !== 2)
      return notEvidence(`x402 message with x402Version ${JSON.stringify(v)}: only versions 1 and 2 are known`);
    if (Array.isArray(o.accepts)) return paymentRequired(o, v);
    if (obj(o.payload) && (v === 1 ? str(o.scheme) : obj(o.accepted))) return paymentPayload(o, v);
    if (obj(o.paymentPayload) && obj(o.paymentRequirements)) return facilitatorRequest(o, v);
    return null;
  }
  // The settlement response has no version field; its three keys together are distinctive.
  if (typeof o.success === 'boolean' && typeof o.transaction === 'string' && typeof o.network === 'string')
    return settlementResponse(o);
  return null;
};
