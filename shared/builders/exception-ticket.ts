/**
 * The exception ticket: when evidence does not line up, ask for repair instead of starting over.
 *
 * `safe_to_replay` answers one question for the requesting agent: "can I replay without being charged
 * twice?" It is true when nothing was debited for the run yet, or when the debit is recorded in the
 * ledger under the run's idempotency key (`run:<run_id>`), so a replay finds it and does not debit
 * again. It is false only when credits were debited and that debit cannot be recognised on replay
 * (e.g. debited outside TokenOps without an idempotent record) — the seed's example is such a run.
 */
import type { Evaluation } from '../domain/evaluation';
import type { ExceptionStatus, ExceptionTicket, ExceptionType } from '../domain/outputs';
import type { PreRun, RunFile } from '../domain/run';
import type { WorkflowState } from '../workflow';
import { TokenOpsError } from '../errors';
import { usableFiles } from '../evaluation/context';
import { holdsSecret, needsAttestation } from '../evaluation/files';
import { asksForAttestation, asksForRedaction, missingItems, ownProblems, TYPE_ITEMS } from './missing-items';

export interface ExceptionTicketInput {
  run_id: string;
  ticket_id: string;
  replay_package_id: string;
  now: string;
  pre_run: PreRun;
  files: RunFile[];
  evaluation: Evaluation;
  /** Credits already debited for the run, and whether that debit is recorded under `run:<run_id>`. */
  credits?: { already_debited: number; debit_idempotent: boolean };
  /** For exceptions the services raise themselves (insufficient_credits, callback_failed); else derived from the evaluation. */
  exception_type?: ExceptionType;
  /** Defaults to the state the evaluation puts the run in (partial, or collecting when nothing is satisfied). */
  resume_from_state?: WorkflowState;
}

export function buildExceptionTicket(input: ExceptionTicketInput): ExceptionTicket {
  const { evaluation, run_id } = input;
  const exception_type = input.exception_type ?? derivedType(evaluation);
  if (!exception_type) {
    throw new TokenOpsError(
      'conflict',
      `Run ${run_id} has sufficient, consistent evidence: there is no evidence exception to raise. Pass exception_type for insufficient_credits or callback_failed.`,
      { run_id },
    );
  }
  const items = missingItems(evaluation, input.files);
  const typeItem = TYPE_ITEMS[exception_type];
  const missing_items = typeItem && !items.includes(typeItem) ? [typeItem, ...items] : items;
  const credits = input.credits ?? { already_debited: 0, debit_idempotent: false };
  const resume_from_state = input.resume_from_state ?? resumeState(evaluation);
  return {
    object_type: 'agent_exception_ticket',
    requested_tool: input.pre_run.requested_tool,
    exception_type,
    status: statusFor(exception_type),
    missing_items,
    safe_to_replay: credits.already_debited === 0 || credits.debit_idempotent,
    ticket_id: input.ticket_id,
    run_id,
    created_at: input.now,
    resume_from_state,
    inconsistencies: inconsistencies(evaluation),
    recovery_path: recoveryPath({ ...input, exception_type, missing_items, credits, resume_from_state }),
    replay_package_id: input.replay_package_id,
  };
}

/** A secret comes first (nothing may be packaged with it), then gaps, then mismatches. */
function derivedType(evaluation: Evaluation): ExceptionType | null {
  if (evaluation.checks.some((c) => c.check_id === 'no_secrets' && c.status === 'fail')) return 'secret_found';
  // The provider said the payment failed: that is not a gap to fill but a payment to make again.
  if (evaluation.settlement_failures?.length) return 'settlement_failed';
  // Likewise a grant the provider voided or let expire: funding to restore, not evidence to add.
  if (evaluation.funding_failures?.length) return 'funding_failed';
  if (evaluation.steps.some((s) => s.status === 'missing')) return 'evidence_gap';
  if (evaluation.checks.some((c) => c.status === 'fail') || evaluation.steps.some((s) => s.status === 'inconsistent'))
    return 'inconsistent_evidence';
  return null;
}

/** Only the operator can remove a secret or fix a callback destination; the rest is the requesting agent's evidence. */
function statusFor(type: ExceptionType): ExceptionStatus {
  return type === 'secret_found' || type === 'callback_failed' ? 'waiting_on_operator' : 'waiting_on_requesting_agent';
}

function resumeState(evaluation: Evaluation): WorkflowState {
  return evaluation.evidence_status === 'missing'
    ? 'collecting'
    : evaluation.evidence_status === 'sufficient'
      ? 'sufficient'
      : 'partial';
}

/** What does not line up, naming both values: failing checks (secrets aside) and steps' own contradictions. */
function inconsistencies(evaluation: Evaluation): string[] {
  const lines = evaluation.checks
    .filter((c) => c.status === 'fail' && c.check_id !== 'no_secrets')
    .map((c) => c.detail);
  for (const step of evaluation.steps) {
    if (step.status === 'inconsistent') lines.push(...ownProblems(step, evaluation));
  }
  return [...new Set(lines)];
}

function recoveryPath(
  t: ExceptionTicketInput & {
    exception_type: ExceptionType;
    missing_items: string[];
    credits: { already_debited: number; debit_idempotent: boolean };
    resume_from_state: WorkflowState;
  },
): string[] {
  const path: string[] = [];
  const files = usableFiles(t.files);
  for (const f of files.filter(holdsSecret))
    path.push(`Operator: exclude ${f.name} or replace it with a redacted copy; it holds a secret.`);
  for (const f of files.filter(needsAttestation))
    path.push(`Operator: attest that ${f.name} holds no secret, or exclude it.`);
  if (t.exception_type === 'callback_failed') path.push('Operator: correct or re-enable the callback destination.');
  const agentItems = t.missing_items.filter(
    (i) => !asksForRedaction(i) && !asksForAttestation(i) && i !== TYPE_ITEMS.callback_failed,
  );
  if (agentItems.length) path.push(`Requesting agent: supply ${agentItems.join('; ')}.`);
  const wrong = inconsistencies(t.evaluation);
  if (wrong.length)
    path.push(
      `Requesting agent: correct the evidence that does not line up (${wrong.length} ${wrong.length === 1 ? 'item' : 'items'} listed under inconsistencies).`,
    );
  path.push(`Re-evaluate the run: tokenops evaluate ${t.run_id}.`);
  const n = t.credits.already_debited;
  const credits =
    n > 0
      ? `${n} ${n === 1 ? 'credit' : 'credits'} already debited: ${t.credits.debit_idempotent ? 'recorded under this key, never debited again' : 'not recorded under this key, so check the ledger before replaying'}`
      : 'nothing has been debited yet; credits are debited once, when the run is packaged';
  path.push(
    `Replay from state ${t.resume_from_state} with idempotency key run:${t.run_id} (tokenops replay ${t.run_id}); ${credits}.`,
  );
  path.push('TokenOps packages the run, issues the usage receipt and sends the callback to the requesting agent.');
  return path;
}
