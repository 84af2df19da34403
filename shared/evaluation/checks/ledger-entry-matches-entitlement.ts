/** (b) Credit ledger entries must be for the credit entitlement the run was opened with. */
import type { RunContext } from '../context';
import { nonEmpty } from '../context';
import { type CheckOutcome, type Issue, label, list, notApplicable, passOrFail, plural } from './types';

const ID = 'ledger_entry_matches_entitlement';

export function checkLedgerEntryMatchesEntitlement(ctx: RunContext): CheckOutcome {
  const wanted = nonEmpty(ctx.pre_run.credit_entitlement_id);
  const entries = ctx.of('credit_ledger_entry');
  if (!wanted) return notApplicable(ID, 'The run sets no credit entitlement, so ledger entries have nothing to match.');
  if (entries.length === 0) return notApplicable(ID, `No credit ledger entry received yet for credit entitlement ${wanted}.`);

  const issues: Issue[] = [];
  for (const e of entries) {
    const id = label(e.record.entry_id, e.evidence_id);
    const has = nonEmpty(e.record.credit_entitlement_id);
    if (has === wanted) continue;
    issues.push({
      open_item: has
        ? `Credit ledger entry ${id} is for credit entitlement ${has}, but the run's credit entitlement is ${wanted}.`
        : `Credit ledger entry ${id} names no credit entitlement, but the run's credit entitlement is ${wanted}.`,
      action: `Replace credit ledger entry ${id} with one for credit entitlement ${wanted}${has ? ` (it is for ${has})` : ''}, or correct the run's credit entitlement.`,
    });
  }
  const ids = entries.map((e) => label(e.record.entry_id, e.evidence_id));
  return passOrFail(
    ID,
    issues,
    `${plural(ids.length, 'Credit ledger entry', 'Credit ledger entries')} ${list(ids)} ${plural(ids.length, 'is', 'are')} for credit entitlement ${wanted}, the run's.`,
  );
}
