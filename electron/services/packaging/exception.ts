import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Evaluation } from '../../../shared/domain/evaluation';
import type { ExceptionTicket, ExceptionType, ReplayPackage } from '../../../shared/domain/outputs';
import type { Run } from '../../../shared/domain/run';
import { buildExceptionTicket, buildReplayPackage } from '../../../shared/builders';
import { assertValid } from '../../../shared/validate';
import type { WorkflowState } from '../../../shared/workflow';
import type { ServiceContext } from '../context';
import { durableWriteFile } from '../fs/durable-write';

/**
 * Issues (or re-uses) the run's exception ticket and writes its replay package beside the data, so a run that
 * cannot be delivered asks for exactly what is missing and can resume from this state later.
 */
export async function issueException(
  ctx: ServiceContext,
  run: Run,
  evaluation: Evaluation,
  opts: { exceptionType?: ExceptionType; alreadyDebited: number; resumeFrom?: WorkflowState },
): Promise<{ ticket: ExceptionTicket; replay: ReplayPackage }> {
  const now = ctx.now();
  const ticketId = ctx.newId('exc');
  const replayId = ctx.newId('replay');
  const ticket = buildExceptionTicket({
    run_id: run.run_id,
    ticket_id: ticketId,
    replay_package_id: replayId,
    now,
    pre_run: run.pre_run,
    files: run.files,
    evaluation,
    credits: { already_debited: opts.alreadyDebited, debit_idempotent: true },
    ...(opts.exceptionType ? { exception_type: opts.exceptionType } : {}),
    ...(opts.resumeFrom ? { resume_from_state: opts.resumeFrom } : {}),
  });
  // The same gap asked twice is one ticket, not two: re-use the open one.
  const open = run.exceptions.find(
    (t) =>
      t.status !== 'resolved' &&
      t.exception_type === ticket.exception_type &&
      sameItems(t.missing_items, ticket.missing_items) &&
      sameItems(t.inconsistencies, ticket.inconsistencies),
  );
  const finalTicket = open ?? ticket;
  const replay = buildReplayPackage({
    run_id: run.run_id,
    replay_package_id: finalTicket.replay_package_id,
    ticket_id: finalTicket.ticket_id,
    now,
    pre_run: run.pre_run,
    evidence: run.evidence,
    files: run.files,
    evaluation,
    resume_from_state: finalTicket.resume_from_state as WorkflowState,
    credits_already_debited: opts.alreadyDebited,
    missing_items: finalTicket.missing_items,
  });
  assertValid('exception_ticket', finalTicket, 'The exception ticket');
  assertValid('replay_package', replay, 'The replay package');
  await mkdir(ctx.layout.replays, { recursive: true });
  await durableWriteFile(
    join(ctx.layout.replays, `${replay.replay_package_id}.json`),
    `${JSON.stringify(replay, null, 2)}\n`,
  );
  return { ticket: finalTicket, replay };
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
