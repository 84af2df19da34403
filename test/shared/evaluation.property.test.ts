import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Evaluation, EvidenceStatus } from '../../shared/domain/evaluation';
import type { EvidenceItem, EvidenceRecord } from '../../shared/domain/evidence';
import type { ExceptionTicket } from '../../shared/domain/outputs';
import type { PreRun, RunFile } from '../../shared/domain/run';
import { SCORING_RULES, compareEvidenceStatus, evaluateRun } from '../../shared/evaluation';
import { completeEvidence } from '../fixtures/complete-evidence';

const RUNS = 300;

function evaluate(
  pre_run: PreRun,
  evidence: EvidenceItem[],
  files: RunFile[],
  exceptions: ExceptionTicket[] = [],
): Evaluation {
  return evaluateRun({ pre_run, evidence, files, exceptions, run_id: 'run_prop' });
}

const rank = (s: EvidenceStatus) => compareEvidenceStatus(s, 'missing');

/** A permutation of an array (every element kept, order shuffled). */
const permutation = <T>(items: T[]) => fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });

describe('property: monotonicity over subsets of the complete consistent run', () => {
  const full = completeEvidence();
  const nE = full.evidence.length;
  const nF = full.files.length;
  const mask = (n: number) => fc.array(fc.boolean(), { minLength: n, maxLength: n });

  it('A ⊆ B ⇒ status(A) ≤ status(B) and score(A) ≤ score(B)', () => {
    fc.assert(
      fc.property(mask(nE), mask(nE), mask(nF), mask(nF), (inB, inA, fileInB, fileInA) => {
        const c = completeEvidence();
        const eB = c.evidence.filter((_, i) => inB[i]);
        const eA = c.evidence.filter((_, i) => inB[i] && inA[i]);
        const fB = c.files.filter((_, i) => fileInB[i]);
        const fA = c.files.filter((_, i) => fileInB[i] && fileInA[i]);
        const a = evaluate(c.pre_run, eA, fA);
        const b = evaluate(c.pre_run, eB, fB);
        expect(rank(a.evidence_status)).toBeLessThanOrEqual(rank(b.evidence_status));
        expect(a.evidence_score).toBeLessThanOrEqual(b.evidence_score);
        // Consistent evidence never fails a check, whatever part of it is present.
        expect(b.checks.some((x) => x.status === 'fail')).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('every rule earns at least as much in B as in A', () => {
    fc.assert(
      fc.property(mask(nE), mask(nE), (inB, inA) => {
        const c = completeEvidence();
        const a = evaluate(
          c.pre_run,
          c.evidence.filter((_, i) => inB[i] && inA[i]),
          c.files,
        );
        const b = evaluate(
          c.pre_run,
          c.evidence.filter((_, i) => inB[i]),
          c.files,
        );
        a.rule_trace.forEach((r, i) => expect(r.earned).toBeLessThanOrEqual(b.rule_trace[i].earned));
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- small random records, often consistent, often not ----
const refs = fc.constantFrom('stl_A', 'stl_B', '');
const creds = fc.constantFrom('cred_A', 'cred_B', '');
const orders = fc.constantFrom('wo_A', 'wo_B', '');
const tools = fc.constantFrom('tokenops', 'other_tool');
const caps = fc.constantFrom('tokenops_result_package', 'other_cap');
const names = fc.constantFrom('a.json', 'b.csv', 'c.bin', 'dir/a.json');
const hashes = fc.constantFrom('a'.repeat(64), 'b'.repeat(64), 'A'.repeat(64));
const credits = fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constantFrom(0.5, Number.NaN, Number.POSITIVE_INFINITY));
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const record: fc.Arbitrary<EvidenceRecord> = fc.oneof(
  fc.record({
    kind: fc.constant('settlement_reference' as const),
    settlement_reference: refs,
    status: opt(fc.constantFrom('settled', 'pending', 'failed') as fc.Arbitrary<'settled' | 'pending' | 'failed'>),
  }),
  fc.record({
    kind: fc.constant('payment_request' as const),
    payment_request_id: fc.constantFrom('pr_1', 'pr_2', ''),
    settlement_reference: opt(refs),
  }),
  fc.record({
    kind: fc.constant('credit_ledger_entry' as const),
    entry_id: fc.constantFrom('led_1', 'led_2'),
    credit_entitlement_id: creds,
    entry_type: fc.constantFrom('grant', 'balance', 'debit', 'account') as fc.Arbitrary<
      'grant' | 'balance' | 'debit' | 'account'
    >,
    credits,
    balance: credits,
  }),
  fc.record({
    kind: fc.constant('work_order' as const),
    work_order_id: orders,
    task_run_id: fc.constant('task_1'),
    requested_tool: tools,
    requested_capability: caps,
    operating_goal: fc.constant('goal'),
  }),
  fc.record({
    kind: fc.constant('usage_receipt' as const),
    receipt_id: fc.constantFrom('usage_1', 'usage_2', ''),
    work_order_id: opt(orders),
    credit_entitlement_id: opt(creds),
    credits_debited: credits,
    remaining_credits: credits,
  }),
  fc.record({
    kind: fc.constant('files' as const),
    manifest_id: fc.constantFrom('man_1', 'man_2'),
    files: fc.array(
      fc.record({
        name: names,
        size: fc.integer({ min: 0, max: 3 }),
        sha256: hashes,
        media_type: fc.constant('application/json'),
      }),
      { maxLength: 3 },
    ),
  }),
  fc.record({ kind: fc.constant('digital_asset_context' as const), asset_id: fc.constant('asset_1') }),
  fc.record({
    kind: fc.constant('webhook_event' as const),
    event_id: fc.constant('evt_1'),
    event_type: fc.constant('payment.succeeded'),
  }),
);

const fileIds = fc.constantFrom('f1', 'f2', 'f3');

const item: fc.Arbitrary<EvidenceItem> = fc
  .record({ id: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'), record, file_id: opt(fileIds) })
  .map(({ id, record, file_id }) => ({
    evidence_id: id,
    kind: record.kind,
    source: file_id ? 'file' : 'form',
    received_at: '2026-06-02T10:00:00.000Z',
    format: 'tokenops',
    ...(file_id ? { file_id } : {}),
    record,
  }));

const file: fc.Arbitrary<RunFile> = fc
  .record({
    file_id: fileIds,
    name: names,
    size: fc.integer({ min: 0, max: 3 }),
    sha256: hashes,
    status: fc.constantFrom('clean', 'findings', 'unscannable', 'attested') as fc.Arbitrary<RunFile['scan']['status']>,
    attested: fc.boolean(),
    classified: fc.boolean(),
    problem: opt(fc.constant('malformed JSON')),
    excluded: fc.boolean(),
  })
  .map((f) => ({
    file_id: f.file_id,
    name: f.name,
    size: f.size,
    sha256: f.sha256,
    media_type: 'application/json',
    stored_path: `files/${f.file_id}`,
    added_at: '2026-06-02T10:00:00.000Z',
    scan: {
      status: f.status,
      findings:
        f.status === 'findings'
          ? [{ file: f.name, rule: 'rule-x', line: 1, column: 1, message: 'secret', excerpt: '***' }]
          : [],
      ...(f.attested ? { attested_by: 'op' } : {}),
    },
    classified_as: f.classified ? { kind: 'settlement_reference' as const, format: 'tokenops', records: 1 } : null,
    ...(f.problem ? { problem: f.problem } : {}),
    ...(f.excluded ? { excluded: { at: '2026-06-02T10:00:00.000Z', reason: 'x' } } : {}),
  }));

const exception: fc.Arbitrary<ExceptionTicket> = fc
  .record({
    ticket_id: fc.constantFrom('t1', 't2'),
    exception_type: fc.constantFrom(
      'evidence_gap',
      'inconsistent_evidence',
      'secret_found',
      'insufficient_credits',
      'callback_failed',
    ) as fc.Arbitrary<ExceptionTicket['exception_type']>,
    status: fc.constantFrom('waiting_on_requesting_agent', 'waiting_on_operator', 'resolved') as fc.Arbitrary<
      ExceptionTicket['status']
    >,
  })
  .map((t) => ({
    object_type: 'agent_exception_ticket' as const,
    requested_tool: 'tokenops',
    missing_items: [],
    safe_to_replay: true,
    run_id: 'run_prop',
    created_at: '2026-06-02T10:00:00.000Z',
    resume_from_state: 'partial',
    inconsistencies: [],
    recovery_path: [],
    replay_package_id: 'rpl_1',
    ...t,
  }));

const preRun: fc.Arbitrary<PreRun> = fc.record({
  credit_entitlement_id: opt(creds),
  requested_tool: tools,
  requested_capability: caps,
});

const anyRun = fc.record({
  pre_run: preRun,
  evidence: fc.array(item, { maxLength: 12 }),
  files: fc.array(file, { maxLength: 4 }),
  exceptions: fc.array(exception, { maxLength: 2 }),
});

describe('property: arbitrary (also inconsistent) evidence', () => {
  it('score is an integer in [0, 100], equal to the sum of the rule trace, and the status agrees with steps and checks', () => {
    fc.assert(
      fc.property(anyRun, (run) => {
        const e = evaluate(run.pre_run, run.evidence, run.files, run.exceptions);
        expect(Number.isInteger(e.evidence_score)).toBe(true);
        expect(e.evidence_score).toBeGreaterThanOrEqual(0);
        expect(e.evidence_score).toBeLessThanOrEqual(100);
        const counted = e.rule_trace.filter((r) => r.counted !== false);
        const max = counted.reduce((s, r) => s + r.weight, 0);
        expect(Math.round((100 * counted.reduce((s, r) => s + r.earned, 0)) / max)).toBe(e.evidence_score);
        expect(e.rule_trace.map((r) => r.rule_id)).toEqual(SCORING_RULES.map((r) => r.rule_id));
        expect(e.deliverable).toBe(e.evidence_status === 'sufficient');
        if (e.evidence_status === 'sufficient') {
          expect(e.steps.every((s) => s.status === 'satisfied')).toBe(true);
          expect(e.checks.some((c) => c.status === 'fail')).toBe(false);
          expect(e.blockers).toEqual([]);
        } else {
          expect(e.blockers.length).toBeGreaterThan(0);
        }
        if (e.evidence_status === 'missing') expect(e.steps.some((s) => s.status === 'satisfied')).toBe(false);
        for (const s of e.steps)
          expect(s.status === 'satisfied' ? s.problems.length === 0 : s.problems.length > 0).toBe(true);
        expect(e.next_actions.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('property: determinism', () => {
  it('the same input twice gives a deep-equal result', () => {
    fc.assert(
      fc.property(anyRun, (run) => {
        const a = evaluate(run.pre_run, run.evidence, run.files, run.exceptions);
        const b = evaluate(
          structuredClone(run.pre_run),
          structuredClone(run.evidence),
          structuredClone(run.files),
          structuredClone(run.exceptions),
        );
        expect(b).toEqual(a);
      }),
      { numRuns: RUNS },
    );
  });

  it('shuffling evidence, files and tickets changes nothing', () => {
    fc.assert(
      fc.property(
        anyRun.chain((run) =>
          fc.tuple(fc.constant(run), permutation(run.evidence), permutation(run.files), permutation(run.exceptions)),
        ),
        ([run, evidence, files, exceptions]) => {
          const a = evaluate(run.pre_run, run.evidence, run.files, run.exceptions);
          const b = evaluate(run.pre_run, evidence, files, exceptions);
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('shuffling the complete run changes nothing', () => {
    const c = completeEvidence();
    const expected = evaluate(c.pre_run, c.evidence, c.files);
    fc.assert(
      fc.property(permutation(c.evidence), permutation(c.files), (evidence, files) => {
        expect(evaluate(c.pre_run, evidence, files)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
