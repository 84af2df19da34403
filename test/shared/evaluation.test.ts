import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../shared/domain/evaluation';
import type { EvidenceItem, EvidenceRecord, EvidenceStep } from '../../shared/domain/evidence';
import { EVIDENCE_STEPS } from '../../shared/domain/evidence';
import type { ExceptionTicket } from '../../shared/domain/outputs';
import type { RunFile } from '../../shared/domain/run';
import {
  CHECK_IDS,
  SCORE_MAX,
  SCORING_RULES,
  STEP_DEFINITIONS,
  evaluateRun,
  type CheckId,
} from '../../shared/evaluation';
import { completeEvidence, DEMO, type CompleteEvidence } from '../fixtures/complete-evidence';

const RUN = 'run_demo_001';

function evaluate(c: CompleteEvidence, exceptions: ExceptionTicket[] = []): Evaluation {
  return evaluateRun({ ...c, exceptions, run_id: RUN });
}

/** The one record of a kind in the fixture, to mutate in place. */
function recordOf<K extends EvidenceRecord['kind']>(
  c: CompleteEvidence,
  kind: K,
): Extract<EvidenceRecord, { kind: K }> {
  return c.evidence.find((e) => e.record.kind === kind)!.record as Extract<EvidenceRecord, { kind: K }>;
}

function step(e: Evaluation, s: EvidenceStep) {
  return e.steps.find((x) => x.step === s)!;
}

function check(e: Evaluation, id: CheckId) {
  return e.checks.find((x) => x.check_id === id)!;
}

/** The score is the share of the counted rules' weight that was earned, out of 100: every point still from a named rule. */
function expectTraceAddsUp(e: Evaluation) {
  const counted = e.rule_trace.filter((r) => r.counted !== false);
  const max = counted.reduce((s, r) => s + r.weight, 0);
  expect(Math.round((100 * counted.reduce((s, r) => s + r.earned, 0)) / max)).toBe(e.evidence_score);
  for (const r of e.rule_trace.filter((x) => x.counted === false)) expect(r.earned).toBe(0);
  expect(e.rule_trace.map((r) => [r.rule_id, r.weight])).toEqual(SCORING_RULES.map((r) => [r.rule_id, r.weight]));
  for (const r of e.rule_trace) {
    expect(r.earned === 0 || r.earned === r.weight).toBe(true);
    expect(r.reason.length).toBeGreaterThan(0);
  }
}

function ticket(over: Partial<ExceptionTicket>): ExceptionTicket {
  return {
    object_type: 'agent_exception_ticket',
    requested_tool: 'tokenops',
    exception_type: 'evidence_gap',
    status: 'waiting_on_requesting_agent',
    missing_items: ['matching payment request artifact'],
    safe_to_replay: true,
    ticket_id: 'exc_demo_001',
    run_id: RUN,
    created_at: DEMO.at,
    resume_from_state: 'partial',
    inconsistencies: [],
    recovery_path: [],
    replay_package_id: 'rpl_demo_001',
    ...over,
  };
}

function secretFile(over: Partial<RunFile> = {}): RunFile {
  return {
    file_id: 'file_secret',
    name: 'agent.env',
    size: 42,
    sha256: 'c'.repeat(64),
    media_type: 'text/plain',
    stored_path: 'runs/run_demo_001/files/file_secret/agent.env',
    added_at: DEMO.at,
    scan: {
      status: 'findings',
      findings: [
        {
          file: 'agent.env',
          rule: '@secretlint/secretlint-rule-aws',
          line: 3,
          column: 19,
          message: 'found AWS Secret Access Key',
          excerpt: 'AWS_SECRET=****',
        },
      ],
    },
    classified_as: null,
    ...over,
  };
}

