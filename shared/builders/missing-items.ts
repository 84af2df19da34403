/**
 * Missing items in the seed's style ("matching payment request artifact", "usage receipt tied to
 * credit entitlement"): short noun phrases an agent can act on, shared by exception tickets and
 * replay packages.
 */
import type { Evaluation, StepEvaluation } from '../domain/evaluation';
import type { EvidenceStep } from '../domain/evidence';
import type { ExceptionType } from '../domain/outputs';
import type { RunFile } from '../domain/run';
import { CHECK_DEFINITIONS, type CheckId } from '../evaluation/catalog';
import { usableFiles } from '../evaluation/context';
import { holdsSecret, needsAttestation } from '../evaluation/files';
import { append } from '../append';

/** A step with nothing received. */
const MISSING_STEP: Record<EvidenceStep, string> = {
  settlement_reference: 'settlement reference showing why the paid run exists',
  payment_request: 'matching payment request artifact',
  credit_ledger_entry: 'credit ledger entry authorizing the paid run',
  work_order: 'work order and paid agent task run',
  usage_receipt: 'usage receipt tied to credit entitlement',
  files: 'public-safe files or file manifest',
};

/** A step whose own records are wrong (several references, missing ids, bad numbers). */
const CONSISTENT_STEP: Record<EvidenceStep, string> = {
  settlement_reference: 'single settled settlement reference',
  payment_request: 'payment request with its payment request id',
  credit_ledger_entry: 'credit ledger entry for one credit entitlement with valid credits',
  work_order: 'single work order for the run',
  usage_receipt: 'single usage receipt with valid credit numbers',
  files: 'public-safe files or file manifest',
};

/** A failing cross-check (no_secrets is per file, below). */
const FAILING_CHECK: Record<Exclude<CheckId, 'no_secrets'>, string> = {
  payment_request_matches_settlement: 'matching payment request artifact',
  payment_amount_matches_settlement: 'settlement paying the requested amount on the requested network',
  ledger_entry_matches_entitlement: 'credit ledger entry matching credit entitlement',
  receipt_matches_work_order: 'usage receipt tied to work order',
  receipt_matches_entitlement: 'usage receipt tied to credit entitlement',
  remaining_equals_balance_minus_debited: 'usage receipt whose remaining credits equal balance minus credits debited',
  work_order_requests_run_tool: 'work order for the requested tool and capability',
  file_manifest_hashes_match: 'file manifest matching the packaged files',
};

/** Exceptions the services raise without an evidence cause. */
export const TYPE_ITEMS: Partial<Record<ExceptionType, string>> = {
  insufficient_credits: 'credit ledger entry with enough credits for the paid run',
  callback_failed: 'callback destination that accepts the callback payload',
  settlement_failed: 'settlement that succeeded (the provider reported this one failed)',
  funding_failed: 'credit grant that still funds the entitlement (the provider voided or expired this one)',
};

export function missingItems(evaluation: Evaluation, files: readonly RunFile[]): string[] {
  const items: string[] = [];
  for (const step of evaluation.steps) {
    if (step.status === 'missing') items.push(MISSING_STEP[step.step]);
    else if (step.status === 'inconsistent' && ownProblems(step, evaluation).length)
      items.push(CONSISTENT_STEP[step.step]);
  }
  for (const check of evaluation.checks) {
    if (check.status !== 'fail') continue;
    if (check.check_id === 'no_secrets') append(items, secretItems(files));
    else items.push(FAILING_CHECK[check.check_id as Exclude<CheckId, 'no_secrets'>] ?? check.title);
  }
  return [...new Set(items)];
}

/**
 * Problems of a step that no failing check accounts for: the step's own. A step's problems are its own
 * followed by the open items of each failing check linked to it, and a check's detail is its open items
 * joined by spaces (evaluate.ts, checks/types.ts), so those items are taken off the end, check by check
 * from the last; an own problem that repeats one of them is dropped too. Linear: a ledger export of 5,000
 * mismatched rows made a substring search of every problem in every detail take seconds.
 */
export function ownProblems(step: StepEvaluation, evaluation: Evaluation): string[] {
  const linked = evaluation.checks
    .filter(
      (c) =>
        c.status === 'fail' && CHECK_DEFINITIONS.some((d) => d.check_id === c.check_id && d.steps.includes(step.step)),
    )
    .map((c) => c.detail);
  const problems = step.problems;
  const end = linkedItemsStart(problems, linked);
  // Not the shape evaluate.ts writes (an evaluation put together elsewhere): match by text instead.
  if (end === undefined) return problems.filter((p) => !linked.some((d) => d.includes(p)));
  const accounted = new Set(problems.slice(end));
  return problems.slice(0, end).filter((p) => !accounted.has(p));
}

/** Where the linked checks' open items begin in a step's problems, or undefined if they are not its tail. */
export function linkedItemsStart(problems: readonly string[], details: readonly string[]): number | undefined {
  let end = problems.length;
  for (let i = details.length - 1; i >= 0; i--) {
    const detail = details[i];
    let start = end;
    let length = -1;
    while (start > 0 && length < detail.length) length += problems[--start].length + 1;
    if (length !== detail.length || problems.slice(start, end).join(' ') !== detail) return undefined;
    end = start;
  }
  return end;
}

/** The operator's items for a secret: a file holding one is redacted (or excluded); one not scanned is attested. */
const REDACTION = 'redacted copy of ';
const ATTESTATION = 'attestation that ';

export function asksForRedaction(item: string): boolean {
  return item.startsWith(REDACTION);
}

export function asksForAttestation(item: string): boolean {
  return item.startsWith(ATTESTATION);
}

function secretItems(files: readonly RunFile[]): string[] {
  const usable = usableFiles(files);
  return [
    ...usable.filter(holdsSecret).map((f) => `${REDACTION}${f.name} (or its exclusion)`),
    ...usable.filter(needsAttestation).map((f) => `${ATTESTATION}${f.name} holds no secret`),
  ];
}
