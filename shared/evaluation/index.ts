/** Evaluation of a run's evidence: steps, cross-checks, named weighted rules, open items and next actions. */
export { evaluateRun } from './evaluate';
export type { EvaluateInput } from './context';
export { usableEvidence, usableFiles } from './context';
export { STEP_DEFINITIONS, CHECK_DEFINITIONS, CHECK_IDS, stepDefinition, checkDefinition } from './catalog';
export type { StepDefinition, CheckDefinition, CheckId } from './catalog';
export { SCORING_RULES, SCORE_MAX, type ScoringRule } from './scoring';
export { isBlockingException, isOpenException, compareEvidenceStatus } from './status';
export { runSettlementReference, runCreditEntitlement, runWorkOrder } from './run-values';
export {
  checkPaymentRequestMatchesSettlement,
  checkLedgerEntryMatchesEntitlement,
  checkReceiptMatchesWorkOrder,
  checkReceiptMatchesEntitlement,
  checkRemainingEqualsBalanceMinusDebited,
  checkWorkOrderRequestsRunTool,
  checkFileManifestHashesMatch,
  checkNoSecrets,
  type CheckOutcome,
  type Issue,
} from './checks';
export { buildContext, type RunContext } from './context';
