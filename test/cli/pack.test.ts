/**
 * End-to-end tests of the built `tokenops` CLI: real processes (node bin/tokenops.js) with a fresh
 * --home per test, real evidence folders, real zips (checked with the system `unzip`), a real HTTP
 * receiver on 127.0.0.1. Build first: `npm run build`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { watch, promises as fs } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  SAMPLE,
  SAMPLE_EVIDENCE,
  assertCliBuilt,
  cleanupTemps,
  copySampleEvidence,
  describeResult,
  entryData,
  exists,
  findEntry,
  patchStoredEntry,
  runCli,
  runProgram,
  startCli,
  tempDir,
  writeFiles,
  writeSparseFile,
  type CliResult,
} from './helpers';

/** Fields the seed shows for each public object (tokenops-operating-tool.txt). */
const SEED_RESULT_PACKAGE_FIELDS = [
  'package_type',
  'operating_tool',
  'evidence_status',
  'evidence_score',
  'received_inputs',
  'uploaded_files',
  'settlement_reference',
  'usage_receipt',
  'callback_delivery',
  'client_deliverable',
];
const SEED_USAGE_RECEIPT_FIELDS = [
  'receipt_id',
  'receipt_type',
  'operating_tool',
  'credits_debited',
  'remaining_credits',
  'evidence_status',
  'result_status',
  'callback_status',
];
const SEED_EXCEPTION_FIELDS = [
  'object_type',
  'requested_tool',
  'exception_type',
  'status',
  'missing_items',
  'safe_to_replay',
];
const SEED_ACCEPTED_INPUTS = [
  'settlement_reference',
  'payment_request',
  'usage_receipt',
  'agent_task_run',
  'digital_asset_context',
];
const SEED_OUTPUTS = ['tokenops_review', 'evidence_summary', 'operating_record'];
const VERIFY_CHECKS = ['zip_structure', 'bag_manifests', 'signature', 'subjects'];

const ENTITLEMENT = 'cred_demo_tokenops_001';
/** Obviously fake: AKIA + "FAKE0TEST0KEY0ZZ" (16 chars), shaped like an AWS access key id. */
const FAKE_AWS_KEY = 'AKIAFAKE0TEST0KEY0ZZ';

beforeAll(() => assertCliBuilt());
afterAll(() => cleanupTemps());

// ---------- small helpers over the CLI ----------

function expectExit(r: CliResult, code: number): void {
  expect(r.code, describeResult(r)).toBe(code);
}

async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
}

async function ledger(home: string): Promise<any> {
  const r = await runCli(['receipt', 'list', '--json'], { home });
  expectExit(r, 0);
  return r.json;
}

function debitsFor(l: any, runId: string): any[] {
  return l.credit_events.filter((e: any) => e.type === 'debit' && e.run_id === runId);
}

function receiptsFor(l: any, runId: string): any[] {
  return l.receipts.filter((r: any) => r.run_id === runId);
}

async function showRun(home: string, runId: string): Promise<any> {
  const r = await runCli(['run', 'show', runId, '--json'], { home });
  expectExit(r, 0);
  return r.json;
}

async function createRunWith(home: string, ...paths: string[]): Promise<string> {
  const created = await runCli(['run', 'create', '--title', 'cli test', '--json'], { home });
  expectExit(created, 0);
  const runId: string = created.json.run.run_id;
  if (paths.length) expectExit(await runCli(['evidence', 'add', runId, ...paths], { home }), 0);
  return runId;
}

async function verifyJson(home: string, file: string): Promise<CliResult> {
  return runCli(['verify', file, '--json'], { home });
}

// =====================================================================================================

