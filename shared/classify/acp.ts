/**
 * Agentic Commerce Protocol (ACP, OpenAI and Stripe): checkout sessions, orders, order webhooks and
 * delegated-payment vault tokens.
 * Learned from agentic-commerce-protocol/agentic-commerce-protocol (commit c2afc86, 2026-06-15), API
 * version 2026-04-17 (fields checked against 2025-09-29 as well):
 *   spec/2026-04-17/json-schema/schema.agentic_checkout.json ($defs CheckoutSessionBase, CheckoutSessionWithOrder,
 *     Order, Total, Adjustment, OrderConfirmation), spec/2026-04-17/openapi/openapi.agentic_checkout_webhook.yaml
 *     (WebhookEvent, EventDataOrder; 2025-09-29: EventDataOrder.refunds[]),
 *   spec/2026-04-17/json-schema/schema.delegate_payment.json (DelegatePaymentRequest, Allowance,
 *     DelegatePaymentResponse), rfcs/rfc.delegate_payment.md, rfcs/rfc.orders.md,
 *   examples/2026-04-17/examples.agentic_checkout.json, examples.delegate_payment.json, orders/*.json.
 *
 * Fields mapped (amounts are integers in the currency's ISO 4217 minor units, "100 cents for $1.00 or 100
 * for ¥100", with a lowercase currency; they become decimals in the major unit as for Stripe):
 *   checkout session `{id, status, currency, line_items[], totals[{type, display_text, amount}], order?, metadata?}`
 *     -> payment_request (payment_request_id = session id, amount = the `total` entry of totals, provider_id =
 *        the order id once there is one, settlement_reference = metadata.settlement_reference if the agent set it);
 *     status completed (with its order) -> also settlement_reference, built from the order (below), for the total;
 *     status canceled / expired -> also settlement_reference with status failed and the status as reason;
 *     any other status (not_ready_for_payment, ready_for_payment, in_progress, authentication_required, …) is
 *     not paid yet: only the payment request, the status noted.
 *   order `{type?: "order", id, checkout_session_id, permalink_url, order_number?, client_reference_id?, status?,
 *     confirmation{confirmation_number}?, adjustments[{type, status, amount, currency}]?, totals[]?}`
 *     -> settlement_reference (settlement_reference = order id, else the checkout session id; provider_reference =
 *        checkout_session_id; invoice_token = order_number, else the confirmation number; transaction =
 *        client_reference_id, the platform's own transaction reference). These are the aliases that link the
 *        order, the completed session, the order webhooks and the allowance into one settlement.
 *     status canceled / failed -> failed; completed refunds (adjustments of type refund, 2025-09-29 `refunds[]`,
 *     or the `amount_refunded` total) that reach the total -> failed ("refunded in full", as for a Stripe charge);
 *     a partial refund is noted; manual_review or an unknown status -> pending; no status or any other defined
 *     status (created, confirmed, processing, shipped, completed, fulfilled) -> settled: an order exists only once
 *     checkout completed. permalink_url is not copied (the buyer's order page).
 *   webhook `{type: order_create | order_update, data: Order}` -> webhook_event (no id in the body: event_id is
 *     derived from the event's content; refers_to = the order id and checkout session id) AND the order's record.
 *   delegate_payment request `{payment_method, allowance{reason, max_amount, currency, checkout_session_id,
 *     merchant_id, expires_at}, risk_signals, metadata}` -> payment_request from the allowance (settlement_reference =
 *     allowance.checkout_session_id, amount = max_amount, pay_to = merchant_id, scheme `upto`: the settlement may
 *     be less than the allowance, never more). The card (number, cvc, expiry) is never copied.
 *   delegate_payment response `{id: vt_…, created, metadata}` -> payment_request (payment_request_id = the vault
 *     token). The spec's response carries no allowance; a token saved together with its allowance
 *     (`{id: vt_…, created, allowance{…}}`) is read as both.
 */
import type { Money, PaymentRequestRecord, SettlementReferenceRecord, WebhookEventRecord } from '../domain/evidence';
import type { ClassifiedRecord, ClassifyResult, FamilyClassifier } from './types';
import {
  compact,
  isObj,
  minorUnitsToDecimal,
  notEvidence,
  obj,
  recognised,
  shortHash,
  str,
  stripeMoney,
} from './values';
import type { Obj } from './values';

