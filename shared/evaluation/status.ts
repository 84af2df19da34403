/** From steps, checks and tickets to `missing` / `partial` / `sufficient`. */
import type { CrossCheck, EvidenceStatus, StepEvaluation } from '../domain/evaluation';
import type { ExceptionTicket, ExceptionType } from '../domain/outputs';

/**
 * Ticket types the evidence cannot clear by itself. Evidence gaps, inconsistencies and secrets are
 * re-derived from the evidence on every evaluation, so their tickets never block: once the items are
 * supplied the run is sufficient again and a replay resolves the ticket (workflow.ts expects exactly
 * that: an open ticket with sufficient evidence). Insufficient credits are the ledger's verdict, so
 * that ticket blocks until the service resolves it. A failed callback happens after packaging and
 * does not make the evidence any less sufficient.
 */
const BLOCKING_TYPES: ReadonlySet<ExceptionType> = new Set(['insufficient_credits']);

export function isOpenException(ticket: ExceptionTicket): boolean {
  return ticket.status !== 'resolved';
}

export function isBlockingException(ticket: ExceptionTicket): boolean {
  return isOpenException(ticket) && BLOCKING_TYPES.has(ticket.exception_type);
}

/** Evidence status: nothing satisfied → missing; everything satisfied, consistent and unblocked → sufficient. */
export function evidenceStatusOf(
  steps: readonly StepEvaluation[],
  checks: readonly CrossCheck[],
  exceptions: readonly ExceptionTicket[],
): EvidenceStatus {
  if (!steps.some((s) => s.status === 'satisfied')) return 'missing';
  const complete = steps.every((s) => s.status === 'satisfied');
  // `no_secrets` is one of the checks, so a secret or an unattested file fails here too.
  const consistent = checks.every((c) => c.status !== 'fail');
  const unblocked = !exceptions.some(isBlockingException);
  return complete && consistent && unblocked ? 'sufficient' : 'partial';
}

const ORDER: Record<EvidenceStatus, number> = { missing: 0, partial: 1, sufficient: 2 };

/** missing < partial < sufficient: for comparing runs and for properties such as monotonicity. */
export function compareEvidenceStatus(a: EvidenceStatus, b: EvidenceStatus): number {
  return ORDER[a] - ORDER[b];
}