describe('pack: the sample evidence folder', () => {
  it('packs a sufficient run into a signed bundle that verifies, unzips and is recorded in the ledgers', async () => {
    const home = await tempDir();
    const out = path.join(await tempDir(), 'sample.tokenops.zip');
    const r = await runCli(['pack', SAMPLE_EVIDENCE, '--out', out, '--json'], { home });
    expectExit(r, 0);
    const j = r.json;
    expect(j, 'pack --json prints one JSON document').toBeTypeOf('object');
    expect(j.run_id).toMatch(/^run_[A-Za-z0-9_-]+$/);
    expect(j.packaged).toBe(true);

    // Result package: every seed field, with the seed's values where the sample fixes them.
    const rp = j.result_package;
    for (const f of SEED_RESULT_PACKAGE_FIELDS) expect(rp, `result_package.${f}`).toHaveProperty(f);
    expect(rp.package_type).toBe('tokenops_result_package');
    expect(rp.operating_tool).toBe('tokenops');
    expect(rp.evidence_status).toBe('sufficient');
    expect(rp.evidence_score).toBeGreaterThanOrEqual(0);
    expect(rp.evidence_score).toBeLessThanOrEqual(100);
    expect(Number.isInteger(rp.received_inputs)).toBe(true);
    expect(rp.uploaded_files).toEqual(expect.arrayContaining([SAMPLE.settlementReference, SAMPLE.usageReceipt]));
    expect(rp.uploaded_files).toEqual(expect.arrayContaining(Object.values(SAMPLE)));
    expect(rp.settlement_reference).toBe('stl_demo_20260602_001');
    // TokenOps issues its own receipt per run and keeps the paid run's receipt id beside it.
    expect(rp.usage_receipt).toMatch(/^usage_/);
    expect(rp.usage_receipt).toBe(r.json.usage_receipt.receipt_id);
    expect(r.json.usage_receipt.evidence_receipt_id).toBe('usage_demo_20260602_001');
    expect(typeof rp.callback_delivery).toBe('string');
    expect(typeof rp.client_deliverable).toBe('string');

    // Usage receipt: every seed field; 10 credits granted by the sample ledger entry, 1 debited.
    const ur = j.usage_receipt;
    for (const f of SEED_USAGE_RECEIPT_FIELDS) expect(ur, `usage_receipt.${f}`).toHaveProperty(f);
    expect(ur.receipt_type).toBe('tokenops_usage_receipt');
    expect(ur.operating_tool).toBe('tokenops');
    expect(ur.credits_debited).toBe(1);
    expect(ur.remaining_credits).toBe(9);
    expect(ur.evidence_status).toBe('sufficient');
    expect(rp.usage_receipt).toBe(ur.receipt_id);

    // The bundle: where we asked, with the digest and size reported.
    expect(j.bundle.path).toBe(out);
    expect(await exists(out)).toBe(true);
    expect(await exists(`${out}.partial`)).toBe(false);
    expect(j.bundle.sha256).toBe(await sha256File(out));
    expect(j.bundle.bytes).toBe((await fs.stat(out)).size);
    expect(j.exception_ticket).toBeNull();

    // verify: all four checks, in order, ok.
    const v = await verifyJson(home, out);
    expectExit(v, 0);
    expect(v.json.ok).toBe(true);
    expect(v.json.checks.map((c: any) => c.id)).toEqual(VERIFY_CHECKS);
    for (const c of v.json.checks) expect(c.ok, `${c.id}: ${c.message}`).toBe(true);
    expect(v.json.run_id).toBe(j.run_id);

    // A stock unzip agrees that the archive is sound, and the bundled result package is the one reported.
    const t = await runProgram('unzip', ['-t', out]);
    expect(t.code, `${t.stdout}\n${t.stderr}`).toBe(0);
    expect(t.stdout).toMatch(/No errors detected/);
    const bundled = await runProgram('unzip', ['-p', out, '*/data/result-package.json']);
    expect(bundled.code).toBe(0);
    expect(JSON.parse(bundled.stdout).package_id).toBe(rp.package_id);

    // Ledgers intact; one receipt and one debit for this run.
    const rv = await runCli(['receipt', 'verify', '--json'], { home });
    expectExit(rv, 0);
    expect(rv.json.ok).toBe(true);
    const l = await ledger(home);
    expect(receiptsFor(l, j.run_id)).toHaveLength(1);
    expect(debitsFor(l, j.run_id)).toHaveLength(1);

    // The manifest carries the seed's tool id, accepted inputs and outputs.
    const m = await runCli(['manifest', '--json'], { home });
    expectExit(m, 0);
    expect(m.json.tool_id).toBe('tokenops');
    expect(m.json.accepted_inputs).toEqual(expect.arrayContaining(SEED_ACCEPTED_INPUTS));
    expect(m.json.outputs).toEqual(expect.arrayContaining(SEED_OUTPUTS));
  });

  it('the delivered result package does not tell the agent to package the run again (next_actions)', async () => {
    const home = await tempDir();
    const out = path.join(await tempDir(), 'b.zip');
    const r = await runCli(['pack', SAMPLE_EVIDENCE, '--out', out, '--json'], { home });
    expectExit(r, 0);
    const actions: string[] = r.json.result_package.next_actions;
    // A packaged run's result package is the delivery: "Package the run: tokenops package <run_id>" is stale,
    // and a literal <run_id> placeholder is not something an agent can run.
    for (const a of actions) {
      expect(a, 'stale next action in a packaged result package').not.toMatch(/^Package the run/);
      expect(a, 'unsubstituted placeholder').not.toContain('<run_id>');
    }
  });

  it('packing the same evidence folder twice in one home never debits without a receipt nor leaves an orphan bundle', async () => {
    // e.g. an agent retrying `pack`, or `npm run demo` run twice against the same data folder.
    const home = await tempDir();
    const work = await tempDir();
    const one = path.join(work, 'one.zip');
    const two = path.join(work, 'two.zip');
    const first = await runCli(['pack', SAMPLE_EVIDENCE, '--out', one, '--json'], { home });
    expectExit(first, 0);
    const second = await runCli(['pack', SAMPLE_EVIDENCE, '--out', two, '--json'], { home });
    // Either a second, separate packaged run (0) or a refusal with an exception ticket (1) is acceptable;
    // an error after debiting and writing the bundle is not.
    expect([0, 1], describeResult(second)).toContain(second.code);
    const l = await ledger(home);
    const debits = l.credit_events.filter((e: any) => e.type === 'debit');
    expect(debits.map((d: any) => d.run_id).sort(), 'every debit has its usage receipt').toEqual(
      l.receipts.map((r: any) => r.run_id).sort(),
    );
    if (second.code === 1) {
      expect(await exists(two), 'a refused run leaves no signed bundle behind').toBe(false);
      expect(second.json.exception_ticket).not.toBeNull();
    } else {
      expectExit(await verifyJson(home, two), 0);
      expect(second.json.usage_receipt.receipt_id).not.toBe(first.json.usage_receipt.receipt_id);
    }
    // The first run's bundle is untouched.
    expect(await sha256File(one)).toBe(first.json.bundle.sha256);
  });
});

