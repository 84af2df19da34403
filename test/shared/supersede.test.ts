/**
 * supersede: a record with the kind, format and id of one already in the run replaces it. The run's
 * records are indexed once, so an export of many rows is not a search of the whole run per row.
 */
import { describe, expect, it } from 'vitest';
import type { EvidenceItem } from '../../shared/domain/evidence';
import { supersede } from '../../shared/evaluation/supersede';

const AT = '2026-12-04T10:00:00.000Z';
let n = 0;
function entry(entryId: string, format = 'csv_row'): EvidenceItem {
  return {
    evidence_id: `ev_${++n}`,
    kind: 'credit_ledger_entry',
    source: 'file',
    received_at: AT,
    format,
    record: { entry_id: entryId } as unknown as EvidenceItem['record'],
  };
}

describe('supersede', () => {
  it('replaces the record of the same kind, format and id; another format is a second piece of evidence', () => {
    const old = entry('cle_1');
    const otherFormat = entry('cle_1', 'stripe_billing_credit_balance_transaction');
    const unrelated = entry('cle_2');
    const fix = entry('cle_1');
    const evidence = [old, otherFormat, unrelated, fix];
    const replaced = supersede(evidence, [fix], AT);
    expect([...replaced]).toEqual([[fix.evidence_id, old]]);
    expect(old).toMatchObject({ superseded_by: fix.evidence_id, superseded_at: AT });
    expect(fix.supersedes).toBe(old.evidence_id);
    expect(otherFormat.superseded_by).toBeUndefined();
    expect(unrelated.superseded_by).toBeUndefined();
  });

  it('a record already replaced is not replaced again, and records added together do not replace each other', () => {
    const first = entry('cle_1');
    const second = entry('cle_1');
    first.superseded_by = second.evidence_id;
    second.supersedes = first.evidence_id;
    const a = entry('cle_1');
    const b = entry('cle_1');
    const replaced = supersede([first, second, a, b], [a, b], AT);
    // a replaces the current one (second); b finds none left: both of a and b count, as two rows would.
    expect([...replaced.keys()]).toEqual([a.evidence_id]);
    expect(second.superseded_by).toBe(a.evidence_id);
    expect(first.superseded_by).toBe(second.evidence_id);
    expect(b.supersedes).toBeUndefined();
  });

  it('an export of 100,000 ledger rows corrects the 100,000 rows of an earlier export of it, row for row', () => {
    const rows = (v: string) => Array.from({ length: 100_000 }, (_, i) => entry(`cle_${i}`, v));
    const earlier = rows('csv_row');
    const corrected = rows('csv_row');
    const replaced = supersede([...earlier, ...corrected], corrected, AT);
    expect(replaced.size).toBe(100_000);
    expect(earlier.every((e, i) => e.superseded_by === corrected[i].evidence_id)).toBe(true);
  });
});