describe('evaluateRun: the complete demo run', () => {
  const e = evaluate(completeEvidence());

  it('is sufficient with score 100, every step satisfied and every check passing', () => {
    expect(e.evidence_status).toBe('sufficient');
    expect(e.evidence_score).toBe(100);
    expect(e.deliverable).toBe(true);
    expect(e.blockers).toEqual([]);
    expect(e.steps.map((s) => s.status)).toEqual(EVIDENCE_STEPS.map(() => 'satisfied'));
    expect(e.checks.map((c) => c.check_id)).toEqual([...CHECK_IDS]);
    expect(e.checks.every((c) => c.status === 'pass')).toBe(true);
  });

  it('has no open items and says how to package', () => {
    expect(e.open_items).toEqual([]);
    expect(e.next_actions).toEqual([`Package the run: tokenops package ${RUN}`]);
  });

  it("gives each step the seed's words and the evidence that satisfies it", () => {
    for (const s of e.steps) {
      expect(s.satisfied_by).toBe(STEP_DEFINITIONS.find((d) => d.step === s.step)!.satisfied_by);
      expect(s.problems).toEqual([]);
      expect(s.received.length).toBeGreaterThan(0);
    }
    expect(step(e, 'files').received).toEqual(['ev_6_manifest', 'file_receipt', 'file_settlement']);
  });

  it('traces every point to a rule', () => expectTraceAddsUp(e));
});

describe('evaluateRun: one step missing at a time', () => {
  const removeStep = (s: EvidenceStep): CompleteEvidence => {
    const c = completeEvidence();
    c.evidence = c.evidence.filter((x) => x.record.kind !== s);
    if (s === 'files') c.files = [];
    return c;
  };
  const expectedItem: Record<EvidenceStep, RegExp> = {
    settlement_reference: /^Settlement reference: add the settlement intent, provider reference, invoice token/,
    payment_request: new RegExp(
      `^Payment request: add the payment request artifact, provider ID, credit funding record or test-provider artifact tied to settlement ${DEMO.settlement_reference}`,
    ),
    credit_ledger_entry: new RegExp(
      `^Credit ledger entry: add the funded entitlement, .* for credit entitlement ${DEMO.credit_entitlement_id}`,
    ),
    work_order:
      /^Work Order and task run: add the Work Order with its paid agent task run, requested tool tokenops, requested capability tokenops_result_package/,
    usage_receipt: new RegExp(
      `^Usage receipt: add the usage receipt .* tied to credit entitlement ${DEMO.credit_entitlement_id} and work order ${DEMO.work_order_id}`,
    ),
    files: /^Files or file manifest: add at least one public-safe file/,
  };

  for (const s of EVIDENCE_STEPS) {
    it(`without ${s}: partial, a precise open item, the other steps still satisfied`, () => {
      const e = evaluate(removeStep(s));
      expect(e.evidence_status).toBe('partial');
      expect(e.deliverable).toBe(false);
      expect(step(e, s).status).toBe('missing');
      for (const other of EVIDENCE_STEPS.filter((x) => x !== s)) expect(step(e, other).status).toBe('satisfied');
      expect(e.open_items).toHaveLength(1);
      expect(e.open_items[0]).toMatch(expectedItem[s]);
      expect(e.checks.some((c) => c.status === 'fail')).toBe(false);
      expect(e.evidence_score).toBeLessThanOrEqual(90);
      expect(e.blockers).toEqual([`${STEP_DEFINITIONS.find((d) => d.step === s)!.title} is missing.`]);
      expect(e.next_actions[0]).toMatch(/^Supply /);
      expect(e.next_actions.at(-1)).toBe(`Re-evaluate once the items above are supplied: tokenops evaluate ${RUN}`);
      expectTraceAddsUp(e);
    });
  }

  it('with nothing at all: missing, score 0, every check not applicable', () => {
    const e = evaluate({ pre_run: completeEvidence().pre_run, evidence: [], files: [] });
    expect(e.evidence_status).toBe('missing');
    expect(e.evidence_score).toBe(0);
    expect(e.steps.every((s) => s.status === 'missing')).toBe(true);
    expect(e.checks.every((c) => c.status === 'not_applicable')).toBe(true);
    expect(e.open_items).toHaveLength(6);
    expect(e.blockers).toHaveLength(6);
    expectTraceAddsUp(e);
  });

  it('names the usage receipt ties it knows, even when the receipt is what is missing', () => {
    const e = evaluate(removeStep('usage_receipt'));
    expect(e.next_actions).toContain(
      `Supply a usage receipt tied to credit entitlement ${DEMO.credit_entitlement_id} and work order ${DEMO.work_order_id}.`,
    );
  });
});