// =====================================================================================================

describe('partial evidence: exception ticket, then evidence add + replay', () => {
  it('issues a ticket and no bundle, resumes on replay, and never debits twice', async () => {
    const home = await tempDir();
    const work = await tempDir();
    const dir = await copySampleEvidence(path.join(work, 'partial'), {
      omit: [SAMPLE.paymentRequest, SAMPLE.usageReceipt],
    });
    const out = path.join(work, 'partial.zip');

    const p = await runCli(['pack', dir, '--out', out, '--json'], { home });
    expectExit(p, 1);
    const runId: string = p.json.run_id;
    expect(p.json.packaged).toBe(false);
    expect(p.json.bundle).toBeNull();
    expect(p.json.usage_receipt).toBeNull();
    expect(await exists(out), 'no bundle for a partial run').toBe(false);
    expect(await exists(`${out}.partial`)).toBe(false);

    const ticket = p.json.exception_ticket;
    for (const f of SEED_EXCEPTION_FIELDS) expect(ticket, `exception_ticket.${f}`).toHaveProperty(f);
    expect(ticket.object_type).toBe('agent_exception_ticket');
    expect(ticket.requested_tool).toBe('tokenops');
    expect(ticket.status).toBe('waiting_on_requesting_agent');
    expect(
      ticket.missing_items.some((m: string) => /payment request/i.test(m)),
      JSON.stringify(ticket.missing_items),
    ).toBe(true);
    expect(
      ticket.missing_items.some((m: string) => /usage receipt/i.test(m)),
      JSON.stringify(ticket.missing_items),
    ).toBe(true);
    expect(ticket.safe_to_replay).toBe(true); // nothing debited yet, so replaying is safe

    // Nothing was debited for a run that was not packaged.
    expect(debitsFor(await ledger(home), runId)).toHaveLength(0);

    const list = await runCli(['exception', 'list', '--json'], { home });
    expectExit(list, 0);
    const listed = list.json.exceptions.find((t: any) => t.ticket_id === ticket.ticket_id);
    expect(listed, JSON.stringify(list.json)).toBeDefined();
    expect(listed.run_id).toBe(runId);
    expect(listed.status).toBe('waiting_on_requesting_agent');

    // Supply the two missing files, then replay.
    const add = await runCli(
      [
        'evidence',
        'add',
        runId,
        path.join(SAMPLE_EVIDENCE, SAMPLE.paymentRequest),
        path.join(SAMPLE_EVIDENCE, SAMPLE.usageReceipt),
        '--json',
      ],
      { home },
    );
    expectExit(add, 0);
    const replayOut = path.join(work, 'replayed.zip');
    const rp = await runCli(['replay', runId, '--out', replayOut, '--json'], { home });
    expectExit(rp, 0);
    expect(rp.json.ticket_id).toBe(ticket.ticket_id);
    expect(rp.json.package.packaged).toBe(true);
    expect(rp.json.package.bundle.path).toBe(replayOut);
    expect(rp.json.view.run.state).toBe('packaged');
    expect(rp.json.view.run.exceptions.find((t: any) => t.ticket_id === ticket.ticket_id).status).toBe('resolved');
    expect(rp.json.package.credits).toMatchObject({ debited: 1, already_debited: false, remaining: 9 });
    expectExit(await verifyJson(home, replayOut), 0);

    // No open ticket left.
    const after = await runCli(['exception', 'list', '--json'], { home });
    expectExit(after, 0);
    expect(after.json.exceptions.filter((t: any) => t.run_id === runId && t.status !== 'resolved')).toEqual([]);

    const l1 = await ledger(home);
    expect(debitsFor(l1, runId)).toHaveLength(1);
    expect(receiptsFor(l1, runId)).toHaveLength(1);
    expect(l1.balances.find((b: any) => b.credit_entitlement_id === ENTITLEMENT)).toMatchObject({
      debited: 1,
      balance: 9,
    });

    // A second replay: success, the same bundle, no second debit.
    const again = await runCli(['replay', runId, '--json'], { home });
    expectExit(again, 0);
    expect(again.json.package.packaged).toBe(true);
    expect(again.json.package.bundle.sha256).toBe(rp.json.package.bundle.sha256);
    expect(again.json.package.credits.already_debited).toBe(true);
    const l2 = await ledger(home);
    expect(debitsFor(l2, runId)).toHaveLength(1);
    expect(receiptsFor(l2, runId)).toHaveLength(1);
    expect(l2.balances).toEqual(l1.balances);
  });
});

