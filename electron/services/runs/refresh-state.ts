import type { Run } from '../../../shared/domain/run';
import { TokenOpsError } from '../../../shared/errors';
import { assertTransition, stateForEvidence, type WorkflowState } from '../../../shared/workflow';
import { evaluate } from './run-view';

/** Moves a run through the state machine after its evidence changed; illegal moves throw. */
export function moveTo(run: Run, to: WorkflowState, reason: string, now: string): void {
  if (run.state === to) return;
  assertTransition(run.state, to);
  run.state_history.push({ from: run.state, to, at: now, reason });
  run.state = to;
}

export function refreshState(run: Run, reason: string, now: string): void {
  const e = evaluate(run);
  const open = run.exceptions.some((t) => t.status !== 'resolved');
  const hasInput = run.evidence.length > 0 || run.files.length > 0 || Boolean(run.pre_run.credit_entitlement_id);
  moveTo(run, stateForEvidence(run.state, e.evidence_status, open, hasInput), reason, now);
  run.updated_at = now;
}

/** Evidence cannot change once a signed bundle exists: a packaged run is a record, not a draft. */
export function assertEditable(run: Run): void {
  if (run.state === 'packaged' || run.state === 'delivered') {
    throw new TokenOpsError(
      'conflict',
      `Run ${run.run_id} is ${run.state}: its signed bundle is final. Open a new run for new evidence.`,
    );
  }
}
