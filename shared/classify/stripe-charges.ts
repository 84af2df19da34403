/**
 * Stripe charges, refunds, balance transactions and Checkout Sessions.
 * Learned from the Stripe API reference (docs.stripe.com/api/charges/object, …/refunds/object,
 * …/balance_transactions/object, …/checkout/sessions/object) and the stripe-node types (types/Charges.d.ts,
 * Refunds.d.ts, BalanceTransactions.d.ts, Checkout/Sessions.d.ts).
 *
 * Fields mapped:
 *   charge `{id: ch_…, amount, currency, status succeeded|pending|failed, refunded, amount_refunded,
 *     payment_intent, invoice, failure_message, created, metadata}` -> settlement_reference
 *     (provider_reference = payment intent, so it links to the PaymentIntent's payment request;
 *      invoice_token = invoice; a failed or fully refunded charge is a failed settlement with Stripe's words).
 *   refund `{id: re_…, amount, currency, charge, payment_intent, status, reason}` -> settlement_reference with
 *     status failed (the money went back), linked to the charge and payment intent.
 *   balance_transaction `{id: txn_…, amount, currency, source, status available|pending, type}` -> settlement_reference
 *     linked to its source (the charge); a refund-type transaction is a failed settlement.
 *   checkout.session `{id: cs_…, amount_total, currency, payment_intent, invoice, payment_status, status, metadata}`
 *     -> payment_request (provider_id = payment intent); an expired session is noted.
 * Amounts are in the currency's minor units (docs.stripe.com/currencies) and become decimals in the major unit.
 */
import type { PaymentRequestRecord, SettlementReferenceRecord } from '../domain/evidence';
import type { ClassifyResult } from './types';
import { compact, idOf, notEvidence, obj, recognised, str, stripeMoney, unixToIso, type Obj } from './values';

export function charge(o: Obj): ClassifyResult {
  const id = str(o.id);
  if (!id) return notEvidence('Stripe charge without an id');
  const meta = obj(o.metadata) ?? {};
  const fullyRefunded = o.refunded === true;
  const status = str(o.status);
  const failed = status === 'failed' || fullyRefunded;
  const reason =
    status === 'failed'
      ? (str(o.failure_message) ?? str(o.failure_code) ?? 'charge failed')
      : fullyRefunded
        ? 'charge was refunded in full'
        : undefined;
  const record: SettlementReferenceRecord = compact({
    kind: 'settlement_reference',
    settlement_reference: str(meta.settlement_reference) ?? id,
    provider: 'stripe',
    provider_reference: idOf(o.payment_intent),
    transaction: id,
    invoice_token: idOf(o.invoice),
    amount: stripeMoney(o.amount, o.currency),
    status: failed ? 'failed' : status === 'succeeded' ? 'settled' : 'pending',
    status_reason: reason,
    settled_at: status === 'succeeded' && !failed ? unixToIso(o.created) : undefined,
  });
  return recognised([{ record, format: 'stripe_charge', ...(reason ? { note: reason } : {}) }]);
}

export function refund(o: Obj): ClassifyResult {
  const id = str(o.id);
  if (!id) return notEvidence('Stripe refund without an id');
  const record: SettlementReferenceRecord = compact({
    kind: 'settlement_reference',
    settlement_reference: id,
    provider: 'stripe',
    provider_reference: idOf(o.payment_intent) ?? idOf(o.charge),
    transaction: idOf(o.charge),
    amount: stripeMoney(o.amount, o.currency),
    status: 'failed',
    status_reason: `refunded${str(o.reason) ? ` (${o.reason as string})` : ''}${str(o.status) && o.status !== 'succeeded' ? `, refund ${o.status as string}` : ''}`,
  });
  return recognised([
    { record, format: 'stripe_refund', note: 'a refund returns the payment: the settlement no longer funds the run' },
  ]);
}

export function balanceTransaction(o: Obj): ClassifyResult {
  const id = str(o.id);
  const source = idOf(o.source);
  if (!id) return notEvidence('Stripe balance transaction without an id');
  const type = str(o.type) ?? '';
  const isRefund = type === 'refund' || type === 'payment_refund';
  const record: SettlementReferenceRecord = compact({
    kind: 'settlement_reference',
    settlement_reference: id,
    provider: 'stripe',
    provider_reference: source,
    amount: stripeMoney(typeof o.amount === 'number' ? Math.abs(o.amount) : o.amount, o.currency),
    status: isRefund ? 'failed' : o.status === 'available' ? 'settled' : 'pending',
    status_reason: isRefund ? `refund of ${source ?? 'the charge'}` : undefined,
    settled_at: unixToIso(o.available_on) ?? unixToIso(o.created),
  });
  return recognised([
    { record, format: 'stripe_balance_transaction', note: `balance transaction type ${type || 'unknown'}` },
  ]);
}

export function checkoutSession(o: Obj): ClassifyResult {
  const id = str(o.id);
  if (!id) return notEvidence('Stripe Checkout Session without an id');
  const meta = obj(o.metadata) ?? {};
  const record: PaymentRequestRecord = compact({
    kind: 'payment_request',
    payment_request_id: id,
    settlement_reference: str(meta.settlement_reference),
    provider: 'stripe',
    provider_id: idOf(o.payment_intent) ?? idOf(o.invoice),
    amount: stripeMoney(o.amount_total, o.currency),
  });
  const note = [
    `payment_status ${str(o.payment_status) ?? 'unknown'}`,
    o.status === 'expired' ? 'session expired: it was never paid' : '',
  ]
    .filter(Boolean)
    .join('; ');
  return recognised([{ record, format: 'stripe_checkout_session', note }]);
}