const SESSION_STATUSES = new Set([
  'incomplete',
  'not_ready_for_payment',
  'requires_escalation',
  'authentication_required',
  'ready_for_payment',
  'pending_approval',
  'complete_in_progress',
  'completed',
  'canceled',
  'in_progress',
  'expired',
]);
const SESSION_FAILED = new Set(['canceled', 'expired']);

const ORDER_SETTLED = new Set(['created', 'confirmed', 'processing', 'shipped', 'completed', 'fulfilled']);
const ORDER_FAILED = new Set(['canceled', 'cancelled', 'failed']);

/** The amount of the totals entry of one type (`total`, `amount_refunded`), from a 2026 totals array. */
function totalOf(totals: unknown, type: string): unknown {
  if (!Array.isArray(totals)) return undefined;
  return totals.map(obj).find((t) => t?.type === type)?.amount;
}

/** ACP money: an integer in minor units and an ISO 4217 code (lowercase in ACP, upper case here). */
function money(amount: unknown, currency: unknown): Money | undefined {
  return typeof amount === 'number' || typeof amount === 'string' ? stripeMoney(amount, currency) : undefined;
}

/** Integer minor units, or undefined. */
function minor(v: unknown): bigint | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  return undefined;
}

/** The order's currency: ACP 2026 orders state it only on adjustments (and some examples on the order). */
function orderCurrency(order: Obj, fallback?: string): string | undefined {
  const own = str(order.currency) ?? fallback;
  if (own) return own;
  const adj = Array.isArray(order.adjustments) ? order.adjustments.map(obj) : [];
  const found = [...new Set(adj.map((a) => str(a?.currency)?.toLowerCase()).filter((c): c is string => !!c))];
  return found.length === 1 ? found[0] : undefined;
}

/** Completed refunds, in minor units: the `amount_refunded` total, else refund adjustments, else 2025 `refunds[]`. */
function refunded(order: Obj): bigint | undefined {
  const stated = minor(totalOf(order.totals, 'amount_refunded'));
  if (stated !== undefined) return stated;
  let sum: bigint | undefined;
  const add = (v: unknown) => {
    const n = minor(v);
    if (n !== undefined) sum = (sum ?? 0n) + n;
  };
  if (Array.isArray(order.adjustments))
    for (const a of order.adjustments.map(obj))
      if (a?.type === 'refund' && (a.status === undefined || a.status === 'completed')) add(a.amount);
  if (Array.isArray(order.refunds)) for (const r of order.refunds.map(obj)) add(r?.amount);
  return sum;
}

interface Mapped {
  record: SettlementReferenceRecord;
  note?: string;
}

/**
 * An order as the settlement. `session` gives the completed checkout session's id, currency and total
 * when the order came inside it (the 2026 order names neither currency nor, when minimal, a total).
 */
