/** Evaluation of a run's evidence: steps, cross-checks, named weighted rules, open items and next actions. */
export { evaluateRun } from './evaluate';
export { STEP_DEFINITIONS, CHECK_IDS } from './catalog';
export type { CheckId } from './catalog';
export { SCORING_RULES, SCORE_MAX } from './scoring';
export { compareEvidenceStatus } from './status';