// =====================================================================================================

describe('secrets in evidence', () => {
  it('refuses to package a folder holding an AWS key, names file, rule and line, then packages once the file is excluded', async () => {
    const home = await tempDir();
    const work = await tempDir();
    const dir = await copySampleEvidence(path.join(work, 'with-secret'));
    await writeFiles(dir, {
      'notes.txt': `deployment notes\nregion = us-east-1\naws_access_key_id = ${FAKE_AWS_KEY}\n`,
    });
    const out = path.join(work, 'secret.zip');

    const p = await runCli(['pack', dir, '--out', out, '--json'], { home });
    expectExit(p, 1);
    const runId: string = p.json.run_id;
    expect(p.json.packaged).toBe(false);
    expect(p.json.bundle).toBeNull();
    expect(await exists(out), 'no bundle may be written when a secret was found').toBe(false);
    expect(await exists(`${out}.partial`)).toBe(false);
    expect(p.json.exception_ticket.exception_type).toBe('secret_found');
    const blocker = p.json.blockers.find((b: string) => b.includes('notes.txt'));
    expect(blocker, JSON.stringify(p.json.blockers)).toBeDefined();
    expect(blocker).toMatch(/aws/i); // the rule
    expect(blocker).toMatch(/line 3\b/); // the line
    // The finding is reported masked: the key itself never reaches the output.
    expect(p.stdout).not.toContain(FAKE_AWS_KEY);
    expect(p.stderr).not.toContain(FAKE_AWS_KEY);

    // The stored finding carries file, rule and line as data too.
    const shown = await showRun(home, runId);
    const notes = shown.run.files.find((f: any) => f.name === 'notes.txt');
    expect(notes.scan.status).toBe('findings');
    expect(notes.scan.findings[0]).toMatchObject({ file: 'notes.txt', line: 3 });
    expect(notes.scan.findings[0].rule).toMatch(/aws/i);

    // Human-readable output names it too.
    const text = await runCli(['evaluate', runId], { home });
    expectExit(text, 0);
    expect(text.stdout).toMatch(/notes\.txt/);
    expect(text.stdout).toMatch(/line 3/);

    // Exclude the file (the copy is kept, but it is neither evaluated nor packaged), then package.
    const ex = await runCli(
      ['file', 'exclude', runId, notes.file_id, '--reason', 'holds an AWS access key', '--json'],
      { home },
    );
    expectExit(ex, 0);
    const pk = await runCli(['package', runId, '--out', out, '--json'], { home });
    expectExit(pk, 0);
    expect(pk.json.packaged).toBe(true);
    expectExit(await verifyJson(home, out), 0);
    const listing = await runProgram('unzip', ['-l', out]);
    expect(listing.stdout).not.toMatch(/notes\.txt/);
    expect(
      (await fs.readFile(out)).includes(Buffer.from(FAKE_AWS_KEY)),
      'the secret must not be inside the bundle',
    ).toBe(false);
  });
});

// =====================================================================================================