describe('evaluateRun: each cross-check failing on its own', () => {
  const cases: Array<{ id: CheckId; step: EvidenceStep; mutate: (c: CompleteEvidence) => void; values: string[] }> = [
    {
      id: 'payment_request_matches_settlement',
      step: 'payment_request',
      mutate: (c) => void (recordOf(c, 'payment_request').settlement_reference = 'stl_other_999'),
      values: [DEMO.payment_request_id, 'stl_other_999', DEMO.settlement_reference],
    },
    {
      id: 'ledger_entry_matches_entitlement',
      step: 'credit_ledger_entry',
      mutate: (c) => void (recordOf(c, 'credit_ledger_entry').credit_entitlement_id = 'cred_other_999'),
      values: [DEMO.ledger_entry_id, 'cred_other_999', DEMO.credit_entitlement_id],
    },
    {
      id: 'receipt_matches_work_order',
      step: 'usage_receipt',
      mutate: (c) => void (recordOf(c, 'usage_receipt').work_order_id = 'wo_other_999'),
      values: [DEMO.receipt_id, 'wo_other_999', DEMO.work_order_id],
    },
    {
      id: 'receipt_matches_entitlement',
      step: 'usage_receipt',
      mutate: (c) => void (recordOf(c, 'usage_receipt').credit_entitlement_id = 'cred_other_999'),
      values: [DEMO.receipt_id, 'cred_other_999', DEMO.credit_entitlement_id],
    },
    {
      id: 'remaining_equals_balance_minus_debited',
      step: 'usage_receipt',
      mutate: (c) => void (recordOf(c, 'usage_receipt').remaining_credits = 8),
      values: [DEMO.receipt_id, 'says 8 credits remain', 'balance 10 − 1 debited = 9'],
    },
    {
      id: 'work_order_requests_run_tool',
      step: 'work_order',
      mutate: (c) => void (recordOf(c, 'work_order').requested_tool = 'other_tool'),
      values: [DEMO.work_order_id, 'other_tool', 'tokenops'],
    },
    {
      id: 'file_manifest_hashes_match',
      step: 'files',
      mutate: (c) => void (recordOf(c, 'files').files[1].sha256 = 'ab'.repeat(32)),
      values: ['tokenops-demo-usage-receipt.json', 'ab'.repeat(32)],
    },
    {
      id: 'no_secrets',
      step: 'files',
      mutate: (c) => {
        c.files[0].scan = secretFile().scan;
      },
      values: ['tokenops-demo-settlement-reference.json', '@secretlint/secretlint-rule-aws', 'line 3'],
    },
  ];

  for (const k of cases) {
    it(`${k.id}: fails, partial, names both values, the other checks still pass`, () => {
      const c = completeEvidence();
      k.mutate(c);
      const e = evaluate(c);
      expect(check(e, k.id).status).toBe('fail');
      // The amount check has nothing to compare once the request names another settlement.
      const unlinked = k.id === 'payment_request_matches_settlement' ? ['payment_amount_matches_settlement'] : [];
      expect(
        e.checks.filter((x) => x.check_id !== k.id && !unlinked.includes(x.check_id)).every((x) => x.status === 'pass'),
      ).toBe(true);
      expect(e.evidence_status).toBe('partial');
      expect(e.deliverable).toBe(false);
      expect(e.open_items.length).toBeGreaterThan(0);
      const item = e.open_items.find((i) => k.values.every((v) => i.includes(v)));
      expect(item, `an open item naming ${k.values.join(', ')} in ${JSON.stringify(e.open_items)}`).toBeDefined();
      // The step holding the wrong evidence shows it; the other steps stay satisfied.
      expect(step(e, k.step).status).toBe('inconsistent');
      expect(step(e, k.step).problems).toContain(item);
      for (const other of EVIDENCE_STEPS.filter((x) => x !== k.step)) expect(step(e, other).status).toBe('satisfied');
      // One step (10) and one check (5) of 105 lost: 86; the payment-request case also counts the unlinked amount check (5): 81.
      expect(e.evidence_score).toBe(k.id === 'payment_request_matches_settlement' ? 81 : 86);
      expect(e.blockers.some((b) => b.includes(check(e, k.id).title))).toBe(true);
      expectTraceAddsUp(e);
    });
  }

  it('payment request names the expected sentence for a mismatch', () => {
    const c = completeEvidence();
    recordOf(c, 'payment_request').settlement_reference = 'stl_B';
    const e = evaluate(c);
    expect(e.open_items).toEqual([
      `Payment request ${DEMO.payment_request_id} names settlement stl_B, but the run's settlement reference is ${DEMO.settlement_reference}.`,
    ]);
    expect(e.next_actions[0]).toBe(
      `Correct payment request ${DEMO.payment_request_id} to name settlement ${DEMO.settlement_reference} (it names stl_B), or replace it with the payment request for ${DEMO.settlement_reference}.`,
    );
  });

  it('capability mismatch names both capabilities', () => {
    const c = completeEvidence();
    recordOf(c, 'work_order').requested_capability = 'other_capability';
    const e = evaluate(c);
    expect(check(e, 'work_order_requests_run_tool').status).toBe('fail');
    expect(e.open_items[0]).toBe(
      `Work order ${DEMO.work_order_id} requests capability other_capability, but the run's requested capability is tokenops_result_package.`,
    );
  });

  it('a debit larger than the balance fails: remaining credits are never negative', () => {
    const c = completeEvidence();
    recordOf(c, 'credit_ledger_entry').balance = 0;
    recordOf(c, 'usage_receipt').remaining_credits = 0;
    const e = evaluate(c);
    expect(check(e, 'remaining_equals_balance_minus_debited').status).toBe('fail');
    expect(e.open_items.join(' ')).toMatch(/remaining credits would be -1, and remaining credits are never negative/);
  });

  it('a file manifest size mismatch names both sizes', () => {
    const c = completeEvidence();
    const entry = recordOf(c, 'files').files[0];
    const actual = entry.size;
    entry.size = actual + 5;
    const e = evaluate(c);
    expect(check(e, 'file_manifest_hashes_match').status).toBe('fail');
    expect(e.open_items[0]).toContain(`${actual + 5} bytes`);
    expect(e.open_items[0]).toContain(`${actual} bytes`);
  });
});

