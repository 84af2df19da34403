/**
 * AP2 v0.2 signs its mandates as SD-JWT (the mandate in the disclosures, not the issuer payload) and may
 * sign receipts as JWT: those are evidence, not secrets. Any other JWT (a bearer token) stays a secret,
 * also when it sits beside a mandate or carries a disclosure no digest of its own names.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../electron/services/intake/secret-scan';

const CORPUS = join(import.meta.dirname, '..', 'corpus', 'ap2-v0.2');
const corpus = (file: string) => readFileSync(join(CORPUS, file), 'utf8');
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const sig = b64('signature-bytes-long-enough-for-a-jwt');
const jwt = (payload: unknown) => `${b64({ alg: 'ES256', typ: 'kb+sd-jwt' })}.${b64(payload)}.${sig}`;
const BEARER = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'agent-7', scope: 'payments:write' })}.${sig}`;

describe('AP2 v0.2 signed evidence is not a secret', () => {
  it.each(['ap2-checkout-mandate.sdjwt', 'ap2-payment-mandate.json', 'ap2-checkout-receipt.jwt'])('%s', async (f) => {
    expect(await scanText(f, corpus(f))).toEqual([]);
  });
});

describe('bearer JWTs stay secrets', () => {
  it('in an Authorization header', async () => {
    const findings = await scanText('h.txt', `Authorization: Bearer ${BEARER}\n`);
    expect(findings.map((f) => f.rule)).toContain('tokenops/jwt');
  });

  it('as a hop chained before a real mandate', async () => {
    const chain = corpus('ap2-checkout-mandate.sdjwt').trim();
    const findings = await scanText('chain.sdjwt', `${BEARER}~~${chain.split('~~')[1]}\n`);
    expect(findings.map((f) => f.rule)).toEqual(['tokenops/jwt']);
  });

  it('followed by a mandate disclosure its payload does not name', async () => {
    const stray = b64(['salt', { vct: 'mandate.payment.1', transaction_id: 'x' }]);
    const findings = await scanText('t.txt', `${BEARER}~${stray}~\n`);
    expect(findings.map((f) => f.rule)).toContain('tokenops/jwt');
  });

  it('a checkout-shaped JWT outside a checkout_jwt claim', async () => {
    const token = jwt({ id: 'chk_1', line_items: [], currency: 'USD' });
    const findings = await scanText('t.json', `{"access_token": "${token}"}\n`);
    expect(findings.map((f) => f.rule)).toContain('tokenops/jwt');
  });

  it('a mandate whose disclosure is named by its digest is exempt; the same claims unnamed are not', async () => {
    const d = b64(['salt', { vct: 'mandate.payment.1', transaction_id: 'x' }]);
    const named = jwt({ delegate_payload: [{ '...': createHash('sha256').update(d).digest('base64url') }] });
    expect(await scanText('m.txt', `${named}~${d}~\n`)).toEqual([]);
    const unnamed = jwt({ delegate_payload: [{ '...': 'another-digest' }] });
    expect((await scanText('m.txt', `${unnamed}~${d}~\n`)).map((f) => f.rule)).toContain('tokenops/jwt');
  });
});
