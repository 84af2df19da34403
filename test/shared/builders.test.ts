import { createHash, randomBytes } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '../../shared/domain/evidence';
import {
  buildCallbackPayload,
  buildEvidenceManifest,
  buildExceptionTicket,
  buildReplayPackage,
  buildResultPackage,
  buildUsageReceipt,
  publicDestination,
  recordDigest,
} from '../../shared/builders';
import { canonicalJson } from '../../shared/canonical-json';
import { evaluateRun, SCORING_RULES } from '../../shared/evaluation';
import { buildToolManifest, type CliEntryInput } from '../../shared/manifest';
import { SCHEMAS, type SchemaName } from '../../shared/schemas';
import { sha256Hex, utf8Bytes } from '../../shared/sha256';
import { WORKFLOW_STATES, WORKFLOW_TRANSITIONS } from '../../shared/workflow';
import { isTokenOpsError } from '../../shared/errors';
import { IPC_CHANNELS } from '../../shared/ipc/contract';
import { completeEvidence, DEMO, type CompleteEvidence } from '../fixtures/complete-evidence';

// The seed's public JSON objects, verbatim (shared/seed/tokenops-operating-tool.txt).
const SEED = {
  result_package: {
    package_type: 'tokenops_result_package',
    operating_tool: 'tokenops',
    evidence_status: 'sufficient',
    evidence_score: 95,
    received_inputs: 7,
    uploaded_files: ['tokenops-demo-settlement-reference.json', 'tokenops-demo-usage-receipt.json'],
    settlement_reference: 'stl_demo_20260602_001',
    usage_receipt: 'usage_demo_20260602_001',
    callback_delivery: 'ready',
    client_deliverable: 'TokenOps Result Package v1',
  },
  pre_run: {
    trust_profile_id: 'trust_demo_agent_001',
    quote_id: 'quote_demo_tokenops_001',
    credit_entitlement_id: 'cred_demo_tokenops_001',
    requested_tool: 'tokenops',
    requested_capability: 'tokenops_result_package',
  },
  usage_receipt: {
    receipt_id: 'usage_demo_20260602_001',
    receipt_type: 'tokenops_usage_receipt',
    operating_tool: 'tokenops',
    credits_debited: 1,
    remaining_credits: 9,
    evidence_status: 'sufficient',
    result_status: 'ready',
    callback_status: 'ready',
  },
  exception_ticket: {
    object_type: 'agent_exception_ticket',
    requested_tool: 'tokenops',
    exception_type: 'evidence_gap',
    status: 'waiting_on_requesting_agent',
    missing_items: ['matching payment request artifact', 'usage receipt tied to credit entitlement'],
    safe_to_replay: false,
  },
  manifest: {
    tool_id: 'tokenops',
    accepted_inputs: [
      'settlement_reference',
      'payment_request',
      'usage_receipt',
      'agent_task_run',
      'digital_asset_context',
    ],
    outputs: ['tokenops_review', 'evidence_summary', 'operating_record'],
  },
} as const;

const NOW = '2026-06-02T12:00:00.000Z';
const RUN = 'run_demo_001';
const DESTINATION = 'https://agent.example.com/hooks/tokenops';

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

function expectValid(name: SchemaName, value: unknown) {
  const validate = ajv.getSchema(SCHEMAS[name].$id) ?? ajv.compile(SCHEMAS[name] as object);
  const ok = validate(value);
  expect(ok, `${name}: ${JSON.stringify(validate.errors, null, 1)}`).toBe(true);
}

