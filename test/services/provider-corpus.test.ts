/**
 * Real provider evidence, through the real intake (test/corpus/, each file's source in its README): every
 * complete set packs as sufficient with the right credits left on the issued usage receipt, and every
 * single planted defect gives a partial verdict whose open items name that defect.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTokenOps } from '../../electron/services/tokenops';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

type Json = Record<string, any>;
async function editJson(file: string, change: (d: Json) => void): Promise<void> {
  const d = JSON.parse(await readFile(file, 'utf8')) as Json;
  change(d);
  await writeFile(file, JSON.stringify(d, null, 2));
}

/**
 * Rewrites the closed mandate (last `~~` hop) of an AP2 v0.2 SD-JWT chain: its disclosure changed and the
 * issuer payload's digest updated so the disclosure is still the signed claim. The signature no longer
 * matches; TokenOps does not verify signatures offline, so the change reads as a mandate for other terms.
 */
function editClosedMandate(chain: string, change: (m: Json) => void): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const hops = chain.split('~~');
  const [issuer, disclosure, ...rest] = hops[hops.length - 1].split('~');
  const decoded = JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8')) as [string, Json];
  change(decoded[1]);
  const raw = b64(decoded);
  const [header, payload, sig] = issuer.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
  claims.delegate_payload = [{ '...': createHash('sha256').update(raw).digest('base64url') }];
  hops[hops.length - 1] = [`${header}.${b64(claims)}.${sig}`, raw, ...rest].join('~');
  return hops.join('~~');
}

/** Rewrites the base64 JSON x402 header `name` of HAR entry `entry` (1-based), request or response side. */
async function editHarHeader(
  file: string,
  entry: number,
  side: 'request' | 'response',
  name: string,
  change: (message: Json) => void,
): Promise<void> {
  await editJson(file, (har) => {
    const header = (har.log.entries[entry - 1][side].headers as Json[]).find((h) => h.name === name)!;
    const message = JSON.parse(Buffer.from(header.value, 'base64').toString('utf8')) as Json;
    change(message);
    header.value = Buffer.from(JSON.stringify(message)).toString('base64');
  });
}

/** Packs a copy of a corpus folder (after `plant` changed it) in a fresh data folder. */
async function packSet(set: string, plant?: (dir: string) => Promise<void>) {
  const dir = await temp(`tokenops-corpus-${set}-`);
  await cp(join(CORPUS, set), dir, { recursive: true });
  await plant?.(dir);
  const t = await openTokenOps({ home: await temp('tokenops-corpus-home-') });
  try {
    const r = await t.pack({ dir, out: join(await temp('tokenops-corpus-out-'), 'b.zip') });
    const said = [...r.blockers, ...(r.exception_ticket?.missing_items ?? [])].join('\n');
    return { r, said };
  } finally {
    await t.close();
  }
}

describe('complete provider sets are sufficient', () => {
  it.each(['x402-v2', 'x402-v1', 'x402-har', 'ap2-v0.1', 'ap2-v0.2', 'stripe-credits', 'acp', 'csv-ledger'])(
    '%s packs, debits one credit and leaves 9',
    async (set) => {
      const { r, said } = await packSet(set);
      expect(said).toBe('');
      expect(r.evidence_status).toBe('sufficient');
      expect(r.packaged).toBe(true);
      expect(r.usage_receipt?.remaining_credits).toBe(9);
      expect(r.credits).toEqual({ debited: 1, already_debited: false, remaining: 9 });
    },
  );
});

