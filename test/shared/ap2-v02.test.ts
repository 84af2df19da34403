/** AP2 v0.2: SD-JWT mandates (decoding, disclosures, chains), payment and checkout receipts, malformed input. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyJson } from '../../shared/classify';
import { classifyAp2SdJwt, decodeSdJwt, sha256B64url } from '../../shared/classify/ap2-v02';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const corpus = (set: string, file: string) => readFileSync(join(CORPUS, set, file), 'utf8');
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const digest = (s: string) => createHash('sha256').update(s).digest('base64url');
const jwt = (payload: unknown, header: unknown = { alg: 'ES256', typ: 'kb+sd-jwt' }) =>
  `${b64(header)}.${b64(payload)}.${b64('not-a-real-signature')}`;

/** The corpus' checkout hash and closed-mandate references (test/corpus/ap2-v0.2, built after the spec's examples). */
const CHECKOUT_HASH = 'WQ7ftFiicpnzfqM2ubNTfxiNpzyDUHHq8Y3UAvihOmA';
const PAYMENT_REFERENCE = 'uaJambihbXerpyZMBwd3E8BoqWx62oo2NM9SOIW8tPE';
const CHECKOUT_REFERENCE = '2wAAU4TPL6FZxpRHPEyV1fiiDpg1-KBFJhJpk4JiLwc';