/** Every seed key is present with the seed's JSON value type. */
function expectSeedShape(seed: Record<string, unknown>, out: object) {
  const o = out as Record<string, unknown>;
  for (const [key, value] of Object.entries(seed)) {
    expect(o, `missing seed field ${key}`).toHaveProperty(key);
    expect(jsonType(o[key]), `type of ${key}`).toBe(jsonType(value));
    if (Array.isArray(value)) for (const v of o[key] as unknown[]) expect(jsonType(v)).toBe(jsonType(value[0]));
  }
  expect(Object.keys(o)).toEqual(expect.arrayContaining(Object.keys(seed)));
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function run(c: CompleteEvidence = completeEvidence()) {
  const evaluation = evaluateRun({ ...c, exceptions: [], run_id: RUN });
  return { ...c, evaluation };
}

function without(...kinds: EvidenceRecord['kind'][]): CompleteEvidence {
  const c = completeEvidence();
  c.evidence = c.evidence.filter((e) => !kinds.includes(e.record.kind));
  return c;
}

function resultPackage(r = run()) {
  return buildResultPackage({
    run_id: RUN,
    package_id: 'pkg_demo_001',
    now: NOW,
    pre_run: r.pre_run,
    evidence: r.evidence,
    files: r.files,
    evaluation: r.evaluation,
    usage_receipt_id: DEMO.receipt_id,
    callback: { destination: DESTINATION },
  });
}

function usageReceipt(r = run()) {
  return buildUsageReceipt({
    run_id: RUN,
    receipt_id: DEMO.receipt_id,
    now: NOW,
    pre_run: r.pre_run,
    evidence: r.evidence,
    files: r.files,
    evaluation: r.evaluation,
    credits: {
      debited: 1,
      remaining: 9,
      credit_entitlement_id: DEMO.credit_entitlement_id,
      ledger_entry_id: DEMO.ledger_entry_id,
    },
    callback_status: 'ready',
  });
}

function ticket(r: ReturnType<typeof run>, credits?: { already_debited: number; debit_idempotent: boolean }) {
  return buildExceptionTicket({
    run_id: RUN,
    ticket_id: 'exc_demo_001',
    replay_package_id: 'rpl_demo_001',
    now: NOW,
    pre_run: r.pre_run,
    files: r.files,
    evaluation: r.evaluation,
    credits,
  });
}

describe('buildResultPackage', () => {
  it("carries every seed field with the seed's value types, and the demo's values", () => {
    const pkg = resultPackage();
    expectSeedShape(SEED.result_package, pkg);
    expect({ ...pkg, evidence_score: 95 }).toMatchObject(SEED.result_package);
    expect(pkg.evidence_score).toBe(100);
    expectValid('result_package', pkg);
  });

  it('carries the settlement trail, payment request, callback readiness and the evaluation', () => {
    const r = run();
    const pkg = resultPackage(r);
    expect(pkg.settlement_trail.map((t) => [t.step, t.reference])).toEqual([
      ['settlement_reference', DEMO.settlement_reference],
      ['payment_request', DEMO.payment_request_id],
      ['credit_ledger_entry', DEMO.ledger_entry_id],
    ]);
    expect(pkg.payment_request).toEqual({
      payment_request_id: DEMO.payment_request_id,
      provider: 'test-provider',
      amount: { value: '10.00', currency: 'USD' },
    });
    expect(pkg.callback_readiness).toEqual({
      status: 'ready',
      destination: DESTINATION,
      reason: `The callback payload can be sent to ${DESTINATION}.`,
    });
    expect(pkg.rule_trace).toEqual(r.evaluation.rule_trace);
    expect(pkg.next_actions).toEqual(r.evaluation.next_actions);
    expect(pkg.trust).toEqual(SEED.pre_run);
  });

  it('a partial run: pending callback, null references where evidence is absent', () => {
    const r = run(without('settlement_reference', 'usage_receipt'));
    const pkg = buildResultPackage({
      run_id: RUN,
      package_id: 'pkg_2',
      now: NOW,
      pre_run: r.pre_run,
      evidence: r.evidence,
      files: r.files,
      evaluation: r.evaluation,
      usage_receipt_id: null,
      callback: { destination: 'https://user:pw@agent.example.com/hook?token=abc#x' },
    });
    expect(pkg.evidence_status).toBe('partial');
    expect(pkg.settlement_reference).toBeNull();
    expect(pkg.usage_receipt).toBeNull();
    expect(pkg.callback_delivery).toBe('pending');
    expect(pkg.callback_readiness.destination).toBe('https://agent.example.com/hook');
    expect(pkg.open_items.length).toBe(2);
    expectValid('result_package', pkg);
  });

  it('no destination: not_configured', () => {
    const r = run();
    const pkg = buildResultPackage({ run_id: RUN, package_id: 'p', now: NOW, ...r, usage_receipt_id: null });
    expect(pkg.callback_delivery).toBe('not_configured');
    expectValid('result_package', pkg);
  });

  it('leaves out excluded files', () => {
    const c = completeEvidence();
    c.files[0].excluded = { at: NOW, reason: 'not public' };
    const pkg = resultPackage(run(c));
    expect(pkg.uploaded_files).toEqual(['tokenops-demo-usage-receipt.json']);
    expect(pkg.received_inputs).toBe(6);
  });

  it('publicDestination strips credentials, query and fragment', () => {
    expect(publicDestination('https://a:b@h.example/p/q?x=1#f')).toBe('https://h.example/p/q');
    expect(publicDestination('http://h.example')).toBe('http://h.example');
  });
});

describe('buildUsageReceipt', () => {
  it("carries every seed field with the seed's value types and the demo's values", () => {
    const receipt = usageReceipt();
    expectSeedShape(SEED.usage_receipt, receipt);
    expect(receipt).toMatchObject(SEED.usage_receipt);
    expect(receipt).toMatchObject({
      run_id: RUN,
      credit_entitlement_id: DEMO.credit_entitlement_id,
      work_order_id: DEMO.work_order_id,
      result_url: DEMO.result_url,
      receipt_reference: 'rcpt_ref_demo_001',
      issued_at: NOW,
    });
    expectValid('usage_receipt', receipt);
  });

  it('result status: pending while evidence is only missing, blocked when something must be corrected', () => {
    expect(usageReceipt(run(without('payment_request'))).result_status).toBe('pending');
    const c = completeEvidence();
    (c.evidence[1].record as { settlement_reference: string }).settlement_reference = 'stl_other';
    expect(usageReceipt(run(c)).result_status).toBe('blocked');
  });

  it('falls back to the ledger entry for a preservable reference', () => {
    const c = completeEvidence();
    delete (c.evidence[4].record as { receipt_reference?: string }).receipt_reference;
    expect(usageReceipt(run(c)).receipt_reference).toBe(DEMO.ledger_entry_id);
  });
});

describe('buildExceptionTicket', () => {
  it('a run missing its payment request and usage receipt lists seed-style missing items', () => {
    const t = ticket(run(without('payment_request', 'usage_receipt')));
    expectSeedShape(SEED.exception_ticket, t);
    expect(t).toMatchObject({
      object_type: 'agent_exception_ticket',
      requested_tool: 'tokenops',
      exception_type: 'evidence_gap',
      status: 'waiting_on_requesting_agent',
      missing_items: ['matching payment request artifact', 'usage receipt tied to credit entitlement'],
      safe_to_replay: true,
      ticket_id: 'exc_demo_001',
      run_id: RUN,
      replay_package_id: 'rpl_demo_001',
      resume_from_state: 'partial',
      inconsistencies: [],
    });
    expect(t.recovery_path[0]).toBe(
      'Requesting agent: supply matching payment request artifact; usage receipt tied to credit entitlement.',
    );
    expect(t.recovery_path.join(' ')).toContain(`idempotency key run:${RUN}`);
    expectValid('exception_ticket', t);
  });

  it('safe_to_replay: true when nothing was debited or the debit is idempotently recorded, false otherwise', () => {
    const r = run(without('payment_request', 'usage_receipt'));
    expect(ticket(r, { already_debited: 0, debit_idempotent: false }).safe_to_replay).toBe(true);
    expect(ticket(r, { already_debited: 1, debit_idempotent: true }).safe_to_replay).toBe(true);
    const unsafe = ticket(r, { already_debited: 1, debit_idempotent: false });
    expect(unsafe.safe_to_replay).toBe(false);
    expect(unsafe.recovery_path.join(' ')).toContain('check the ledger before replaying');
  });

  it('a failing check: inconsistent_evidence, naming both values', () => {
    const c = completeEvidence();
    (c.evidence[1].record as { settlement_reference: string }).settlement_reference = 'stl_B';
    const t = ticket(run(c));
    expect(t.exception_type).toBe('inconsistent_evidence');
    expect(t.status).toBe('waiting_on_requesting_agent');
    expect(t.missing_items).toEqual(['matching payment request artifact']);
    expect(t.inconsistencies).toEqual([
      `Payment request ${DEMO.payment_request_id} names settlement stl_B, but the run's settlement reference is ${DEMO.settlement_reference}.`,
    ]);
    expectValid('exception_ticket', t);
  });

  it('a secret: secret_found, waiting on the operator, who is told which file to remove', () => {
    const c = completeEvidence();
    c.files[0].scan = {
      status: 'findings',
      findings: [{ file: c.files[0].name, rule: 'rule-x', line: 2, column: 1, message: 'key', excerpt: '***' }],
    };
    const t = ticket(run(c));
    expect(t.exception_type).toBe('secret_found');
    expect(t.status).toBe('waiting_on_operator');
    expect(t.missing_items).toEqual([`redacted copy of ${c.files[0].name} (or its exclusion)`]);
    expect(t.recovery_path[0]).toBe(
      `Operator: exclude ${c.files[0].name} or replace it with a redacted copy; it holds a secret.`,
    );
    expectValid('exception_ticket', t);
  });

  it('refuses to invent an evidence exception for a sufficient run, but builds a service exception', () => {
    const r = run();
    try {
      ticket(r);
      expect.unreachable();
    } catch (e) {
      expect(isTokenOpsError(e) && e.code).toBe('conflict');
    }
    const t = buildExceptionTicket({
      run_id: RUN,
      ticket_id: 'exc_2',
      replay_package_id: 'rpl_2',
      now: NOW,
      pre_run: r.pre_run,
      files: r.files,
      evaluation: r.evaluation,
      exception_type: 'insufficient_credits',
    });
    expect(t.missing_items).toEqual(['credit ledger entry with enough credits for the paid run']);
    expectValid('exception_ticket', t);
  });
});

describe('buildReplayPackage', () => {
  it('holds the known evidence with record digests, missing items, credits already debited and the idempotency key', () => {
    const r = run(without('payment_request', 'usage_receipt'));
    const t = ticket(r);
    const rp = buildReplayPackage({
      run_id: RUN,
      replay_package_id: t.replay_package_id,
      ticket_id: t.ticket_id,
      now: NOW,
      pre_run: r.pre_run,
      evidence: r.evidence,
      files: r.files,
      evaluation: r.evaluation,
      resume_from_state: 'partial',
      credits_already_debited: 0,
    });
    expect(rp.object_type).toBe('tokenops_replay_package');
    expect(rp.idempotency_key).toBe(`run:${RUN}`);
    expect(rp.missing_items).toEqual(t.missing_items);
    expect(rp.credits_already_debited).toBe(0);
    expect(rp.known_evidence.map((k) => k.evidence_id)).toEqual(r.evidence.map((e) => e.evidence_id).sort());
    for (const k of rp.known_evidence) {
      const record = r.evidence.find((e) => e.evidence_id === k.evidence_id)!.record;
      expect(k.record_sha256).toBe(createHash('sha256').update(canonicalJson(record), 'utf8').digest('hex'));
    }
    expect(rp.known_files).toEqual(r.files.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size })));
    expect(rp.evidence_status).toBe('partial');
    expect(rp.how_to_resume.join(' ')).toContain(`tokenops replay ${RUN}`);
    expectValid('replay_package', rp);
  });

  it('record digests ignore key order', () => {
    expect(recordDigest({ a: 1, b: [2, { c: 3, d: 'é' }] })).toBe(recordDigest({ b: [2, { d: 'é', c: 3 }], a: 1 }));
  });
});

