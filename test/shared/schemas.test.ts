import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { SCHEMAS, SCHEMA_NAMES, EVIDENCE_KIND_SCHEMA, type SchemaName } from '../../shared/schemas/index';
import { IPC_CHANNELS, IPC_CONTRACT } from '../../shared/ipc/contract';
import { TokenOpsError } from '../../shared/errors';
import type {
  CreditLedgerEntryRecord,
  DigitalAssetContextRecord,
  EvidenceRecord,
  FileManifestRecord,
  PaymentRequestRecord,
  SettlementReferenceRecord,
  UsageReceiptRecord,
  WebhookEventRecord,
  WorkOrderRecord,
} from '../../shared/domain/evidence';
import type { PreRun } from '../../shared/domain/run';
import type {
  CallbackPayload,
  EvidenceManifest,
  ExceptionTicket,
  ReplayPackage,
  ResultPackage,
  UsageReceipt,
} from '../../shared/domain/outputs';
import { OUT_DTS, OUT_JS, generateValidators } from '../../scripts/gen-validators';
import { validatorsAreStale } from '../setup/generate-validators';

// The globalSetup (test/setup/generate-validators.ts) normally did this already; repeated here so this
// file also runs alone. The facade is imported afterwards because it imports the generated file.
if (validatorsAreStale()) await generateValidators();
const facade: typeof import('../../shared/validate') = await import('../../shared/validate');
const { validate, validateIpcInput, isValid } = facade;
const generated = await import('../../shared/generated/validators');

// ---------------------------------------------------------------------------------------------
// The seed's JSON objects, copied verbatim from /work/shared/seed/tokenops-operating-tool.txt

const SEED_RESULT_PACKAGE = {
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
};

const SEED_TRUST_QUOTE_CREDIT = {
  trust_profile_id: 'trust_demo_agent_001',
  quote_id: 'quote_demo_tokenops_001',
  credit_entitlement_id: 'cred_demo_tokenops_001',
  requested_tool: 'tokenops',
  requested_capability: 'tokenops_result_package',
};

const SEED_USAGE_RECEIPT = {
  receipt_id: 'usage_demo_20260602_001',
  receipt_type: 'tokenops_usage_receipt',
  operating_tool: 'tokenops',
  credits_debited: 1,
  remaining_credits: 9,
  evidence_status: 'sufficient',
  result_status: 'ready',
  callback_status: 'ready',
};

const SEED_EXCEPTION_TICKET = {
  object_type: 'agent_exception_ticket',
  requested_tool: 'tokenops',
  exception_type: 'evidence_gap',
  status: 'waiting_on_requesting_agent',
  missing_items: ['matching payment request artifact', 'usage receipt tied to credit entitlement'],
  safe_to_replay: false,
};

const SEED_MANIFEST = {
  tool_id: 'tokenops',
  accepted_inputs: [
    'settlement_reference',
    'payment_request',
    'usage_receipt',
    'agent_task_run',
    'digital_asset_context',
  ],
  outputs: ['tokenops_review', 'evidence_summary', 'operating_record'],
};

// ---------------------------------------------------------------------------------------------
// Full values typed with the domain types (so TypeScript proves the field names), all optional fields set

const HASH = 'a'.repeat(64);
const AT = '2026-06-02T10:00:00.000Z';

