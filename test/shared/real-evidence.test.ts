/**
 * Provider evidence composed the way an operator holds it: our own records beside the providers' own
 * artifacts (shapes from the x402 spec examples, coinbase/x402 specs/x402-specification-v1.md and -v2.md,
 * and Stripe's billing credit grant / credit balance transaction objects). Each case is one real-world
 * situation that was judged wrong before: a provider alias counted as a second settlement, money read as
 * credits, a grant funded twice, a short or over payment certified, a failed settlement asked for again.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Evaluation } from '../../shared/domain/evaluation';
import type { EvidenceItem, EvidenceRecord } from '../../shared/domain/evidence';
import type { Run } from '../../shared/domain/run';
import { classifyJson } from '../../shared/classify';
import { evaluateRun } from '../../shared/evaluation';
import { commonUnit, compareDecimal } from '../../shared/evaluation/amounts';
import { settlementThreads } from '../../shared/evaluation/settlement-links';
import { buildExceptionTicket } from '../../shared/builders';
import { creditsForRun } from '../../electron/services/packaging/credits';
import { asEvidenceItems, completeEvidence, DEMO, type CompleteEvidence } from '../fixtures/complete-evidence';

const TX = '0x8f3d7a9c2e1b4d6f8a0c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f';
const NETWORK = 'base-sepolia';
const USDC = '0x036CbD53842c5426634e7929541eC2318f3dCF7e';
const PAY_TO = '0x209693Bc6afc0C5328bA36FaF03C514EF312287C';

/** The records a provider artifact maps to, as evidence items of the run. */
function fromProvider(prefix: string, value: unknown): EvidenceItem[] {
  const r = classifyJson(value);
  expect(r.unrecognised, JSON.stringify(value).slice(0, 120)).toBeNull();
  return asEvidenceItems(prefix, r);
}

function evaluate(c: CompleteEvidence): Evaluation {
  return evaluateRun({ ...c, exceptions: [], run_id: 'run_real_001' });
}

function recordOf<K extends EvidenceRecord['kind']>(
  c: CompleteEvidence,
  kind: K,
): Extract<EvidenceRecord, { kind: K }> {
  return c.evidence.find((e) => e.record.kind === kind)!.record as Extract<EvidenceRecord, { kind: K }>;
}

/** The complete run, paid over x402: the operator's settlement record names the transaction as its provider reference. */
function x402Run(
  settled: Record<string, unknown> = {
    success: true,
    transaction: TX,
    network: NETWORK,
    payer: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
  },
): CompleteEvidence {
  const c = completeEvidence();
  const stl = recordOf(c, 'settlement_reference');
  stl.provider = 'x402';
  stl.provider_reference = TX;
  delete stl.amount;
  c.evidence = c.evidence.filter((e) => e.record.kind !== 'payment_request');
  c.evidence.push(
    ...fromProvider('ev_x402_required', {
      x402Version: 1,
      error: 'X-PAYMENT header is required',
      accepts: [
        {
          scheme: 'exact',
          network: NETWORK,
          maxAmountRequired: '10000',
          resource: 'https://api.example.com/premium-data',
          description: 'Access to premium market data',
          mimeType: 'application/json',
          payTo: PAY_TO,
          maxTimeoutSeconds: 60,
          asset: USDC,
          extra: { name: 'USDC', version: '2' },
        },
      ],
    }),
    ...fromProvider('ev_x402_settle', settled),
  );
  return c;
}

describe('one settlement, many names', () => {
  it("an x402 transaction named as the operator's provider reference is an alias, not a second settlement", () => {
    const e = evaluate(x402Run());
    expect(e.steps.find((s) => s.step === 'settlement_reference')!.status).toBe('satisfied');
    expect(e.evidence_status).toBe('sufficient');
    expect(e.links.settlements).toHaveLength(1);
    expect(e.links.settlements[0].reference).toBe(DEMO.settlement_reference);
    expect(e.links.settlements[0].described).toBe(`${DEMO.settlement_reference} = ${TX}`);
  });

  it('a settlement that links to nothing else is still a conflict', () => {
    const c = x402Run();
    recordOf(c, 'settlement_reference').provider_reference = 'pi_unrelated_001';
    const e = evaluate(c);
    expect(e.evidence_status).toBe('partial');
    expect(e.open_items.join(' ')).toMatch(/several different settlement references/);
  });

  it('property: a record that links by any alias never creates a settlement conflict', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9_]{1,12}$/), { minLength: 2, maxLength: 6 }), (ids) => {
        // A chain: record i names id i as its own and id i+1 as its provider reference.
        const held = ids.slice(0, -1).map((id, i) => ({
          evidence_id: `ev_${i}`,
          record: { kind: 'settlement_reference' as const, settlement_reference: id, provider_reference: ids[i + 1] },
        }));
        expect(settlementThreads(held)).toHaveLength(1);
      }),
    );
  });
});