describe('files that are not evidence', () => {
  it('keeps malformed, unclassifiable and empty files, and names each in the open items', async () => {
    const home = await tempDir();
    const work = await tempDir();
    const dir = await copySampleEvidence(path.join(work, 'odd'));
    await writeFiles(dir, {
      'broken.json': '{"kind": "settlement_reference", "settlement_reference": ',
      'mystery.json': '{"hello": "world", "n": 3}\n',
      'empty.json': '',
    });
    const out = path.join(work, 'odd.zip');
    const p = await runCli(['pack', dir, '--out', out, '--json'], { home });
    // The six steps are still satisfied by the sample files, so the run packages; the odd files ride along.
    expectExit(p, 0);
    const runId: string = p.json.run_id;

    const shown = await showRun(home, runId);
    const byName = new Map(shown.run.files.map((f: any) => [f.name, f]));
    for (const name of ['broken.json', 'mystery.json', 'empty.json']) {
      const f: any = byName.get(name);
      expect(f, `${name} is kept in the run`).toBeDefined();
      expect(f.excluded ?? null).toBeNull();
      expect(typeof f.problem, `${name} is flagged with a problem`).toBe('string');
      const item = shown.evaluation.open_items.find((i: string) => i.includes(name));
      expect(item, `${name} named in open items: ${JSON.stringify(shown.evaluation.open_items)}`).toBeDefined();
    }
    expect((byName.get('empty.json') as any).size).toBe(0);
    expect((byName.get('empty.json') as any).problem).toMatch(/empty/i);
    expect((byName.get('broken.json') as any).problem).toMatch(/not valid JSON/i);
    expect((byName.get('mystery.json') as any).classified_as).toBeNull();

    // Kept means kept: they travel in the bundle too, and the result package names them.
    const listing = await runProgram('unzip', ['-l', out]);
    for (const name of ['broken.json', 'mystery.json', 'empty.json']) {
      expect(listing.stdout).toContain(`/${name}`);
      expect(p.json.result_package.open_items.some((i: string) => i.includes(name))).toBe(true);
    }
  });
});

// =====================================================================================================

