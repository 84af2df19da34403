/**
 * The public outputs. Every field the seed shows is here with the seed's name; the rest are additions
 * that let an agent continue without guessing.
 */
import type { EvidenceStatus, RuleResult } from './evaluation';

export type ResultStatus = 'ready' | 'pending' | 'blocked';
export type CallbackStatus = 'ready' | 'not_configured' | 'pending' | 'delivered' | 'failed' | 'disabled';

export interface ResultPackage {
  package_type: 'tokenops_result_package';
  operating_tool: 'tokenops';
  evidence_status: EvidenceStatus;
  evidence_score: number;
  /** How many evidence records the run received (seed: 7 in the demo). */
  received_inputs: number;
  /** File names of the run's packaged files. */
  uploaded_files: string[];
  settlement_reference: string | null;
  /** The usage receipt's `receipt_id`. */
  usage_receipt: string | null;
  callback_delivery: CallbackStatus;
  client_deliverable: string;
  // additions
  package_id: string;
  run_id: string;
  generated_at: string;
  settlement_trail: Array<{ step: string; reference: string; provider?: string; detail?: string }>;
  payment_request: {
    payment_request_id: string;
    provider?: string;
    amount?: { value: string; currency: string };
  } | null;
  callback_readiness: { status: CallbackStatus; destination?: string; reason: string };
  open_items: string[];
  next_actions: string[];
  rule_trace: RuleResult[];
  trust: {
    trust_profile_id?: string;
    quote_id?: string;
    credit_entitlement_id?: string;
    requested_tool: string;
    requested_capability: string;
  };
}

export interface UsageReceipt {
  receipt_id: string;
  receipt_type: 'tokenops_usage_receipt';
  operating_tool: 'tokenops';
  credits_debited: number;
  remaining_credits: number;
  evidence_status: EvidenceStatus;
  result_status: ResultStatus;
  callback_status: CallbackStatus;
  // additions
  run_id: string;
  credit_entitlement_id: string | null;
  work_order_id: string | null;
  result_url: string | null;
  /** A reference that can be preserved: the receipt's reference from the evidence, or the ledger entry. */
  receipt_reference: string;
  /** The paid run's own usage receipt id (evidence step 5); this receipt is TokenOps's record of the run's debit. */
  evidence_receipt_id: string | null;
  issued_at: string;
}

export interface CallbackPayload {
  event_type: 'tokenops.result_package.ready' | 'tokenops.run.exception';
  operating_tool: 'tokenops';
  run_id: string;
  evidence_status: EvidenceStatus;
  evidence_score: number;
  result_status: ResultStatus;
  result_package: string | null;
  usage_receipt: string | null;
  settlement_reference: string | null;
  bundle_sha256: string | null;
  exception_ticket: string | null;
  open_items: string[];
  next_actions: string[];
  generated_at: string;
}

export type ExceptionType =
  | 'evidence_gap'
  | 'inconsistent_evidence'
  | 'secret_found'
  | 'insufficient_credits'
  | 'callback_failed'
  | 'settlement_failed'
  | 'funding_failed';
export type ExceptionStatus = 'waiting_on_requesting_agent' | 'waiting_on_operator' | 'resolved';

export interface ExceptionTicket {
  object_type: 'agent_exception_ticket';
  requested_tool: string;
  exception_type: ExceptionType;
  status: ExceptionStatus;
  missing_items: string[];
  safe_to_replay: boolean;
  // additions
  ticket_id: string;
  run_id: string;
  created_at: string;
  resolved_at?: string;
  /** The workflow state the run resumes from once the items are supplied. */
  resume_from_state: string;
  inconsistencies: string[];
  recovery_path: string[];
  replay_package_id: string;
}

export interface ReplayPackage {
  object_type: 'tokenops_replay_package';
  replay_package_id: string;
  ticket_id: string;
  run_id: string;
  created_at: string;
  resume_from_state: string;
  pre_run: Record<string, unknown>;
  /** Evidence already accepted: id, kind and a digest of the record, so a replay can tell what changed. */
  known_evidence: Array<{ evidence_id: string; kind: string; record_sha256: string }>;
  known_files: Array<{ name: string; sha256: string; size: number }>;
  missing_items: string[];
  evidence_score: number;
  evidence_status: EvidenceStatus;
  /** Credits already debited for the run (0 if none): replay never debits again. */
  credits_already_debited: number;
  idempotency_key: string;
  how_to_resume: string[];
}

/** Describes every packaged file and record; lives in the bundle's payload. */
export interface EvidenceManifest {
  manifest_type: 'tokenops_evidence_manifest';
  run_id: string;
  generated_at: string;
  pre_run: Record<string, unknown>;
  records: Array<{
    evidence_id: string;
    kind: string;
    format: string;
    source: string;
    file?: string;
    row?: number;
    path: string;
  }>;
  files: Array<{ name: string; size: number; sha256: string; media_type: string; path: string; scan_status: string }>;
}
