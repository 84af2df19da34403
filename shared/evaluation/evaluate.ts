/**
 * evaluateRun: the deterministic, explainable verdict on a run's evidence. Pure: the same input gives
 * the same output, whatever order the evidence arrived in (everything is sorted by id first).
 */
import type { CrossCheck, Evaluation, StepEvaluation } from '../domain/evaluation';
import { EVIDENCE_STEPS } from '../domain/evidence';
import { CHECK_DEFINITIONS, stepDefinition } from './catalog';
import { buildContext, type EvaluateInput } from './context';
import { runChecks, type CheckOutcome } from './checks';
import { stepFacts, type StepFacts } from './steps';
import { scoreOf, traceRules } from './scoring';
import { evidenceStatusOf } from './status';
import { writeGuidance } from './guidance';
import { describeThread } from './settlement-links';
import { fundingFailures } from './funding';

export function evaluateRun(input: EvaluateInput): Evaluation {
  const ctx = buildContext(input);
  const facts = EVIDENCE_STEPS.map((step) => stepFacts(step, ctx));
  const outcomes = runChecks(ctx);
  const checks = outcomes.map((o) => o.check);
  const steps = facts.map((f) => judgeStep(f, outcomes));
  const rule_trace = traceRules(steps, checks);
  const evidence_status = evidenceStatusOf(steps, checks, ctx.exceptions);
  const guidance = writeGuidance({ ctx, facts, steps, outcomes, status: evidence_status });
  return {
    evidence_status,
    evidence_score: scoreOf(rule_trace),
    steps,
    checks,
    rule_trace,
    open_items: guidance.open_items,
    next_actions: guidance.next_actions,
    links: { settlements: ctx.settlement_threads.map((t) => ({ ...t, described: describeThread(t) })) },
    settlement_failures: ctx
      .of('settlement_reference')
      .filter((h) => h.record.status === 'failed')
      .map((h) => ({ settlement_reference: h.record.settlement_reference, reason: h.record.status_reason ?? null })),
    funding_failures: fundingFailures(ctx).map(({ entry_id, reason }) => ({ entry_id, reason })),
    deliverable: evidence_status === 'sufficient',
    blockers: guidance.blockers,
  };
}

/**
 * A step is satisfied when something received satisfies it and nothing is wrong with it — neither
 * inside the step nor in a failing check that links it to another step (the check's mismatch is then
 * the step's problem too, so the operator sees it where the evidence lives).
 */
function judgeStep(facts: StepFacts, outcomes: readonly CheckOutcome[]): StepEvaluation {
  const linked = outcomes.filter((o) => o.check.status === 'fail' && linksStep(o.check, facts.step));
  const problems = [
    ...facts.own_problems.map((p) => p.problem),
    ...linked.flatMap((o) => o.issues.map((i) => i.open_item)),
  ];
  const { title, satisfied_by } = stepDefinition(facts.step);
  const base = { step: facts.step, received: facts.received, satisfied_by };
  if (facts.has_satisfying_evidence && problems.length === 0) return { ...base, status: 'satisfied', problems: [] };
  if (facts.received.length === 0 && problems.length === 0) {
    return { ...base, status: 'missing', problems: [`No ${title.toLowerCase()} received.`] };
  }
  return { ...base, status: 'inconsistent', problems };
}

function linksStep(check: CrossCheck, step: string): boolean {
  return CHECK_DEFINITIONS.some((d) => d.check_id === check.check_id && (d.steps as string[]).includes(step));
}