function orderSettlement(order: Obj, session?: { id?: string; currency?: string; total?: unknown }): Mapped | null {
  const sessionId = str(order.checkout_session_id) ?? session?.id;
  const orderId = str(order.id);
  const reference = orderId ?? sessionId;
  if (!reference) return null;
  const currency = orderCurrency(order, session?.currency);
  const totalMinor = totalOf(order.totals, 'total') ?? order.total ?? session?.total;
  const amount = money(totalMinor, currency);
  const status = str(order.status);
  const total = minor(totalMinor);
  const back = refunded(order);
  const notes: string[] = [];
  let outcome: SettlementReferenceRecord['status'] = 'settled';
  let reason: string | undefined;
  if (status && ORDER_FAILED.has(status)) {
    outcome = 'failed';
    reason = `order ${status}`;
  } else if (back !== undefined && back > 0n && total !== undefined && back >= total) {
    outcome = 'failed';
    reason = `order refunded in full (${fmt(back, currency)} of ${fmt(total, currency)})`;
  } else {
    if (back !== undefined && back > 0n)
      notes.push(
        `partially refunded: ${fmt(back, currency)}${total !== undefined ? ` of ${fmt(total, currency)}` : ''}`,
      );
    if (status && !ORDER_SETTLED.has(status)) {
      outcome = 'pending';
      notes.push(`order status ${status}: not yet confirmed`);
    }
  }
  if (!amount) notes.push('the order states no total with a currency: no amount recorded');
  const confirmation = obj(order.confirmation);
  const record: SettlementReferenceRecord = compact({
    kind: 'settlement_reference',
    settlement_reference: reference,
    provider: 'acp',
    provider_reference: sessionId !== reference ? sessionId : undefined,
    invoice_token:
      str(order.order_number) ?? str(confirmation?.confirmation_number) ?? str(confirmation?.invoice_number),
    transaction: str(order.client_reference_id),
    amount,
    status: outcome,
    status_reason: reason,
    settled_at: outcome === 'settled' ? str(order.created_at) : undefined,
  });
  if (reason) notes.unshift(`ACP settlement failed: ${reason}`);
  return { record, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

function fmt(minorUnits: bigint, currency: string | undefined): string {
  if (!currency) return `${minorUnits} minor units`;
  return `${minorUnitsToDecimal(minorUnits.toString(), currency) ?? String(minorUnits)} ${currency.toUpperCase()}`;
}

function checkoutSession(o: Obj): ClassifyResult {
  const id = str(o.id) as string;
  const status = str(o.status) as string;
  const currency = str(o.currency);
  const totalMinor = totalOf(o.totals, 'total');
  const order = obj(o.order);
  const meta = obj(o.metadata) ?? {};
  const request: PaymentRequestRecord = compact({
    kind: 'payment_request',
    payment_request_id: id,
    settlement_reference: str(meta.settlement_reference),
    provider: 'acp',
    provider_id: str(order?.id),
    amount: money(totalMinor, currency),
  });
  const out: ClassifiedRecord[] = [
    {
      record: request,
      format: 'acp_checkout_session',
      note:
        `checkout session ${status}` +
        (request.amount ? '' : '; no total with a currency stated') +
        (status === 'completed' || SESSION_FAILED.has(status) ? '' : ': not paid yet'),
    },
  ];
  if (status === 'completed') {
    const s = orderSettlement(order ?? {}, { id, currency, total: totalMinor }) as Mapped;
    if (!order)
      s.note = ['completed session names no order: the session id is the settlement reference', s.note]
        .filter(Boolean)
        .join('; ');
    out.push({ record: s.record, format: 'acp_checkout_session', ...(s.note ? { note: s.note } : {}) });
  } else if (SESSION_FAILED.has(status)) {
    const errors = Array.isArray(o.messages)
      ? o.messages
          .map(obj)
          .filter((m) => m?.type === 'error')
          .map((m) => str(m?.content))
          .filter((m): m is string => !!m)
      : [];
    const reason = `checkout session ${status}${errors.length ? `: ${errors.join('; ')}` : ''}`;
    const failed: SettlementReferenceRecord = compact({
      kind: 'settlement_reference',
      settlement_reference: id,
      provider: 'acp',
      provider_reference: str(order?.id),
      amount: money(totalMinor, currency),
      status: 'failed',
      status_reason: reason,
    });
    out.push({ record: failed, format: 'acp_checkout_session', note: `ACP settlement failed: ${reason}` });
  }
  return recognised(out);
}

function order(o: Obj): ClassifyResult {
  const s = orderSettlement(o);
  if (!s) return notEvidence('ACP order without id or checkout_session_id: nothing identifies the settlement');
  return recognised([{ record: s.record, format: 'acp_order', ...(s.note ? { note: s.note } : {}) }]);
}

function webhook(o: Obj): ClassifyResult {
  const type = str(o.type) as string;
  const data = obj(o.data) as Obj;
  const s = orderSettlement(data);
  const refersTo = [...new Set([str(data.id), str(data.checkout_session_id)].filter((x): x is string => !!x))];
  const event: WebhookEventRecord = compact({
    kind: 'webhook_event',
    // The event body has no id (the receiver's Request-Id header is not part of it): derive one from the content.
    event_id: `acp_${type}_${shortHash(JSON.stringify(o))}`,
    event_type: type,
    provider: 'acp',
    refers_to: refersTo.length ? refersTo : undefined,
  });
  const records: ClassifiedRecord[] = [{ record: event, format: 'acp_webhook_event' }];
  if (s) records.push({ record: s.record, format: 'acp_webhook_event', ...(s.note ? { note: s.note } : {}) });
  else records[0].note = 'the event names no order id or checkout session id';
  return recognised(records);
}

/** A delegate_payment allowance (from the request, or saved with its vault token) as a payment request. */
function allowanceRequest(allowance: Obj, token: string | undefined, format: string, notes: string[]): ClassifyResult {
  const session = str(allowance.checkout_session_id);
  const max = money(allowance.max_amount, allowance.currency);
  const id =
    token ??
    `acp_allowance_${shortHash([session ?? '', String(allowance.max_amount), str(allowance.currency) ?? '', str(allowance.merchant_id) ?? '', str(allowance.expires_at) ?? ''].join('|'))}`;
  const record: PaymentRequestRecord = compact({
    kind: 'payment_request',
    payment_request_id: id,
    settlement_reference: session,
    provider: 'acp',
    provider_id: token,
    amount: max,
    pay_to: str(allowance.merchant_id),
    // The token may be charged up to the allowance, never more (rfc.delegate_payment.md §3.5).
    scheme: 'upto',
  });
  const all = [
    `delegated payment allowance${str(allowance.reason) ? ` (${allowance.reason as string})` : ''}: at most ${max ? `${max.value} ${max.currency}` : 'an unstated amount'}${session ? ` for checkout session ${session}` : ''}${str(allowance.expires_at) ? `, expires ${allowance.expires_at as string}` : ''}`,
    ...notes,
  ];
  return recognised([{ record, format, note: all.join('; ') }]);
}

function vaultToken(o: Obj): ClassifyResult {
  const id = str(o.id) as string;
  const allowance = obj(o.allowance);
  if (allowance) return allowanceRequest(allowance, id, 'acp_delegated_payment_token', []);
  const record: PaymentRequestRecord = compact({
    kind: 'payment_request',
    payment_request_id: id,
    provider: 'acp',
    provider_id: id,
    pay_to: str(obj(o.metadata)?.merchant_id),
  });
  return recognised([
    {
      record,
      format: 'acp_delegated_payment_token',
      note: `vault token ${id}: the delegate_payment response names no allowance; add the request's allowance (max_amount, checkout_session_id) to check the amount`,
    },
  ]);
}

function isAllowance(v: unknown): v is Obj {
  return (
    isObj(v) && v.max_amount !== undefined && str(v.currency) !== undefined && str(v.checkout_session_id) !== undefined
  );
}

function kindOf(o: Obj): 'session' | 'order' | 'webhook' | 'delegate_request' | 'allowance' | 'token' | null {
  if (str(o.type) && isObj(o.data) && (o.data as Obj).type === 'order') return 'webhook';
  // An order names the session that created it (and, like a session, may carry status and line_items).
  if (str(o.checkout_session_id) && (o.type === 'order' || str(o.permalink_url))) return 'order';
  if (
    str(o.id) &&
    SESSION_STATUSES.has(str(o.status) ?? '') &&
    Array.isArray(o.line_items) &&
    (Array.isArray(o.totals) || str(o.currency))
  )
    return 'session';
  if (isAllowance(o.allowance) && isObj(o.payment_method)) return 'delegate_request';
  if (/^vt_/.test(str(o.id) ?? '') && (str(o.created) || isAllowance(o.allowance))) return 'token';
  if (isAllowance(o) && str(o.reason) && str(o.merchant_id)) return 'allowance';
  return null;
}

export const classifyAcp: FamilyClassifier = (o) => {
  switch (kindOf(o)) {
    case 'session':
      return checkoutSession(o);
    case 'order':
      return order(o);
    case 'webhook':
      return webhook(o);
    case 'delegate_request':
      return allowanceRequest(obj(o.allowance) as Obj, undefined, 'acp_delegate_payment_request', [
        'the request carries the card itself (number, cvc): only the allowance is kept; file a redacted copy',
      ]);
    case 'allowance':
      return allowanceRequest(o, undefined, 'acp_delegate_payment_allowance', []);
    case 'token':
      return vaultToken(o);
    default:
      return null;
  }
};