const FULL_RECORDS: { [K in keyof typeof EVIDENCE_KIND_SCHEMA]: EvidenceRecord & { kind: K } } = {
  settlement_reference: {
    kind: 'settlement_reference',
    settlement_reference: 'stl_demo_20260602_001',
    provider: 'stripe',
    provider_reference: 'pi_123',
    invoice_token: 'inv_1',
    amount: { value: '10.00', currency: 'USD' },
    network: 'base',
    transaction: '0xabc',
    payer: '0xpayer',
    status: 'settled',
    status_reason: 'none',
    settled_at: AT,
  } satisfies Required<SettlementReferenceRecord>,
  payment_request: {
    kind: 'payment_request',
    payment_request_id: 'pr_1',
    settlement_reference: 'stl_demo_20260602_001',
    provider: 'x402',
    provider_id: 'prov_1',
    amount: { value: '10000', currency: 'USDC' },
    pay_to: '0xpayee',
    network: 'base',
    scheme: 'exact',
    resource: 'https://api.example/run',
  } satisfies Required<PaymentRequestRecord>,
  credit_ledger_entry: {
    kind: 'credit_ledger_entry',
    entry_id: 'ent_1',
    credit_entitlement_id: 'cred_demo_tokenops_001',
    entry_type: 'grant',
    credits: 10,
    balance: 10,
    funding: { value: '10.00', currency: 'USD' },
    grant_id: 'credgr_1',
    customer: 'cus_1',
    provider: 'stripe',
    provider_reference: 'cg_1',
    recorded_at: AT,
    status: 'voided',
    status_reason: 'Stripe voided the grant at 2026-06-02T09:00:00.000Z',
    expires_at: AT,
  } satisfies Required<CreditLedgerEntryRecord>,
  work_order: {
    kind: 'work_order',
    work_order_id: 'wo_1',
    task_run_id: 'run_1',
    started_at: AT,
    requested_tool: 'tokenops',
    requested_capability: 'tokenops_result_package',
    operating_goal: 'Package the evidence',
    requesting_agent: 'agent_a',
    performing_agent: 'agent_b',
    status: 'completed',
  } satisfies Required<WorkOrderRecord>,
  usage_receipt: {
    kind: 'usage_receipt',
    receipt_id: 'usage_demo_20260602_001',
    work_order_id: 'wo_1',
    credit_entitlement_id: 'cred_demo_tokenops_001',
    credits_debited: 1,
    remaining_credits: 9,
    result_url: 'https://example.test/result',
    receipt_reference: 'rcpt_ref_1',
    issued_at: AT,
  } satisfies Required<UsageReceiptRecord>,
  files: {
    kind: 'files',
    manifest_id: 'fm_1',
    files: [{ name: 'a.json', size: 12, sha256: HASH, media_type: 'application/json' }],
  } satisfies Required<FileManifestRecord>,
  digital_asset_context: {
    kind: 'digital_asset_context',
    asset_id: 'asset_1',
    asset_type: 'tokenized_fund',
    network: 'ethereum',
    distribution: { holders: 3 },
    lifecycle_events: [{ event: 'minted', at: AT, detail: '100 units' }],
    exceptions: ['late distribution'],
  } satisfies Required<DigitalAssetContextRecord>,
  webhook_event: {
    kind: 'webhook_event',
    event_id: 'evt_1',
    event_type: 'payment_intent.succeeded',
    provider: 'stripe',
    created_at: AT,
    refers_to: ['pi_123'],
  } satisfies Required<WebhookEventRecord>,
};

const FULL_RESULT_PACKAGE: Required<ResultPackage> = {
  ...(SEED_RESULT_PACKAGE as Pick<ResultPackage, keyof typeof SEED_RESULT_PACKAGE>),
  package_id: 'pkg_1',
  run_id: 'run_1',
  generated_at: AT,
  settlement_trail: [
    { step: 'settlement_reference', reference: 'stl_demo_20260602_001', provider: 'stripe', detail: 'settled' },
  ],
  payment_request: { payment_request_id: 'pr_1', provider: 'x402', amount: { value: '1', currency: 'USDC' } },
  callback_readiness: { status: 'ready', destination: 'https://agent.example/cb', reason: 'Destination configured.' },
  open_items: [],
  next_actions: ['Deliver the result package.'],
  rule_trace: [
    { rule_id: 'settlement_reference', title: 'Settlement reference present', weight: 15, earned: 15, reason: 'ok' },
  ],
  trust: { ...SEED_TRUST_QUOTE_CREDIT },
};