describe('buildCallbackPayload and buildEvidenceManifest', () => {
  it('a ready callback payload references the package, receipt and bundle', () => {
    const r = run();
    const pkg = resultPackage(r);
    const receipt = usageReceipt(r);
    const payload = buildCallbackPayload({
      run_id: RUN,
      now: NOW,
      evaluation: r.evaluation,
      result_package: pkg,
      usage_receipt: receipt,
      exception_ticket: null,
      bundle_sha256: 'F'.repeat(64),
    });
    expect(payload).toMatchObject({
      event_type: 'tokenops.result_package.ready',
      result_status: 'ready',
      result_package: 'pkg_demo_001',
      usage_receipt: DEMO.receipt_id,
      settlement_reference: DEMO.settlement_reference,
      bundle_sha256: 'f'.repeat(64),
      exception_ticket: null,
      evidence_score: 100,
    });
    expectValid('callback_payload', payload);
  });

  it('an exception callback payload references the ticket', () => {
    const r = run(without('payment_request'));
    const t = ticket(r);
    const payload = buildCallbackPayload({
      run_id: RUN,
      now: NOW,
      evaluation: r.evaluation,
      result_package: null,
      usage_receipt: null,
      exception_ticket: t,
      bundle_sha256: null,
    });
    expect(payload.event_type).toBe('tokenops.run.exception');
    expect(payload.exception_ticket).toBe('exc_demo_001');
    expect(payload.result_status).toBe('pending');
    expect(payload.open_items).toEqual(r.evaluation.open_items);
    expectValid('callback_payload', payload);
  });

  it('the evidence manifest lists every usable record and file with paths', () => {
    const r = run();
    const m = buildEvidenceManifest({
      run_id: RUN,
      now: NOW,
      pre_run: r.pre_run,
      evidence: r.evidence,
      files: r.files,
    });
    expect(m.records).toHaveLength(7);
    expect(m.records[0]).toEqual({
      evidence_id: 'ev_1_settlement',
      kind: 'settlement_reference',
      format: 'tokenops',
      source: 'file',
      file: 'tokenops-demo-settlement-reference.json',
      path: 'records/ev_1_settlement.json',
    });
    expect(m.files.map((f) => [f.name, f.scan_status, f.path])).toEqual([
      [
        'tokenops-demo-settlement-reference.json',
        'clean',
        'files/file_settlement/tokenops-demo-settlement-reference.json',
      ],
      ['tokenops-demo-usage-receipt.json', 'clean', 'files/file_receipt/tokenops-demo-usage-receipt.json'],
    ]);
    expect(m.pre_run).toEqual(SEED.pre_run);
    expectValid('evidence_manifest', m);
  });

  it('builders are pure: same input, same output; input untouched', () => {
    const r = run();
    const before = JSON.stringify(r);
    expect(resultPackage(r)).toEqual(resultPackage(r));
    expect(usageReceipt(r)).toEqual(usageReceipt(r));
    expect(JSON.stringify(r)).toBe(before);
  });
});

