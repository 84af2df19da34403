/**
 * The packaging flow through the services facade (what the app and the CLI both call), on a real data folder:
 * hostile file names, in-process concurrency, and credits that run out.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTokenOps } from '../../electron/services/tokenops';
import { bundlePathOf } from '../../electron/services/packaging/package-run';
import { unsafeNameReason } from '../../electron/services/bundle/entry-name';

const SAMPLE = join(import.meta.dirname, '../../resources/sample-evidence');

/** Bundles go outside the data folder: `--out` refuses paths inside it. */
async function outDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tokenops-out-'));
}

/** The services on a fresh data folder, closed afterwards whatever the test does. */
async function withTokenOps(fn: (t: Awaited<ReturnType<typeof openTokenOps>>, home: string) => Promise<void>) {
  const home = await mkdtemp(join(tmpdir(), 'tokenops-home-'));
  const t = await openTokenOps({ home });
  try {
    await fn(t, home);
  } finally {
    await t.close();
  }
}

async function sampleCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenops-pkg-'));
  await cp(SAMPLE, dir, { recursive: true });
  return dir;
}

describe('bundle paths for operator file names', () => {
  it.each(['a:b.json', 'line\nbreak.txt', 'C:\\evil.txt', 'dir/../x.txt', 'tab\there.md'])(
    '%j becomes a portable entry name',
    (name) => {
      const p = bundlePathOf({ file_id: 'file_1', name });
      expect(unsafeNameReason(`bag/data/${p}`)).toBeNull();
      expect(p.startsWith('files/file_1/')).toBe(true);
    },
  );

  it('a run whose file names hold a colon and a newline packages and verifies', async () => {
    const dir = await sampleCopy();
    await writeFile(join(dir, 'notes: June.md'), 'public notes\n');
    await writeFile(join(dir, 'odd\nname.txt'), 'public text\n');
    await withTokenOps(async (t) => {
      const r = await t.pack({ dir, out: join(await outDir(), 'b.zip') });
      expect(r.packaged).toBe(true);
      const v = await t.handlers['bundle.verify']({ path: r.bundle!.path });
      expect(v.checks.map((c) => [c.id, c.ok])).toEqual([
        ['zip_structure', true],
        ['bag_manifests', true],
        ['signature', true],
        ['subjects', true],
      ]);
    });
  });
});

describe('packaging one run twice at once in one process', () => {
  it('debits once and writes one bundle', async () => {
    await withTokenOps(async (t) => {
      const { run } = await t.handlers['runs.create']({ title: 'twice' });
      await t.handlers['evidence.addFiles']({ run_id: run.run_id, paths: [SAMPLE] });
      const out = join(await outDir(), 'twice.zip');
      const [a, b] = await Promise.all([
        t.handlers['run.package']({ run_id: run.run_id, out_path: out }),
        t.handlers['run.package']({ run_id: run.run_id, out_path: out }),
      ]);
      expect(a.packaged && b.packaged).toBe(true);
      expect(a.bundle!.sha256).toBe(b.bundle!.sha256);
      const ledger = await t.handlers['ledger.get']({});
      expect(ledger.credit_events.filter((e) => e.type === 'debit' && e.run_id === run.run_id)).toHaveLength(1);
      expect(ledger.receipts.filter((r) => r.run_id === run.run_id)).toHaveLength(1);
      expect(ledger.verify.ok).toBe(true);
    });
  });
});

describe('credits that run out', () => {
  it('refuses to debit below zero, issues an insufficient_credits ticket, and writes no bundle', async () => {
    const dir = await sampleCopy();
    // The paid run used 12 credits of an entitlement funded with 10: the receipt is consistent with itself
    // only if remaining is negative, so make it claim 0 remaining from a balance of 12 but fund only 10.
    const entry = JSON.parse(await readFile(join(dir, 'tokenops-demo-credit-ledger-entry.json'), 'utf8'));
    const receipt = JSON.parse(await readFile(join(dir, 'tokenops-demo-usage-receipt.json'), 'utf8'));
    Object.assign(entry, { entry_type: 'grant', credits: 10, balance: 12 });
    Object.assign(receipt, { credits_debited: 12, remaining_credits: 0 });
    await writeFile(join(dir, 'tokenops-demo-credit-ledger-entry.json'), JSON.stringify(entry));
    await writeFile(join(dir, 'tokenops-demo-usage-receipt.json'), JSON.stringify(receipt));
    await withTokenOps(async (t) => {
      const r = await t.pack({ dir, out: join(await outDir(), 'nope.zip') });
      expect(r.packaged).toBe(false);
      expect(r.bundle).toBeNull();
      expect(r.exception_ticket?.exception_type).toBe('insufficient_credits');
      expect(r.blockers.join(' ')).toMatch(/has 10 credits.*needs 12/);
      const ledger = await t.handlers['ledger.get']({});
      expect(ledger.credit_events.filter((e) => e.type === 'debit')).toHaveLength(0);
      expect(ledger.balances).toEqual([
        { credit_entitlement_id: 'cred_demo_tokenops_001', granted: 10, debited: 0, balance: 10 },
      ]);
      const view = await t.handlers['runs.get']({ run_id: r.run_id });
      expect(view.run.state).toBe('exception');
    });
  });
});

