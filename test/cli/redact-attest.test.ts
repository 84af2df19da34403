/**
 * The bulk ways out of a blocked intake: redact a text file (a masked copy becomes the evidence, the
 * original is excluded) and attest every unscannable file at once, in `file` commands and in `pack`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, runCli, SAMPLE_EVIDENCE, tempDir, writeFiles } from './helpers';

const STRIPE_KEY = 'sk_' + 'live_' + 'Zq8mR2vT5wY9bC3dF6gH1jK4lN7pQ0sU';
const png = () =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), randomBytes(3000)]);

let home: string;
beforeAll(() => {
  assertCliBuilt();
});
afterAll(cleanupTemps);

/** A new run (in a new home) holding one .env of `count` distinct Stripe keys, `<prefix><i>=<key>` a line. */
async function runWithKeys(name: string, count: number, prefix: string): Promise<{ runId: string; fileId: string }> {
  home = await tempDir();
  const dir = await tempDir();
  const keys = Array.from(
    { length: count },
    (_, i) => `${prefix}${i}=${STRIPE_KEY.slice(0, -4)}${String(i).padStart(4, '0')}`,
  );
  await writeFiles(dir, { [name]: `${keys.join('\n')}\n` });
  const runId: string = (await runCli(['run', 'create', '--json'], { home })).json.run.run_id;
  const added = await runCli(['evidence', 'add', runId, path.join(dir, name), '--json'], { home });
  return { runId, fileId: added.json.report.added_files[0].file_id };
}

describe('file redact', () => {
  it('masks every finding in a copy that becomes the evidence; the original is excluded and its records never stored', async () => {
    home = await tempDir();
    const dir = await tempDir();
    const settlement = {
      kind: 'settlement_reference',
      settlement_reference: 'stl_redact_001',
      status: 'settled',
      note: `charged with ${STRIPE_KEY}`,
    };
    await writeFiles(dir, { 'settlement.json': JSON.stringify(settlement, null, 2) });
    const runId: string = (await runCli(['run', 'create', '--title', 'redact', '--json'], { home })).json.run.run_id;
    const added = await runCli(['evidence', 'add', runId, path.join(dir, 'settlement.json'), '--json'], { home });
    const fileId: string = added.json.report.added_files[0].file_id;
    expect(added.json.report.added_files[0].scan_status).toBe('findings');

    const redacted = await runCli(['file', 'redact', runId, fileId, '--json'], { home });
    expect(redacted.code).toBe(0);
    expect(redacted.json.masked).toBe(1);
    expect(redacted.stdout).not.toContain(STRIPE_KEY);
    const files = redacted.json.view.run.files;
    expect(files.find((f: any) => f.file_id === fileId).excluded.reason).toMatch(
      /^redacted: 1 finding masked in file_/,
    );
    const copy = files.find((f: any) => f.file_id !== fileId);
    expect(copy).toMatchObject({ name: 'settlement.json', scan: { status: 'clean' } });
    // The masked copy's records are read now: the settlement is evidence, without the key.
    const evidence = redacted.json.view.run.evidence;
    expect(evidence).toHaveLength(1);
    expect(evidence[0].record).toMatchObject({ settlement_reference: 'stl_redact_001' });
    expect(JSON.stringify(redacted.json)).not.toContain(STRIPE_KEY);
    const stored = await fs.readFile(path.join(home, copy.stored_path), 'utf8');
    expect(JSON.parse(stored).note).toBe('charged with [REDACTED tokenops/stripe-api-key]');

    const again = await runCli(['file', 'redact', runId, copy.file_id], { home });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/has no secret finding \(scan clean\)/);
  });

  it('masks a file holding more findings than one scan reports (100 per rule), in passes', async () => {
    const { runId, fileId } = await runWithKeys('leaky.env', 250, 'STRIPE_');
    const redacted = await runCli(['file', 'redact', runId, fileId, '--json'], { home });
    expect(redacted.code, redacted.stderr).toBe(0);
    expect(redacted.json.masked).toBe(250);
    const copy = redacted.json.view.run.files.find((f: any) => f.file_id !== fileId);
    expect(copy.scan.status).toBe('clean');
    const stored = await fs.readFile(path.join(home, copy.stored_path), 'utf8');
    expect(stored.split('\n')[249]).toBe('STRIPE_249=[REDACTED tokenops/stripe-api-key]');
  });

  it('a redaction that cannot finish leaves the run unchanged and says what to do', async () => {
    const { runId, fileId } = await runWithKeys('dump.env', 5100, 'K');
    const r = await runCli(['file', 'redact', runId, fileId], { home });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /dump\.env still holds secrets after 5,000 were masked .*replace it with a clean copy or exclude it\. The run is unchanged\./,
    );
    const after = await runCli(['run', 'show', runId, '--json'], { home });
    expect(after.json.run.files.map((f: any) => [f.file_id, f.excluded ?? null])).toEqual([[fileId, null]]);
  });

  it('refuses a binary file with a finding: masking bytes would corrupt it', async () => {
    home = await tempDir();
    const dir = await tempDir();
    await writeFiles(dir, {
      'agent.bin': Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.from(`key ${STRIPE_KEY}`), Buffer.from([0])]),
    });
    const runId: string = (await runCli(['run', 'create', '--json'], { home })).json.run.run_id;
    const added = await runCli(['evidence', 'add', runId, dir, '--json'], { home });
    const file = added.json.report.added_files[0];
    expect(file.scan_status).toBe('findings');
    const r = await runCli(['file', 'redact', runId, file.file_id], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is binary: masking bytes inside it would corrupt it\. Exclude it, or replace it/);
  });
});

