/**
 * ownProblems: a step's problems that no failing check accounts for. It takes the linked checks' open
 * items off the end of the step's problems instead of searching every detail for every problem, and must
 * give what that search gives.
 */
import { describe, expect, it } from 'vitest';
import { linkedItemsStart, ownProblems } from '../../shared/builders/missing-items';
import { CHECK_DEFINITIONS } from '../../shared/evaluation/catalog';
import { evaluateRun } from '../../shared/evaluation';
import type { Evaluation } from '../../shared/domain/evaluation';
import type { EvidenceItem } from '../../shared/domain/evidence';
import { completeEvidence, DEMO } from '../fixtures/complete-evidence';

/** The definition by text: a problem is accounted for when a linked failing check's detail contains it. */
function linkedDetails(step: Evaluation['steps'][number], e: Evaluation): string[] {
  return e.checks
    .filter(
      (c) =>
        c.status === 'fail' && CHECK_DEFINITIONS.some((d) => d.check_id === c.check_id && d.steps.includes(step.step)),
    )
    .map((c) => c.detail);
}

function byText(step: Evaluation['steps'][number], e: Evaluation): string[] {
  const linked = e.checks
    .filter(
      (c) =>
        c.status === 'fail' && CHECK_DEFINITIONS.some((d) => d.check_id === c.check_id && d.steps.includes(step.step)),
    )
    .map((c) => c.detail);
  return step.problems.filter((p) => !linked.some((d) => d.includes(p)));
}

function ledgerRow(i: number): EvidenceItem {
  return {
    evidence_id: `ev_row_${String(i).padStart(5, '0')}`,
    kind: 'credit_ledger_entry',
    source: 'file',
    received_at: DEMO.at,
    format: 'csv_row',
    row: i + 1,
    record: {
      kind: 'credit_ledger_entry',
      entry_id: `cle_row_${i}`,
      credit_entitlement_id: `ce_other_${i}`,
      entry_type: i % 2 ? 'debit' : 'grant',
      credits: 1,
      balance: i,
    } as unknown as EvidenceItem['record'],
  };
}

describe('ownProblems', () => {
  it('gives what matching by text gives, for runs with few and with thousands of mismatched rows', () => {
    for (const rows of [0, 1, 3, 3000]) {
      const c = completeEvidence();
      c.evidence.push(...Array.from({ length: rows }, (_, i) => ledgerRow(i)));
      const e = evaluateRun({ ...c, exceptions: [], run_id: 'run_demo_001' });
      const inconsistent = e.steps.filter((s) => s.status === 'inconsistent');
      if (rows >= 1) expect(inconsistent.map((s) => s.step)).toContain('credit_ledger_entry');
      for (const step of e.steps) {
        expect(ownProblems(step, e), `${rows} rows, ${step.step}`).toEqual(byText(step, e));
        // and by the problems' shape, not the search
        expect(linkedItemsStart(step.problems, linkedDetails(step, e)), step.step).toBeTypeOf('number');
      }
    }
  });

  it('an evaluation not written by evaluateRun is matched by text', () => {
    const e = evaluateRun({ ...completeEvidence(), exceptions: [], run_id: 'run_demo_001' });
    const check = CHECK_DEFINITIONS.find((d) => d.steps.length > 0)!;
    const base = e.steps.find((s) => (check.steps as string[]).includes(s.step))!;
    const step = { ...base, status: 'inconsistent' as const, problems: ['own problem.', 'reported by the check.'] };
    const checks = e.checks.map((c) =>
      c.check_id === check.check_id
        ? { ...c, status: 'fail' as const, detail: 'Something else. reported by the check. More.' }
        : c,
    );
    expect(ownProblems(step, { ...e, checks })).toEqual(['own problem.']);
  });
});