describe('usage and input errors exit 2 with a readable message', () => {
  it('unknown command, missing --out, unknown option, unknown run, missing folder', async () => {
    const home = await tempDir();
    const work = await tempDir();
    const out = path.join(work, 'never.zip');
    const cases: Array<{ args: string[]; message: RegExp }> = [
      { args: ['frobnicate'], message: /unknown command "frobnicate.*--help/ },
      { args: ['pack', SAMPLE_EVIDENCE], message: /--out/ },
      { args: ['pack', SAMPLE_EVIDENCE, '--out', out, '--bogus'], message: /--bogus.*usage: tokenops pack/ },
      { args: ['run', 'show', 'run_doesnotexist'], message: /run_doesnotexist.*does not exist/ },
      { args: ['package', 'run_doesnotexist', '--out', out], message: /run_doesnotexist.*does not exist/ },
      { args: ['replay', 'run_doesnotexist'], message: /run_doesnotexist.*does not exist/ },
      { args: ['evidence', 'add', 'run_doesnotexist', SAMPLE_EVIDENCE], message: /run_doesnotexist.*does not exist/ },
      { args: ['pack', path.join(work, 'no-such-folder'), '--out', out], message: /no-such-folder.*does not exist/ },
      { args: ['run', 'show'], message: /missing RUN/ },
    ];
    for (const c of cases) {
      const r = await runCli(c.args, { home });
      expect(r.code, `${c.args.join(' ')}\n${describeResult(r)}`).toBe(2);
      expect(r.stderr, c.args.join(' ')).toMatch(/^tokenops: /);
      expect(r.stderr, c.args.join(' ')).toMatch(c.message);
      expect(r.stderr, 'no stack trace for a usage error').not.toMatch(/\n\s+at /);
      expect(r.stdout, 'errors go to stderr unless --json').toBe('');
      // The same error as one JSON document with --json.
      const j = await runCli([...c.args, '--json'], { home });
      expect(j.code).toBe(2);
      expect(j.json?.error?.message, j.stdout).toMatch(c.message);
      expect(typeof j.json.error.code).toBe('string');
    }
    expect(await exists(out)).toBe(false);
  });

  it('the unknown-command message names only the command, not the values of options', async () => {
    const home = await tempDir();
    const r = await runCli(['frobnicate'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr, `--home ${home} leaks into the message`).toMatch(/unknown command "frobnicate"/);
  });

  it('--home (and --json) may come before the command', async () => {
    const home = await tempDir();
    const r = await runCli(['--home', home, '--json', 'run', 'list'], { home: null });
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.json).toMatchObject({ total: 0, runs: [] });
  });

  it('pack of a folder that does not exist leaves no empty run behind', async () => {
    const home = await tempDir();
    const work = await tempDir();
    const r = await runCli(['pack', path.join(work, 'missing'), '--out', path.join(work, 'x.zip')], { home });
    expect(r.code).toBe(2);
    const list = await runCli(['run', 'list', '--json'], { home });
    expectExit(list, 0);
    expect(
      list.json.runs.map((x: any) => `${x.run_id} ${x.title} ${x.state}`),
      'a failed pack created a run',
    ).toEqual([]);
  });

  it('a relative --out is recorded as an absolute path, so the run can be re-read from another folder', async () => {
    const home = await tempDir();
    const cwd = await tempDir();
    const p = await runCli(['pack', SAMPLE_EVIDENCE, '--out', 'relative.zip', '--json'], { home, cwd });
    expectExit(p, 0);
    expect(await exists(path.join(cwd, 'relative.zip'))).toBe(true);
    expect(path.isAbsolute(p.json.bundle.path), `bundle.path = ${p.json.bundle.path}`).toBe(true);
    // From the repository root (another cwd), packaging again must find the existing bundle.
    const again = await runCli(['package', p.json.run_id, '--json'], { home });
    expectExit(again, 0);
    expect(again.json.bundle.sha256).toBe(p.json.bundle.sha256);
  });
});

// =====================================================================================================

describe('verify rejects damaged bundles', () => {
  let home: string;
  let work: string;
  let good: Buffer;

  beforeAll(async () => {
    home = await tempDir();
    work = await tempDir();
    const out = path.join(work, 'good.zip');
    expectExit(await runCli(['pack', SAMPLE_EVIDENCE, '--out', out, '--json'], { home }), 0);
    good = await fs.readFile(out);
    expectExit(await verifyJson(home, out), 0);
  });

  async function verifyBytes(name: string, bytes: Buffer): Promise<{ r: CliResult; failing: any[] }> {
    const file = path.join(work, name);
    await fs.writeFile(file, bytes);
    const r = await verifyJson(home, file);
    expectExit(r, 1);
    expect(r.json.ok).toBe(false);
    expect(r.json.checks.map((c: any) => c.id)).toEqual(VERIFY_CHECKS);
    const failing = r.json.checks.filter((c: any) => !c.ok);
    expect(failing.length).toBeGreaterThan(0);
    // The text report names the failing check too.
    const text = await runCli(['verify', file], { home });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/INVALID/);
    expect(text.stdout).toContain(failing[0].id);
    return { r, failing };
  }

  it('one flipped byte in a payload file (zip CRC left as is) fails verification', async () => {
    const bytes = Buffer.from(good);
    const e = findEntry(bytes, '/data/result-package.json');
    patchStoredEntry(bytes, e, (d) => (d[Math.floor(d.length / 2)] ^= 0x01), false);
    const { failing } = await verifyBytes('flipped.zip', bytes);
    expect(failing[0].id).toBe('zip_structure');
    expect(failing[0].message).toContain('result-package.json');
    expect(failing[0].message).toMatch(/CRC/);
  });

  it('one flipped byte with the zip CRC repaired fails the bag manifests check, naming the file', async () => {
    const bytes = Buffer.from(good);
    const e = findEntry(bytes, '/data/result-package.json');
    patchStoredEntry(bytes, e, (d) => (d[Math.floor(d.length / 2)] ^= 0x01), true);
    const { failing } = await verifyBytes('flipped-crc.zip', bytes);
    expect(failing[0].id).toBe('bag_manifests');
    expect(failing[0].message).toContain('result-package.json');
  });

  it('a payload change carried into both bag manifests fails the signed-subjects check', async () => {
    const bytes = Buffer.from(good);
    const payload = findEntry(bytes, '/data/usage-receipt.json');
    const before = createHash('sha256').update(entryData(bytes, payload)).digest('hex');
    patchStoredEntry(bytes, payload, (d) => (d[Math.floor(d.length / 2)] ^= 0x01), true);
    const after = createHash('sha256').update(entryData(bytes, payload)).digest('hex');
    const manifest = findEntry(bytes, '/manifest-sha256.txt');
    const mBefore = createHash('sha256').update(entryData(bytes, manifest)).digest('hex');
    patchStoredEntry(bytes, manifest, (d) => d.write(after, d.indexOf(before), 'latin1'), true);
    const mAfter = createHash('sha256').update(entryData(bytes, manifest)).digest('hex');
    const tags = findEntry(bytes, '/tagmanifest-sha256.txt');
    patchStoredEntry(bytes, tags, (d) => d.write(mAfter, d.indexOf(mBefore), 'latin1'), true);
    const { r, failing } = await verifyBytes('resigned-manifests.zip', bytes);
    expect(r.json.checks.find((c: any) => c.id === 'bag_manifests').ok).toBe(true);
    expect(r.json.checks.find((c: any) => c.id === 'signature').ok).toBe(true);
    expect(failing.map((c: any) => c.id)).toEqual(['subjects']);
    expect(failing[0].message).toContain('usage-receipt.json');
  });

  it('a changed signature (tag manifest updated to match) fails the signature check', async () => {
    const bytes = Buffer.from(good);
    const sig = findEntry(bytes, '/tokenops/signature.dsse.json');
    const sBefore = createHash('sha256').update(entryData(bytes, sig)).digest('hex');
    patchStoredEntry(
      bytes,
      sig,
      (d) => {
        const at = d.indexOf('"sig"');
        const start = d.indexOf('"', at + 5) + 1; // first character of the base64 value
        const i = start + 10;
        d[i] = d[i] === 0x41 ? 0x42 : 0x41; // 'A' <-> 'B': still base64, different bytes
      },
      true,
    );
    const sAfter = createHash('sha256').update(entryData(bytes, sig)).digest('hex');
    const tags = findEntry(bytes, '/tagmanifest-sha256.txt');
    patchStoredEntry(bytes, tags, (d) => d.write(sAfter, d.indexOf(sBefore), 'latin1'), true);
    const { r, failing } = await verifyBytes('bad-signature.zip', bytes);
    expect(r.json.checks.find((c: any) => c.id === 'bag_manifests').ok).toBe(true);
    expect(failing[0].id).toBe('signature');
  });

  it('a truncated copy fails with a reason', async () => {
    const { failing } = await verifyBytes('truncated.zip', good.subarray(0, Math.floor(good.length * 0.6)));
    expect(failing[0].id).toBe('zip_structure');
    expect(failing[0].message).toMatch(/truncated/i);
  });

  it('a file that is not a zip fails with a reason', async () => {
    const { failing } = await verifyBytes('not-a-zip.zip', Buffer.from('this is a text file, not a result bundle\n'));
    expect(failing[0].id).toBe('zip_structure');
    expect(failing[0].message).toMatch(/not a zip/i);
  });
});