describe('amounts are compared, in their own units', () => {
  it('an x402 settlement short of the required amount (exact scheme) is partial and names both amounts', () => {
    const e = evaluate(x402Run({ success: true, transaction: TX, network: NETWORK, amount: '9000' }));
    expect(e.evidence_status).toBe('partial');
    const check = e.checks.find((c) => c.check_id === 'payment_amount_matches_settlement')!;
    expect(check.status).toBe('fail');
    expect(check.detail).toMatch(/settled 9000 .* asks 10000: the settlement is short/);
  });

  it('the settled amount equal to the required one passes', () => {
    const e = evaluate(x402Run({ success: true, transaction: TX, network: NETWORK, amount: '10000' }));
    expect(e.checks.find((c) => c.check_id === 'payment_amount_matches_settlement')!.status).toBe('pass');
    expect(e.evidence_status).toBe('sufficient');
    expect(e.evidence_score).toBe(100);
  });

  it('a payment request for 12.00 USD against a 10.00 USD settlement is partial', () => {
    const c = completeEvidence();
    recordOf(c, 'payment_request').amount = { value: '12.00', currency: 'USD' };
    const e = evaluate(c);
    expect(e.evidence_status).toBe('partial');
    expect(e.open_items.join(' ')).toMatch(/settled 10\.00 \(USD\) but payment request .* asks 12\.00/);
  });

  it('a settlement on another network than the request is partial', () => {
    const e = evaluate(x402Run({ success: true, transaction: TX, network: 'base' }));
    expect(e.checks.find((c) => c.check_id === 'payment_amount_matches_settlement')!.status).toBe('fail');
  });

  it('property: amounts in different units are never compared as equal', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('USD', 'EUR', 'credits', USDC),
        fc.constantFrom('JPY', 'GBP', 'x402-atomic@base', '0xabc'),
        fc.nat(),
        (a, b, n) => {
          expect(commonUnit({ value: String(n), currency: a }, { value: String(n), currency: b })).toBeNull();
        },
      ),
    );
    expect(compareDecimal('10.00', '10')).toBe(0);
    expect(compareDecimal('9.99', '10')).toBe(-1);
  });
});

describe('a failed settlement is named, with its reason', () => {
  it('x402 success:false makes the run partial with a settlement_failed ticket naming the provider reason', () => {
    const e = evaluate(
      x402Run({
        success: false,
        errorReason: 'insufficient_funds',
        transaction: '',
        network: NETWORK,
        payer: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
      }),
    );
    expect(e.evidence_status).toBe('partial');
    expect(e.settlement_failures).toEqual([expect.objectContaining({ reason: 'insufficient_funds' })]);
    expect(e.open_items.join(' ')).toMatch(/failed \(x402: insufficient_funds\)/);
    const c = x402Run();
    const ticket = buildExceptionTicket({
      run_id: 'run_real_001',
      ticket_id: 'exc_1',
      replay_package_id: 'rpl_1',
      now: '2026-06-02T10:00:00.000Z',
      pre_run: c.pre_run,
      files: c.files,
      evaluation: e,
    });
    expect(ticket.exception_type).toBe('settlement_failed');
  });
});

/** A Stripe billing credit grant as the API returns it (docs.stripe.com/api/billing/credit-grant/object). */
const grant = {
  id: 'credgr_test_61R9mYhDOu5gXlXcG41L',
  object: 'billing.credit_grant',
  amount: { monetary: { currency: 'usd', value: 1000 }, type: 'monetary' },
  applicability_config: { scope: { price_type: 'metered' } },
  category: 'paid',
  created: 1726620803,
  customer: 'cus_QrvQguzkIK8zTj',
  effective_at: 1729297860,
  expires_at: null,
  livemode: false,
  metadata: {},
  name: 'Purchased Credits',
  priority: 50,
  test_clock: null,
  updated: 1726620803,
  voided_at: null,
};

