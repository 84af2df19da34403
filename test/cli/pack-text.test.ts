/**
 * What a person reads after `pack`: a folder of many alike logs lists the first ten files not read as
 * records and says how many more there are; `--json` still lists every one.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, copySampleEvidence, runCli, tempDir } from './helpers';

beforeAll(assertCliBuilt);
afterAll(cleanupTemps);

describe('pack text output', () => {
  it('lists ten files not read as records, then how many more; --json lists them all', async () => {
    const work = await tempDir();
    const dir = await copySampleEvidence(path.join(work, 'evidence'));
    await fs.mkdir(path.join(dir, 'logs'));
    for (let i = 0; i < 25; i++)
      await fs.writeFile(path.join(dir, 'logs', `log-${String(i).padStart(2, '0')}.json`), `{"events":[{"i":${i}}]}`);

    const text = await runCli(['pack', dir, '--out', path.join(work, 'a.zip')], { home: await tempDir() });
    expect(text.code).toBe(0);
    const listed = text.stdout.split('\n').filter((l) => l.startsWith('  not read as records: '));
    expect(listed).toHaveLength(10);
    expect(listed[0]).toBe(
      '  not read as records: logs/log-00.json: JSON object with keys events matches no known evidence shape',
    );
    expect(text.stdout).toContain('  … and 15 more not read as records (--json lists them all)');

    const json = await runCli(['pack', dir, '--out', path.join(work, 'b.zip'), '--json'], { home: await tempDir() });
    expect(json.json.intake.unread).toHaveLength(25);
  });
});