const FULL_USAGE_RECEIPT: Required<UsageReceipt> = {
  ...(SEED_USAGE_RECEIPT as Pick<UsageReceipt, keyof typeof SEED_USAGE_RECEIPT>),
  run_id: 'run_1',
  credit_entitlement_id: 'cred_demo_tokenops_001',
  work_order_id: null,
  result_url: 'https://example.test/result',
  receipt_reference: 'ledger:1',
  evidence_receipt_id: 'usage_demo_20260602_001',
  issued_at: AT,
};

const FULL_CALLBACK_PAYLOAD: CallbackPayload = {
  event_type: 'tokenops.result_package.ready',
  operating_tool: 'tokenops',
  run_id: 'run_1',
  evidence_status: 'sufficient',
  evidence_score: 95,
  result_status: 'ready',
  result_package: 'pkg_1',
  usage_receipt: 'usage_demo_20260602_001',
  settlement_reference: 'stl_demo_20260602_001',
  bundle_sha256: HASH,
  exception_ticket: null,
  open_items: [],
  next_actions: ['Fetch the bundle.'],
  generated_at: AT,
};

const FULL_EXCEPTION_TICKET: Required<ExceptionTicket> = {
  ...(SEED_EXCEPTION_TICKET as Pick<ExceptionTicket, keyof typeof SEED_EXCEPTION_TICKET>),
  ticket_id: 'exc_1',
  run_id: 'run_1',
  created_at: AT,
  resolved_at: AT,
  resume_from_state: 'partial',
  inconsistencies: ['payment request names another settlement reference'],
  recovery_path: ['Supply the matching payment request artifact.'],
  replay_package_id: 'rpl_1',
};

const FULL_REPLAY_PACKAGE: ReplayPackage = {
  object_type: 'tokenops_replay_package',
  replay_package_id: 'rpl_1',
  ticket_id: 'exc_1',
  run_id: 'run_1',
  created_at: AT,
  resume_from_state: 'partial',
  pre_run: { ...SEED_TRUST_QUOTE_CREDIT },
  known_evidence: [{ evidence_id: 'ev_1', kind: 'settlement_reference', record_sha256: HASH }],
  known_files: [{ name: 'a.json', sha256: HASH, size: 12 }],
  missing_items: ['matching payment request artifact'],
  evidence_score: 40,
  evidence_status: 'partial',
  credits_already_debited: 0,
  idempotency_key: 'run_1:exc_1',
  how_to_resume: ['tokenops evidence add run_1 payment-request.json', 'tokenops replay run_1'],
};

const FULL_EVIDENCE_MANIFEST: EvidenceManifest = {
  manifest_type: 'tokenops_evidence_manifest',
  run_id: 'run_1',
  generated_at: AT,
  pre_run: { ...SEED_TRUST_QUOTE_CREDIT },
  records: [
    {
      evidence_id: 'ev_1',
      kind: 'settlement_reference',
      format: 'tokenops',
      source: 'file',
      file: 'a.json',
      path: 'data/records/ev_1.json',
    },
    {
      evidence_id: 'ev_2',
      kind: 'usage_receipt',
      format: 'csv_row',
      source: 'file',
      file: 'b.csv',
      row: 2,
      path: 'data/records/ev_2.json',
    },
  ],
  files: [
    {
      name: 'a.json',
      size: 12,
      sha256: HASH,
      media_type: 'application/json',
      path: 'data/files/a.json',
      scan_status: 'clean',
    },
  ],
};

const FULL_TOOL_MANIFEST = {
  ...SEED_MANIFEST,
  accepted_inputs: [...SEED_MANIFEST.accepted_inputs, 'credit_ledger_entry', 'work_order', 'files', 'webhook_event'],
  outputs: [...SEED_MANIFEST.outputs, 'tokenops_result_package', 'tokenops_usage_receipt'],
  evidence_requirements: [{ step: 'settlement_reference', schema: SCHEMAS.settlement_reference.$id }],
  scoring_rules: [{ rule_id: 'settlement_reference', weight: 15 }],
  output_modes: ['json', 'bundle'],
  workflow_states: ['draft', 'collecting', 'partial', 'exception', 'sufficient', 'packaged', 'delivered'],
  entry_points: { cli: ['tokenops manifest'], ipc: ['manifest.get'] },
};

