/**
 * Deleting the ledger files while packaged runs exist must not reset the credits: the home remembers
 * the ledger heads it last saw (state/ledger-seen.json), so `receipt verify` fails and packaging refuses
 * until the ledgers are restored.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SAMPLE_EVIDENCE,
  assertCliBuilt,
  cleanupTemps,
  copySampleEvidence,
  describeResult,
  runCli,
  tempDir,
} from './helpers';

afterAll(cleanupTemps);

describe('a deleted or replaced ledger', () => {
  it('fails receipt verify and blocks packaging until the ledger folder is restored', async () => {
    assertCliBuilt();
    const home = await tempDir('tokenops-ledger-gone-');
    const work = await tempDir('tokenops-ledger-gone-work-');
    const first = await runCli(['pack', SAMPLE_EVIDENCE, '--out', path.join(work, 'a.zip'), '--json'], { home });
    expect(first.code, describeResult(first)).toBe(0);
    expect((await runCli(['receipt', 'verify'], { home })).code).toBe(0);

    const ledger = path.join(home, 'ledger');
    const backup = path.join(work, 'ledger-backup');
    await fs.cp(ledger, backup, { recursive: true });
    await fs.rm(ledger, { recursive: true });

    const verify = await runCli(['receipt', 'verify', '--json'], { home });
    expect(verify.code, describeResult(verify)).toBe(1);
    expect(verify.json.ok).toBe(false);
    expect(verify.json.problems.join(' ')).toMatch(
      /receipt ledger holds 0 entries, but 1 were seen .*entries were deleted/,
    );

    // A second run with its own evidence would be debited from a fresh balance: refused instead.
    const evidence = await copySampleEvidence(path.join(work, 'second'));
    const second = await runCli(['pack', evidence, '--out', path.join(work, 'b.zip'), '--json'], { home });
    expect(second.code, describeResult(second)).toBe(1);
    expect(second.json.error.code).toBe('ledger_tampered');
    expect(second.json.error.message).toMatch(/Restore the ledger folder from a backup/);

    // Restored: everything verifies again.
    await fs.rm(ledger, { recursive: true, force: true });
    await fs.cp(backup, ledger, { recursive: true });
    const again = await runCli(['receipt', 'verify'], { home });
    expect(again.code, describeResult(again)).toBe(0);
  });
});
