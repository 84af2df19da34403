/**
 * Stripe payments: PaymentIntent -> payment_request, Invoice -> settlement_reference.
 * Learned from the Stripe API reference (docs.stripe.com/api/payment_intents/object,
 * docs.stripe.com/api/invoices/object) and docs.stripe.com/currencies (minor units, zero-decimal currencies).
 *
 * Fields mapped:
 *   payment_intent `{id: pi_…, amount, currency, status, latest_charge, customer, metadata}`
 *     -> payment_request (payment_request_id = provider_id = pi id, amount in the currency's major unit,
 *        settlement_reference from metadata.settlement_reference).
 *   invoice `{id: in_…, number, status, amount_paid, amount_due, currency, hosted_invoice_url,
 *     status_transitions.paid_at, metadata}` -> settlement_reference
 *     (settlement_reference = metadata.settlement_reference, else the invoice number, else the id;
 *      invoice_token = number (or id while a draft has none); status paid -> settled,
 *      draft/open -> pending, void/uncollectible -> failed; amount = amount_paid once paid, else amount_due).
 *   hosted_invoice_url is deliberately not copied: anyone holding it can view and pay the invoice.
 *   metadata.settlement_reference lets a Stripe object name the run's own settlement reference so
 *   cross-checks line up.
 */
import type { PaymentRequestRecord, SettlementReferenceRecord } from '../domain/evidence';
import type { ClassifyResult } from './types';
import { compact, idOf, notEvidence, obj, recognised, str, stripeMoney, unixToIso, type Obj } from './values';

export function paymentIntent(o: Obj): ClassifyResult {
  const id = str(o.id);
  if (!id) return notEvidence('Stripe payment intent without an id');
  const meta = obj(o.metadata) ?? {};
  const record: PaymentRequestRecord = compact({
    kind: 'payment_request',
    payment_request_id: id,
    settlement_reference: str(meta.settlement_reference),
    provider: 'stripe',
    provider_id: id,
    amount: stripeMoney(o.amount, o.currency),
  });
  const status = str(o.status);
  const charge = idOf(o.latest_charge);
  const note = [status ? `status ${status}` : '', charge ? `latest charge ${charge}` : ''].filter(Boolean).join('; ');
  return recognised([{ record, format: 'stripe_payment_intent', ...(note ? { note } : {}) }]);
}

const INVOICE_STATUS: Record<string, SettlementReferenceRecord['status']> = {
  paid: 'settled',
  draft: 'pending',
  open: 'pending',
  void: 'failed',
  uncollectible: 'failed',
};

export function invoice(o: Obj): ClassifyResult {
  const id = str(o.id);
  if (!id) return notEvidence('Stripe invoice without an id');
  const meta = obj(o.metadata) ?? {};
  const number = str(o.number);
  const status = INVOICE_STATUS[str(o.status) ?? ''];
  const record: SettlementReferenceRecord = compact({
    kind: 'settlement_reference',
    settlement_reference: str(meta.settlement_reference) ?? number ?? id,
    provider: 'stripe',
    provider_reference: id,
    invoice_token: number ?? id,
    amount: stripeMoney(status === 'settled' ? o.amount_paid : o.amount_due, o.currency),
    status,
    settled_at: status === 'settled' ? unixToIso(obj(o.status_transitions)?.paid_at) : undefined,
  });
  return recognised([{ record, format: 'stripe_invoice' }]);
}