describe('Stripe billing credits are money, not credits', () => {
  function stripeRun(): CompleteEvidence {
    const c = completeEvidence();
    // The operator's ledger says 10 credits and names the Stripe grant that funded them.
    recordOf(c, 'credit_ledger_entry').provider_reference = grant.id;
    c.evidence.push(...fromProvider('ev_stripe_grant', grant));
    return c;
  }

  it('a 1000-cent grant beside a 10-credit ledger: remaining 10 − 1 = 9 passes and the grant shows as 10.00 USD of funding', () => {
    const c = stripeRun();
    const e = evaluate(c);
    expect(e.checks.find((x) => x.check_id === 'remaining_equals_balance_minus_debited')!.status).toBe('pass');
    const stripe = c.evidence.find((x) => x.evidence_id === 'ev_stripe_grant_0')!.record;
    expect(stripe).toMatchObject({ funding: { value: '10.00', currency: 'USD' } });
    expect(stripe).not.toHaveProperty('credits');
  });

  it('the monetary grant funds no credits in the debit plan (9 left, not 1009)', () => {
    const c = stripeRun();
    // The grant's entitlement is the grant id; the run's entitlement is the operator's, so only its 10 credits fund.
    const run = { run_id: 'run_real_001', pre_run: c.pre_run, evidence: c.evidence, files: c.files } as unknown as Run;
    const plan = creditsForRun(run);
    expect(plan.grants.reduce((s, g) => s + g.credits, 0)).toBe(DEMO.balance);
  });

  it('a grant and its own credits_granted transaction fund once', () => {
    const c = completeEvidence();
    const cpuGrant = {
      ...grant,
      amount: { custom_pricing_unit: { id: 'cpu_tokens', value: '10' }, type: 'custom_pricing_unit' },
      metadata: { credit_entitlement_id: DEMO.credit_entitlement_id },
    };
    c.evidence = c.evidence.filter((x) => x.record.kind !== 'credit_ledger_entry');
    c.evidence.push(
      ...fromProvider('ev_grant', cpuGrant),
      ...fromProvider('ev_granted_tx', {
        id: 'cbtxn_test_61R9mYhDOu5gXlXcG41M',
        object: 'billing.credit_balance_transaction',
        created: 1726620803,
        credit: {
          amount: { custom_pricing_unit: { id: 'cpu_tokens', value: '10' }, type: 'custom_pricing_unit' },
          type: 'credits_granted',
        },
        credit_grant: { ...cpuGrant },
        debit: null,
        effective_at: 1729297860,
        livemode: false,
        test_clock: null,
        type: 'credit',
      }),
    );
    const run = { run_id: 'run_real_001', pre_run: c.pre_run, evidence: c.evidence, files: c.files } as unknown as Run;
    expect(creditsForRun(run).grants).toEqual([expect.objectContaining({ credits: 10 })]);
  });
});

describe('a JSON record with a repeated key is ambiguous', () => {
  it('is refused with the key and where its second occurrence is, instead of the last value silently winning', async () => {
    const { parseEvidenceText } = await import('../../shared/classify');
    const text = '{\n  "success": true,\n  "transaction": "0xabc",\n  "network": "base",\n  "success": false\n}';
    expect(() => parseEvidenceText(text, 'settle.json')).toThrow(
      /settle\.json names the key "success" twice in one object \(second at line 5, column 3\)/,
    );
  });

  it('tells apart the same name in different objects, escaped names, and names inside strings', async () => {
    const { findDuplicateKey } = await import('../../shared/classify/duplicate-keys');
    expect(findDuplicateKey('{"a":{"id":1},"b":{"id":2},"c":[{"id":3},{"id":4}]}')).toBeNull();
    expect(findDuplicateKey('{"note":"\\"id\\":1, \\"id\\":2","id":1}')).toBeNull();
    expect(findDuplicateKey('{"st\\u0061tus":"a","status":"b"}')).toMatchObject({ key: 'status' });
    expect(findDuplicateKey('[{"x":1,"y":{"z":1,"z":2}}]')).toMatchObject({ key: 'z' });
  });
});

