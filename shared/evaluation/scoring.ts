/**
 * The evidence score: every point comes from one named rule below, and the manifest publishes this
 * table. Rules earn all or nothing. A check that cannot be run yet (one side absent) earns nothing, so
 * adding consistent evidence can only add points. A check that does not apply to a run whose steps are
 * all in (e.g. no file manifest to compare when the files themselves are the evidence) leaves the
 * total instead of earning a red 0: the score is the share of the rules that count, out of 100, so a
 * complete, consistent run scores 100.
 */
import type { CheckStatus, CrossCheck, RuleResult, StepEvaluation } from '../domain/evaluation';
import type { EvidenceStep } from '../domain/evidence';
import { CHECK_DEFINITIONS, STEP_DEFINITIONS, type CheckId } from './catalog';

export interface ScoringRule {
  rule_id: string;
  title: string;
  weight: number;
  description: string;
  /** What the rule looks at: one evidence step or one cross-check. */
  applies_to: { step: EvidenceStep } | { check_id: CheckId };
}

/** Steps carry 60 points (10 each): presence of the six kinds of evidence matters most. */
const STEP_WEIGHT = 10;
/** Cross-checks carry 40 (5 each): links between the evidence make it trustworthy. */
const CHECK_WEIGHT = 5;

export const SCORING_RULES: readonly ScoringRule[] = [
  ...STEP_DEFINITIONS.map((d): ScoringRule => ({
    rule_id: `step.${d.step}`,
    title: `Step ${d.number}: ${d.title}`,
    weight: STEP_WEIGHT,
    description: `Earned when step ${d.number} is satisfied: ${d.satisfied_by} Missing or inconsistent evidence earns nothing.`,
    applies_to: { step: d.step },
  })),
  ...CHECK_DEFINITIONS.map((d): ScoringRule => ({
    rule_id: `check.${d.check_id}`,
    title: d.title,
    weight: CHECK_WEIGHT,
    description: `Earned when the check passes: ${d.description} Not applicable (one side absent) or failing earns nothing.`,
    applies_to: { check_id: d.check_id },
  })),
];

/** The score is a share of the rules that count, so it always runs to 100. */
export const SCORE_MAX = 100;

/** One result per rule, in table order; the score is the sum of `earned`. */
export function traceRules(steps: readonly StepEvaluation[], checks: readonly CrossCheck[]): RuleResult[] {
  return SCORING_RULES.map((rule) => {
    if ('step' in rule.applies_to) {
      const step = steps.find((s) => s.step === (rule.applies_to as { step: EvidenceStep }).step)!;
      const earned = step.status === 'satisfied' ? rule.weight : 0;
      return result(rule, earned, stepReason(step));
    }
    const check = checks.find((c) => c.check_id === (rule.applies_to as { check_id: CheckId }).check_id)!;
    if (check.status === 'not_applicable' && stepsIn(check.check_id as CheckId, steps)) {
      return { ...result(rule, 0, `Does not apply, left out of the total: ${check.detail}`), counted: false };
    }
    return result(rule, check.status === 'pass' ? rule.weight : 0, `${CHECK_WORD[check.status]}: ${check.detail}`);
  });
}

/** Points earned out of the rules that count, scaled to 0–100 and rounded to a whole number. */
export function scoreOf(trace: readonly RuleResult[]): number {
  const counted = trace.filter((r) => r.counted !== false);
  const max = counted.reduce((sum, r) => sum + r.weight, 0);
  const earned = counted.reduce((sum, r) => sum + r.earned, 0);
  return max === 0 ? 0 : Math.round((100 * earned) / max);
}

/** A not-applicable check drops out only once every step it links is satisfied: nothing more is coming to compare. */
function stepsIn(id: CheckId, steps: readonly StepEvaluation[]): boolean {
  const def = CHECK_DEFINITIONS.find((d) => d.check_id === id)!;
  return def.steps.every((s) => steps.find((x) => x.step === s)?.status === 'satisfied');
}

const CHECK_WORD: Record<CheckStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  not_applicable: 'Not applicable yet, earns nothing',
};

function stepReason(step: StepEvaluation): string {
  if (step.status === 'satisfied') return `Satisfied by ${step.received.join(', ')}.`;
  if (step.status === 'missing') return 'Missing: nothing received for this step.';
  return `Inconsistent: ${step.problems.join(' ')}`;
}

function result(rule: ScoringRule, earned: number, reason: string): RuleResult {
  return { rule_id: rule.rule_id, title: rule.title, weight: rule.weight, earned, reason };
}