describe('evaluateRun: files and secrets', () => {
  it('ignores an excluded file holding a secret', () => {
    const c = completeEvidence();
    c.files.push(secretFile({ excluded: { at: DEMO.at, reason: 'holds a key' } }));
    const e = evaluate(c);
    expect(e.evidence_status).toBe('sufficient');
    expect(e.evidence_score).toBe(100);
  });

  it('a packaged secret: one open item per finding (file, rule, line) and an action first', () => {
    const c = completeEvidence();
    c.files.push(secretFile());
    const e = evaluate(c);
    expect(check(e, 'no_secrets').status).toBe('fail');
    expect(e.evidence_status).toBe('partial');
    expect(e.open_items).toContain(
      'File agent.env holds a secret: rule @secretlint/secretlint-rule-aws at line 3, column 19 (found AWS Secret Access Key; AWS_SECRET=****).',
    );
    expect(e.next_actions[0]).toMatch(/^Exclude agent\.env or replace it with a redacted copy/);
    // An unclassified file is also named as kept-but-unused.
    expect(e.open_items).toContain('File agent.env could not be classified; it is kept but satisfies no step.');
  });

  it("a finding inside an archive, a binary or a file name is placed there, not at a text file's line", () => {
    const c = completeEvidence();
    const base = secretFile().scan.findings[0];
    const find = (over: object) => ({ ...base, line: 1, column: 22, ...over });
    c.files.push(
      secretFile({
        file_id: 'file_zip',
        name: 'export.zip',
        scan: { status: 'findings', findings: [find({ entry: '../../creds/.env', line: 2, column: 8 })] },
      }),
      secretFile({
        file_id: 'file_bin',
        name: 'agent.bin',
        scan: { status: 'findings', findings: [find({ offset: 4096 })] },
      }),
      secretFile({
        file_id: 'file_named',
        name: 'key.txt',
        scan: { status: 'findings', findings: [find({ in_name: true })] },
      }),
    );
    const items = evaluate(c).open_items;
    const rule = '@secretlint/secretlint-rule-aws';
    expect(items).toContain(
      `File export.zip holds a secret: rule ${rule} at entry ../../creds/.env line 2, column 8 (found AWS Secret Access Key; AWS_SECRET=****).`,
    );
    expect(items).toContain(
      `File agent.bin holds a secret: rule ${rule} at byte 4096 (found AWS Secret Access Key; AWS_SECRET=****).`,
    );
    expect(items).toContain(
      `File key.txt holds a secret: rule ${rule} at the file name (found AWS Secret Access Key; AWS_SECRET=****).`,
    );
    expect(evaluate(c).next_actions.join('\n')).toContain(`(${rule} at entry ../../creds/.env line 2)`);
  });

  it('ignores evidence read from an excluded file', () => {
    const c = completeEvidence();
    c.files.find((f) => f.file_id === 'file_receipt')!.excluded = { at: DEMO.at, reason: 'wrong file' };
    const e = evaluate(c);
    expect(step(e, 'usage_receipt').status).toBe('missing');
    expect(step(e, 'files').received).not.toContain('file_receipt');
    expect(e.evidence_status).toBe('partial');
  });

  it('an unscannable file must be attested', () => {
    const c = completeEvidence();
    c.files.push(
      secretFile({
        file_id: 'file_png',
        name: 'chart.png',
        scan: { status: 'unscannable', findings: [], reason: 'binary file' },
      }),
    );
    const e = evaluate(c);
    expect(check(e, 'no_secrets').status).toBe('fail');
    expect(e.open_items).toContain(
      'File chart.png could not be scanned for secrets (binary file) and is not attested.',
    );
    expect(e.next_actions).toContain('Attest that chart.png holds no secret, or exclude it.');

    c.files.at(-1)!.scan = { status: 'attested', findings: [], attested_by: 'operator@example.com' };
    const after = evaluate(c);
    expect(check(after, 'no_secrets').status).toBe('pass');
    expect(after.evidence_status).toBe('sufficient');
  });

  it('an unclassified file is kept, named in the open items, and satisfies no step', () => {
    const c = completeEvidence();
    c.files.push(secretFile({ file_id: 'file_notes', name: 'notes.bin', scan: { status: 'clean', findings: [] } }));
    const e = evaluate(c);
    expect(e.open_items).toEqual(['File notes.bin could not be classified; it is kept but satisfies no step.']);
    expect(step(e, 'files').received).not.toContain('file_notes');
    expect(e.evidence_status).toBe('sufficient');
  });

  it('an unclassified file alone does not satisfy step 6', () => {
    const c = completeEvidence();
    c.evidence = c.evidence.filter((x) => x.record.kind !== 'files');
    c.files = [secretFile({ file_id: 'file_notes', name: 'notes.bin', scan: { status: 'clean', findings: [] } })];
    expect(step(evaluate(c), 'files').status).toBe('missing');
  });

  it('a file manifest alone satisfies step 6 (sufficient; the file checks do not apply and leave the total: 100)', () => {
    const c = completeEvidence();
    c.files = [];
    const e = evaluate(c);
    expect(step(e, 'files').status).toBe('satisfied');
    expect(check(e, 'file_manifest_hashes_match').status).toBe('not_applicable');
    expect(check(e, 'no_secrets').status).toBe('not_applicable');
    expect(e.evidence_status).toBe('sufficient');
    expect(e.evidence_score).toBe(100);
    expect(e.rule_trace.find((r) => r.rule_id === 'check.no_secrets')!.counted).toBe(false);
  });
});

