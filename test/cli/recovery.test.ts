/**
 * A run file restored from its backup is never silent: the CLI says so on stderr, `run show --json`
 * carries `recovered_from_backup`, and when the receipt ledger already holds the run's receipt (the
 * backup predates packaging) its evidence cannot be changed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, runCli, SAMPLE_EVIDENCE, tempDir, writeFiles } from './helpers';

beforeAll(assertCliBuilt);
afterAll(cleanupTemps);

describe('restore from backup', () => {
  it('is reported, and a packaged run restored to before its packaging stays frozen', async () => {
    const home = await tempDir();
    const out = path.join(await tempDir(), 'bundle.zip');
    const packed = await runCli(['pack', SAMPLE_EVIDENCE, '--out', out, '--json'], { home });
    expect(packed.code, packed.stderr).toBe(0);
    const runId: string = packed.json.run_id;
    const runFile = path.join(home, 'runs', `${runId}.json`);
    const backup = JSON.parse(await fs.readFile(`${runFile}.bak`, 'utf8'));
    expect(backup.outputs, 'the backup is the copy from before packaging').toBeUndefined();
    await fs.writeFile(runFile, '{"run_id": "truncated'); // a torn write, a bad disk sector

    const shown = await runCli(['run', 'show', runId, '--json'], { home });
    expect(shown.code).toBe(0);
    expect(shown.stderr).toMatch(new RegExp(`warning: .*${runId}\\.json was damaged and restored from .*\\.bak`));
    expect(shown.json.recovered_from_backup).toMatchObject({ receipt_in_ledger: packed.json.usage_receipt.receipt_id });

    const dir = await tempDir();
    await writeFiles(dir, { 'late.md': '# added after the restore\n' });
    const add = await runCli(['evidence', 'add', runId, path.join(dir, 'late.md')], { home });
    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(
      new RegExp(
        `Run ${runId} is packaged: the receipt ledger holds its usage receipt ${packed.json.usage_receipt.receipt_id}`,
      ),
    );
  });
});