describe('attesting every unscannable file at once', () => {
  it('file attest --all-unscannable names each file it attested', async () => {
    home = await tempDir();
    const dir = await tempDir();
    await writeFiles(dir, { 'shots/a.png': png(), 'shots/b.png': png(), 'notes.md': '# notes\n' });
    const runId: string = (await runCli(['run', 'create', '--json'], { home })).json.run.run_id;
    await runCli(['evidence', 'add', runId, dir], { home });
    const r = await runCli(['file', 'attest', runId, '--all-unscannable', '--by', 'Ops Lead', '--json'], { home });
    expect(r.code).toBe(0);
    expect(r.json.attested.sort()).toEqual(['shots/a.png', 'shots/b.png']);
    expect(
      r.json.view.run.files.filter((f: any) => f.scan.status === 'attested').map((f: any) => f.scan.attested_by),
    ).toEqual(['Ops Lead', 'Ops Lead']);
    const none = await runCli(['file', 'attest', runId, '--all-unscannable', '--by', 'Ops Lead'], { home });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no unscannable file to attest/);
  });

  it('pack --attest-unscannable packs a folder of evidence with screenshots in one command', async () => {
    home = await tempDir();
    const dir = await tempDir();
    await fs.cp(SAMPLE_EVIDENCE, dir, { recursive: true });
    await writeFiles(dir, { 'screenshots/result.png': png() });
    const out = path.join(await tempDir(), 'bundle.zip');
    const blocked = await runCli(['pack', dir, '--out', out, '--json'], { home });
    expect(blocked.code).toBe(1);
    const packed = await runCli(['pack', dir, '--out', out, '--attest-unscannable', 'Ops Lead', '--json'], { home });
    expect(packed.code).toBe(0);
    expect(packed.json.packaged).toBe(true);
  });

  it("a blocked pack's text names the way out for each kind of file: attest what could not be scanned, redact a secret", async () => {
    const dir = await tempDir();
    await fs.cp(SAMPLE_EVIDENCE, dir, { recursive: true });
    await writeFiles(dir, { 'screenshots/a.png': png(), 'screenshots/b.png': png() });
    const shots = await runCli(['pack', dir, '--out', path.join(await tempDir(), 'b.zip')], { home: await tempDir() });
    expect(shots.code).toBe(1);
    const runId = /run (run_\S+) was NOT packaged/.exec(shots.stdout)![1];
    expect(shots.stdout).toContain(
      `a file that could not be scanned: open it, then \`tokenops file attest ${runId} FILE_ID --by NAME\` (all 2: \`tokenops file attest ${runId} --all-unscannable --by NAME\`)`,
    );
    expect(shots.stdout).not.toContain('file redact');

    await writeFiles(dir, { 'config/.env': `STRIPE_SECRET_KEY=${STRIPE_KEY}\n` });
    const both = await runCli(['pack', dir, '--out', path.join(await tempDir(), 'b.zip')], { home: await tempDir() });
    const bothRun = /run (run_\S+) was NOT packaged/.exec(both.stdout)![1];
    expect(both.stdout).toContain(`a file holding a secret: \`tokenops file redact ${bothRun} FILE_ID\``);
    expect(both.stdout).toContain(`tokenops file attest ${bothRun} --all-unscannable --by NAME`);
    expect(both.stdout).not.toContain(STRIPE_KEY);
  });
});

