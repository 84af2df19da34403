import type { EvidenceStep } from './evidence';

export type EvidenceStatus = 'missing' | 'partial' | 'sufficient';

export type StepStatus = 'satisfied' | 'missing' | 'inconsistent';

export interface StepEvaluation {
  step: EvidenceStep;
  status: StepStatus;
  /** Evidence ids received for this step. */
  received: string[];
  /** What satisfies the step, in words (from the seed). */
  satisfied_by: string;
  /** Why it is missing or inconsistent, in words; empty when satisfied. */
  problems: string[];
}

export type CheckStatus = 'pass' | 'fail' | 'not_applicable';

/** A cross-check between two pieces of evidence (or evidence and the run). */
export interface CrossCheck {
  check_id: string;
  title: string;
  status: CheckStatus;
  detail: string;
}

/** One scoring rule's contribution: every point of the score is traceable to one of these. */
export interface RuleResult {
  rule_id: string;
  title: string;
  weight: number;
  earned: number;
  reason: string;
  /** False when the rule does not apply to this run and is left out of the total (absent means counted). */
  counted?: boolean;
}

export interface Evaluation {
  evidence_status: EvidenceStatus;
  evidence_score: number;
  steps: StepEvaluation[];
  checks: CrossCheck[];
  rule_trace: RuleResult[];
  open_items: string[];
  next_actions: string[];
  /** The run's settlement threads: each reference with every alias linked to it (provider hash, invoice, payment id). */
  links: { settlements: Array<{ reference: string; aliases: string[]; evidence_ids: string[]; described: string }> };
  /** Settlements the provider reported as failed, with its reason. */
  settlement_failures: Array<{ settlement_reference: string; reason: string | null }>;
  /** Ledger entries whose funding the provider voided, or that expired before the run's usage, with the reason. */
  funding_failures: Array<{ entry_id: string; reason: string }>;
  /** True when nothing blocks packaging for delivery. */
  deliverable: boolean;
  blockers: string[];
}
