/** The usage receipt TokenOps issues for a run: credits, evidence status and where the result is. */
import type { Evaluation } from '../domain/evaluation';
import type { EvidenceItem } from '../domain/evidence';
import type { CallbackStatus, UsageReceipt } from '../domain/outputs';
import type { PreRun, RunFile } from '../domain/run';
import { runWorkOrder } from '../evaluation/run-values';
import { recordsOf, textOrUndefined } from './evidence-view';
import { resultStatusOf } from './result-status';

export interface UsageReceiptInput {
  run_id: string;
  receipt_id: string;
  now: string;
  pre_run: PreRun;
  evidence: EvidenceItem[];
  files: RunFile[];
  evaluation: Evaluation;
  /** From the credit ledger (the services own it): what this run debited and what is left. */
  credits: { debited: number; remaining: number; credit_entitlement_id?: string | null; ledger_entry_id?: string };
  callback_status: CallbackStatus;
  /** Where the result lives; defaults to the result URL of the usage receipt in the evidence. */
  result_url?: string | null;
}

export function buildUsageReceipt(input: UsageReceiptInput): UsageReceipt {
  const evidenceReceipt = recordsOf(input.evidence, input.files, 'usage_receipt')[0];
  return {
    receipt_id: input.receipt_id,
    receipt_type: 'tokenops_usage_receipt',
    operating_tool: 'tokenops',
    credits_debited: input.credits.debited,
    remaining_credits: input.credits.remaining,
    evidence_status: input.evaluation.evidence_status,
    result_status: resultStatusOf(input.evaluation),
    callback_status: input.callback_status,
    run_id: input.run_id,
    credit_entitlement_id:
      textOrUndefined(input.credits.credit_entitlement_id) ??
      textOrUndefined(input.pre_run.credit_entitlement_id) ??
      null,
    work_order_id: runWorkOrder(input),
    result_url: textOrUndefined(input.result_url) ?? textOrUndefined(evidenceReceipt?.result_url) ?? null,
    // A reference that outlives this file: the evidence's own, else the ledger entry, else one derived from the run.
    receipt_reference:
      textOrUndefined(evidenceReceipt?.receipt_reference) ??
      textOrUndefined(input.credits.ledger_entry_id) ??
      `tokenops:${input.run_id}:${input.receipt_id}`,
    evidence_receipt_id: textOrUndefined(evidenceReceipt?.receipt_id) ?? null,
    issued_at: input.now,
  };
}
