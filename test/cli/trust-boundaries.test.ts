/**
 * Trust boundaries of the CLI: where a bundle may be written, what may be read as a bundle or as
 * evidence, and a paid receipt that pays for one run only. Each case failed before: `--out` into the
 * data folder overwrote the signing key, `verify` on a pipe never returned, `file replace` with an
 * identical copy excluded the original, and one receipt in two runs debited twice.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, runCli, SAMPLE_EVIDENCE, startCli, tempDir, writeFiles } from './helpers';

beforeAll(assertCliBuilt);
afterAll(cleanupTemps);

async function sufficientRun(home: string): Promise<string> {
  const runId: string = (await runCli(['run', 'create', '--title', 'boundaries', '--json'], { home })).json.run.run_id;
  const add = await runCli(['evidence', 'add', runId, SAMPLE_EVIDENCE, '--json'], { home });
  expect(add.code, add.stderr).toBe(0);
  return runId;
}

describe('--out', () => {
  it('refuses a path inside the data folder, before any debit, and the signing key is untouched', async () => {
    const home = await tempDir();
    const runId = await sufficientRun(home);
    const keyPath = path.join(home, 'keys', 'signing-key.pem');
    const key = await fs.readFile(keyPath).catch(() => null);
    for (const out of [
      keyPath,
      path.join(home, 'runs', 'x.zip'),
      path.join(home, 'keys', '..', 'exports', 'mine.zip'),
    ]) {
      const r = await runCli(['package', runId, '--out', out], { home });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is inside the data folder .*Choose a path outside it/);
    }
    if (key) expect(await fs.readFile(keyPath)).toEqual(key);
    const receipts = await runCli(['receipt', 'list', '--json'], { home });
    expect(JSON.stringify(receipts.json)).not.toContain(runId.replace(/^run_/, ''));
  });

  it('refuses an existing file that is not a bundle unless --force, and a folder with a plain message', async () => {
    const home = await tempDir();
    const runId = await sufficientRun(home);
    const dir = await tempDir();
    const doc = path.join(dir, 'quarterly-report.docx');
    await fs.writeFile(doc, "the operator's own document");
    const refused = await runCli(['package', runId, '--out', doc], { home });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /exists and is not a TokenOps bundle; it is left as it is\. Choose another path, or add --force/,
    );
    expect(await fs.readFile(doc, 'utf8')).toBe("the operator's own document");
    const folder = await runCli(['package', runId, '--out', dir], { home });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder\. Give a file path for the bundle/);
    expect(folder.stderr).not.toMatch(/EISDIR/);
    const forced = await runCli(['package', runId, '--out', doc, '--force'], { home });
    expect(forced.code, forced.stderr).toBe(0);
    // Writing over an earlier bundle needs no --force.
    const again = await runCli(['pack', SAMPLE_EVIDENCE, '--out', doc], { home: await tempDir() });
    expect(again.code, again.stderr).toBe(0);
  });
});

describe('pipes and devices', () => {
  it('verify and evidence add refuse a FIFO at once instead of waiting on it forever', async () => {
    const home = await tempDir();
    const dir = await tempDir();
    const fifo = path.join(dir, 'bundle.zip');
    execFileSync('mkfifo', [fifo]);
    for (const args of [
      ['verify', fifo],
      ['evidence', 'add', await sufficientRun(home), fifo],
    ]) {
      const { child, done } = startCli(args, { home });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const r = await done;
      clearTimeout(timer);
      expect(r.signal, `${args[0]} hung on a FIFO`).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/pipe/);
    }
  });
});

describe('file replace', () => {
  it('an identical copy or a folder is a usage error, and the original stays in the run', async () => {
    const home = await tempDir();
    const dir = await tempDir();
    await writeFiles(dir, { 'notes.md': '# notes\n' });
    const runId: string = (await runCli(['run', 'create', '--json'], { home })).json.run.run_id;
    const fileId: string = (await runCli(['evidence', 'add', runId, path.join(dir, 'notes.md'), '--json'], { home }))
      .json.report.added_files[0].file_id;
    const copyDir = await tempDir();
    await writeFiles(copyDir, { 'notes-copy.md': '# notes\n' });
    const same = await runCli(['file', 'replace', runId, fileId, path.join(copyDir, 'notes-copy.md')], { home });
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/is identical to notes\.md \(same SHA-256\)/);
    const folder = await runCli(['file', 'replace', runId, fileId, copyDir], { home });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder: a file is replaced by one corrected file\. notes\.md is kept as it is/);
    const run = (await runCli(['run', 'show', runId, '--json'], { home })).json.run;
    expect(run.files).toHaveLength(1);
    expect(run.files[0].excluded).toBeUndefined();
  });
});

describe('one paid receipt, one debit', () => {
  it('the same usage receipt in a second run gets an exception ticket naming the run that used it, and no debit', async () => {
    const home = await tempDir();
    const out = await tempDir();
    const first = await runCli(['pack', SAMPLE_EVIDENCE, '--out', path.join(out, 'a.zip'), '--json'], { home });
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['pack', SAMPLE_EVIDENCE, '--out', path.join(out, 'b.zip'), '--json'], { home });
    expect(second.code).toBe(1);
    expect(second.json.exception_ticket.exception_type).toBe('inconsistent_evidence');
    expect(second.json.exception_ticket.inconsistencies.join(' ')).toMatch(
      new RegExp(`was already packaged by run ${first.json.run_id}.*would debit the credits twice`),
    );
    expect(second.json.exception_ticket.safe_to_replay).toBe(true);
    const receipts = await runCli(['receipt', 'list', '--json'], { home });
    expect(JSON.stringify(receipts.json).match(/"receipt_type"/g)).toHaveLength(1);
  });
});
