/** Public types of the run store (see run-store.ts for behaviour). */
import type { LockOwner } from '../fs/file-lock';

export interface RunStoreOptions<T extends { run_id: string }, S> {
  /** Data directory. Runs live in `home/runs/`, the writer lock is `home/.writer.lock`. */
  home: string;
  /** What the index keeps for the run list. Must be JSON-serialisable and small. */
  summarize: (run: T) => S;
  /** Readers take no lock and may not write; they never change any file, even to repair one. */
  readOnly?: boolean;
  /** How long to wait for another writer before failing with TokenOpsError('locked'). Default 15000. */
  lockWaitMs?: number;
  /** Called once if another live process holds the writer lock and we start waiting for it. */
  onLockWait?: (holder: LockOwner | null) => void;
  /**
   * Quiet time after the last change before the index is saved, so that a burst of updates costs one
   * index write. Default 100 ms, and at most 2 s after the first unsaved change. Until it is saved,
   * a dirty marker makes the next open rebuild the index from the run files (see run-index.ts).
   */
  indexFlushDelayMs?: number;
}

/** One automatic repair, reported so the app or CLI can tell the operator. */
export interface Recovery {
  /** The file that was repaired (absolute path). */
  file: string;
  /** Where the good content came from: a `.bak` file, or the runs directory for a rebuilt index. */
  from: string;
  reason: string;
}

export interface RunStore<T, S> {
  /** The run as stored. TokenOpsError('not_found') if absent. */
  get(runId: string): Promise<T>;
  /**
   * Summaries of all runs, from the index only (no run file is read). Order is not meaningful.
   * The writer returns its own frozen copies: read them, do not change them.
   */
  list(): Promise<Array<S>>;
  /** Stores a new run. TokenOpsError('conflict') if a run with this id (in any letter case) exists. */
  create(run: T): Promise<T>;
  /**
   * Read-modify-write of one run, serialised per run id in this process. `mutate` may change the run
   * in place (return nothing) or return a replacement; it must be synchronous and keep `run_id`.
   * Resolves once the new content is durable on disk.
   */
  update(runId: string, mutate: (run: T) => T | void): Promise<T>;
  /** Removes the run and its backup. TokenOpsError('not_found') if absent. */
  delete(runId: string): Promise<void>;
  /** Repairs made since open: restorations from `.bak`, index rebuilds. */
  readonly recovered: ReadonlyArray<Recovery>;
  /** Waits for pending writes, saves the index, releases the writer lock. */
  close(): Promise<void>;
}
