import { TokenOpsError } from './errors';

/**
 * The life of a run. `partial` and `exception` alternate while evidence is repaired;
 * `packaged` and `delivered` are reached only through export and callback delivery.
 */
export const WORKFLOW_STATES = [
  'draft',
  'collecting',
  'partial',
  'exception',
  'sufficient',
  'packaged',
  'delivered',
] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

export const WORKFLOW_TRANSITIONS: Readonly<Record<WorkflowState, readonly WorkflowState[]>> = {
  draft: ['collecting', 'partial', 'exception', 'sufficient'],
  collecting: ['partial', 'exception', 'sufficient'],
  partial: ['collecting', 'exception', 'sufficient'],
  exception: ['collecting', 'partial', 'sufficient'],
  sufficient: ['collecting', 'partial', 'exception', 'packaged'],
  // A packaged run is frozen: new evidence goes to a replay or a new run, never into a signed bundle after the fact.
  packaged: ['delivered'],
  delivered: [],
};

export const WORKFLOW_STATE_DESCRIPTIONS: Readonly<Record<WorkflowState, string>> = {
  draft: 'Created; nothing received yet.',
  collecting: 'Trust, quote and credit set or evidence arriving; nothing usable yet.',
  partial: 'Enough to start, not enough to return a delivery-ready result package.',
  exception: 'Evidence does not line up; an exception ticket waits for the missing or corrected items.',
  sufficient: 'All six steps satisfied and consistent; ready to package.',
  packaged: 'A signed result bundle was exported; credits were debited once.',
  delivered: 'The callback payload reached the requesting agent.',
};

export function canTransition(from: WorkflowState, to: WorkflowState): boolean {
  return from === to || WORKFLOW_TRANSITIONS[from].includes(to);
}

/** Refuses an illegal move with a message that says which moves are possible. */
export function assertTransition(from: WorkflowState, to: WorkflowState): void {
  if (canTransition(from, to)) return;
  const allowed = WORKFLOW_TRANSITIONS[from];
  throw new TokenOpsError(
    'conflict',
    `A run in state "${from}" cannot move to "${to}". ` +
      (allowed.length ? `From "${from}" it can move to: ${allowed.join(', ')}.` : `"${from}" is final.`),
    { from, to },
  );
}

/**
 * The state evidence puts a run in while it is still being assembled (before packaging).
 * A run never returns to `draft`: once anything was received it is at least `collecting`.
 */
export function stateForEvidence(
  current: WorkflowState,
  evidenceStatus: 'missing' | 'partial' | 'sufficient',
  hasOpenException: boolean,
  hasAnyInput: boolean,
): WorkflowState {
  if (current === 'packaged' || current === 'delivered') return current;
  if (hasOpenException && evidenceStatus !== 'sufficient') return 'exception';
  if (evidenceStatus === 'sufficient') return 'sufficient';
  if (evidenceStatus === 'partial') return 'partial';
  return current === 'draft' && !hasAnyInput ? 'draft' : 'collecting';
}