describe("AP2: the receipt pays the run's mandate, for its total", () => {
  // Shapes from google-agentic-commerce/AP2 src/ap2/types/mandate.py and payment_receipt.py (v0.1).
  const mandate = {
    payment_mandate_contents: {
      payment_mandate_id: 'pm_3f9a1c',
      payment_details_id: 'order_shoes_123',
      payment_details_total: {
        label: 'Total',
        amount: { currency: 'USD', value: 120.0 },
        pending: null,
        refund_period: 30,
      },
      payment_response: {
        request_id: 'order_shoes_123',
        method_name: 'CARD',
        details: { token: { value: 'tok_public_safe_ref', url: 'https://cp.example/token' } },
        shipping_address: null,
        payer_email: 'buyer@example.com',
      },
      merchant_agent: 'merchant_agent_shoes',
      timestamp: '2026-06-02T08:58:00Z',
    },
    user_authorization: 'eyJhbGciOiJFUzI1NksifQ.eyJjYXJ0IjoiaGFzaCJ9.c2ln',
  };
  const receipt = (over: Record<string, unknown> = {}) => ({
    payment_mandate_id: 'pm_3f9a1c',
    timestamp: '2026-06-02T09:00:05Z',
    payment_id: 'pay_8e2d41',
    amount: { currency: 'USD', value: 120.0 },
    payment_status: {
      merchant_confirmation_id: 'conf_77a0',
      psp_confirmation_id: 'psp_1b2c',
      network_confirmation_id: null,
    },
    payment_method_details: null,
    ...over,
  });

  function ap2Run(r: Record<string, unknown>): CompleteEvidence {
    const c = completeEvidence();
    c.evidence = c.evidence.filter(
      (e) => e.record.kind !== 'payment_request' && e.record.kind !== 'settlement_reference',
    );
    c.evidence.push(...fromProvider('ev_ap2_mandate', mandate), ...fromProvider('ev_ap2_receipt', r));
    return c;
  }

  it('a receipt for the mandate and its total is sufficient', () => {
    const e = evaluate(ap2Run(receipt()));
    expect(e.evidence_status).toBe('sufficient');
    expect(e.checks.find((c) => c.check_id === 'payment_request_matches_settlement')!.status).toBe('pass');
    expect(e.checks.find((c) => c.check_id === 'payment_amount_matches_settlement')!.status).toBe('pass');
  });

  it("a receipt whose amount differs from the mandate's total is partial", () => {
    const e = evaluate(ap2Run(receipt({ amount: { currency: 'USD', value: 100.0 } })));
    expect(e.evidence_status).toBe('partial');
    expect(e.open_items.join(' ')).toMatch(/settled 100 \(USD\) but payment request order_shoes_123 asks 120/);
  });

  it('a receipt for another payment mandate is partial and names both mandates', () => {
    const e = evaluate(ap2Run(receipt({ payment_mandate_id: 'pm_other_999' })));
    expect(e.evidence_status).toBe('partial');
    expect(e.open_items.join(' ')).toMatch(
      /pays payment mandate pm_other_999, but the run's payment mandate is pm_3f9a1c/,
    );
  });
});

