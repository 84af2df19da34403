/**
 * Agentic Commerce Protocol evidence. The samples in resources/samples/providers/acp-*.json are the spec's own
 * examples (agentic-commerce-protocol/agentic-commerce-protocol, commit c2afc86, API version 2026-04-17):
 *   acp-checkout-session-completed.json  examples/2026-04-17/examples.agentic_checkout.json complete_checkout_session_response
 *   acp-checkout-session-canceled.json   … cancel_checkout_session_response
 *   acp-webhook-order-create.json        … webhook_order_create_event
 *   acp-order-refunded.json              examples/2026-04-17/orders/refunded-order.json (without `$schema`, `_description`)
 *   acp-delegated-payment-token.json     examples/2026-04-17/examples.delegate_payment.json: delegate_payment_success_response
 *                                        saved with the allowance of delegate_payment_request
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyJson, parseEvidenceText, type ClassifyResult } from '../../shared/classify';
import type { Evaluation } from '../../shared/domain/evaluation';
import type { EvidenceItem, EvidenceRecord } from '../../shared/domain/evidence';
import { evaluateRun } from '../../shared/evaluation';
import { buildExceptionTicket } from '../../shared/builders';
import { validate } from '../../shared/validate';
import { asEvidenceItems, completeEvidence, DEMO, type CompleteEvidence } from '../fixtures/complete-evidence';

const SAMPLES = join(__dirname, '..', '..', 'resources', 'samples', 'providers');

function read(name: string): Record<string, unknown> {
  return parseEvidenceText(readFileSync(join(SAMPLES, name), 'utf8'), name) as Record<string, unknown>;
}

function classified(value: unknown): ClassifyResult {
  const r = classifyJson(value);
  expect(r.unrecognised, JSON.stringify(value).slice(0, 120)).toBeNull();
  for (const c of r.records)
    expect(validate('evidence_record', c.record), JSON.stringify(c.record)).toEqual({ ok: true });
  return r;
}

function recordsOf(value: unknown): EvidenceRecord[] {
  return classified(value).records.map((c) => c.record);
}

describe('ACP samples classify to the step they belong to', () => {
  it('a completed checkout session is the payment request (its total) and the settlement (its order)', () => {
    const r = classified(read('acp-checkout-session-completed.json'));
    expect(r.records.map((c) => c.format)).toEqual(['acp_checkout_session', 'acp_checkout_session']);
    const [request, settlement] = r.records.map((c) => c.record);
    expect(request).toEqual({
      kind: 'payment_request',
      payment_request_id: 'checkout_session_123',
      provider: 'acp',
      provider_id: 'ord_abc123',
      amount: { value: '8.30', currency: 'USD' }, // totals[type=total].amount 830, minor units of usd
    });
    expect(settlement).toEqual({
      kind: 'settlement_reference',
      settlement_reference: 'ord_abc123',
      provider: 'acp',
      provider_reference: 'checkout_session_123',
      invoice_token: '#1001',
      transaction: 'chatgpt_txn_abc789',
      amount: { value: '8.30', currency: 'USD' },
      status: 'settled',
    });
  });

  it('a canceled checkout session is a failed settlement naming the status', () => {
    const [request, settlement] = recordsOf(read('acp-checkout-session-canceled.json'));
    expect(request).toMatchObject({ kind: 'payment_request', payment_request_id: 'checkout_session_123' });
    expect(settlement).toMatchObject({
      kind: 'settlement_reference',
      settlement_reference: 'checkout_session_123',
      status: 'failed',
      status_reason: 'checkout session canceled',
      amount: { value: '8.30', currency: 'USD' },
    });
  });

  it('an order_create webhook is a webhook event and the order settlement, linked by the checkout session id', () => {
    const r = classified(read('acp-webhook-order-create.json'));
    const [event, settlement] = r.records.map((c) => c.record);
    expect(event).toMatchObject({
      kind: 'webhook_event',
      event_type: 'order_create',
      provider: 'acp',
      refers_to: ['checkout_session_123'],
    });
    expect(event.kind === 'webhook_event' && event.event_id).toMatch(/^acp_order_create_[0-9a-f]{14}$/);
    // Deterministic: the same event gives the same id.
    expect(recordsOf(read('acp-webhook-order-create.json'))[0]).toEqual(event);
    expect(settlement).toEqual({
      kind: 'settlement_reference',
      settlement_reference: 'checkout_session_123',
      provider: 'acp',
      status: 'settled',
    });
  });

  it('an order with a partial refund stays settled, the refund noted; a full refund or a cancellation fails it', () => {
    const order = read('acp-order-refunded.json');
    const r = classified(order);
    expect(r.records).toHaveLength(1);
    expect(r.records[0].format).toBe('acp_order');
    expect(r.records[0].record).toEqual({
      kind: 'settlement_reference',
      settlement_reference: 'ord_refund_101',
      provider: 'acp',
      provider_reference: 'cs_jkl789',
      invoice_token: 'ORD-2026-00101',
      amount: { value: '670.99', currency: 'USD' }, // currency from the refund adjustment: the 2026 order states none
      status: 'settled',
    });
    expect(r.records[0].note).toMatch(/partially refunded: 325\.16 USD of 670\.99 USD/);

    const totals = (order.totals as Array<Record<string, unknown>>).map((t) =>
      t.type === 'amount_refunded' ? { ...t, amount: 67099 } : t,
    );
    expect(recordsOf({ ...order, totals })[0]).toMatchObject({
      status: 'failed',
      status_reason: 'order refunded in full (670.99 USD of 670.99 USD)',
    });
    expect(recordsOf({ ...order, status: 'canceled' })[0]).toMatchObject({
      status: 'failed',
      status_reason: 'order canceled',
    });
    expect(recordsOf({ ...order, status: 'manual_review' })[0]).toMatchObject({ status: 'pending' });
  });

  it('a delegated-payment vault token with its allowance is an up-to payment request for the checkout session', () => {
    const r = classified(read('acp-delegated-payment-token.json'));
    expect(r.records).toHaveLength(1);
    expect(r.records[0].format).toBe('acp_delegated_payment_token');
    expect(r.records[0].record).toEqual({
      kind: 'payment_request',
      payment_request_id: 'vt_01J8Z3WXYZ9ABC',
      settlement_reference: 'csn_01HV3P3XYZ9ABC',
      provider: 'acp',
      provider_id: 'vt_01J8Z3WXYZ9ABC',
      amount: { value: '20.00', currency: 'USD' }, // max_amount 2000
      pay_to: 'acme_store',
      scheme: 'upto',
    });
    expect(r.records[0].note).toMatch(/at most 20\.00 USD for checkout session csn_01HV3P3XYZ9ABC/);
  });

  it('the delegate_payment request keeps the allowance and never the card', () => {
    const request = {
      payment_method: {
        type: 'card',
        card_number_type: 'fpan',
        virtual: false,
        number: '4242424242424242',
        exp_month: '11',
        exp_year: '2026',
        name: 'Jane Doe',
        cvc: '223',
        display_card_funding_type: 'credit',
        display_last4: '4242',
        metadata: { issuing_bank: 'temp' },
      },
      allowance: {
        reason: 'one_time',
        max_amount: 2000,
        currency: 'usd',
        checkout_session_id: 'csn_01HV3P3XYZ9ABC',
        merchant_id: 'acme_store',
        expires_at: '2025-10-09T07:20:50.52Z',
      },
      risk_signals: [{ type: 'card_testing', score: 10, action: 'manual_review' }],
      metadata: { campaign: 'q4', source: 'chatgpt_checkout' },
    };
    const r = classified(request);
    expect(r.records[0].format).toBe('acp_delegate_payment_request');
    expect(r.records[0].record).toMatchObject({
      kind: 'payment_request',
      settlement_reference: 'csn_01HV3P3XYZ9ABC',
      amount: { value: '20.00', currency: 'USD' },
      scheme: 'upto',
    });
    expect(JSON.stringify(r.records)).not.toMatch(/4242424242424242|"223"/);
    expect(r.records[0].note).toMatch(/carries the card itself/);
  });

  it('the bare delegate_payment response is the vault token, its missing allowance noted', () => {
    const r = classified({
      id: 'vt_01J8Z3WXYZ9ABC',
      created: '2025-09-29T11:00:00Z',
      metadata: { merchant_id: 'acme_store' },
    });
    expect(r.records[0].record).toEqual({
      kind: 'payment_request',
      payment_request_id: 'vt_01J8Z3WXYZ9ABC',
      provider: 'acp',
      provider_id: 'vt_01J8Z3WXYZ9ABC',
      pay_to: 'acme_store',
    });
    expect(r.records[0].note).toMatch(/names no allowance/);
  });

  it('amounts follow the currency minor units (JPY has none) and a Stripe Checkout Session is still Stripe', () => {
    const session = read('acp-checkout-session-completed.json');
    const yen = recordsOf({ ...session, currency: 'jpy' });
    expect(yen[0]).toMatchObject({ amount: { value: '830', currency: 'JPY' } });
    const stripe = classifyJson({
      id: 'cs_test_a1',
      object: 'checkout.session',
      amount_total: 830,
      currency: 'usd',
      status: 'complete',
    });
    expect(stripe.records[0].format).toBe('stripe_checkout_session');
  });
});

/** The records an ACP artifact maps to, as evidence items of the run. */
function fromAcp(prefix: string, value: unknown): EvidenceItem[] {
  return asEvidenceItems(prefix, classified(value));
}

