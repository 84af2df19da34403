import { describe, expect, it } from 'vitest';
import { isTokenOpsError } from '../../shared/errors';
import {
  WORKFLOW_STATES,
  WORKFLOW_TRANSITIONS,
  assertTransition,
  canTransition,
  stateForEvidence,
  type WorkflowState,
} from '../../shared/workflow';

const pairs = WORKFLOW_STATES.flatMap((from) =>
  WORKFLOW_STATES.map((to) => [from, to] as [WorkflowState, WorkflowState]),
);
const legal = pairs.filter(([from, to]) => WORKFLOW_TRANSITIONS[from].includes(to));
const illegal = pairs.filter(([from, to]) => from !== to && !WORKFLOW_TRANSITIONS[from].includes(to));

function refusal(from: WorkflowState, to: WorkflowState) {
  try {
    assertTransition(from, to);
  } catch (e) {
    return e;
  }
  return null;
}

describe('workflow transitions', () => {
  it.each(legal)('accepts %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(illegal)('refuses %s → %s, listing the allowed moves', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    const e = refusal(from, to);
    expect(isTokenOpsError(e)).toBe(true);
    if (!isTokenOpsError(e)) return;
    expect(e.code).toBe('conflict');
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(`"${from}" cannot move to "${to}"`);
    const allowed = WORKFLOW_TRANSITIONS[from];
    if (allowed.length) expect(e.message).toContain(`it can move to: ${allowed.join(', ')}.`);
    else expect(e.message).toContain(`"${from}" is final.`);
  });

  it('staying in the same state is always allowed', () => {
    for (const s of WORKFLOW_STATES) expect(canTransition(s, s)).toBe(true);
  });

  it('draft → packaged and delivered → anything are refused', () => {
    expect((refusal('draft', 'packaged') as Error).message).toBe(
      'A run in state "draft" cannot move to "packaged". From "draft" it can move to: collecting, partial, exception, sufficient.',
    );
    for (const to of WORKFLOW_STATES.filter((s) => s !== 'delivered')) {
      expect((refusal('delivered', to) as Error).message).toBe(
        `A run in state "delivered" cannot move to "${to}". "delivered" is final.`,
      );
    }
  });

  it('a packaged run is frozen: it only moves on to delivered', () => {
    expect(WORKFLOW_TRANSITIONS.packaged).toEqual(['delivered']);
    expect(refusal('packaged', 'collecting')).not.toBeNull();
  });

  it('every state can be reached from draft, and every non-final state can reach delivered', () => {
    const reach = (from: WorkflowState) => {
      const seen = new Set<WorkflowState>([from]);
      const queue = [from];
      while (queue.length) {
        for (const n of WORKFLOW_TRANSITIONS[queue.shift()!]) {
          if (seen.has(n)) continue;
          seen.add(n);
          queue.push(n);
        }
      }
      return seen;
    };
    expect([...reach('draft')].sort()).toEqual([...WORKFLOW_STATES].sort());
    for (const s of WORKFLOW_STATES) expect(reach(s).has('delivered')).toBe(true);
  });
});

describe('stateForEvidence', () => {
  it('follows the evaluation and never leaves packaged or delivered', () => {
    expect(stateForEvidence('draft', 'missing', false, false)).toBe('draft');
    expect(stateForEvidence('draft', 'missing', false, true)).toBe('collecting');
    expect(stateForEvidence('collecting', 'partial', false, true)).toBe('partial');
    expect(stateForEvidence('partial', 'partial', true, true)).toBe('exception');
    expect(stateForEvidence('exception', 'sufficient', true, true)).toBe('sufficient');
    expect(stateForEvidence('packaged', 'partial', true, true)).toBe('packaged');
    expect(stateForEvidence('delivered', 'missing', false, true)).toBe('delivered');
  });

  it('every state it returns is a legal move from the current one', () => {
    for (const current of WORKFLOW_STATES)
      for (const status of ['missing', 'partial', 'sufficient'] as const)
        for (const ex of [false, true])
          for (const any of [false, true]) {
            const next = stateForEvidence(current, status, ex, any);
            if (current === 'draft' && next === 'draft') continue;
            expect(canTransition(current, next), `${current} → ${next}`).toBe(true);
          }
  });
});
