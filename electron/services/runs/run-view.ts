import type { Evaluation } from '../../../shared/domain/evaluation';
import type { Run, RunSummary } from '../../../shared/domain/run';
import { EVIDENCE_STEPS } from '../../../shared/domain/evidence';
import { evaluateRun } from '../../../shared/evaluation';
import type { RunView } from '../../../shared/ipc/contract';

export function evaluate(run: Run): Evaluation {
  return evaluateRun({
    run_id: run.run_id,
    pre_run: run.pre_run,
    evidence: run.evidence,
    files: run.files,
    exceptions: run.exceptions,
  });
}

export function viewOf(run: Run): RunView {
  return { run, evaluation: evaluate(run) };
}

/** What the run list needs, computed when a run is written so listing never evaluates 10,000 runs. */
export function summarize(run: Run): RunSummary {
  const e = evaluate(run);
  return {
    run_id: run.run_id,
    title: run.title,
    state: run.state,
    evidence_status: e.evidence_status,
    evidence_score: e.evidence_score,
    steps_satisfied: EVIDENCE_STEPS.filter((s) => e.steps.find((x) => x.step === s)?.status === 'satisfied'),
    updated_at: run.updated_at,
    created_at: run.created_at,
    open_exceptions: run.exceptions.filter((t) => t.status !== 'resolved').length,
  };
}
