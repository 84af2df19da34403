/**
 * Funding that no longer stands: a credit grant the provider voided (Stripe `voided_at`), or one whose
 * credits expired (`expires_at`) before the run used them. Either way the entitlement is not funded by
 * that entry, which is not a gap to fill but funding to restore: the ticket says `funding_failed`.
 *
 * "Before the run used them" is read from the evidence, never from the clock, so the verdict stays
 * deterministic: the usage receipt's `issued_at`, else the Work Order's `started_at`. With neither, an
 * expiry cannot be judged and is not.
 */
import type { RunContext } from './context';
import { label } from './checks/types';

export interface FundingFailure {
  entry_id: string;
  evidence_id: string;
  /** "Credit grant" or "Credit ledger entry", for the operator's sentence. */
  what: string;
  reason: string;
}

export function fundingFailures(ctx: RunContext): FundingFailure[] {
  const usedAt = usageTime(ctx);
  const out: FundingFailure[] = [];
  for (const h of ctx.of('credit_ledger_entry')) {
    const r = h.record;
    const id = label(r.entry_id, h.evidence_id);
    const what = r.entry_type === 'grant' ? 'Credit grant' : 'Credit ledger entry';
    if (r.status === 'voided') {
      out.push({ entry_id: id, evidence_id: h.evidence_id, what, reason: r.status_reason ?? 'voided by the provider' });
    } else if (r.expires_at && usedAt && Date.parse(r.expires_at) < Date.parse(usedAt.at)) {
      out.push({
        entry_id: id,
        evidence_id: h.evidence_id,
        what,
        reason: `expired at ${r.expires_at}, before the run's usage (${usedAt.what} ${usedAt.at})`,
      });
    }
  }
  return out;
}

function usageTime(ctx: RunContext): { at: string; what: string } | undefined {
  const issued = ctx
    .of('usage_receipt')
    .map((h) => h.record.issued_at)
    .find((t) => t && !Number.isNaN(Date.parse(t)));
  if (issued) return { at: issued, what: 'receipt issued' };
  const started = ctx
    .of('work_order')
    .map((h) => h.record.started_at)
    .find((t) => t && !Number.isNaN(Date.parse(t)));
  return started ? { at: started, what: 'Work Order started' } : undefined;
}
