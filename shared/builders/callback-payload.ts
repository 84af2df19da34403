/** The callback payload: what the requesting agent needs to continue without guessing. */
import type { Evaluation } from '../domain/evaluation';
import type { CallbackPayload, ExceptionTicket, ResultPackage, UsageReceipt } from '../domain/outputs';
import { resultStatusOf } from './result-status';

export interface CallbackPayloadInput {
  run_id: string;
  now: string;
  evaluation: Evaluation;
  result_package: ResultPackage | null;
  usage_receipt: UsageReceipt | null;
  exception_ticket: ExceptionTicket | null;
  /** SHA-256 of the signed result bundle, once written. */
  bundle_sha256: string | null;
  /** Defaults to the result package's. */
  settlement_reference?: string | null;
}

export function buildCallbackPayload(input: CallbackPayloadInput): CallbackPayload {
  const { evaluation } = input;
  const ticketOpen = input.exception_ticket !== null && input.exception_ticket.status !== 'resolved';
  const ready = evaluation.deliverable && input.result_package !== null && !ticketOpen;
  return {
    event_type: ready ? 'tokenops.result_package.ready' : 'tokenops.run.exception',
    operating_tool: 'tokenops',
    run_id: input.run_id,
    evidence_status: evaluation.evidence_status,
    evidence_score: evaluation.evidence_score,
    // Sufficient evidence that is not ready yet is either waiting to be packaged or held by a ticket.
    result_status: ready
      ? 'ready'
      : evaluation.deliverable
        ? ticketOpen
          ? 'blocked'
          : 'pending'
        : resultStatusOf(evaluation),
    result_package: input.result_package?.package_id ?? null,
    usage_receipt: input.usage_receipt?.receipt_id ?? null,
    settlement_reference:
      input.settlement_reference !== undefined
        ? input.settlement_reference
        : (input.result_package?.settlement_reference ?? null),
    bundle_sha256: input.bundle_sha256 === null ? null : input.bundle_sha256.toLowerCase(),
    exception_ticket: input.exception_ticket?.ticket_id ?? null,
    open_items: [...evaluation.open_items],
    next_actions: [...evaluation.next_actions],
    generated_at: input.now,
  };
}
