/** (f) The Work Order must ask for the tool and capability the run was opened for. */
import type { RunContext } from '../context';
import { type CheckOutcome, type Issue, label, list, notApplicable, passOrFail, plural } from './types';

const ID = 'work_order_requests_run_tool';

export function checkWorkOrderRequestsRunTool(ctx: RunContext): CheckOutcome {
  const orders = ctx.of('work_order');
  const { requested_tool: tool, requested_capability: capability } = ctx.pre_run;
  if (orders.length === 0) return notApplicable(ID, 'No Work Order received yet.');

  const issues: Issue[] = [];
  for (const o of orders) {
    const id = label(o.record.work_order_id, o.evidence_id);
    if (o.record.requested_tool !== tool) {
      issues.push({
        open_item: `Work order ${id} requests tool ${show(o.record.requested_tool)}, but the run's requested tool is ${tool}.`,
        action: `Correct Work Order ${id} to request tool ${tool} (it requests ${show(o.record.requested_tool)}), or change the run's requested tool.`,
      });
    }
    if (o.record.requested_capability !== capability) {
      issues.push({
        open_item: `Work order ${id} requests capability ${show(o.record.requested_capability)}, but the run's requested capability is ${capability}.`,
        action: `Correct Work Order ${id} to request capability ${capability} (it requests ${show(o.record.requested_capability)}), or change the run's requested capability.`,
      });
    }
  }
  const ids = orders.map((o) => label(o.record.work_order_id, o.evidence_id));
  return passOrFail(
    ID,
    issues,
    `${plural(ids.length, 'Work order', 'Work orders')} ${list(ids)} ${plural(ids.length, 'requests', 'request')} tool ${tool} and capability ${capability}, as the run does.`,
  );
}

function show(v: unknown): string {
  return typeof v === 'string' && v !== '' ? v : '(none)';
}
