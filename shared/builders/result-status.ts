/** Result status of a run, for receipts and callbacks. */
import type { Evaluation } from '../domain/evaluation';
import type { ResultStatus } from '../domain/outputs';

/**
 * ready: deliverable. pending: only waiting for evidence that has not arrived yet. blocked: something
 * received must be corrected first (a failing check, an inconsistent step, a secret) or a ticket
 * blocks even though every step is satisfied.
 */
export function resultStatusOf(evaluation: Evaluation): ResultStatus {
  if (evaluation.deliverable) return 'ready';
  const wrong =
    evaluation.checks.some((c) => c.status === 'fail') || evaluation.steps.some((s) => s.status === 'inconsistent');
  const complete = evaluation.steps.every((s) => s.status === 'satisfied');
  return wrong || complete ? 'blocked' : 'pending';
}