describe('an entitlement opened from a balance snapshot', () => {
  it('is opened once; a later run citing the lower balance debits without a second grant', async () => {
    await withTokenOps(async (t) => {
      for (const [balance, remaining] of [
        [10, 9],
        [9, 8],
      ]) {
        const dir = await sampleCopy();
        const entry = JSON.parse(await readFile(join(dir, 'tokenops-demo-credit-ledger-entry.json'), 'utf8'));
        const receipt = JSON.parse(await readFile(join(dir, 'tokenops-demo-usage-receipt.json'), 'utf8'));
        Object.assign(entry, { entry_id: `cle_balance_${balance}`, entry_type: 'balance', credits: balance, balance });
        Object.assign(receipt, { receipt_id: `usage_paid_${balance}`, remaining_credits: remaining });
        await writeFile(join(dir, 'tokenops-demo-credit-ledger-entry.json'), JSON.stringify(entry));
        await writeFile(join(dir, 'tokenops-demo-usage-receipt.json'), JSON.stringify(receipt));
        const r = await t.pack({ dir, out: join(await outDir(), `b${balance}.zip`) });
        expect(r.packaged, r.blockers.join('; ')).toBe(true);
        expect(r.usage_receipt?.remaining_credits).toBe(remaining);
      }
      const ledger = await t.handlers['ledger.get']({});
      expect(ledger.balances).toEqual([
        { credit_entitlement_id: 'cred_demo_tokenops_001', granted: 10, debited: 2, balance: 8 },
      ]);
    });
  });
});

describe('bad paths', () => {
  it('verify and intake refuse a missing path or a folder with an actionable error, and leave the run unchanged', async () => {
    await withTokenOps(async (t, home) => {
      await expect(t.handlers['bundle.verify']({ path: join(home, 'missing.zip') })).rejects.toMatchObject({
        code: 'not_found',
        message: expect.stringMatching(/No bundle at .*missing\.zip/),
      });
      await expect(t.handlers['bundle.verify']({ path: home })).rejects.toMatchObject({
        code: 'input_invalid',
        message: expect.stringMatching(/is a folder, not a bundle file/),
      });
      const { run } = await t.handlers['runs.create']({ title: 'bad path' });
      await expect(
        t.handlers['evidence.addFiles']({ run_id: run.run_id, paths: [join(home, 'gone.json')] }),
      ).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/gone\.json does not exist/) });
      const after = await t.handlers['runs.get']({ run_id: run.run_id });
      expect(after.run.files).toHaveLength(0);
      expect(after.run.evidence).toHaveLength(0);
    });
  });
});

describe('portable bag paths', () => {
  it.each([
    ['an emoji name of 255 bytes', `${'😀'.repeat(62)}.json`],
    [
      'letters then emoji, 252 bytes: 200 UTF-16 units would end inside a pair',
      `${'a'.repeat(181)}${'😀'.repeat(17)}.md`,
    ],
    ['a Windows device name', 'CON.txt'],
    ['reserved characters and %', 'invoice <2026> "final" 50%|a?b*.pdf'],
    ['trailing dots and spaces', 'notes. . '],
  ])('%s becomes a name every system can unpack, cut at a code point', (_what, name) => {
    const p = bundlePathOf({ file_id: 'file_1', name });
    const segment = p.split('/').pop()!;
    expect(unsafeNameReason(`bag/data/${p}`)).toBeNull();
    expect(Buffer.byteLength(segment, 'utf8')).toBeLessThanOrEqual(200);
    expect(segment).not.toMatch(/[<>:"|?*%]|[. ]$|^(con|prn|aux|nul)(\.|$)/i);
    expect(Buffer.from(segment, 'utf8').toString('utf8')).toBe(segment); // no lone surrogate
  });

  it('a run with a long emoji file name packages, and its bundle verifies', async () => {
    const dir = await sampleCopy();
    const name = `${'a'.repeat(181)}${'😀'.repeat(17)}.md`;
    await writeFile(join(dir, name), 'public notes\n');
    await withTokenOps(async (t) => {
      const r = await t.pack({ dir, out: join(await outDir(), 'emoji.zip') });
      expect(r.packaged).toBe(true);
      const v = await t.handlers['bundle.verify']({ path: r.bundle!.path });
      expect(v.ok).toBe(true);
    });
  });
});

describe('a stored copy that changed after intake', () => {
  it('is named when the run is packaged, and no bundle takes the out path', async () => {
    await withTokenOps(async (t, home) => {
      const { run } = await t.handlers['runs.create']({ title: 'tampered copy' });
      await t.handlers['evidence.addFiles']({ run_id: run.run_id, paths: [SAMPLE] });
      const { run: added } = await t.handlers['runs.get']({ run_id: run.run_id });
      const file = added.files.find((f) => !f.excluded && f.size > 20)!;
      // One byte of the copy in the data folder flipped: same size, so only its digest can tell.
      const stored = join(home, file.stored_path);
      const bytes = await readFile(stored);
      bytes[(file.stored_offset ?? 0) + 10] ^= 0x01;
      await writeFile(stored, bytes);
      const out = join(await outDir(), 'tampered.zip');
      const err = await t.handlers['run.package']({ run_id: run.run_id, out_path: out }).catch((e) => e);
      expect(err.code).toBe('conflict');
      expect(err.message).toMatch(/changed since it was added to the run: its SHA-256 is now/);
      await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(readFile(`${out}.partial`)).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
});
