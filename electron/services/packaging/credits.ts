import type { Run } from '../../../shared/domain/run';
import { recordsOf } from '../../../shared/builders/evidence-view';
import { TokenOpsError } from '../../../shared/errors';
import type { CreditLedger } from '../ledger';

export interface CreditPlan {
  entitlementId: string;
  /** Credits this run debits: the usage receipt's `credits_debited`. */
  debit: number;
  /** What funds the entitlement in our ledger, each idempotent by its key. */
  grants: Array<{ credits: number; key: string; source: string }>;
}

/**
 * Reads what the run's evidence says about credits. A `grant` entry funds the entitlement by its credits
 * (key = the entry id, so the same grant seen by many runs counts once). A balance/account/debit record is a
 * snapshot, not money in: it opens the entitlement once with that balance and never adds to it again.
 */
export function creditsForRun(run: Run): CreditPlan {
  const entries = recordsOf(run.evidence, run.files, 'credit_ledger_entry');
  const receipt = recordsOf(run.evidence, run.files, 'usage_receipt')[0];
  const entitlementId =
    run.pre_run.credit_entitlement_id ?? receipt?.credit_entitlement_id ?? entries[0]?.credit_entitlement_id;
  if (!entitlementId)
    throw new TokenOpsError(
      'insufficient_evidence',
      `Run ${run.run_id} names no credit entitlement: set one on the run or add a credit ledger entry.`,
    );
  const mine = entries.filter((e) => e.credit_entitlement_id === entitlementId);
  // A grant funds once, keyed by the provider grant it is (a Stripe grant and its own `credits_granted`
  // transaction are one grant); a monetary grant states money, not credits, so it funds no credits here.
  const seen = new Set<string>();
  const grants: CreditPlan['grants'] = [];
  for (const e of mine) {
    if (e.entry_type !== 'grant' || typeof e.credits !== 'number') continue;
    const key = `grant:${entitlementId}:${e.grant_id ?? e.entry_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    grants.push({ credits: e.credits, key, source: `credit_ledger_entry ${e.entry_id}` });
  }
  const snapshot = mine.find((e) => e.entry_type !== 'grant' && e.balance !== undefined);
  if (!grants.length && snapshot?.balance !== undefined) {
    grants.push({
      credits: snapshot.balance,
      key: `opening:${entitlementId}`,
      source: `opening balance from ${snapshot.entry_type} ${snapshot.entry_id}`,
    });
  }
  return { entitlementId, debit: receipt?.credits_debited ?? 1, grants };
}

export async function ensureGranted(ledger: CreditLedger, plan: CreditPlan): Promise<void> {
  for (const g of plan.grants) {
    // An opening balance opens the entitlement once; a later run's snapshot (9 after one debit) is not new money.
    if (
      g.key.startsWith('opening:') &&
      (await ledger.entries()).some(
        (l) => l.entry.type === 'grant' && l.entry.credit_entitlement_id === plan.entitlementId,
      )
    )
      continue;
    await ledger.grant(plan.entitlementId, g.credits, g.key, g.source);
  }
}
