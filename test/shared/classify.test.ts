import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyJson, minorUnitsToDecimal, parseEvidenceText, type ClassifyResult } from '../../shared/classify';
import type { EvidenceRecord } from '../../shared/domain/evidence';
import { isTokenOpsError } from '../../shared/errors';
import { validate } from '../../shared/validate';

const SAMPLES = join(__dirname, '..', '..', 'resources', 'samples', 'providers');

function sample(name: string): ClassifyResult {
  const text = readFileSync(join(SAMPLES, name), 'utf8');
  return classifyJson(parseEvidenceText(text, name), { fileName: name });
}

/** Every record a classification yields must satisfy the published evidence-record schema. */
function expectValid(result: ClassifyResult): void {
  for (const r of result.records)
    expect(validate('evidence_record', r.record), JSON.stringify(r.record)).toEqual({ ok: true });
}

function only(result: ClassifyResult): { record: EvidenceRecord; format: string; note?: string } {
  expect(result.unrecognised).toBeNull();
  expect(result.records).toHaveLength(1);
  expectValid(result);
  return result.records[0];
}

describe('x402', () => {
  it('v1 PaymentRequired -> payment_request', () => {
    const r = only(sample('x402-v1-payment-required.json'));
    expect(r.format).toBe('x402_v1_payment_required');
    expect(r.record).toMatchObject({
      kind: 'payment_request',
      provider: 'x402',
      amount: { value: '250000', currency: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' },
      network: 'base-sepolia',
      scheme: 'exact',
      resource: 'https://agents.example.test/tokenops/result-package',
    });
    expect(r.record.kind === 'payment_request' && r.record.pay_to).toMatch(/^0x[0-9a-fA-F]{40}$/);
  });

  it('v1 PaymentPayload -> payment_request with the same id as the requirements it answers', () => {
    const required = only(sample('x402-v1-payment-required.json')).record;
    const r = only(sample('x402-v1-payment-payload.json'));
    expect(r.format).toBe('x402_v1_payment_payload');
    expect(r.record.kind).toBe('payment_request');
    if (r.record.kind !== 'payment_request' || required.kind !== 'payment_request') return;
    expect(r.record.payment_request_id).toBe(required.payment_request_id);
    expect(r.record.provider_id).toMatch(/^0x[0-9a-f]{64}$/); // the EIP-3009 nonce
    expect(r.record.amount).toBeUndefined(); // v1 payloads name no asset
  });

  it('v2 PaymentRequired -> payment_request from the first option, the others noted', () => {
    const r = only(sample('x402-v2-payment-required.json'));
    expect(r.format).toBe('x402_v2_payment_required');
    expect(r.record).toMatchObject({ kind: 'payment_request', network: 'eip155:84532', amount: { value: '250000' } });
    expect(r.record).toMatchObject({ resource: 'https://agents.example.test/tokenops/result-package' });
    expect(r.note).toMatch(/2 payment options/);
  });

  it('v2 PaymentPayload -> payment_request lined up with v2 PaymentRequired; payment-identifier as provider_id', () => {
    const required = only(sample('x402-v2-payment-required.json')).record;
    const r = only(sample('x402-v2-payment-payload.json'));
    expect(r.format).toBe('x402_v2_payment_payload');
    expect(r.record).toMatchObject({ kind: 'payment_request', provider_id: 'pay_tokenops_demo_0000000000000001' });
    expect((r.record as { payment_request_id: string }).payment_request_id).toBe(
      (required as { payment_request_id: string }).payment_request_id,
    );
  });

  it('settlement response -> settlement_reference = transaction hash', () => {
    const r = only(sample('x402-settlement-response.json'));
    expect(r.format).toBe('x402_settlement_response');
    expect(r.record).toMatchObject({
      kind: 'settlement_reference',
      provider: 'x402',
      network: 'eip155:84532',
      status: 'settled',
    });
    if (r.record.kind !== 'settlement_reference') return;
    expect(r.record.settlement_reference).toMatch(/^0x[0-9a-f]{64}$/);
    expect(r.record.transaction).toBe(r.record.settlement_reference);
  });

  it('a facilitator /settle request body -> payment_request from its requirements', () => {
    const payload = JSON.parse(readFileSync(join(SAMPLES, 'x402-v1-payment-payload.json'), 'utf8'));
    const required = JSON.parse(readFileSync(join(SAMPLES, 'x402-v1-payment-required.json'), 'utf8'));
    const r = only(classifyJson({ x402Version: 1, paymentPayload: payload, paymentRequirements: required.accepts[0] }));
    expect(r.format).toBe('x402_v1_facilitator_request');
    expect(r.record).toMatchObject({
      kind: 'payment_request',
      amount: { value: '250000' },
      provider_id: payload.payload.authorization.nonce,
    });
  });

  it('a failed settlement is a failed settlement record with the provider reason, not a missing one', () => {
    const r = only(
      classifyJson({ success: false, errorReason: 'insufficient_funds', transaction: '', network: 'eip155:84532' }),
    );
    expect(r.record).toMatchObject({
      kind: 'settlement_reference',
      status: 'failed',
      status_reason: 'insufficient_funds',
      network: 'eip155:84532',
    });
    expect(r.note).toMatch(/failed: insufficient_funds/);
  });

  it('decodes a base64 PAYMENT-RESPONSE header value pasted alone, with or without the header name', () => {
    const line = readFileSync(join(SAMPLES, 'x402-payment-response-header.txt'), 'utf8');
    const direct = only(sample('x402-settlement-response.json')).record;
    const withName = only(classifyJson(parseEvidenceText(line, 'pasted text')));
    expect(withName.format).toBe('x402_settlement_response');
    expect(withName.record).toEqual(direct);
    const bare = line.split(':')[1].trim();
    expect(only(classifyJson(parseEvidenceText(bare))).record).toEqual(direct);
    // base64url (no padding) works too, as some servers send it.
    const url = bare.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(only(classifyJson(parseEvidenceText(`X-PAYMENT-RESPONSE: ${url}`))).record).toEqual(direct);
  });
});

describe('AP2', () => {
  it('CartMandate -> payment_request (details.id, total amount, merchant)', () => {
    const r = only(sample('ap2-cart-mandate.json'));
    expect(r.format).toBe('ap2_cart_mandate');
    expect(r.record).toEqual({
      kind: 'payment_request',
      payment_request_id: 'order_tokenops_demo_001',
      provider: 'ap2',
      provider_id: 'cart_tokenops_demo_001',
      amount: { value: '12.5', currency: 'USD' },
      pay_to: 'TokenOps Demo Merchant',
      scheme: 'CARD',
    });
  });

  it('PaymentMandate -> payment_request with the same id as the cart', () => {
    const r = only(sample('ap2-payment-mandate.json'));
    expect(r.format).toBe('ap2_payment_mandate');
    expect(r.record).toMatchObject({
      kind: 'payment_request',
      payment_request_id: 'order_tokenops_demo_001',
      provider_id: 'pm_tokenops_demo_001',
      amount: { value: '12.5', currency: 'USD' },
      scheme: 'CARD',
    });
  });

  it('PaymentReceipt -> settlement_reference', () => {
    const r = only(sample('ap2-payment-receipt.json'));
    expect(r.format).toBe('ap2_payment_receipt');
    expect(r.record).toMatchObject({
      kind: 'settlement_reference',
      settlement_reference: 'pay_ap2_tokenops_demo_001',
      provider_reference: 'pm_tokenops_demo_001',
      invoice_token: 'conf_tokenops_demo_001',
      transaction: 'net_demo_55120',
      status: 'settled',
      settled_at: '2026-06-02T10:06:00Z',
    });
  });

  it('a failed PaymentReceipt is a failed settlement reference with the reason noted', () => {
    const receipt = JSON.parse(readFileSync(join(SAMPLES, 'ap2-payment-receipt.json'), 'utf8'));
    const r = only(classifyJson({ ...receipt, payment_status: { failure_message: 'card declined' } }));
    expect(r.record).toMatchObject({ kind: 'settlement_reference', status: 'failed' });
    expect(r.record).not.toHaveProperty('settled_at');
    expect(r.note).toMatch(/card declined/);
  });

  it('IntentMandate is recognised but yields no record, with the reason', () => {
    const r = sample('ap2-intent-mandate.json');
    expect(r.records).toHaveLength(0);
    expect(r.unrecognised).toMatch(/AP2 IntentMandate/);
    expect(r.unrecognised).toMatch(/not a Work Order/);
  });

  it('reads a mandate under its A2A data key', () => {
    const cart = JSON.parse(readFileSync(join(SAMPLES, 'ap2-cart-mandate.json'), 'utf8'));
    const r = only(classifyJson({ 'ap2.mandates.CartMandate': cart }));
    expect(r.format).toBe('ap2_cart_mandate');
  });
});

describe('Stripe', () => {
  it('billing.credit_grant -> credit_ledger_entry grant; entitlement from metadata', () => {
    const r = only(sample('stripe-credit-grant.json'));
    expect(r.format).toBe('stripe_billing_credit_grant');
    expect(r.record).toEqual({
      kind: 'credit_ledger_entry',
      entry_id: 'credgr_test_61TokenOpsDemoGrant0001',
      credit_entitlement_id: 'cred_demo_tokenops_001',
      entry_type: 'grant',
      grant_id: 'credgr_test_61TokenOpsDemoGrant0001',
      // Stripe billing credits are monetary: 1000 (minor units) is 10.00 USD of funding, never 1000 credits.
      funding: { value: '10.00', currency: 'USD' },
      provider: 'stripe',
      provider_reference: 'cus_TokenOpsDemo001',
      customer: 'cus_TokenOpsDemo001',
      recorded_at: '2026-06-02T08:00:00.000Z',
    });
    expect(r.record).not.toHaveProperty('credits');
    expect(r.note).toMatch(/10\.00 USD of funding \(not credits\)/);
  });

  it('credit grant without metadata uses the grant id as the entitlement', () => {
    const grant = JSON.parse(readFileSync(join(SAMPLES, 'stripe-credit-grant.json'), 'utf8'));
    const r = only(classifyJson({ ...grant, metadata: {} }));
    expect(r.record).toMatchObject({ credit_entitlement_id: grant.id });
  });

  it('billing.credit_balance_transaction debit -> credit_ledger_entry debit, linked to its invoice', () => {
    const r = only(sample('stripe-credit-balance-transaction.json'));
    expect(r.format).toBe('stripe_billing_credit_balance_transaction');
    expect(r.record).toMatchObject({
      kind: 'credit_ledger_entry',
      entry_id: 'cbtxn_test_61TokenOpsDemoDebit0001',
      credit_entitlement_id: 'credgr_test_61TokenOpsDemoGrant0001',
      entry_type: 'debit',
      funding: { value: '1.00', currency: 'USD' },
      grant_id: 'credgr_test_61TokenOpsDemoGrant0001',
      provider_reference: 'in_1TokenOpsDemoInv0001',
    });
    expect(r.record).not.toHaveProperty('credits');
    // Stripe does not state a debit's remaining balance: none is invented.
    expect(r.record).not.toHaveProperty('balance');
    expect(r.note).toMatch(/does not state the remaining balance/);
  });

  it('billing.credit_balance_summary -> credit_ledger_entry balance', () => {
    const r = only(sample('stripe-credit-balance-summary.json'));
    expect(r.record).toMatchObject({
      kind: 'credit_ledger_entry',
      entry_type: 'balance',
      funding: { value: '9.00', currency: 'USD' },
      credit_entitlement_id: 'cus_TokenOpsDemo001',
    });
    expect(r.record).not.toHaveProperty('balance');
  });

  it('billing.meter_event -> credit_ledger_entry debit (a metered debit)', () => {
    const r = only(sample('stripe-meter-event.json'));
    expect(r.format).toBe('stripe_billing_meter_event');
    expect(r.record).toMatchObject({
      kind: 'credit_ledger_entry',
      entry_id: 'mev_tokenops_demo_run_0001',
      credit_entitlement_id: 'cus_TokenOpsDemo001',
      entry_type: 'debit',
      credits: 1,
      provider_reference: 'tokenops_result_package',
    });
  });

  it('payment_intent -> payment_request with decimal amount and the settlement reference from metadata', () => {
    const r = only(sample('stripe-payment-intent.json'));
    expect(r.format).toBe('stripe_payment_intent');
    expect(r.record).toEqual({
      kind: 'payment_request',
      payment_request_id: 'pi_3TokenOpsDemo0001',
      settlement_reference: 'stl_demo_20260602_001',
      provider: 'stripe',
      provider_id: 'pi_3TokenOpsDemo0001',
      amount: { value: '12.50', currency: 'USD' },
    });
  });

  it('invoice -> settlement_reference (zero-decimal currency kept whole)', () => {
    const r = only(sample('stripe-invoice.json'));
    expect(r.format).toBe('stripe_invoice');
    expect(r.record).toEqual({
      kind: 'settlement_reference',
      settlement_reference: 'TOKDEMO-0001',
      provider: 'stripe',
      provider_reference: 'in_1TokenOpsDemoInv0001',
      invoice_token: 'TOKDEMO-0001',
      amount: { value: '1500', currency: 'JPY' },
      status: 'settled',
      settled_at: '2026-06-02T08:13:20.000Z',
    });
    expect(JSON.stringify(r.record)).not.toContain('hosted'); // a capability URL is not copied
  });

  it('event wrapping a payment_intent -> webhook_event AND payment_request', () => {
    const r = sample('stripe-event-payment-intent-succeeded.json');
    expect(r.unrecognised).toBeNull();
    expectValid(r);
    expect(r.records.map((x) => [x.record.kind, x.format])).toEqual([
      ['webhook_event', 'stripe_event'],
      ['payment_request', 'stripe_payment_intent'],
    ]);
    expect(r.records[0].record).toEqual({
      kind: 'webhook_event',
      event_id: 'evt_3TokenOpsDemo0001',
      event_type: 'payment_intent.succeeded',
      provider: 'stripe',
      created_at: '2026-06-02T08:05:10.000Z',
      refers_to: ['pi_3TokenOpsDemo0001', 'ch_3TokenOpsDemo0001'],
    });
  });

  it('a list object is read item by item', () => {
    const pi = JSON.parse(readFileSync(join(SAMPLES, 'stripe-payment-intent.json'), 'utf8'));
    const inv = JSON.parse(readFileSync(join(SAMPLES, 'stripe-invoice.json'), 'utf8'));
    const r = classifyJson({ object: 'list', data: [pi, inv], has_more: false, url: '/v1/payment_intents' });
    expect(r.records.map((x) => x.record.kind)).toEqual(['payment_request', 'settlement_reference']);
  });

  it('an unmapped Stripe object is named', () => {
    const r = classifyJson({ id: 'po_3TokenOpsDemo0001', object: 'payout', amount: 1250, livemode: false });
    expect(r.records).toHaveLength(0);
    expect(r.unrecognised).toMatch(/Stripe payout object po_3TokenOpsDemo0001 is not mapped/);
  });

  it('minor units -> decimal string with the currency exponent', () => {
    expect(minorUnitsToDecimal(1250, 'usd')).toBe('12.50');
    expect(minorUnitsToDecimal(5, 'eur')).toBe('0.05');
    expect(minorUnitsToDecimal(1500, 'jpy')).toBe('1500');
    expect(minorUnitsToDecimal(1234, 'kwd')).toBe('1.234');
    expect(minorUnitsToDecimal(-250, 'usd')).toBe('-2.50');
    expect(minorUnitsToDecimal('900719925474099312', 'usd')).toBe('9007199254740993.12');
    expect(minorUnitsToDecimal(12.5, 'usd')).toBeUndefined();
  });
});

describe('TokenOps shapes', () => {
  it('seed usage receipt -> usage_receipt', () => {
    const r = only(sample('tokenops-usage-receipt.json'));
    expect(r.format).toBe('tokenops_usage_receipt');
    expect(r.record).toEqual({
      kind: 'usage_receipt',
      receipt_id: 'usage_demo_20260602_001',
      credits_debited: 1,
      remaining_credits: 9,
    });
  });

  it('trust, quote, credit -> pre_run, not evidence', () => {
    const r = sample('tokenops-pre-run.json');
    expect(r.records).toHaveLength(0);
    expect(r.unrecognised).toBeNull();
    expect(r.pre_run).toEqual({
      trust_profile_id: 'trust_demo_agent_001',
      quote_id: 'quote_demo_tokenops_001',
      credit_entitlement_id: 'cred_demo_tokenops_001',
      requested_tool: 'tokenops',
      requested_capability: 'tokenops_result_package',
    });
  });

  it('our records in a { records } wrapper, each kept with format tokenops', () => {
    const r = sample('tokenops-records.json');
    expect(r.unrecognised).toBeNull();
    expectValid(r);
    expect(r.records.map((x) => [x.record.kind, x.format])).toEqual([
      ['settlement_reference', 'tokenops'],
      ['work_order', 'tokenops'],
      ['credit_ledger_entry', 'tokenops'],
    ]);
  });

  it('an array mixing records and junk keeps the records and names the junk', () => {
    const r = classifyJson([
      { kind: 'settlement_reference', settlement_reference: 'stl_1', extra_field: 1 },
      { hello: 'world' },
      42,
    ]);
    expect(r.records).toHaveLength(1);
    expect(r.records[0].record).toEqual({ kind: 'settlement_reference', settlement_reference: 'stl_1' }); // unknown fields dropped (strict schema)
    expect(r.records[0].note).toMatch(/stay only in the original: extra_field/);
    expect(r.unrecognised).toMatch(/item 2: JSON object with keys hello matches no known evidence shape/);
    expect(r.unrecognised).toMatch(/item 3: JSON number is not an evidence object/);
  });

  it('a record with kind but missing fields says which', () => {
    const r = classifyJson({ kind: 'usage_receipt', receipt_id: 'r1', credits_debited: 'one' });
    expect(r.records).toHaveLength(0);
    expect(r.unrecognised).toMatch(/credits_debited \(must be a whole number/);
    expect(r.unrecognised).toMatch(/remaining_credits \(missing\)/);
  });

  it('fields without kind are read as the best-fitting record; the file name breaks ties', () => {
    const settlement = classifyJson(
      { settlement_reference: 'stl_demo_20260602_001', provider: 'stripe' },
      { fileName: 'x.json' },
    );
    expect(settlement.records[0]).toMatchObject({
      format: 'tokenops_settlement_reference',
      record: { kind: 'settlement_reference' },
    });
    const payment = classifyJson({
      payment_request_id: 'preq_1',
      settlement_reference: 'stl_1',
      amount: { value: '1', currency: 'USD' },
    });
    expect(payment.records[0].record.kind).toBe('payment_request');
    // {receipt_id, credits_debited, remaining_credits, work_order_id}: usage receipt, never a settlement reference.
    const receipt = classifyJson({ receipt_id: 'r1', credits_debited: 1, remaining_credits: 2, work_order_id: 'wo' });
    expect(receipt.records[0].record.kind).toBe('usage_receipt');
    // Two fields of a webhook and two of an asset context: a tie, so the file name decides.
    const tie = { event_id: 'e1', event_type: 'minted', asset_id: 'a1', asset_type: 'bond' };
    expect(classifyJson(tie, { fileName: 'provider-webhook.json' }).records[0].record.kind).toBe('webhook_event');
    expect(classifyJson(tie, { fileName: 'asset-context.json' }).records[0].record.kind).toBe('digital_asset_context');
  });

  it('result package: an output, not evidence, named with what it points at', () => {
    const r = sample('tokenops-result-package.json');
    expect(r.records).toHaveLength(0);
    expect(r.unrecognised).toMatch(/result package: an output of a run, not evidence/);
    expect(r.unrecognised).toMatch(/stl_demo_20260602_001/);
  });
});

describe('unrecognised and malformed input', () => {
  it('unknown JSON gives a reason in words, never throws', () => {
    const r = classifyJson({ a: 1, b: 2, c: 3 });
    expect(r).toEqual({ records: [], unrecognised: 'JSON object with keys a, b, c matches no known evidence shape' });
    expect(classifyJson(null).unrecognised).toBe('JSON null is not an evidence object');
    expect(classifyJson([]).unrecognised).toMatch(/empty/);
    expect(classifyJson({ x402Version: 9, accepts: [] }).unrecognised).toMatch(/only versions 1 and 2/);
  });

  it('is deterministic', () => {
    const text = readFileSync(join(SAMPLES, 'x402-v2-payment-required.json'), 'utf8');
    expect(classifyJson(JSON.parse(text))).toEqual(classifyJson(JSON.parse(text)));
  });

  it('malformed JSON -> input_invalid with file name, line and column', () => {
    const text = '{\n  "kind": "settlement_reference",\n  "settlement_reference": }\n';
    let err: unknown;
    try {
      parseEvidenceText(text, 'stl.json');
    } catch (e) {
      err = e;
    }
    expect(isTokenOpsError(err)).toBe(true);
    if (!isTokenOpsError(err)) return;
    expect(err.code).toBe('input_invalid');
    expect(err.message).toMatch(/^stl\.json is not valid JSON at line 3, column 27/);
    expect(err.details).toMatchObject({ file: 'stl.json', line: 3, column: 27 });
  });

  it('locates other common mistakes', () => {
    const cases: Array<[string, number, number]> = [
      ['{"a": 1,}', 1, 9], // trailing comma
      ['[1, 2', 1, 6], // unterminated array
      ['{"a": "b"}\n{"c": 1}', 2, 1], // two documents
      ['{\n\t"a": tru\n}', 2, 7], // bad literal
    ];
    for (const [text, line, column] of cases) {
      try {
        parseEvidenceText(text, 'f.json');
        expect.fail(`should not parse: ${text}`);
      } catch (e) {
        expect((e as { details: unknown }).details, text).toMatchObject({ line, column });
      }
    }
  });

  it('empty text and a bad header value are input_invalid', () => {
    expect(() => parseEvidenceText('  \n', 'empty.json')).toThrow(/empty\.json is empty/);
    expect(() => parseEvidenceText('PAYMENT-RESPONSE: !!!', 'h.txt')).toThrow(/not base64-encoded JSON/);
  });
});
