/**
 * Every `--json` output of every command is validated against its published, versioned schema: one
 * table, one row per command (a command without a row fails the coverage check), run against a real
 * home with a complete run, a partial run and a signed bundle. Errors print the error document.
 */
import { Ajv } from 'ajv';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_COMMANDS } from '../../electron/services/cli-commands';
import { documentId, documentSchema, type DocumentName } from '../../shared/schemas/documents';
import { SAMPLE, SAMPLE_EVIDENCE, assertCliBuilt, cleanupTemps, describeResult, runCli, tempDir } from './helpers';

afterAll(cleanupTemps);

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<DocumentName, ReturnType<typeof ajv.compile>>();
function validatorFor(doc: DocumentName) {
  if (!validators.has(doc)) validators.set(doc, ajv.compile(documentSchema(doc)));
  return validators.get(doc)!;
}

let home: string;
let work: string;
let complete: string;
let partial: string;
let bundle: string;
let evidenceId: string;
let fileId: string;
let pubkey: string;

beforeAll(async () => {
  assertCliBuilt();
  home = await tempDir('tokenops-docs-home-');
  work = await tempDir('tokenops-docs-work-');
  bundle = path.join(work, 'complete.zip');
  const packed = await runCli(['pack', SAMPLE_EVIDENCE, '--out', bundle, '--json'], { home });
  expect(packed.code, describeResult(packed)).toBe(0);
  complete = packed.json.run_id;

  const created = await runCli(['run', 'create', '--title', 'partial', '--json'], { home });
  partial = created.json.run.run_id;
  const settlement = await fs.readFile(path.join(SAMPLE_EVIDENCE, SAMPLE.settlementReference), 'utf8');
  const pasted = await runCli(['evidence', 'paste', partial, '--json'], { home, input: settlement });
  evidenceId = pasted.json.added[0].evidence_id;
  const note = path.join(work, 'note.txt');
  await fs.writeFile(note, 'operator note: nothing secret here\n');
  const added = await runCli(['evidence', 'add', partial, note, '--json'], { home });
  fileId = added.json.report.added_files[0].file_id;
  // A binary the scan cannot read, for the bulk attestation.
  const png = path.join(work, 'screenshot.png');
  await fs.writeFile(png, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(512)]));
  await runCli(['evidence', 'add', partial, png], { home });
  // Another desk's public key to trust.
  pubkey = path.join(work, 'other-desk.pub.pem');
  const { publicKey } = generateKeyPairSync('ed25519');
  await fs.writeFile(pubkey, publicKey.export({ type: 'spki', format: 'pem' }));
});

