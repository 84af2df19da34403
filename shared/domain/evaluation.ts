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
}

export interface Evaluation {
  evidence_status: EvidenceStatus;
  evidence_score: number;
  steps: StepEvaluation[];
  checks: CrossCheck[];
  rule_trace: RuleResult[];
  open_items: string[];
  next_actions: string[];
  /** True when nothing blocks packaging for delivery. */
  deliverable: boolean;
  blockers: string[];
}
