/**
 * The closing line CI reads: a red run must never say 0 failed. Runs vitest itself on probe files in a
 * temp folder (with this repo's node_modules linked in) and reads the line it ends with.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(tmpdir(), 'tokenops-reporter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function closingLine(files: Record<string, string>): string {
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  const run = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      '--root',
      dir,
      '--config',
      path.join(dir, 'vitest.config.mjs'),
    ],
    { encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  );
  const lines = run.stdout.trim().split('\n');
  return lines[lines.length - 1];
}

describe('plain summary reporter', () => {
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(
    path.join(dir, 'vitest.config.mjs'),
    `export default { test: { include: ['*.probe.ts'], reporters: [${JSON.stringify(path.join(ROOT, 'test', 'plain-summary-reporter.ts'))}] } };\n`,
  );

  it('counts passing, failing and skipped tests, and a file whose beforeAll throws as failed', () => {
    const line = closingLine({
      'ok.probe.ts': `import { it, expect } from 'vitest';\nit('a', () => expect(1).toBe(1));\nit.skip('b', () => {});\nit('c', () => expect(1).toBe(2));\n`,
      'hook.probe.ts': `import { beforeAll, it } from 'vitest';\nbeforeAll(() => { throw new Error('no browser'); });\nit('d', () => {});\nit('e', () => {});\n`,
    });
    // ok: 1 passed, 1 skipped, 1 failed; hook: its 2 tests skipped, the file failed once
    expect(line).toBe('1 passed, 2 failed, 3 skipped');
  });
});