describe('evaluateRun: contradictions inside a step', () => {
  it('several different settlement references make step 1 inconsistent', () => {
    const c = completeEvidence();
    c.evidence.push({
      ...c.evidence[0],
      evidence_id: 'ev_1b',
      file_id: undefined,
      record: { kind: 'settlement_reference', settlement_reference: 'stl_B' },
    });
    const e = evaluate(c);
    expect(step(e, 'settlement_reference').status).toBe('inconsistent');
    expect(e.open_items[0]).toBe(
      `Settlement reference: Records name several different settlement references (stl_B, ${DEMO.settlement_reference}); a run has one.`,
    );
    expect(check(e, 'payment_request_matches_settlement').status).toBe('not_applicable');
    expect(e.evidence_status).toBe('partial');
  });

  it('a failed settlement makes step 1 inconsistent', () => {
    const c = completeEvidence();
    (recordOf(c, 'settlement_reference') as { status?: string }).status = 'failed';
    const e = evaluate(c);
    expect(step(e, 'settlement_reference').status).toBe('inconsistent');
    expect(e.open_items[0]).toContain('failed; a failed settlement does not fund the paid run');
  });

  it('without a pre-run entitlement, the ledger decides it and the receipt is checked against it', () => {
    const c = completeEvidence();
    delete c.pre_run.credit_entitlement_id;
    const ok = evaluate(c);
    expect(check(ok, 'ledger_entry_matches_entitlement').status).toBe('not_applicable');
    expect(check(ok, 'receipt_matches_entitlement').status).toBe('pass');
    recordOf(c, 'usage_receipt').credit_entitlement_id = 'cred_other';
    const bad = evaluate(c);
    expect(check(bad, 'receipt_matches_entitlement').status).toBe('fail');
    expect(bad.open_items.join(' ')).toContain(
      `but the credit ledger entry's credit entitlement is ${DEMO.credit_entitlement_id}`,
    );
  });
});