function errorsOf(name: SchemaName, value: unknown): string[] {
  const r = validate(name, value);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors;
}

// ---------------------------------------------------------------------------------------------

describe('the seed objects validate against our schemas', () => {
  it.each([
    ['result_package', SEED_RESULT_PACKAGE],
    ['pre_run', SEED_TRUST_QUOTE_CREDIT],
    ['usage_receipt', SEED_USAGE_RECEIPT],
    ['exception_ticket', SEED_EXCEPTION_TICKET],
    ['tool_manifest', SEED_MANIFEST],
  ] as const)('%s', (name, value) => {
    expect(validate(name, value)).toEqual({ ok: true });
    expect(() => facade.assertValid(name, value, name)).not.toThrow();
  });

  it('every field the seed shows is required in the output schemas', () => {
    const cases = [
      ['result_package', SEED_RESULT_PACKAGE],
      ['usage_receipt', SEED_USAGE_RECEIPT],
      ['exception_ticket', SEED_EXCEPTION_TICKET],
      ['tool_manifest', SEED_MANIFEST],
    ] as const;
    for (const [name, seed] of cases) {
      expect([...SCHEMAS[name].required].sort()).toEqual(Object.keys(seed).sort());
      for (const field of Object.keys(seed)) {
        const { [field]: _dropped, ...rest } = seed as Record<string, unknown>;
        expect(errorsOf(name, rest)).toContain(`missing required field "${field}"`);
      }
    }
  });
});

describe('full TokenOps values validate', () => {
  it.each(Object.entries(FULL_RECORDS))('evidence record %s (own schema and evidence_record)', (kind, record) => {
    const own = EVIDENCE_KIND_SCHEMA[kind as keyof typeof EVIDENCE_KIND_SCHEMA];
    expect(validate(own, record)).toEqual({ ok: true });
    expect(validate('evidence_record', record)).toEqual({ ok: true });
    // and only its own schema
    for (const other of Object.values(EVIDENCE_KIND_SCHEMA)) {
      if (other !== own) expect(validate(other, record).ok).toBe(false);
    }
  });

  it.each([
    ['pre_run', SEED_TRUST_QUOTE_CREDIT satisfies Required<PreRun>],
    ['pre_run', { requested_tool: 'tokenops', requested_capability: 'tokenops_result_package' }],
    ['result_package', FULL_RESULT_PACKAGE],
    [
      'result_package',
      { ...FULL_RESULT_PACKAGE, settlement_reference: null, usage_receipt: null, payment_request: null },
    ],
    ['usage_receipt', FULL_USAGE_RECEIPT],
    ['callback_payload', FULL_CALLBACK_PAYLOAD],
    [
      'callback_payload',
      { ...FULL_CALLBACK_PAYLOAD, event_type: 'tokenops.run.exception', bundle_sha256: null, result_package: null },
    ],
    ['exception_ticket', FULL_EXCEPTION_TICKET],
    ['replay_package', FULL_REPLAY_PACKAGE],
    ['evidence_manifest', FULL_EVIDENCE_MANIFEST],
    ['tool_manifest', FULL_TOOL_MANIFEST],
  ] as const)('%s', (name, value) => {
    expect(validate(name, value)).toEqual({ ok: true });
    expect(isValid(name, value)).toBe(true);
  });

  it('optional fields passed as undefined are accepted, as canonical JSON leaves them out', () => {
    expect(
      validate('settlement_reference', {
        kind: 'settlement_reference',
        settlement_reference: 's',
        provider: undefined,
      }),
    ).toEqual({
      ok: true,
    });
  });
});