// =====================================================================================================

describe('two package processes at once', () => {
  it('both succeed on the same run with exactly one debit and one bundle', async () => {
    const home = await tempDir();
    const work = await tempDir();
    const runId = await createRunWith(home, SAMPLE_EVIDENCE);
    const outA = path.join(work, 'a.zip');
    const outB = path.join(work, 'b.zip');
    const a = startCli(['package', runId, '--out', outA, '--json'], { home });
    const b = startCli(['package', runId, '--out', outB, '--json'], { home });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expectExit(ra, 0);
    expectExit(rb, 0);
    expect(ra.json.packaged).toBe(true);
    expect(rb.json.packaged).toBe(true);
    // One of them packaged; the other found the run packaged and reports that same bundle.
    expect(ra.json.bundle.sha256).toBe(rb.json.bundle.sha256);
    // The second packager finds the run packaged and copies the one bundle to the path it was asked for.
    expect([ra.json.bundle.path, rb.json.bundle.path].sort()).toEqual([outA, outB].sort());
    expect(await sha256File(rb.json.bundle.path)).toBe(rb.json.bundle.sha256);
    expect([ra.json.credits.already_debited, rb.json.credits.already_debited].sort()).toEqual([false, true]);
    expect(await sha256File(ra.json.bundle.path)).toBe(ra.json.bundle.sha256);
    expectExit(await verifyJson(home, ra.json.bundle.path), 0);
    for (const o of [outA, outB]) expect(await exists(`${o}.partial`)).toBe(false);

    const l = await ledger(home);
    expect(debitsFor(l, runId)).toHaveLength(1);
    expect(receiptsFor(l, runId)).toHaveLength(1);
    expect(l.verify.ok).toBe(true);
  });
});

// =====================================================================================================

