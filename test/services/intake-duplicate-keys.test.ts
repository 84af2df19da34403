/**
 * Intake checks repeated JSON keys only where they can mislead: a record with a repeated key is refused
 * (readers disagree on which value counts), while a file that holds no record (a runtime log) is kept
 * as it is, since no value of it is read. The check is skipped there because it costs about as much as
 * the parse on a large log.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTokenOps } from '../../electron/services/tokenops';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('repeated JSON keys on intake', () => {
  it('refuse a settlement whose "success" is given twice, and leave a log with repeated keys as a file', async () => {
    const home = await mkdtemp(join(tmpdir(), 'tokenops-dupkeys-'));
    const src = await mkdtemp(join(tmpdir(), 'tokenops-dupkeys-src-'));
    dirs.push(home, src);
    // x402 SettleResponse (coinbase/x402 specs/x402-specification.md §5.3) with `success` twice.
    await writeFile(
      join(src, 'settle.json'),
      '{\n  "success": false,\n  "transaction": "0x9f2c1b7a",\n  "network": "base-sepolia",\n  "payer": "0x857b06519E91e3A54538791bDbb0E22373e36b66",\n  "success": true\n}\n',
    );
    await writeFile(join(src, 'agent-log.json'), '{"events":[{"tool":"summarise","tool":"search"}],"note":"x"}\n');
    const t = await openTokenOps({ home });
    try {
      const { run } = await t.handlers['runs.create']({ title: 'dup keys' });
      const { report } = await t.handlers['evidence.addFiles']({ run_id: run.run_id, paths: [src] });
      const byName = new Map(report.added_files.map((f) => [f.name, f]));
      expect(byName.get('settle.json')?.problem).toMatch(
        /settle\.json names the key "success" twice in one object \(second at line 6, column 3\)/,
      );
      expect(byName.get('settle.json')?.classified_as).toBeNull();
      expect(report.added_records).toBe(0);
      const log = byName.get('agent-log.json');
      expect(log?.problem).toMatch(/matches no known evidence shape/);
      expect(log?.problem).not.toMatch(/twice/);
      const { run: after } = await t.handlers['runs.get']({ run_id: run.run_id });
      expect(after.evidence).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});
