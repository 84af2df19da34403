/**
 * (d) A usage receipt that names a credit entitlement must name the run's: the pre-run's when set,
 * else the one the ledger entries name. Comparing with the pre-run first keeps this check independent
 * of (b): a wrong ledger entry fails (b) alone.
 */
import type { RunContext } from '../context';
import { nonEmpty } from '../context';
import { type CheckOutcome, type Issue, fail, label, list, notApplicable, pass, plural } from './types';

const ID = 'receipt_matches_entitlement';

export function checkReceiptMatchesEntitlement(ctx: RunContext): CheckOutcome {
  const { ids: run, source } = ctx.entitlements;
  const naming = ctx
    .of('usage_receipt')
    .map((h) => ({ id: label(h.record.receipt_id, h.evidence_id), names: nonEmpty(h.record.credit_entitlement_id) }))
    .filter((r): r is { id: string; names: string } => r.names !== null);
  if (run.length === 0)
    return notApplicable(
      ID,
      "The run's credit entitlement is not known yet: set it on the run or add a credit ledger entry.",
    );
  if (naming.length === 0) return notApplicable(ID, 'No usage receipt names a credit entitlement.');

  const whose = source === 'pre_run' ? "the run's credit entitlement" : "the credit ledger entry's credit entitlement";
  const issues: Issue[] = [];
  for (const r of naming) {
    if (run.includes(r.names)) continue;
    issues.push({
      open_item:
        run.length === 1
          ? `Usage receipt ${r.id} is for credit entitlement ${r.names}, but ${whose} is ${run[0]}.`
          : `Usage receipt ${r.id} is for credit entitlement ${r.names}, which is none of the ledger's credit entitlements (${list(run)}).`,
      action: `Supply a usage receipt tied to credit entitlement ${run.length === 1 ? run[0] : `one of ${list(run)}`} in place of ${r.id} (it is for ${r.names}).`,
    });
  }
  if (issues.length) return fail(ID, issues);
  if (run.length > 1)
    return notApplicable(
      ID,
      `The ledger entries name several credit entitlements (${list(run)}); set the run's credit entitlement before receipts can be matched.`,
    );
  const ids = naming.map((r) => r.id);
  return pass(
    ID,
    `${plural(ids.length, 'Usage receipt', 'Usage receipts')} ${list(ids)} ${plural(ids.length, 'is', 'are')} for credit entitlement ${run[0]}, ${whose}.`,
  );
}