describe('pack reports what it left out', () => {
  it("TokenOps' own data folder inside the evidence folder is skipped, and a file in it is refused", async () => {
    const dir = await tempDir();
    await fs.cp(SAMPLE_EVIDENCE, dir, { recursive: true });
    const ownHome = path.join(dir, '.tokenops');
    const out = path.join(await tempDir(), 'bundle.zip');
    // Twice: the second time the data folder holds a run, its lock and the signing key (that pack is
    // refused for debiting the same receipt again; what it took in is the point here).
    for (const time of [1, 2]) {
      const r = await runCli(['pack', dir, '--out', out, '--force', '--json'], { home: ownHome });
      expect(r.code, JSON.stringify(r.json?.blockers ?? r.stderr)).toBe(time === 1 ? 0 : 1);
      expect(r.json.intake.skipped).toEqual([
        { path: ownHome, reason: "TokenOps' data folder (runs, keys, ledgers), never evidence" },
      ]);
      expect(r.json.intake.added_files).toBe((await fs.readdir(SAMPLE_EVIDENCE)).length);
      if (time === 1) expect(execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' })).not.toContain('.tokenops');
    }
    const key = path.join(ownHome, 'keys', 'signing-key.pem');
    const runId: string = (await runCli(['run', 'create', '--json'], { home: ownHome })).json.run.run_id;
    const refused = await runCli(['evidence', 'add', runId, key], { home: ownHome });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /is in TokenOps' data folder .*never evidence\. Give the evidence from outside it\./,
    );
  });

  it('symlinks and pipes in the folder are named with their reason, in text and in --json', async () => {
    home = await tempDir();
    const dir = await tempDir();
    await fs.cp(SAMPLE_EVIDENCE, dir, { recursive: true });
    await fs.symlink('/etc/hostname', path.join(dir, 'outside-link.txt'));
    execFileSync('mkfifo', [path.join(dir, 'stream.pipe')]);
    const out = path.join(await tempDir(), 'bundle.zip');
    const json = await runCli(['pack', dir, '--out', out, '--json'], { home });
    expect(json.code, json.stderr).toBe(0);
    const reasons = Object.fromEntries(json.json.intake.skipped.map((s: any) => [path.basename(s.path), s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['outside-link.txt', 'stream.pipe']);
    expect(reasons['outside-link.txt']).toMatch(/symbolic link/);
    expect(reasons['stream.pipe']).toMatch(/pipe/);
    const text = await runCli(['pack', dir, '--out', path.join(await tempDir(), 'b2.zip')], { home: await tempDir() });
    expect(text.stdout).toMatch(/skipped .*outside-link\.txt: .*symbolic link/);
    expect(text.stdout).toMatch(/skipped .*stream\.pipe: .*pipe/);
  });
});