/** Each row: a command line (with placeholders filled at run time), the document and the exit code. */
const ROWS: Array<{
  cmd: string;
  args: () => string[];
  doc: DocumentName;
  exit: 0 | 1 | 2;
  input?: () => Promise<string>;
}> = [
  { cmd: 'manifest', args: () => [], doc: 'tool_manifest', exit: 0 },
  { cmd: 'run create', args: () => ['--title', 'docs'], doc: 'run_view', exit: 0 },
  { cmd: 'run list', args: () => ['--limit', '5'], doc: 'run_list', exit: 0 },
  { cmd: 'run show', args: () => [complete], doc: 'run_view', exit: 0 },
  {
    cmd: 'evidence add',
    args: () => [partial, path.join(SAMPLE_EVIDENCE, SAMPLE.workOrder)],
    doc: 'evidence_intake',
    exit: 0,
  },
  {
    cmd: 'evidence paste',
    args: () => [partial],
    doc: 'evidence_paste',
    exit: 0,
    input: () => fs.readFile(path.join(SAMPLE_EVIDENCE, SAMPLE.paymentRequest), 'utf8'),
  },
  { cmd: 'evidence remove', args: () => [partial, evidenceId], doc: 'run_view', exit: 0 },
  { cmd: 'file exclude', args: () => [partial, fileId, '--reason', 'not evidence'], doc: 'run_view', exit: 0 },
  {
    cmd: 'file replace',
    args: () => [partial, fileId, path.join(SAMPLE_EVIDENCE, SAMPLE.deliverable)],
    doc: 'evidence_intake',
    exit: 0,
  },
  {
    cmd: 'file attest',
    args: () => [partial, '--all-unscannable', '--by', 'docs test'],
    doc: 'files_attested',
    exit: 0,
  },
  { cmd: 'file redact', args: () => [partial, fileId], doc: 'error', exit: 2 },
  { cmd: 'report', args: () => [complete, '--out', path.join(work, 'report.html')], doc: 'report_written', exit: 0 },
  { cmd: 'summary', args: () => [complete], doc: 'evidence_summary', exit: 0 },
  { cmd: 'evaluate', args: () => [partial, '--require-sufficient'], doc: 'tokenops_review', exit: 1 },
  { cmd: 'package', args: () => [partial], doc: 'operating_record', exit: 1 },
  { cmd: 'verify', args: () => [bundle], doc: 'bundle_verification', exit: 0 },
  { cmd: 'trust add', args: () => [pubkey, '--name', 'other desk'], doc: 'trusted_key', exit: 0 },
  { cmd: 'trust list', args: () => [], doc: 'trusted_keys', exit: 0 },
  { cmd: 'trust remove', args: () => ['other desk'], doc: 'trusted_key', exit: 0 },
  { cmd: 'receipt list', args: () => [], doc: 'ledger', exit: 0 },
  { cmd: 'receipt verify', args: () => [], doc: 'ledger_verification', exit: 0 },
  {
    cmd: 'callback set',
    args: () => [partial, '--url', 'https://agent.example/hooks/tokenops'],
    doc: 'callback_destination',
    exit: 0,
  },
  { cmd: 'callback send', args: () => [partial], doc: 'error', exit: 2 },
  { cmd: 'callback retry', args: () => ['msg_00000000000000000000000000'], doc: 'error', exit: 2 },
  { cmd: 'exception list', args: () => [], doc: 'exception_tickets', exit: 0 },
  { cmd: 'replay', args: () => [partial], doc: 'replay_outcome', exit: 1 },
  // The same paid receipt a second time: refused (one receipt, one debit), still a pack_result.
  { cmd: 'pack', args: () => [SAMPLE_EVIDENCE, '--out', path.join(work, 'again.zip')], doc: 'pack_result', exit: 1 },
  { cmd: 'schema', args: () => [], doc: 'schema_list', exit: 0 },
  { cmd: 'key', args: () => [], doc: 'settings', exit: 0 },
  { cmd: 'run show', args: () => ['run_does_not_exist'], doc: 'error', exit: 2 },
];

describe('every --json document matches its published schema', () => {
  it('has a row for every command (mcp speaks the protocol, its results are checked in mcp.test.ts)', () => {
    const covered = new Set(ROWS.map((r) => r.cmd));
    expect(CLI_COMMANDS.filter((c) => c !== 'mcp' && !covered.has(c))).toEqual([]);
  });

  // In order: later rows use the state earlier rows left (the callback set before its send, …).
  it.each(ROWS.map((r, i) => [`${i + 1}. ${r.cmd} → ${r.doc}`, r] as const))('%s', async (_name, row) => {
    const input = row.input ? await row.input() : undefined;
    const r = await runCli([...row.cmd.split(' '), ...row.args(), '--json'], { home, ...(input ? { input } : {}) });
    expect(r.code, describeResult(r)).toBe(row.exit);
    expect(r.json, describeResult(r)).toBeDefined();
    expect(r.json.$schema).toBe(documentId(row.doc));
    const validate = validatorFor(row.doc);
    expect(validate(r.json), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('`schema NAME` prints a schema body that compiles, for a record and a document', async () => {
    for (const name of ['settlement_reference', 'tokenops_review']) {
      const r = await runCli(['schema', name, '--json'], { home });
      expect(r.code, describeResult(r)).toBe(0);
      expect(r.json.$id).toMatch(new RegExp(name));
      expect(() => new Ajv({ strict: false, validateSchema: false }).compile(r.json)).not.toThrow();
    }
    const wrong = await runCli(['schema', 'tokenops_reveiw'], { home });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/did you mean tokenops_review/);
  });
});
