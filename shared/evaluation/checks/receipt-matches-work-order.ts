/** (c) A usage receipt that names a work order must name the run's Work Order. */
import type { RunContext } from '../context';
import { nonEmpty } from '../context';
import { type CheckOutcome, type Issue, fail, label, list, notApplicable, pass, plural } from './types';

const ID = 'receipt_matches_work_order';

export function checkReceiptMatchesWorkOrder(ctx: RunContext): CheckOutcome {
  const orders = ctx.work_order_ids;
  const naming = ctx
    .of('usage_receipt')
    .map((h) => ({ id: label(h.record.receipt_id, h.evidence_id), names: nonEmpty(h.record.work_order_id) }))
    .filter((r): r is { id: string; names: string } => r.names !== null);
  if (orders.length === 0) return notApplicable(ID, 'No Work Order received yet, so no usage receipt can be matched to it.');
  if (naming.length === 0) return notApplicable(ID, 'No usage receipt names a work order.');

  const issues: Issue[] = [];
  for (const r of naming) {
    if (orders.includes(r.names)) continue;
    const runs = orders.length === 1 ? `the run's Work Order is ${orders[0]}` : `the run's Work Orders are ${list(orders)}`;
    issues.push({
      open_item: `Usage receipt ${r.id} names work order ${r.names}, but ${runs}.`,
      action: `Correct usage receipt ${r.id} to name work order ${orders.length === 1 ? orders[0] : `one of ${list(orders)}`} (it names ${r.names}), or supply the Work Order ${r.names}.`,
    });
  }
  if (issues.length) return fail(ID, issues);
  if (orders.length > 1) return notApplicable(ID, `The run holds several Work Orders (${list(orders)}); keep one before receipts can be matched.`);
  const ids = naming.map((r) => r.id);
  return pass(ID, `${plural(ids.length, 'Usage receipt', 'Usage receipts')} ${list(ids)} ${plural(ids.length, 'names', 'name')} work order ${orders[0]}, the run's Work Order.`);
}