function evaluate(c: CompleteEvidence): Evaluation {
  return evaluateRun({ ...c, exceptions: [], run_id: 'run_acp_001' });
}

/** The vault token of the sample, its allowance for the run's checkout session (and, when given, another maximum). */
function token(maxAmount = 2000, session = 'checkout_session_123'): Record<string, unknown> {
  const t = read('acp-delegated-payment-token.json');
  return { ...t, allowance: { ...(t.allowance as object), checkout_session_id: session, max_amount: maxAmount } };
}

/** The run paid over ACP: the checkout session, its order webhook and the vault token beside the run's other records. */
function acpRun(session = read('acp-checkout-session-completed.json'), vault = token()): CompleteEvidence {
  const c = completeEvidence();
  c.evidence = c.evidence.filter(
    (e) => e.record.kind !== 'payment_request' && e.record.kind !== 'settlement_reference',
  );
  c.evidence.push(
    ...fromAcp('ev_acp_session', session),
    ...fromAcp('ev_acp_webhook', read('acp-webhook-order-create.json')),
    ...fromAcp('ev_acp_token', vault),
  );
  return c;
}

const check = (e: Evaluation, id: string) => e.checks.find((c) => c.check_id === id)!;

describe('an ACP run judged with the rest of its evidence', () => {
  it('a completed checkout, its order webhook and an allowance that covers the total are sufficient, as one settlement', () => {
    const e = evaluate(acpRun());
    expect(e.open_items).toEqual([]);
    expect(e.evidence_status).toBe('sufficient');
    expect(e.links.settlements).toHaveLength(1);
    expect(e.links.settlements[0].reference).toBe('ord_abc123');
    expect(e.links.settlements[0].described).toBe('ord_abc123 = #1001 = chatgpt_txn_abc789 = checkout_session_123');
    expect(check(e, 'payment_request_matches_settlement').status).toBe('pass');
    expect(check(e, 'payment_amount_matches_settlement').status).toBe('pass');
    expect(check(e, 'payment_amount_matches_settlement').detail).toMatch(/8\.30 \(USD\)/);
  });

  it("the operator's own settlement record naming the ACP order is an alias of it", () => {
    const c = acpRun();
    c.evidence.push({
      evidence_id: 'ev_operator_stl',
      kind: 'settlement_reference',
      source: 'form',
      received_at: '2026-06-02T10:00:00.000Z',
      format: 'tokenops',
      record: {
        kind: 'settlement_reference',
        settlement_reference: DEMO.settlement_reference,
        provider: 'acp',
        provider_reference: 'ord_abc123',
        amount: { value: '8.30', currency: 'USD' },
        status: 'settled',
      },
    });
    const e = evaluate(c);
    expect(e.evidence_status).toBe('sufficient');
    expect(e.links.settlements).toHaveLength(1);
    expect(e.links.settlements[0].reference).toBe(DEMO.settlement_reference);
  });

  it('a canceled checkout is a failed settlement: partial, with a settlement_failed ticket naming the status', () => {
    const c = completeEvidence();
    c.evidence = c.evidence.filter(
      (e) => e.record.kind !== 'payment_request' && e.record.kind !== 'settlement_reference',
    );
    c.evidence.push(...fromAcp('ev_acp_session', read('acp-checkout-session-canceled.json')));
    const e = evaluate(c);
    expect(e.evidence_status).toBe('partial');
    expect(e.settlement_failures).toEqual([expect.objectContaining({ reason: 'checkout session canceled' })]);
    expect(e.open_items.join(' ')).toMatch(/failed \(acp: checkout session canceled\)/);
    const ticket = buildExceptionTicket({
      run_id: 'run_acp_001',
      ticket_id: 'exc_acp_1',
      replay_package_id: 'rpl_acp_1',
      now: '2026-06-02T10:00:00.000Z',
      pre_run: c.pre_run,
      files: c.files,
      evaluation: e,
    });
    expect(ticket.exception_type).toBe('settlement_failed');
  });

  it('a delegated allowance smaller than the total is partial and names both amounts', () => {
    const e = evaluate(acpRun(undefined, token(500)));
    expect(e.evidence_status).toBe('partial');
    expect(check(e, 'payment_amount_matches_settlement').status).toBe('fail');
    expect(e.open_items.join(' ')).toMatch(
      /settled 8\.30 \(USD\) but payment request vt_01J8Z3WXYZ9ABC asks 5\.00: more than the maximum the request allows/,
    );
  });

  it("an allowance for another checkout session is not the run's: partial", () => {
    const e = evaluate(acpRun(undefined, token(2000, 'csn_01HV3P3XYZ9ABC')));
    expect(e.evidence_status).toBe('partial');
    expect(check(e, 'payment_request_matches_settlement').status).toBe('fail');
    expect(e.open_items.join(' ')).toMatch(/vt_01J8Z3WXYZ9ABC names settlement csn_01HV3P3XYZ9ABC/);
  });

  it('an order refunded in full after the checkout makes the run partial, still one settlement', () => {
    const refund = {
      type: 'order_update',
      data: {
        type: 'order',
        id: 'ord_abc123',
        checkout_session_id: 'checkout_session_123',
        permalink_url: 'https://www.testshop.com/orders/ord_abc123',
        status: 'completed',
        adjustments: [
          {
            id: 'adj_1',
            type: 'refund',
            occurred_at: '2026-06-03T14:30:00Z',
            status: 'completed',
            amount: 830,
            currency: 'usd',
          },
        ],
        totals: [
          { type: 'total', display_text: 'Total', amount: 830 },
          { type: 'amount_refunded', display_text: 'Refunded', amount: 830 },
        ],
      },
    };
    const c = acpRun();
    c.evidence.push(...fromAcp('ev_acp_refund', refund));
    const e = evaluate(c);
    expect(e.evidence_status).toBe('partial');
    expect(e.links.settlements).toHaveLength(1);
    expect(e.settlement_failures).toEqual([
      expect.objectContaining({ reason: 'order refunded in full (8.30 USD of 8.30 USD)' }),
    ]);
  });
});