describe("Stripe records link to the run's entitlement through the grant and the customer", () => {
  const meterEvent = {
    object: 'billing.meter_event',
    created: 1729297900,
    event_name: 'tokenops_result_package',
    identifier: 'mev_run_real_001',
    livemode: false,
    payload: { stripe_customer_id: 'cus_QrvQguzkIK8zTj', value: '1' },
    timestamp: 1729297900,
  };

  function run(linkGrant: boolean): CompleteEvidence {
    const c = completeEvidence();
    if (linkGrant) recordOf(c, 'credit_ledger_entry').provider_reference = grant.id;
    c.evidence.push(...fromProvider('ev_grant', grant), ...fromProvider('ev_meter', meterEvent));
    return c;
  }

  it("the grant the operator's ledger names, and the meter event of that grant's customer, are the run's: sufficient", () => {
    const e = evaluate(run(true));
    const check = e.checks.find((x) => x.check_id === 'ledger_entry_matches_entitlement')!;
    expect(check.status).toBe('pass');
    expect(check.detail).toMatch(
      /Linked to it: credgr_test_61R9mYhDOu5gXlXcG41L \(named as credgr_test_61R9mYhDOu5gXlXcG41L .*\), mev_run_real_001 \((named as|customer) cus_QrvQguzkIK8zTj/,
    );
    expect(e.evidence_status).toBe('sufficient');
  });

  it('a grant nothing of the run names is another entitlement: partial', () => {
    const e = evaluate(run(false));
    expect(e.checks.find((x) => x.check_id === 'ledger_entry_matches_entitlement')!.status).toBe('fail');
    expect(e.evidence_status).toBe('partial');
  });
});

describe('Stripe payments: a PaymentIntent, its charge, and what became of it', () => {
  // Shapes from the Stripe API reference (payment_intents/object, charges/object, refunds/object).
  const pi = {
    id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
    object: 'payment_intent',
    amount: 1000,
    amount_received: 1000,
    currency: 'usd',
    status: 'succeeded',
    latest_charge: 'ch_3MtwBwLkdIwHu7ix2bFkSWcs',
    livemode: false,
    metadata: {},
  };
  const ch = (over: Record<string, unknown> = {}) => ({
    id: 'ch_3MtwBwLkdIwHu7ix2bFkSWcs',
    object: 'charge',
    amount: 1000,
    amount_captured: 1000,
    amount_refunded: 0,
    currency: 'usd',
    created: 1680800504,
    paid: true,
    refunded: false,
    status: 'succeeded',
    payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
    failure_message: null,
    livemode: false,
    metadata: {},
    ...over,
  });

  function stripeRun(...objects: unknown[]): CompleteEvidence {
    const c = completeEvidence();
    c.evidence = c.evidence.filter(
      (e) => e.record.kind !== 'payment_request' && e.record.kind !== 'settlement_reference',
    );
    objects.forEach((o, i) => c.evidence.push(...fromProvider(`ev_stripe_${i}`, o)));
    return c;
  }

  it('a succeeded charge of the PaymentIntent for its amount is sufficient', () => {
    const e = evaluate(stripeRun(pi, ch()));
    expect(e.evidence_status).toBe('sufficient');
    expect(e.checks.find((c) => c.check_id === 'payment_amount_matches_settlement')!.detail).toMatch(/10\.00 \(USD\)/);
  });

  it('a charge for less than the PaymentIntent is partial', () => {
    expect(evaluate(stripeRun(pi, ch({ amount: 800 }))).evidence_status).toBe('partial');
  });

  it('a refund of the charge makes the settlement failed, with a settlement_failed reason', () => {
    const e = evaluate(
      stripeRun(pi, ch(), {
        id: 're_3MtwBwLkdIwHu7ix2h2Pd3pZ',
        object: 'refund',
        amount: 1000,
        currency: 'usd',
        charge: 'ch_3MtwBwLkdIwHu7ix2bFkSWcs',
        payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
        reason: 'requested_by_customer',
        status: 'succeeded',
      }),
    );
    expect(e.evidence_status).toBe('partial');
    expect(e.settlement_failures).toEqual([expect.objectContaining({ reason: 'refunded (requested_by_customer)' })]);
    // The refund links to the charge: still one settlement, now failed, not a second one.
    expect(e.links.settlements).toHaveLength(1);
  });
});

describe('AP2 v0.1 inside A2A messages and artifacts', () => {
  it('reads each DataPart of a message and of a task artifact', () => {
    const message = {
      kind: 'message',
      messageId: 'msg-7f1c',
      role: 'agent',
      contextId: 'ctx-1',
      parts: [
        { kind: 'text', text: 'Here is the payment mandate.' },
        {
          kind: 'data',
          data: {
            'ap2.mandates.PaymentMandate': {
              payment_mandate_contents: {
                payment_mandate_id: 'pm_1',
                payment_details_id: 'order_1',
                payment_details_total: { label: 'Total', amount: { currency: 'USD', value: 12.5 } },
                payment_response: { request_id: 'order_1', method_name: 'CARD' },
                merchant_agent: 'm',
                timestamp: '2026-06-02T09:00:00Z',
              },
            },
          },
        },
      ],
    };
    const task = {
      kind: 'task',
      id: 'task-1',
      contextId: 'ctx-1',
      status: { state: 'completed' },
      artifacts: [
        {
          artifactId: 'art-1',
          parts: [
            {
              kind: 'data',
              data: {
                'ap2.PaymentReceipt': {
                  payment_mandate_id: 'pm_1',
                  payment_id: 'pay_1',
                  amount: { currency: 'USD', value: 12.5 },
                  payment_status: { merchant_confirmation_id: 'c_1' },
                  timestamp: '2026-06-02T09:00:05Z',
                },
              },
            },
          ],
        },
      ],
    };
    expect(classifyJson(message).records.map((r) => r.format)).toEqual(['ap2_payment_mandate']);
    expect(classifyJson(task).records.map((r) => r.format)).toEqual(['ap2_payment_receipt']);
    expect(
      classifyJson({ kind: 'message', messageId: 'm', role: 'user', parts: [{ kind: 'text', text: 'hi' }] })
        .unrecognised,
    ).toMatch(/holds no data part/);
  });
});

describe('a receipt comes after the work it pays for', () => {
  it('a receipt issued before its Work Order started is partial; after it, sufficient', () => {
    const c = completeEvidence();
    recordOf(c, 'work_order').started_at = '2026-06-02T09:30:00Z';
    recordOf(c, 'usage_receipt').issued_at = '2026-06-02T09:20:00Z';
    const early = evaluate(c);
    expect(early.evidence_status).toBe('partial');
    expect(early.open_items.join(' ')).toMatch(
      /was issued at 2026-06-02T09:20:00Z, before work order .* started \(2026-06-02T09:30:00Z\)/,
    );
    recordOf(c, 'usage_receipt').issued_at = '2026-06-02T09:40:00+00:00';
    expect(evaluate(c).evidence_status).toBe('sufficient');
  });
});
