/**
 * A secret found in an evidence file is never copied into the run's records: the file's records are not
 * read while it is blocked, so neither the run file, its backup, nor any --json output holds the raw value.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, runCli, tempDir, writeFiles } from './helpers';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const SECRET = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"agent-7","scope":"payments:write"}')}.${b64url('signature-bytes-long-enough-for-a-jwt')}`;

let home: string;
let dir: string;
beforeAll(async () => {
  assertCliBuilt();
  home = await tempDir();
  dir = await tempDir();
  await writeFiles(dir, {
    'settlement.json': JSON.stringify({
      kind: 'settlement_reference',
      settlement_reference: 'stl_secret_001',
      provider_reference: SECRET,
      status: 'settled',
    }),
  });
});
afterAll(cleanupTemps);

async function readTree(root: string): Promise<string> {
  let all = '';
  for (const entry of await fs.readdir(root, { withFileTypes: true, recursive: true })) {
    const p = path.join(entry.parentPath ?? (entry as any).path, entry.name);
    // The evidence copy itself is the operator's file (kept so it can be replaced or excluded); records and outputs must not hold it.
    if (entry.isFile() && !p.includes(`${path.sep}files${path.sep}`))
      all += await fs.readFile(p, 'utf8').catch(() => '');
  }
  return all;
}

describe('a blocked secret is never stored', () => {
  it('keeps the record of a file with a finding out of the run, the backup and every --json output', async () => {
    const created = await runCli(['run', 'create', '--title', 'secret', '--json'], { home });
    const runId: string = created.json.run.run_id;
    const add = await runCli(['evidence', 'add', runId, path.join(dir, 'settlement.json'), '--json'], { home });
    expect(add.stdout).not.toContain(SECRET);
    const shown = await runCli(['run', 'show', runId, '--json'], { home });
    expect(shown.stdout).not.toContain(SECRET);
    const file = shown.json.run.files.find((f: any) => f.name === 'settlement.json');
    expect(file.scan.status).toBe('findings');
    expect(file.problem).toMatch(/records are not read until it is redacted, replaced by a clean copy or excluded/);
    expect(shown.json.run.evidence).toEqual([]);
    const evaluated = await runCli(['evaluate', runId, '--json'], { home });
    expect(evaluated.stdout).not.toContain(SECRET);
    expect(await readTree(home)).not.toContain(SECRET);
  });
});
