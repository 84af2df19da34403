/**
 * A 1 GB CSV of one endless line is kept as a file with a clear reason, in bounded memory: the CLI runs
 * with a 256 MiB heap, so holding the line (or the whole file) in one string would crash it (V8 aborts
 * with exit 133/134, or "Invalid string length"), and the test would see that exit instead of 0.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, runCli, tempDir } from './helpers';

const GiB = 1024 * 1024 * 1024;

async function writeOneLine(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  const chunk = Buffer.from('entry_id,credit_entitlement_id,'.repeat(32 * 1024)); // ~1 MiB, no newline
  for (let written = 0; written < bytes; written += chunk.length) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

afterAll(cleanupTemps);

describe('a 1 GB one-line CSV', () => {
  it('is kept as a file with a reason, never crashes, and memory stays bounded', { timeout: 240_000 }, async () => {
    const dir = await tempDir();
    const home = await tempDir();
    const csv = path.join(dir, 'ledger-export.csv');
    await writeOneLine(csv, GiB);
    const runId: string = (await runCli(['run', 'create', '--json'], { home })).json.run.run_id;
    const r = await runCli(['evidence', 'add', runId, csv, '--json'], {
      home,
      env: { NODE_OPTIONS: '--max-old-space-size=256' },
    });
    expect(r.code, r.stderr).toBe(0);
    const [file] = r.json.report.added_files;
    expect(file.size).toBeGreaterThanOrEqual(GiB);
    expect(file.scan_status).toBe('clean');
    expect(file.classified_as).toBeNull();
    expect(file.problem).toMatch(
      /^CSV file ledger-export\.csv has a line longer than 16,777,216 characters: .* It is kept as a file/,
    );
  });
});
