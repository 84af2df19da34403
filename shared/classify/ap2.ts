/**
 * AP2 (Agent Payments Protocol) mandates and receipts, and the W3C PaymentRequest they embed.
 * Learned from google-agentic-commerce/AP2: src/ap2/types/mandate.py, src/ap2/types/payment_request.py,
 * src/ap2/types/payment_receipt.py (and the A2A data keys `ap2.mandates.CartMandate`, … defined there).
 *
 * Fields mapped:
 *   CartMandate `{contents{id, payment_request{method_data[].supported_methods, details{id, total{amount{currency,value}}}},
 *     merchant_name, cart_expiry}, merchant_authorization}` -> payment_request
 *     (payment_request_id = details.id, provider_id = cart id, pay_to = merchant_name, scheme = supported methods).
 *   PaymentMandate `{payment_mandate_contents{payment_mandate_id, payment_details_id, payment_details_total{amount},
 *     payment_response{request_id, method_name}, merchant_agent, timestamp}, user_authorization}` -> payment_request
 *     (payment_request_id = payment_details_id, so it lines up with the cart's details.id; provider_id = mandate id).
 *   PaymentReceipt `{payment_mandate_id, payment_id, amount, payment_status{merchant_confirmation_id,
 *     psp_confirmation_id?, network_confirmation_id?} | {error_message} | {failure_message}, timestamp}`
 *     -> settlement_reference (settlement_reference = payment_id; status settled / failed).
 *   A bare W3C PaymentRequest `{method_data, details}` -> payment_request.
 *
 * Decision: an IntentMandate (`natural_language_description`, `intent_expiry`, …) is the user's purchase
 * intent, signed before any cart or payment exists. It is neither a Work Order (no task run, tool or
 * capability) nor payment evidence, so it yields no record: the file is kept and named with that reason.
 * AP2 amounts are JSON numbers (PaymentCurrencyAmount.value: float); they become decimal strings.
 */
import type { Money, PaymentRequestRecord, SettlementReferenceRecord } from '../domain/evidence';
import type { ClassifyResult, FamilyClassifier } from './types';
import { compact, decimal, isObj, notEvidence, obj, recognised, str, type Obj } from './values';

const DATA_KEYS: Record<string, string> = {
  'ap2.mandates.CartMandate': 'cart',
  'ap2.mandates.PaymentMandate': 'payment',
  'ap2.mandates.IntentMandate': 'intent',
  'ap2.PaymentReceipt': 'receipt',
};

function currencyAmount(v: unknown): Money | undefined {
  const a = obj(v);
  const value = decimal(a?.value);
  const currency = str(a?.currency);
  return value !== undefined && currency ? { value, currency: currency.toUpperCase() } : undefined;
}

function methods(methodData: unknown): string | undefined {
  if (!Array.isArray(methodData)) return undefined;
  const names = methodData.map((m) => str(obj(m)?.supported_methods)).filter((m): m is string => !!m);
  return names.length ? names.join(', ') : undefined;
}

function fromPaymentRequest(pr: Obj, extra: Partial<PaymentRequestRecord>, format: string): ClassifyResult {
  const details = obj(pr.details) ?? {};
  const id = str(details.id);
  if (!id) return notEvidence('AP2/W3C payment request without details.id: nothing identifies the request');
  const record: PaymentRequestRecord = compact({
    kind: 'payment_request',
    payment_request_id: id,
    provider: 'ap2',
    amount: currencyAmount(obj(details.total)?.amount),
    scheme: methods(pr.method_data),
    ...extra,
  });
  return recognised([{ record, format }]);
}

function cartMandate(o: Obj): ClassifyResult {
  const contents = obj(o.contents) as Obj;
  return fromPaymentRequest(
    obj(contents.payment_request) ?? {},
    compact({ provider_id: str(contents.id), pay_to: str(contents.merchant_name) }),
    'ap2_cart_mandate',
  );
}

function paymentMandate(o: Obj): ClassifyResult {
  const c = obj(o.payment_mandate_contents) as Obj;
  const id = str(c.payment_details_id) ?? str(obj(c.payment_response)?.request_id);
  if (!id) return notEvidence('AP2 PaymentMandate without payment_details_id: nothing ties it to a payment request');
  const record: PaymentRequestRecord = compact({
    kind: 'payment_request',
    payment_request_id: id,
    provider: 'ap2',
    provider_id: str(c.payment_mandate_id),
    amount: currencyAmount(obj(c.payment_details_total)?.amount),
    pay_to: str(c.merchant_agent),
    scheme: str(obj(c.payment_response)?.method_name),
  });
  return recognised([{ record, format: 'ap2_payment_mandate' }]);
}

function paymentReceipt(o: Obj): ClassifyResult {
  const status = obj(o.payment_status) ?? {};
  const ok = str(status.merchant_confirmation_id) !== undefined;
  const record: SettlementReferenceRecord = compact({
    kind: 'settlement_reference',
    settlement_reference: str(o.payment_id) as string,
    provider: 'ap2',
    provider_reference: str(o.payment_mandate_id),
    invoice_token: str(status.merchant_confirmation_id),
    transaction: str(status.network_confirmation_id) ?? str(status.psp_confirmation_id),
    amount: currencyAmount(o.amount),
    status: ok ? 'settled' : 'failed',
    settled_at: ok ? str(o.timestamp) : undefined,
  });
  const why = str(status.error_message) ?? str(status.failure_message);
  return recognised([
    { record, format: 'ap2_payment_receipt', ...(why ? { note: `payment did not succeed: ${why}` } : {}) },
  ]);
}

const INTENT_REASON =
  'AP2 IntentMandate: the user\'s purchase intent ("%s"), signed before any cart or payment exists. ' +
  'It is not a Work Order (no task run, tool or capability) nor payment evidence, so no record is made; kept as a file.';

function kindOf(o: Obj): 'cart' | 'payment' | 'receipt' | 'intent' | 'w3c' | null {
  if (isObj(o.contents) && isObj((o.contents as Obj).payment_request)) return 'cart';
  if (isObj(o.payment_mandate_contents)) return 'payment';
  if (str(o.payment_mandate_id) && str(o.payment_id) && isObj(o.payment_status)) return 'receipt';
  if (str(o.natural_language_description) && o.intent_expiry !== undefined) return 'intent';
  if (Array.isArray(o.method_data) && isObj(o.details)) return 'w3c';
  return null;
}

export const classifyAp2: FamilyClassifier = (input) => {
  let o = input;
  // An A2A DataPart carries a mandate under its data key, e.g. { "ap2.mandates.CartMandate": {...} }.
  const keys = Object.keys(o);
  const wrapped = keys.find((k) => DATA_KEYS[k] && isObj(o[k]));
  if (wrapped) o = o[wrapped] as Obj;
  switch (kindOf(o)) {
    case 'cart':
      return cartMandate(o);
    case 'payment':
      return paymentMandate(o);
    case 'receipt':
      return paymentReceipt(o);
    case 'intent':
      return notEvidence(INTENT_REASON.replace('%s', (str(o.natural_language_description) as string).slice(0, 120)));
    case 'w3c':
      return fromPaymentRequest(o, { provider: 'w3c' }, 'w3c_payment_request');
    default:
      return wrapped
        ? notEvidence(`AP2 data key ${wrapped} holds an object of unexpected shape (${Object.keys(o).join(', ')})`)
        : null;
  }
};
