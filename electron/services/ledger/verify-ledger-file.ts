/**
 * Read-only check of a ledger file (e.g. a copy handed to an auditor): no lock, no repair, no write.
 * A crash artifact is reported as a problem here, with a note that opening the ledger would remove it.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { TokenOpsError } from '../../../shared/errors';
import { inspectLedger } from './inspect-ledger';
import type { LedgerVerification } from './ledger-types';
import { readSignedHead } from './signed-head';

export async function verifyLedgerFile(path: string, trustedKeyIds: readonly string[]): Promise<LedgerVerification> {
  const full = resolve(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(full);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new TokenOpsError('not_found', `Ledger file ${full} does not exist; check the path.`);
    }
    throw e;
  }
  const ins = inspectLedger(bytes, await readSignedHead(`${full}.head.json`, trustedKeyIds), basename(full));
  const problems = ins.repair
    ? [`${ins.repair.description.replace('removed', 'found')} Opening the ledger with TokenOps removes it.`]
    : ins.problems;
  return { ok: problems.length === 0, entries: ins.lineCount, problems, repairs: [] };
}