describe('evaluateRun: exception tickets', () => {
  it('an open insufficient_credits ticket blocks delivery', () => {
    const e = evaluate(completeEvidence(), [
      ticket({
        exception_type: 'insufficient_credits',
        missing_items: ['credit ledger entry with enough credits for the paid run'],
      }),
    ]);
    expect(e.evidence_status).toBe('partial');
    expect(e.blockers).toEqual(['Exception ticket exc_demo_001 (insufficient_credits) is open and blocks delivery.']);
    expect(e.evidence_score).toBe(100);
  });

  it('an open evidence-gap ticket whose items were supplied does not block; replay resumes the run', () => {
    const e = evaluate(completeEvidence(), [ticket({})]);
    expect(e.evidence_status).toBe('sufficient');
    expect(e.next_actions.at(-1)).toBe(
      `Resume the run from exception ticket exc_demo_001 and package it: tokenops replay ${RUN}`,
    );
    expect(e.open_items[0]).toMatch(/^Exception ticket exc_demo_001 \(evidence_gap\) is open/);
  });

  it('a resolved ticket is ignored', () => {
    const e = evaluate(completeEvidence(), [ticket({ exception_type: 'insufficient_credits', status: 'resolved' })]);
    expect(e.evidence_status).toBe('sufficient');
    expect(e.open_items).toEqual([]);
  });
});

describe('evaluateRun: robustness', () => {
  it('does not mutate its input', () => {
    const c = completeEvidence();
    const before = JSON.stringify(c);
    evaluate(c);
    expect(JSON.stringify(c)).toBe(before);
  });

  it('uses a placeholder when no run id is given', () => {
    const e = evaluateRun({ ...completeEvidence(), exceptions: [] });
    expect(e.next_actions).toEqual(['Package the run: tokenops package <run_id>']);
  });

  it('a record without its key id is inconsistent, not satisfied', () => {
    const c = completeEvidence();
    const item = c.evidence.find((x) => x.record.kind === 'payment_request') as EvidenceItem;
    (item.record as { payment_request_id: string }).payment_request_id = '';
    const e = evaluate(c);
    expect(step(e, 'payment_request').status).toBe('inconsistent');
    expect(e.open_items).toContain(
      'Payment request: Payment request record ev_2_payment_request has no payment_request_id.',
    );
  });
});

describe('scoring rules', () => {
  it('steps weigh 10, checks 5; the score is out of 100 whatever the table sums to; one rule per step and per check', () => {
    expect(SCORING_RULES.filter((r) => 'step' in r.applies_to).every((r) => r.weight === 10)).toBe(true);
    expect(SCORING_RULES.filter((r) => 'check_id' in r.applies_to).every((r) => r.weight === 5)).toBe(true);
    expect(SCORE_MAX).toBe(100);
    expect(SCORING_RULES).toHaveLength(EVIDENCE_STEPS.length + CHECK_IDS.length);
    expect(new Set(SCORING_RULES.map((r) => r.rule_id)).size).toBe(SCORING_RULES.length);
    for (const r of SCORING_RULES) {
      expect(Number.isInteger(r.weight) && r.weight > 0).toBe(true);
      expect(r.title.length && r.description.length).toBeTruthy();
    }
  });
});