describe('buildToolManifest', () => {
  const cli: CliEntryInput[] = [
    {
      name: 'manifest',
      description: 'print the manifest',
      usage: 'manifest',
      arguments: [],
      flags: [],
      document: 'tool_manifest',
    },
    {
      name: 'pack',
      description: 'One shot.',
      usage: 'pack DIR --out FILE [--force]',
      arguments: ['DIR'],
      flags: [
        { name: '--out', type: 'string', multiple: false },
        { name: '--force', type: 'boolean', multiple: false },
      ],
      document: 'pack_result',
    },
  ];
  const m = buildToolManifest({ ipcChannels: IPC_CHANNELS, cliCommands: cli });

  it("carries the seed's fields and values, plus ours", () => {
    expectSeedShape(SEED.manifest, m);
    expect(m.tool_id).toBe('tokenops');
    expect(m.accepted_inputs.slice(0, 5)).toEqual([...SEED.manifest.accepted_inputs]);
    expect(m.outputs).toEqual(
      expect.arrayContaining([
        ...SEED.manifest.outputs,
        'result_package',
        'usage_receipt',
        'callback_payload',
        'exception_ticket',
        'replay_package',
        'evidence_manifest',
      ]),
    );
    expectValid('tool_manifest', m);
  });

  it('publishes the evidence requirements with schemas and the rules that concern each step', () => {
    expect(m.evidence_requirements.map((r) => r.step)).toEqual([
      'settlement_reference',
      'payment_request',
      'credit_ledger_entry',
      'work_order',
      'usage_receipt',
      'files',
    ]);
    for (const r of m.evidence_requirements) {
      expect(r.schema_id).toBe(SCHEMAS[r.schema].$id);
      expect(r.rules[0]).toEqual({ rule_id: `step.${r.step}`, title: expect.any(String), weight: 10 });
    }
    const receipt = m.evidence_requirements.find((r) => r.step === 'usage_receipt')!;
    expect(receipt.rules.map((x) => x.rule_id)).toEqual([
      'step.usage_receipt',
      'check.receipt_matches_work_order',
      'check.receipt_matches_entitlement',
      'check.remaining_equals_balance_minus_debited',
    ]);
    expect(m.scoring_rules.map((r) => r.rule_id)).toEqual(SCORING_RULES.map((r) => r.rule_id));
    // The score is the earned share of the rules that count, out of 100, whatever the weights sum to.
    expect(m.scoring_rules.reduce((s, r) => s + r.weight, 0)).toBe(105);
    expect(m.score_max).toBe(100);
  });

  it('lists output modes, workflow states with transitions, and the entry points passed in', () => {
    expect(m.output_modes.map((o) => o.mode)).toEqual(['json', 'signed_bundle', 'callback']);
    expect(m.workflow_states.map((s) => s.state)).toEqual([...WORKFLOW_STATES]);
    for (const s of m.workflow_states)
      expect(s.transitions).toEqual([...WORKFLOW_TRANSITIONS[s.state as keyof typeof WORKFLOW_TRANSITIONS]]);
    expect(m.entry_points.cli).toEqual([
      {
        command: 'tokenops manifest',
        description: 'print the manifest',
        usage: 'tokenops manifest',
        arguments: [],
        flags: [],
        output_schema: 'https://schemas.tokenops.dev/documents/tool_manifest/v1.json',
      },
      {
        command: 'tokenops pack',
        description: 'One shot.',
        usage: 'tokenops pack DIR --out FILE [--force]',
        arguments: ['DIR'],
        flags: cli[1]!.flags,
        output_schema: 'https://schemas.tokenops.dev/documents/pack_result/v2.json',
      },
    ]);
    // The manifest carries every schema body, records and documents alike.
    const names = m.schemas.map((x) => `${x.kind}:${x.name}`);
    expect(names).toEqual(
      expect.arrayContaining(['record:settlement_reference', 'document:tokenops_review', 'document:error']),
    );
    for (const x of m.schemas) expect(x.schema.$id).toBe(x.schema_id);
    expect(m.output_details.find((o) => o.name === 'operating_record')!.produced_by).toContain('tokenops package');
    expect(m.entry_points.ipc.map((c) => c.channel)).toEqual([...IPC_CHANNELS]);
    expect(m.entry_points.ipc.every((c) => c.description.length > 0)).toBe(true);
  });

  it('is plain JSON (survives a round trip)', () => {
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

describe('sha256 (pure) agrees with node:crypto', () => {
  it('on every length around the block boundaries and on random bytes', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = randomBytes(n);
      expect(sha256Hex(new Uint8Array(bytes))).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const big = randomBytes(100_003);
    expect(sha256Hex(new Uint8Array(big))).toBe(createHash('sha256').update(big).digest('hex'));
  });

  it('on the FIPS test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('on arbitrary strings, encoding UTF-8 as TextEncoder does (lone surrogates too)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(Buffer.from(utf8Bytes(s)).equals(Buffer.from(new TextEncoder().encode(s)))).toBe(true);
        expect(sha256Hex(s)).toBe(createHash('sha256').update(new TextEncoder().encode(s)).digest('hex'));
      }),
      { numRuns: 200 },
    );
    expect(sha256Hex('a\ud800b')).toBe(createHash('sha256').update(new TextEncoder().encode('a\ud800b')).digest('hex'));
  });
});