describe('invalid values fail with errors written for a person', () => {
  it('a wrong package_type', () => {
    expect(errorsOf('result_package', { ...SEED_RESULT_PACKAGE, package_type: 'result_package' })).toEqual([
      '/package_type must be "tokenops_result_package"',
    ]);
  });

  it('a score of 101 (and a fractional score)', () => {
    expect(errorsOf('result_package', { ...SEED_RESULT_PACKAGE, evidence_score: 101 })).toEqual([
      '/evidence_score must be <= 100',
    ]);
    expect(errorsOf('result_package', { ...SEED_RESULT_PACKAGE, evidence_score: 9.5 })).toEqual([
      '/evidence_score must be an integer',
    ]);
  });

  it('a missing receipt_id', () => {
    const { receipt_id: _r, ...noId } = SEED_USAGE_RECEIPT;
    expect(errorsOf('usage_receipt', noId)).toEqual(['missing required field "receipt_id"']);
    const { receipt_id: _r2, ...noIdRecord } = FULL_RECORDS.usage_receipt;
    expect(errorsOf('usage_receipt_record', noIdRecord)).toEqual(['missing required field "receipt_id"']);
    expect(errorsOf('evidence_record', noIdRecord)).toEqual(['missing required field "receipt_id"']);
  });

  it('an unknown field on an evidence record, with a suggestion for a typo', () => {
    const typo = { ...FULL_RECORDS.work_order, opertaing_goal: 'x' };
    expect(errorsOf('work_order', typo)).toEqual(['unknown field "opertaing_goal" (did you mean "operating_goal"?)']);
    expect(errorsOf('evidence_record', typo)).toEqual([
      'unknown field "opertaing_goal" (did you mean "operating_goal"?)',
    ]);
    const stranger = errorsOf('payment_request', { ...FULL_RECORDS.payment_request, color: 'blue' });
    expect(stranger).toHaveLength(1);
    expect(stranger[0]).toMatch(/^unknown field "color" \(allowed: kind, payment_request_id, /);
    expect(
      errorsOf('file_manifest', { ...FULL_RECORDS.files, files: [{ ...FULL_RECORDS.files.files[0], mime: 'x' }] })[0],
    ).toMatch(/^unknown field "mime" in \/files\/0/);
  });

  it('an uppercase sha256', () => {
    const upper = { ...FULL_RECORDS.files, files: [{ ...FULL_RECORDS.files.files[0], sha256: 'A'.repeat(64) }] };
    expect(errorsOf('file_manifest', upper)).toEqual([
      '/files/0/sha256 must be a SHA-256 digest: 64 lowercase hexadecimal characters',
    ]);
    expect(errorsOf('evidence_record', upper)).toEqual([
      '/files/0/sha256 must be a SHA-256 digest: 64 lowercase hexadecimal characters',
    ]);
    expect(errorsOf('callback_payload', { ...FULL_CALLBACK_PAYLOAD, bundle_sha256: HASH.slice(1) })).toEqual([
      '/bundle_sha256 must be a SHA-256 digest: 64 lowercase hexadecimal characters',
    ]);
  });

  it('other common mistakes', () => {
    expect(errorsOf('credit_ledger_entry', { ...FULL_RECORDS.credit_ledger_entry, credits: -1, balance: 1.5 })).toEqual(
      ['/credits must be >= 0', '/balance must be an integer'],
    );
    expect(errorsOf('settlement_reference', { kind: 'settlement_reference', settlement_reference: '' })).toEqual([
      '/settlement_reference must not be empty',
    ]);
    expect(
      errorsOf('settlement_reference', {
        kind: 'settlement_reference',
        settlement_reference: 's',
        amount: { value: '1e3', currency: 'USD' },
      }),
    ).toEqual(['/amount/value must be a decimal number written as a string, e.g. "12" or "0.05"']);
    expect(errorsOf('result_package', { ...SEED_RESULT_PACKAGE, evidence_status: 'done' })).toEqual([
      '/evidence_status must be one of "missing", "partial", "sufficient"',
    ]);
    expect(errorsOf('result_package', { ...SEED_RESULT_PACKAGE, settlement_reference: 5 })).toEqual([
      '/settlement_reference must be a string or null',
    ]);
    expect(errorsOf('usage_receipt', { ...FULL_USAGE_RECEIPT, issued_at: 'yesterday' })).toEqual([
      '/issued_at must be a date and time such as "2026-06-02T10:00:00Z"',
    ]);
    expect(errorsOf('exception_ticket', null)).toEqual(['the value must be an object']);
  });

  it('evidence_record reports an unknown or missing kind once, and only the matching branch', () => {
    expect(errorsOf('evidence_record', { kind: 'invoice' })).toEqual([
      '/kind must be one of "settlement_reference", "payment_request", "credit_ledger_entry", "work_order", "usage_receipt", "files", "digital_asset_context", "webhook_event"',
    ]);
    expect(errorsOf('evidence_record', { receipt_id: 'r' })).toEqual(['missing required field "kind"']);
    expect(errorsOf('evidence_record', { kind: 'webhook_event', event_id: 'e' })).toEqual([
      'missing required field "event_type"',
    ]);
  });

  it('the tool manifest must list at least the seed inputs and outputs', () => {
    const fewer = {
      ...SEED_MANIFEST,
      accepted_inputs: ['settlement_reference', 'payment_request'],
      outputs: ['operating_record'],
    };
    expect(errorsOf('tool_manifest', fewer)).toEqual([
      '/accepted_inputs must include "usage_receipt"',
      '/accepted_inputs must include "agent_task_run"',
      '/accepted_inputs must include "digital_asset_context"',
      '/outputs must include "tokenops_review"',
      '/outputs must include "evidence_summary"',
    ]);
    expect(errorsOf('tool_manifest', { ...SEED_MANIFEST, tool_id: 'other' })).toEqual(['/tool_id must be "tokenops"']);
  });

  it('assertValid throws TokenOpsError input_invalid listing the errors', () => {
    const bad = { ...SEED_RESULT_PACKAGE, evidence_score: 101, package_type: 'x' };
    let thrown: unknown;
    try {
      facade.assertValid('result_package', bad, 'result package');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TokenOpsError);
    const err = thrown as TokenOpsError;
    expect(err.code).toBe('input_invalid');
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(
      'Result package is not valid: /package_type must be "tokenops_result_package"; /evidence_score must be <= 100.',
    );
    expect(err.details).toMatchObject({ schema: 'result_package', errors: expect.any(Array) });
  });

  it('refuses an unknown schema name', () => {
    expect(() => validate('nope' as SchemaName, {})).toThrow(/no TokenOps schema named "nope"/);
  });
});

describe('the schemas themselves', () => {
  it('SCHEMAS has exactly the agreed names', () => {
    expect(SCHEMA_NAMES).toEqual([
      'settlement_reference',
      'payment_request',
      'credit_ledger_entry',
      'work_order',
      'usage_receipt_record',
      'file_manifest',
      'digital_asset_context',
      'webhook_event',
      'evidence_record',
      'pre_run',
      'result_package',
      'usage_receipt',
      'callback_payload',
      'exception_ticket',
      'replay_package',
      'evidence_manifest',
      'tool_manifest',
    ]);
  });

  it.each(SCHEMA_NAMES)('%s has $schema 2020-12, a unique $id and a title', (name) => {
    const schema = SCHEMAS[name];
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://schemas.tokenops.dev/${name}.json`);
    expect(typeof schema.title).toBe('string');
    expect(new Set(SCHEMA_NAMES.map((n) => SCHEMAS[n].$id)).size).toBe(SCHEMA_NAMES.length);
  });

  it('records and outputs (not the extensible tool manifest) refuse unknown fields', () => {
    for (const name of SCHEMA_NAMES) {
      if (name === 'tool_manifest' || name === 'evidence_record') continue;
      expect((SCHEMAS[name] as { additionalProperties?: unknown }).additionalProperties, name).toBe(false);
    }
  });

  it('schemas are plain JSON (publishable as-is)', () => {
    for (const name of SCHEMA_NAMES) expect(JSON.parse(JSON.stringify(SCHEMAS[name]))).toEqual(SCHEMAS[name]);
  });
});

describe('the generated validators', () => {
  it('exist, export one validator per schema, and never compile at run time', () => {
    expect(existsSync(OUT_JS)).toBe(true);
    expect(existsSync(OUT_DTS)).toBe(true);
    const js = readFileSync(OUT_JS, 'utf8');
    expect(js).not.toMatch(/new\s+Function/);
    expect(js).not.toMatch(/\beval\s*\(/);
    expect(js).not.toMatch(/^\s*import[\s{*]/m); // self-contained: nothing to resolve for Vite or Node
    for (const name of SCHEMA_NAMES) {
      expect(typeof (generated as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('run where code generation from strings is forbidden (as under the renderer CSP)', () => {
    const script =
      `import * as v from ${JSON.stringify(pathToFileURL(OUT_JS).href)};` +
      `const bad = v.result_package({});` +
      `process.stdout.write(JSON.stringify([v.pre_run(${JSON.stringify(SEED_TRUST_QUOTE_CREDIT)}), bad, v.ipcInputValidators['runs.get']({ run_id: 'r1' })]));`;
    const out = execFileSync(
      process.execPath,
      ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out)).toEqual([true, false, true]);
  });

  it('bundle with esbuild as ESM (what Vite does for the renderer)', async () => {
    const result = await build({
      entryPoints: [OUT_JS],
      bundle: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0].text).toContain('ipcInputValidators');
  });
});

describe('IPC input validators', () => {
  it('every channel has a compiled input validator', () => {
    expect(Object.keys(generated.ipcInputValidators).sort()).toEqual([...IPC_CHANNELS].sort());
    for (const channel of IPC_CHANNELS) {
      expect(typeof generated.ipcInputValidators[channel], channel).toBe('function');
    }
  });

  /** A value satisfying a (simple) IPC input schema: required fields only, first enum value, minimal sizes. */
  function sample(schema: Record<string, any>): unknown {
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum)) return schema.enum[0];
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const field of schema.required ?? []) out[field] = sample(schema.properties?.[field] ?? {});
        return out;
      }
      case 'array':
        return Array.from({ length: schema.minItems ?? 1 }, () => sample(schema.items ?? {}));
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'boolean':
        return true;
      case 'string':
      default:
        // A path grant is an opaque token main issued (shared/ipc/contract.ts PATH_GRANT_PATTERN).
        // A signer fingerprint is SHA256: and 43 base64 characters (shared/ipc/contract.ts).
        if (typeof schema.pattern === 'string' && schema.pattern.startsWith('^pg_')) return `pg_${'A'.repeat(22)}`;
        if (typeof schema.pattern === 'string' && schema.pattern.startsWith('^SHA256:'))
          return `SHA256:${'A'.repeat(43)}`;
        return 'abc_1';
    }
  }
  const sampleInput = (channel: (typeof IPC_CHANNELS)[number]) =>
    sample(IPC_CONTRACT[channel].input as Record<string, unknown>) as Record<string, unknown>;

  it.each(IPC_CHANNELS)('%s accepts a valid input and rejects an extra property', (channel) => {
    const good = sampleInput(channel);
    expect(validateIpcInput(channel, good)).toEqual({ ok: true });
    const r = validateIpcInput(channel, { ...good, injected: true });
    expect(r).toEqual({ ok: false, errors: [expect.stringMatching(/^unknown field "injected"/)] });
    expect(() => facade.assertValidIpcInput(channel, { ...good, injected: true })).toThrow(TokenOpsError);
  });

  it('errors name the problem', () => {
    expect(validateIpcInput('runs.get', {})).toEqual({ ok: false, errors: ['missing required field "run_id"'] });
    expect(validateIpcInput('runs.get', { run_id: '../etc' })).toEqual({
      ok: false,
      errors: ['/run_id must be an id of 1 to 80 letters, digits, "_" or "-"'],
    });
    expect(validateIpcInput('runs.list', { limit: 0 })).toEqual({ ok: false, errors: ['/limit must be >= 1'] });
    expect(validateIpcInput('runs.setPreRun', { run_id: 'r', pre_run: { requested_tol: 'x' } })).toEqual({
      ok: false,
      errors: ['unknown field "requested_tol" in /pre_run (did you mean "requested_tool"?)'],
    });
    try {
      facade.assertValidIpcInput('evidence.addFiles', { run_id: 'r', grants: [] });
      expect.unreachable();
    } catch (e) {
      expect((e as TokenOpsError).code).toBe('input_invalid');
      expect((e as TokenOpsError).message).toBe(
        'Input of "evidence.addFiles" is not valid: /grants must not be empty.',
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Compile-time: schema properties and required lists match the domain types (tsc fails otherwise)

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type RequiredKeys<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K }[keyof T];
type PropsOf<S> = S extends { properties: infer P } ? keyof P : never;
type RequiredOf<S> = S extends { required: readonly (infer R)[] } ? R : never;
type Exact<S, T> = [Equal<PropsOf<S>, keyof T>, Equal<RequiredOf<S>, RequiredKeys<T>>];
/** Seed-shaped outputs: same fields; required ⊆ the type's required fields. */
type SeedShaped<S, T> = [Equal<PropsOf<S>, keyof T>, RequiredOf<S> extends RequiredKeys<T> ? true : false];

const typeChecks: {
  settlement_reference: Exact<typeof SCHEMAS.settlement_reference, SettlementReferenceRecord>;
  payment_request: Exact<typeof SCHEMAS.payment_request, PaymentRequestRecord>;
  credit_ledger_entry: Exact<typeof SCHEMAS.credit_ledger_entry, CreditLedgerEntryRecord>;
  work_order: Exact<typeof SCHEMAS.work_order, WorkOrderRecord>;
  usage_receipt_record: Exact<typeof SCHEMAS.usage_receipt_record, UsageReceiptRecord>;
  file_manifest: Exact<typeof SCHEMAS.file_manifest, FileManifestRecord>;
  digital_asset_context: Exact<typeof SCHEMAS.digital_asset_context, DigitalAssetContextRecord>;
  webhook_event: Exact<typeof SCHEMAS.webhook_event, WebhookEventRecord>;
  pre_run: Exact<typeof SCHEMAS.pre_run, PreRun>;
  callback_payload: Exact<typeof SCHEMAS.callback_payload, CallbackPayload>;
  replay_package: Exact<typeof SCHEMAS.replay_package, ReplayPackage>;
  evidence_manifest: Exact<typeof SCHEMAS.evidence_manifest, EvidenceManifest>;
  result_package: SeedShaped<typeof SCHEMAS.result_package, ResultPackage>;
  usage_receipt: SeedShaped<typeof SCHEMAS.usage_receipt, UsageReceipt>;
  exception_ticket: SeedShaped<typeof SCHEMAS.exception_ticket, ExceptionTicket>;
} = {
  settlement_reference: [true, true],
  payment_request: [true, true],
  credit_ledger_entry: [true, true],
  work_order: [true, true],
  usage_receipt_record: [true, true],
  file_manifest: [true, true],
  digital_asset_context: [true, true],
  webhook_event: [true, true],
  pre_run: [true, true],
  callback_payload: [true, true],
  replay_package: [true, true],
  evidence_manifest: [true, true],
  result_package: [true, true],
  usage_receipt: [true, true],
  exception_ticket: [true, true],
};

it('schema fields match the domain types (checked by tsc)', () => {
  expect(Object.values(typeChecks).flat().every(Boolean)).toBe(true);
});
