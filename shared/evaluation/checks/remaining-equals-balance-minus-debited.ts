/**
 * (e) Credits add up: a receipt's remaining credits equal the ledger balance it debits from minus the
 * credits debited, and are never negative. The balance is taken from the ledger entries of the
 * receipt's credit entitlement (or the run's); the receipt passes when one of them adds up.
 */
import type { CreditLedgerEntryRecord } from '../../domain/evidence';
import type { Held, RunContext } from '../context';
import { nonEmpty } from '../context';
import { type CheckOutcome, type Issue, label, list, notApplicable, passOrFail } from './types';

const ID = 'remaining_equals_balance_minus_debited';

/** Credits are whole numbers in practice; the tolerance only absorbs binary-fraction noise. */
const EPSILON = 1e-9;

export function checkRemainingEqualsBalanceMinusDebited(ctx: RunContext): CheckOutcome {
  const receipts = ctx.of('usage_receipt');
  const entries = ctx.of('credit_ledger_entry');
  if (receipts.length === 0)
    return notApplicable(ID, 'No usage receipt received yet, so there are no remaining credits to check.');
  if (entries.length === 0)
    return notApplicable(
      ID,
      'No credit ledger entry received yet, so there is no balance to check remaining credits against.',
    );

  const issues: Issue[] = [];
  const passed: string[] = [];
  for (const r of receipts) {
    const id = label(r.record.receipt_id, r.evidence_id);
    const debited = r.record.credits_debited;
    const remaining = r.record.remaining_credits;
    if (!isCount(debited) || !isCount(remaining)) {
      issues.push({
        open_item: `Usage receipt ${id} gives credits debited ${String(debited)} and remaining credits ${String(remaining)}; both must be numbers of zero or more.`,
        action: `Correct usage receipt ${id} so credits debited and remaining credits are numbers of zero or more.`,
      });
      continue;
    }
    const candidates = ledgerFor(r.record.credit_entitlement_id, ctx, entries);
    const withBalance = candidates.filter(hasBalance);
    if (withBalance.length === 0) {
      const ids = candidates.map((e) => label(e.record.entry_id, e.evidence_id));
      issues.push({
        open_item: `Credit ledger ${ids.length > 1 ? 'entries' : 'entry'} ${list(ids)} give${ids.length > 1 ? '' : 's'} no usable balance, so usage receipt ${id}'s remaining credits (${remaining}) cannot be checked.`,
        action: `Supply the credit ledger entry (with its balance) that usage receipt ${id} debits from.`,
      });
      continue;
    }
    const matching = withBalance.find((e) => Math.abs(e.record.balance - debited - remaining) < EPSILON);
    const entry = matching ?? withBalance[0];
    const entryId = label(entry.record.entry_id, entry.evidence_id);
    const expected = entry.record.balance - debited;
    if (expected < -EPSILON) {
      issues.push({
        open_item: `Usage receipt ${id} debits ${debited} credits from a balance of ${entry.record.balance} (ledger entry ${entryId}): remaining credits would be ${round(expected)}, and remaining credits are never negative.`,
        action: `Supply a credit ledger entry with enough balance for usage receipt ${id} (it debits ${debited}, the balance of ${entryId} is ${entry.record.balance}), or correct the receipt.`,
      });
    } else if (!matching) {
      issues.push({
        open_item: `Usage receipt ${id} says ${remaining} credits remain, but ledger entry ${entryId} balance ${entry.record.balance} − ${debited} debited = ${round(expected)}.`,
        action: `Correct usage receipt ${id}: remaining credits should be ${round(expected)} (balance ${entry.record.balance} − ${debited} debited), not ${remaining}; or supply the ledger entry it debits from.`,
      });
    } else passed.push(`${id}: ${entry.record.balance} − ${debited} = ${remaining}`);
  }
  return passOrFail(ID, issues, `Remaining credits add up (${passed.join('; ')}).`);
}

/** Ledger entries of the receipt's entitlement, else of the run's, else all of them. */
function ledgerFor(
  receiptEntitlement: unknown,
  ctx: RunContext,
  entries: ReadonlyArray<Held<CreditLedgerEntryRecord>>,
) {
  const wanted = nonEmpty(receiptEntitlement) ?? (ctx.entitlements.ids.length === 1 ? ctx.entitlements.ids[0] : null);
  const same = wanted ? entries.filter((e) => e.record.credit_entitlement_id === wanted) : [];
  return same.length ? same : entries;
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/** Print arithmetic results without binary noise (10 − 0.1 − … ), still exact for whole credits. */
function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

/** Entries whose source stated a balance; debits and meter events usually do not, and no balance is guessed. */
function hasBalance(e: Held<CreditLedgerEntryRecord>): e is Held<CreditLedgerEntryRecord & { balance: number }> {
  return isCount(e.record.balance);
}