describe('callback delivery', () => {
  it('retries a failing receiver with the same webhook-id and valid Standard Webhooks signatures', async () => {
    const home = await tempDir();
    const work = await tempDir();
    const out = path.join(work, 'cb.zip');
    const key = randomBytes(32);
    const secret = `whsec_${key.toString('base64')}`;

    const received: Array<{ headers: IncomingHttpHeaders; body: string; path: string }> = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '' });
        res.statusCode = received.length <= 2 ? 500 : 200;
        res.end(received.length <= 2 ? 'try again' : 'ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}/hook`;
      // The default backoff base is 5 s; --retry-base-ms shortens it (full jitter in [0, base·2^(n-1)]).
      const r = await runCli(
        [
          'pack',
          SAMPLE_EVIDENCE,
          '--out',
          out,
          '--callback-url',
          url,
          '--callback-secret',
          secret,
          '--allow-private',
          '--retry-base-ms',
          '20',
          '--json',
        ],
        { home },
      );
      expectExit(r, 0);
      expect(r.json.callback.state).toBe('delivered');
      expect(r.json.callback.attempts.map((x: any) => x.status)).toEqual([500, 500, 200]);
      expect(r.stdout, 'the callback secret must never be printed').not.toContain(secret.slice(6));

      expect(received).toHaveLength(3);
      const ids = new Set(received.map((x) => x.headers['webhook-id']));
      expect(ids.size, 'same webhook-id on every retry').toBe(1);
      expect([...ids][0]).toBe(r.json.callback.message_id);
      for (const x of received) {
        expect(x.path).toBe('/hook');
        const id = String(x.headers['webhook-id']);
        const ts = String(x.headers['webhook-timestamp']);
        expect(ts).toMatch(/^\d+$/);
        const expected = createHmac('sha256', key).update(`${id}.${ts}.${x.body}`).digest();
        const sigs = String(x.headers['webhook-signature'])
          .split(' ')
          .filter((s) => s.startsWith('v1,'))
          .map((s) => Buffer.from(s.slice(3), 'base64'));
        expect(sigs.length).toBeGreaterThan(0);
        expect(
          sigs.some((s) => s.length === expected.length && timingSafeEqual(s, expected)),
          'a v1 signature verifies',
        ).toBe(true);
      }
      // Every attempt carries the same payload: the callback payload with the bundle's digest.
      expect(new Set(received.map((x) => x.body)).size).toBe(1);
      const body = JSON.parse(received[0]!.body);
      expect(body.bundle_sha256).toBe(await sha256File(out));
      expect(body.bundle_sha256).toBe(r.json.bundle.sha256);
      expect(body).toEqual(r.json.callback_payload);
      expect(JSON.stringify(body)).toContain(r.json.run_id);

      // Delivered moves the run on.
      expect((await showRun(home, r.json.run_id)).run.state).toBe('delivered');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r(undefined)));
    }
  });
});

// =====================================================================================================

describe('crash during export', () => {
  it('a SIGKILL mid-export leaves the store readable, no bundle under the final name, and a retry debits once', async () => {
    const home = await tempDir();
    const work = await tempDir();
    const dir = await copySampleEvidence(path.join(work, 'big'));
    // 300 MB of zeros (sparse on disk): binary, so TokenOps cannot scan it and asks for an attestation.
    // (300 MB of *text* would take ~20 s to secret-scan, which is why the big file is binary.)
    await writeSparseFile(path.join(dir, 'big.bin'), 300 * 1024 * 1024);
    const first = await runCli(['pack', dir, '--out', path.join(work, 'first.zip'), '--json'], { home });
    expectExit(first, 1);
    expect(JSON.stringify(first.json.blockers)).toContain('big.bin');
    const runId: string = first.json.run_id;
    const big = (await showRun(home, runId)).run.files.find((f: any) => f.name === 'big.bin');
    expectExit(await runCli(['file', 'attest', runId, big.file_id, '--by', 'cli crash test'], { home }), 0);

    // Start the export and kill it as soon as its partial output has grown past 8 MiB.
    const outDir = path.join(work, 'out');
    await fs.mkdir(outDir);
    const out = path.join(outDir, 'crash.zip');
    const partial = `${out}.partial`;
    const watcher = watch(outDir);
    let killedMidExport = false;
    const proc = startCli(['package', runId, '--out', out, '--json'], { home });
    watcher.on('change', () => {
      if (killedMidExport) return;
      fs.stat(partial).then(
        (s) => {
          if (!killedMidExport && s.size > 8 * 1024 * 1024) {
            killedMidExport = true;
            proc.child.kill('SIGKILL');
          }
        },
        () => {},
      );
    });
    const killed = await proc.done;
    watcher.close();
    expect(killedMidExport, `the export finished before it could be killed:\n${describeResult(killed)}`).toBe(true);
    expect(killed.signal).toBe('SIGKILL');
    expect(await exists(out), 'no bundle under the final name after a crash').toBe(false);

    // The store is intact and readable.
    const list = await runCli(['run', 'list', '--json'], { home });
    expectExit(list, 0);
    expect(list.json.runs.map((x: any) => x.run_id)).toContain(runId);
    const shown = await showRun(home, runId);
    expect(shown.run.state).not.toBe('packaged');
    expect(shown.run.outputs ?? null).toBeNull();
    expectExit(await runCli(['receipt', 'verify', '--json'], { home }), 0);

    // Packaging again (the dead process's locks must not block it) succeeds, with one debit in total.
    const retry = await runCli(['package', runId, '--out', out, '--json'], { home });
    expectExit(retry, 0);
    expect(retry.json.packaged).toBe(true);
    expect(retry.json.bundle.path).toBe(out);
    expect(await exists(partial), 'the stale .partial is gone after a successful export').toBe(false);
    expect(retry.json.bundle.sha256).toBe(await sha256File(out));
    expectExit(await verifyJson(home, out), 0);
    const l = await ledger(home);
    expect(debitsFor(l, runId)).toHaveLength(1);
    expect(receiptsFor(l, runId)).toHaveLength(1);
    expect(l.verify.ok).toBe(true);
  });
});
