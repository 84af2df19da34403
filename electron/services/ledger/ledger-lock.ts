/**
 * Exclusive cross-process lock for one ledger: the shared O_EXCL lock file (fs/file-lock, with its
 * stale-lock take-over), plus an in-process queue so callers in this process line up first and a
 * process never waits on its own lock file.
 */
import { resolve } from 'node:path';
import { withFileLock } from '../fs/file-lock';
import { KeyedMutex } from '../store/keyed-mutex';

export interface LockOptions {
  /** How long to wait for another process to release the lock. Default 15 s. */
  timeoutMs?: number;
  /** What is being locked, for messages (e.g. the ledger path). */
  what?: string;
}

/** One queue per lock file in this process. */
const queues = new KeyedMutex();

export function withLedgerLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  return queues.run(resolve(lockPath), () =>
    // Ledger appends are short: poll often so racing writers hand over quickly.
    withFileLock(lockPath, fn, {
      waitMs: options.timeoutMs ?? 15_000,
      pollMs: 5,
      ...(options.what ? { description: `the lock of ${options.what}` } : {}),
    }),
  );
}
