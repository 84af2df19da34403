/**
 * (d) A usage receipt that names a work order must name the run's Work Order, and cannot be issued
 * before that Work Order's task run started (both times stated; RFC 3339 compared as instants).
 */
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
  if (orders.length === 0)
    return notApplicable(ID, 'No Work Order received yet, so no usage receipt can be matched to it.');
  if (naming.length === 0) return notApplicable(ID, 'No usage receipt names a work order.');

  const issues: Issue[] = [];
  for (const r of naming) {
    if (orders.includes(r.names)) continue;
    const runs =
      orders.length === 1 ? `the run's Work Order is ${orders[0]}` : `the run's Work Orders are ${list(orders)}`;
    issues.push({
      open_item: `Usage receipt ${r.id} names work order ${r.names}, but ${runs}.`,
      action: `Correct usage receipt ${r.id} to name work order ${orders.length === 1 ? orders[0] : `one of ${list(orders)}`} (it names ${r.names}), or supply the Work Order ${r.names}.`,
    });
  }
  issues.push(...timingIssues(ctx));
  if (issues.length) return fail(ID, issues);
  if (orders.length > 1)
    return notApplicable(
      ID,
      `The run holds several Work Orders (${list(orders)}); keep one before receipts can be matched.`,
    );
  const ids = naming.map((r) => r.id);
  return pass(
    ID,
    `${plural(ids.length, 'Usage receipt', 'Usage receipts')} ${list(ids)} ${plural(ids.length, 'names', 'name')} work order ${orders[0]}, the run's Work Order.`,
  );
}

function timingIssues(ctx: RunContext): Issue[] {
  const started = new Map(ctx.of('work_order').map((h) => [h.record.work_order_id, h.record.started_at]));
  const issues: Issue[] = [];
  for (const h of ctx.of('usage_receipt')) {
    const wo = nonEmpty(h.record.work_order_id);
    const start = wo ? instant(started.get(wo)) : null;
    const issued = instant(h.record.issued_at);
    if (start === null || issued === null || issued >= start) continue;
    const id = label(h.record.receipt_id, h.evidence_id);
    issues.push({
      open_item: `Usage receipt ${id} was issued at ${h.record.issued_at}, before work order ${wo} started (${started.get(wo!)}).`,
      action: `Supply the usage receipt issued for work order ${wo}'s task run, or correct the times of receipt ${id} or the Work Order.`,
    });
  }
  return issues;
}

/** Milliseconds since the epoch for an RFC 3339 date-time with a zone; null for anything else. */
function instant(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value))
    return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
