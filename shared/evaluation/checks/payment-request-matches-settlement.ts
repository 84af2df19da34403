/**
 * (a) A payment request that names a settlement must name the run's settlement (step 1), by its
 * reference or by any alias of the same settlement thread (the provider's transaction hash, invoice…).
 */
import type { RunContext } from '../context';
import { nonEmpty } from '../context';
import { type CheckOutcome, type Issue, label, list, notApplicable, pass, fail, plural } from './types';

const ID = 'payment_request_matches_settlement';

export function checkPaymentRequestMatchesSettlement(ctx: RunContext): CheckOutcome {
  const run = ctx.settlement_references;
  const naming = ctx
    .of('payment_request')
    .map((h) => ({ id: label(h.record.payment_request_id, h.evidence_id), names: nonEmpty(h.record.settlement_reference) }))
    .filter((p): p is { id: string; names: string } => p.names !== null);
  if (run.length === 0) return notApplicable(ID, 'No settlement reference received yet, so no payment request can be matched to it.');
  if (naming.length === 0) return notApplicable(ID, 'No payment request names a settlement reference.');

  const issues: Issue[] = [];
  for (const p of naming) {
    if (ctx.settlement_threads.some((t) => t.aliases.includes(p.names))) continue;
    if (run.length === 1) {
      issues.push({
        open_item: `Payment request ${p.id} names settlement ${p.names}, but the run's settlement reference is ${run[0]}.`,
        action: `Correct payment request ${p.id} to name settlement ${run[0]} (it names ${p.names}), or replace it with the payment request for ${run[0]}.`,
      });
    } else {
      issues.push({
        open_item: `Payment request ${p.id} names settlement ${p.names}, which is none of the run's settlement references (${list(run)}).`,
        action: `Correct payment request ${p.id}: it names settlement ${p.names}, which is none of ${list(run)}.`,
      });
    }
  }
  if (issues.length) return fail(ID, issues);
  const ids = naming.map((p) => p.id);
  // Several step-1 references: each request matches one of them, but which one is the run's is undecided.
  if (run.length > 1) return notApplicable(ID, `The run names several settlement references (${list(run)}); settle step 1 before payment requests can be matched.`);
  return pass(ID, `${plural(ids.length, 'Payment request', 'Payment requests')} ${list(ids)} ${plural(ids.length, 'names', 'name')} settlement ${run[0]}, the run's settlement reference.`);
}
