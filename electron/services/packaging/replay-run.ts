import type { ReplayOutcome } from '../../../shared/ipc/contract';
import { evaluateRun } from '../../../shared/evaluation';
import { refreshState } from '../runs/refresh-state';
import { viewOf } from '../runs/run-view';
import { packageRun, type PackagingDeps } from './package-run';

/**
 * Resumes a run from its exception ticket. If the evidence supplied since the ticket closes every gap, the
 * ticket is resolved and the run is packaged from where it stopped; otherwise the run stays in `exception`
 * with a ticket naming what is still missing. Packaging debits at most once per run, so a replay never
 * debits twice, however often it is called.
 */
export async function replayRun(deps: PackagingDeps, runId: string, outPath?: string): Promise<ReplayOutcome> {
  const { ctx } = deps;
  const run = await ctx.store.get(runId);
  const open = run.exceptions.filter((t) => t.status !== 'resolved');
  const ticket = open[open.length - 1] ?? null;
  // Judge the evidence on its own: the open ticket is what we are trying to close, not a reason to stay closed.
  const evaluation = evaluateRun({
    run_id: runId,
    pre_run: run.pre_run,
    evidence: run.evidence,
    files: run.files,
    exceptions: [],
  });
  if (evaluation.deliverable && open.length) {
    await ctx.store.update(runId, (r) => {
      const now = ctx.now();
      for (const t of r.exceptions)
        if (t.status !== 'resolved') Object.assign(t, { status: 'resolved', resolved_at: now });
      refreshState(r, `replayed from ticket ${ticket?.ticket_id}`, now);
    });
  }
  const pkg = await packageRun(deps, runId, outPath);
  return {
    run_id: runId,
    ticket_id: ticket?.ticket_id ?? null,
    resumed_from: ticket?.resume_from_state ?? null,
    view: viewOf(await ctx.store.get(runId)),
    package: pkg,
  };
}