const DEFECTS: Array<{
  defect: string;
  set: string;
  plant: (dir: string) => Promise<void>;
  named: RegExp;
  type?: string;
}> = [
  {
    defect: 'x402 payment short of the required amount',
    set: 'x402-v2',
    plant: (d) => editJson(join(d, 'payment-required.json'), (j) => (j.accepts[0].amount = '12000000')),
    named: /x402 payment records for one payee disagree: .* for 12000000 .* for 10000000|for 10000000 .* for 12000000/,
  },
  {
    defect: 'failed x402 settlement',
    set: 'x402-v2',
    plant: (d) =>
      editJson(join(d, 'x402-payment-response.json'), (j) => {
        j.success = false;
        j.errorReason = 'insufficient_funds';
      }),
    named: /failed \(x402: insufficient_funds\)/,
    type: 'settlement_failed',
  },
  {
    defect: 'x402 settled amount short (HTTP archive)',
    set: 'x402-har',
    plant: (d) =>
      editHarHeader(join(d, 'agent-session.har'), 3, 'response', 'PAYMENT-RESPONSE', (m) => (m.amount = '9000000')),
    named:
      /settled 9000000 \(atomic units of 0x036CbD53842c5426634e7929541eC2318f3dCF7e\) but payment request x402_\w+ asks 10000000: the settlement is short/,
  },
  {
    defect: 'failed x402 settlement (HTTP archive)',
    set: 'x402-har',
    plant: (d) =>
      editHarHeader(join(d, 'agent-session.har'), 3, 'response', 'PAYMENT-RESPONSE', (m) => {
        m.success = false;
        m.errorReason = 'insufficient_funds';
        m.transaction = '';
        delete m.amount;
      }),
    named: /failed \(x402: insufficient_funds\)/,
    type: 'settlement_failed',
  },
  {
    defect: 'usage receipt for another Work Order',
    set: 'x402-v2',
    plant: (d) => editJson(join(d, 'tokenops-demo-usage-receipt.json'), (j) => (j.work_order_id = 'wo_other_001')),
    named: /names work order wo_other_001, but the run's Work Order is wo_demo_20260602_001/,
  },
  {
    defect: 'ledger entry of another entitlement',
    set: 'csv-ledger',
    plant: async (d) => {
      const f = join(d, 'credit-ledger-export.csv');
      await writeFile(f, (await readFile(f, 'utf8')).replace('cred_demo_tokenops_001', 'cred_other_001'));
    },
    named: /is for credit entitlement cred_other_001, but the run's credit entitlement is cred_demo_tokenops_001/,
  },
  {
    defect: 'wrong remaining credits on the receipt',
    set: 'x402-v1',
    plant: (d) => editJson(join(d, 'tokenops-demo-usage-receipt.json'), (j) => (j.remaining_credits = 8)),
    named: /says 8 credits remain, but .* balance 10 − 1 debited = 9/,
  },
  {
    defect: "AP2 receipt amount differs from the mandate's total",
    set: 'ap2-v0.1',
    plant: (d) => editJson(join(d, 'ap2-payment-receipt.json'), (j) => (j.amount.value = 10.0)),
    named: /settled 10 \(USD\) but payment request order_tokenops_demo_001 asks 12\.5: the settlement is short/,
  },
  {
    defect: 'AP2 receipt for another payment mandate',
    set: 'ap2-v0.1',
    plant: (d) => editJson(join(d, 'ap2-payment-receipt.json'), (j) => (j.payment_mandate_id = 'pm_someone_else_009')),
    named: /pays payment mandate pm_someone_else_009, but the run's payment mandate is .*pm_tokenops_demo_001/,
  },
  {
    defect: 'AP2 v0.2 payment mandate signed for less than the checkout total',
    set: 'ap2-v0.2',
    plant: (d) =>
      editJson(join(d, 'ap2-payment-mandate.json'), (j) => {
        const data = j.parts[1].data;
        data['ap2.mandates.PaymentMandateSdJwt'] = editClosedMandate(data['ap2.mandates.PaymentMandateSdJwt'], (m) => {
          m.payment_amount.amount = 1000;
        });
      }),
    named: /but payment request \S+ asks 10\.00: the settlement is more than requested/,
  },
  {
    defect: "AP2 v0.2 settled amount differs from the mandate's total",
    set: 'ap2-v0.2',
    plant: (d) => editJson(join(d, 'settlement-record.json'), (j) => (j.amount.value = '10.00')),
    named: /settled 10\.00 \(USD\) but payment request \S+ asks 12\.50: the settlement is short/,
  },
  {
    defect: 'AP2 v0.2 receipt for another payment mandate',
    set: 'ap2-v0.2',
    plant: (d) =>
      editJson(
        join(d, 'ap2-payment-receipt.json'),
        (j) => (j['ap2.PaymentReceipt'].reference = 'someone_elses_mandate_ref'),
      ),
    named:
      /pays payment mandate someone_elses_mandate_ref, but the run's payment mandate is .*uaJambihbXerpyZMBwd3E8BoqWx62oo2NM9SOIW8tPE/,
  },
  {
    defect: 'AP2 v0.2 failed payment receipt',
    set: 'ap2-v0.2',
    plant: (d) =>
      editJson(join(d, 'ap2-payment-receipt.json'), (j) => {
        const r = j['ap2.PaymentReceipt'];
        r.status = 'Error';
        r.error = 'insufficient_funds';
        r.error_description = 'The card was declined.';
        delete r.psp_confirmation_id;
        delete r.network_confirmation_id;
      }),
    named: /failed \(ap2: insufficient_funds: The card was declined\.\)/,
    type: 'settlement_failed',
  },
  {
    defect: 'ACP delegated allowance smaller than the checkout total',
    set: 'acp',
    plant: (d) => editJson(join(d, 'acp-delegated-payment-token.json'), (j) => (j.allowance.max_amount = 500)),
    named: /settled 8\.30 \(USD\) but payment request vt_01J8Z3WXYZ9ABC asks 5\.00: more than the maximum/,
  },
  {
    defect: 'ACP checkout canceled',
    set: 'acp',
    plant: async (d) => {
      await editJson(join(d, 'acp-checkout-session-completed.json'), (j) => (j.status = 'canceled'));
      await rm(join(d, 'acp-webhook-order-create.json'));
    },
    named: /checkout session canceled/,
    type: 'settlement_failed',
  },
  {
    defect: 'Stripe credit grant voided',
    set: 'stripe-credits',
    // 2026-06-02T09:10:00Z, after the grant took effect and before the run's usage.
    plant: (d) => editJson(join(d, 'stripe-credit-grant.json'), (j) => (j.voided_at = 1780391400)),
    named:
      /Credit grant credgr_test_61TokenOpsDemoGrant0001 no longer funds the run: Stripe voided the grant at 2026-06-02T09:10:00\.000Z/,
    type: 'funding_failed',
  },
  {
    defect: 'Stripe credit grant expired before the usage',
    set: 'stripe-credits',
    // Expires 2026-06-02T09:00:00Z; the usage receipt was issued at 09:40.
    plant: (d) => editJson(join(d, 'stripe-credit-grant.json'), (j) => (j.expires_at = 1780390800)),
    named:
      /no longer funds the run: expired at 2026-06-02T09:00:00\.000Z, before the run's usage \(receipt issued 2026-06-02T09:40:00Z\)/,
    type: 'funding_failed',
  },
  {
    defect: "Stripe credit grant for another entitlement, named by the operator's ledger entry",
    set: 'stripe-credits',
    plant: (d) =>
      editJson(join(d, 'stripe-credit-grant.json'), (j) => (j.metadata.credit_entitlement_id = 'cred_other_001')),
    named:
      /Credit ledger entry credgr_test_61TokenOpsDemoGrant0001 is for credit entitlement cred_other_001, but the run's credit entitlement is cred_demo_tokenops_001/,
  },
  {
    defect: 'file manifest hash mismatch',
    set: 'x402-v2',
    plant: (d) =>
      writeFile(
        join(d, 'file-manifest.json'),
        JSON.stringify({
          kind: 'files',
          manifest_id: 'fm_demo_001',
          files: [
            { name: 'tokenops-demo-deliverable.md', size: 166, sha256: '0'.repeat(64), media_type: 'text/markdown' },
          ],
        }),
      ),
    named: /lists tokenops-demo-deliverable\.md with SHA-256 0{64}.*but the run's file .* has SHA-256 [0-9a-f]{64}/,
  },
];

