/**
 * The redacted copy becomes the evidence, so it must be made from the bytes the run took in: a stored
 * copy changed since (its pack edited in the data folder) is refused with what to do, and nothing is added.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTokenOps } from '../../electron/services/tokenops';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

// A made-up key in the shape of a Stripe live secret key (sk_live_…), split so no scanner flags this file.
const STRIPE_KEY = ['sk', 'live', '51H8xQyKZvKYlo2C0FakeFakeFakeFake00aBcDeFgHiJ'].join('_');

describe('file redact', () => {
  it('refuses a stored copy that changed since it was added, and adds nothing', async () => {
    const home = await mkdtemp(join(tmpdir(), 'tokenops-redact-changed-'));
    const src = await mkdtemp(join(tmpdir(), 'tokenops-redact-changed-src-'));
    dirs.push(home, src);
    await writeFile(join(src, 'settlement.json'), JSON.stringify({ status: 'settled', note: `key ${STRIPE_KEY}` }));
    const t = await openTokenOps({ home });
    try {
      const { run } = await t.handlers['runs.create']({ title: 'redact a changed copy' });
      const { report } = await t.handlers['evidence.addFiles']({ run_id: run.run_id, paths: [src] });
      const file = report.added_files[0];
      expect(file.scan_status).toBe('findings');
      const { run: before } = await t.handlers['runs.get']({ run_id: run.run_id });
      const stored = before.files[0];
      const pack = join(home, stored.stored_path);
      const bytes = await readFile(pack);
      bytes[(stored.stored_offset ?? 0) + 2] ^= 0x01;
      await writeFile(pack, bytes);

      const err = await t.handlers['files.redact']({ run_id: run.run_id, file_id: file.file_id }).catch((e) => e);
      expect(err.code).toBe('conflict');
      expect(err.message).toMatch(/stored copy of settlement\.json changed since it was added to the run/);
      expect(err.message).not.toContain(STRIPE_KEY);
      const { run: after } = await t.handlers['runs.get']({ run_id: run.run_id });
      expect(after.files).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
