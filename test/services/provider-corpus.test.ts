/**
 * Real provider evidence, through the real intake (test/corpus/, each file's source in its README): every
 * complete set packs as sufficient with the right credits left on the issued usage receipt, and every
 * single planted defect gives a partial verdict whose open items name that defect.
 */
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
  it.each(['x402-v2', 'x402-v1', 'ap2-v0.1', 'stripe-credits', 'acp', 'csv-ledger'])(
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