describe('SD-JWT decoding', () => {
  it('base64url SHA-256 matches node:crypto', () => {
    for (const s of ['', 'a', 'WyJzYWx0IiwgImEiLCAxXQ', 'x'.repeat(1000)]) expect(sha256B64url(s)).toBe(digest(s));
  });

  it('puts object-property and array-element disclosures back where their digests are named', () => {
    const prop = b64(['salt-1', 'checkout_hash', 'abc']);
    const item = b64(['salt-2', { id: 'merchant_1', name: 'Demo Merchant' }]);
    const stray = b64(['salt-3', 'vct', 'mandate.payment.1']);
    const payload = {
      _sd: [digest(prop)],
      _sd_alg: 'sha-256',
      allowed: [{ '...': digest(item) }, { '...': 'undisclosed' }],
    };
    const d = decodeSdJwt(`${jwt(payload)}~${prop}~${item}~${stray}~`);
    if (!('hops' in d)) throw new Error(d.problem);
    expect(d.hops).toHaveLength(1);
    expect(d.hops[0].claims).toEqual({ checkout_hash: 'abc', allowed: [{ id: 'merchant_1', name: 'Demo Merchant' }] });
    expect(d.hops[0].disclosures.map((x) => x.name)).toEqual(['checkout_hash', undefined, 'vct']);
    // A disclosure no digest names is not part of the signed claims.
    expect(d.hops[0].unreferenced).toBe(1);
  });

  it('reads a `~~` chain hop by hop, with a trailing KB-JWT', () => {
    const d = decodeSdJwt(
      `${jwt({ a: 1 })}~~${jwt({ b: 2 })}~${jwt({ nonce: 'n', aud: 'merchant' }, { alg: 'ES256', typ: 'kb+jwt' })}`,
    );
    if (!('hops' in d)) throw new Error(d.problem);
    expect(d.hops.map((h) => h.claims)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(d.hops[1].kb?.payload).toEqual({ nonce: 'n', aud: 'merchant' });
  });

  it.each([
    ['empty text', '   ', /empty/],
    ['not a token', 'hello world', /not a compact JWT or SD-JWT/],
    ['two parts', 'eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ', /3 dot-separated parts/],
    ['header not JSON', `${b64('nope')}.${b64({ a: 1 })}.sig`, /not a JOSE header/],
    ['payload not base64url JSON', `${b64({ alg: 'ES256' })}.%%%.sig`, /not a compact JWT/],
    ['payload an array', `${b64({ alg: 'ES256' })}.${b64([1])}.sig`, /payload is not base64url-encoded JSON object/],
    ['bad disclosure', `${jwt({ a: 1 })}~${b64({ not: 'an array' })}~`, /disclosure 1: .*\[salt, name, value\]/],
    ['empty disclosure', `${jwt({ a: 1 })}~~~x`, /hop 2: .*3 dot-separated parts|empty/],
    ['unsupported _sd_alg', `${jwt({ _sd_alg: 'md5' })}~${b64(['s', 'a', 1])}~`, /_sd_alg md5 is not supported/],
  ])('%s gives a reason, not a crash', (_name, text, reason) => {
    const d = decodeSdJwt(text);
    expect('problem' in d && d.problem).toMatch(reason);
    const c = classifyAp2SdJwt(text);
    expect(c.records).toEqual([]);
    expect(c.unrecognised).toMatch(/^Not a readable JWT \/ SD-JWT: /);
  });
});

describe('AP2 v0.2 mandates', () => {
  it('a closed checkout mandate chained after its open mandate: one payment request from the Checkout JWT', () => {
    const c = classifyAp2SdJwt(corpus('ap2-v0.2', 'ap2-checkout-mandate.sdjwt'));
    expect(c.unrecognised).toBeNull();
    expect(c.records).toHaveLength(1);
    expect(c.records[0].format).toBe('ap2_v0.2/checkout_mandate_sd_jwt');
    expect(c.records[0].record).toEqual({
      kind: 'payment_request',
      payment_request_id: CHECKOUT_HASH,
      provider: 'ap2',
      provider_id: CHECKOUT_REFERENCE,
      amount: { value: '12.50', currency: 'USD' },
      pay_to: 'merchant_tokenops_demo',
    });
    expect(c.records[0].note).toMatch(/signature not verified/);
    expect(c.records[0].note).toMatch(/checkout chk_tokenops_demo_001/);
    expect(c.records[0].note).not.toMatch(/checkout_hash is not/);
  });

  it('a closed payment mandate in an A2A data part lines up with the checkout by transaction_id', () => {
    const c = classifyJson(JSON.parse(corpus('ap2-v0.2', 'ap2-payment-mandate.json')));
    expect(c.unrecognised).toBeNull();
    expect(c.records.map((r) => [r.format, r.record])).toEqual([
      [
        'ap2_v0.2/payment_mandate_sd_jwt',
        {
          kind: 'payment_request',
          payment_request_id: CHECKOUT_HASH,
          provider: 'ap2',
          provider_id: PAYMENT_REFERENCE,
          amount: { value: '12.50', currency: 'USD' },
          pay_to: 'merchant_tokenops_demo',
          scheme: 'card',
        },
      ],
    ]);
  });

  it('an open mandate alone is named, not turned into a record', () => {
    const chain = corpus('ap2-v0.2', 'ap2-checkout-mandate.sdjwt').trim();
    const c = classifyAp2SdJwt(`${chain.split('~~')[0]}~`);
    expect(c.records).toEqual([]);
    expect(c.unrecognised).toMatch(/open checkout Mandate \(mandate\.checkout\.open\.1\)/);
  });

  it('an unknown mandate version and a JWT of other claims are unrecognised with the reason', () => {
    const item = b64(['s', { vct: 'mandate.payment.7', transaction_id: 't' }]);
    expect(classifyAp2SdJwt(`${jwt({ delegate_payload: [{ '...': digest(item) }] })}~${item}~`).unrecognised).toMatch(
      /version 7 is not known/,
    );
    expect(classifyAp2SdJwt(jwt({ sub: 'agent-7', scope: 'payments:write' })).unrecognised).toMatch(
      /claims \(sub, scope\) hold no AP2 v0\.2 mandate/,
    );
  });

  it('a checkout mandate whose checkout_hash is not the hash of its checkout_jwt says so', () => {
    const checkout = jwt({ id: 'chk_1', currency: 'USD', totals: [{ type: 'total', amount: 500 }] }, { alg: 'ES256' });
    const cj = b64(['s1', 'checkout_jwt', checkout]);
    const m = b64(['s2', { _sd: [digest(cj)], vct: 'mandate.checkout.1', checkout_hash: 'not-the-hash' }]);
    const c = classifyAp2SdJwt(`${jwt({ delegate_payload: [{ '...': digest(m) }] })}~${m}~${cj}~`);
    expect(c.records[0].record).toMatchObject({ payment_request_id: 'not-the-hash', amount: { value: '5.00' } });
    expect(c.records[0].note).toMatch(/checkout_hash is not the SHA-256 of the disclosed checkout_jwt/);
  });

  it('a mandate SD-JWT field holding garbage is unrecognised, not a crash', () => {
    const c = classifyJson({ 'ap2.mandates.CheckoutMandateSdJwt': 'eyJ-not-a-token' });
    expect(c.records).toEqual([]);
    expect(c.unrecognised).toMatch(/^Not a readable JWT \/ SD-JWT/);
  });
});

describe('AP2 v0.2 receipts', () => {
  const receipt = JSON.parse(corpus('ap2-v0.2', 'ap2-payment-receipt.json'))['ap2.PaymentReceipt'];

  it('a successful payment receipt (under the A2A key v0.1 uses too) is a settled settlement naming its mandate', () => {
    const c = classifyJson({ 'ap2.PaymentReceipt': receipt });
    expect(c.records.map((r) => [r.format, r.record])).toEqual([
      [
        'ap2_v0.2/payment_receipt',
        {
          kind: 'settlement_reference',
          settlement_reference: 'pay_ap2v02_tokenops_demo_001',
          provider: 'ap2',
          provider_reference: PAYMENT_REFERENCE,
          transaction: 'net_demo_55120',
          status: 'settled',
          settled_at: '2026-06-02T10:06:00.000Z',
        },
      ],
    ]);
  });

  it('an Error payment receipt is a failed settlement with the error as reason', () => {
    const c = classifyJson({
      ...receipt,
      status: 'Error',
      error: 'insufficient_funds',
      error_description: 'Declined.',
    });
    expect(c.records[0].record).toMatchObject({ status: 'failed', status_reason: 'insufficient_funds: Declined.' });
    expect(c.records[0].record).not.toHaveProperty('settled_at');
    expect(c.records[0].note).toMatch(/payment did not succeed: insufficient_funds: Declined\./);
  });

  it('a checkout receipt JWT is read; an Error checkout receipt (no order) is failed under its reference', () => {
    const ok = classifyAp2SdJwt(corpus('ap2-v0.2', 'ap2-checkout-receipt.jwt'));
    expect(ok.records[0].format).toBe('ap2_v0.2/checkout_receipt_jwt');
    expect(ok.records[0].record).toMatchObject({
      settlement_reference: 'order_tokenops_demo_001',
      provider_reference: CHECKOUT_REFERENCE,
      status: 'settled',
    });
    const failed = classifyJson({
      status: 'Error',
      iss: 'm',
      iat: 1,
      reference: 'ref_1',
      error: 'out_of_stock',
      error_description: 'Gone.',
    });
    expect(failed.records[0].record).toMatchObject({
      settlement_reference: 'ref_1',
      provider_reference: 'ref_1',
      status: 'failed',
      status_reason: 'out_of_stock: Gone.',
    });
  });

  it('v0.1 receipts are still read by the v0.1 mapper', () => {
    const c = classifyJson(JSON.parse(corpus('ap2-v0.1', 'ap2-payment-receipt.json')));
    expect(c.records[0].format).toBe('ap2_payment_receipt');
  });
});