describe('funding that expires after the usage still funds it', () => {
  it('a Stripe grant expiring after the receipt was issued leaves the set sufficient', async () => {
    // Expires 2026-06-02T10:00:00Z; the usage receipt was issued at 09:40.
    const { r, said } = await packSet('stripe-credits', (d) =>
      editJson(join(d, 'stripe-credit-grant.json'), (j) => (j.expires_at = 1780394400)),
    );
    expect(said).toBe('');
    expect(r.evidence_status).toBe('sufficient');
    expect(r.usage_receipt?.remaining_credits).toBe(9);
  });
});

describe('each planted defect is partial and named', () => {
  it.each(DEFECTS.map((d) => [d.defect, d] as const))('%s', async (_name, d) => {
    const { r, said } = await packSet(d.set, d.plant);
    expect(r.evidence_status).toBe('partial');
    expect(r.packaged).toBe(false);
    expect(r.usage_receipt, 'nothing was debited').toBeNull();
    expect(said).toMatch(d.named);
    if (d.type) expect(r.exception_ticket?.exception_type).toBe(d.type);
  });
});

describe('an HTTP archive with credentials', () => {
  it('is blocked as a secret, and the credential appears nowhere in the pack result', async () => {
    // Assembled at run time so this file does not itself read as a leak to scanners.
    const token = ['tk', '9f8e7d6c5b4a3928', '1706f5e4d3c2b1a0'].join('_');
    const cookie = ['s3ss', '10n', 'Zx81Qm', '44Lp'].join('');
    const { r, said } = await packSet('x402-har', (d) =>
      editJson(join(d, 'agent-session.har'), (har) => {
        const paid = har.log.entries[2];
        paid.request.headers.push({ name: 'Authorization', value: `Bearer ${token}` });
        paid.request.headers.push({ name: 'Cookie', value: `session=${cookie}` });
      }),
    );
    expect(r.packaged).toBe(false);
    expect(r.usage_receipt).toBeNull();
    expect(said).toMatch(/agent-session\.har/);
    expect(said).toMatch(/secret/i);
    const json = JSON.stringify(r);
    expect(json).not.toContain(token);
    expect(json).not.toContain(cookie);
  });
});
