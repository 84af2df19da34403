/** The run-level values builders print (settlement reference, entitlement, Work Order): one, or null when absent or ambiguous. */
import type { EvidenceItem } from '../domain/evidence';
import type { PreRun, RunFile } from '../domain/run';
import { buildContext, single } from './context';

interface Evidence {
  pre_run: PreRun;
  evidence: EvidenceItem[];
  files: RunFile[];
}

export function runSettlementReference(run: Evidence): string | null {
  return single(context(run).settlement_references);
}

export function runWorkOrder(run: Evidence): string | null {
  return single(context(run).work_order_ids);
}

function context(run: Evidence) {
  return buildContext({ ...run, exceptions: [] });
}
