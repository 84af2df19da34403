/**
 * The run store: one lowdb document per run under `home/runs/`, a small derived index for the run
 * list, one writer process per data directory. Generic over the run type: it only knows `run_id`.
 *
 * Guarantees (tested in test/services/store.test.ts):
 * - create/update/delete resolve only when the change is durable (fsync'd file and directory);
 * - updates of one run are serialised in this process, so concurrent updates never lose a change;
 * - a damaged run file is restored from its `.bak` and reported in `recovered`; with no good backup
 *   the call fails with TokenOpsError('corrupt_store') naming the file, which is left untouched;
 * - the index is rebuilt from the run files whenever it cannot be trusted (index-load.ts).
 */
import { mkdir, stat } from 'node:fs/promises';
import { TokenOpsError } from '../../../shared/errors';
import { removeOrphanTempFiles } from '../fs/durable-write';
import { isCode } from '../fs/errno';
import { acquireFileLock, type FileLock } from '../fs/file-lock';
import { loadIndex, type IndexDoc } from './index-load';
import { runFile, storeLayout, type StoreLayout } from './layout';
import { KeyedMutex } from './keyed-mutex';
import { assertRunId } from './run-id';
import { isPlainObject, openRunDocument } from './run-document';
import { RunIndex } from './run-index';
import type { Recovery, RunStore, RunStoreOptions } from './types';

const DEFAULT_LOCK_WAIT_MS = 15_000;
const DEFAULT_INDEX_FLUSH_DELAY_MS = 100;

export async function openRunStore<T extends { run_id: string }, S>(
  opts: RunStoreOptions<T, S>,
): Promise<RunStore<T, S>> {
  checkOptions(opts);
  const layout = storeLayout(opts.home);
  const recovered: Recovery[] = [];
  const ctx = {
    summarize: opts.summarize,
    readOnly: opts.readOnly === true,
    onRecovered: (r: Recovery) => void recovered.push(r),
  };

  if (ctx.readOnly) {
    const signature = await indexSignature(layout);
    const loaded = await loadIndex<T, S>(layout, ctx);
    return new FileRunStore<T, S>(layout, ctx, recovered, { kind: 'reader', doc: loaded.doc, signature });
  }

  await mkdir(layout.runsDir, { recursive: true });
  const lock = await acquireFileLock(layout.lockFile, {
    waitMs: opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
    onWait: opts.onLockWait,
    description: `the writer lock of TokenOps data directory ${layout.home}`,
  });
  try {
    await removeOrphanTempFiles(layout.runsDir); // safe: we are the only writer now
    const loaded = await loadIndex<T, S>(layout, ctx);
    const index = new RunIndex<S>(layout, loaded.doc, {
      markerOnDisk: loaded.markerOnDisk,
      unsaved: loaded.rebuilt,
      flushDelayMs: opts.indexFlushDelayMs ?? DEFAULT_INDEX_FLUSH_DELAY_MS,
    });
    if (loaded.rebuilt || loaded.markerOnDisk) await index.flush(); // save the rebuilt index, clear the marker
    return new FileRunStore<T, S>(layout, ctx, recovered, { kind: 'writer', index, lock });
  } catch (err) {
    await lock.release();
    throw err;
  }
}

type Mode<S> =
  { kind: 'writer'; index: RunIndex<S>; lock: FileLock } | { kind: 'reader'; doc: IndexDoc<S>; signature: string };

interface Context<T, S> {
  summarize: (run: T) => S;
  readOnly: boolean;
  onRecovered: (r: Recovery) => void;
}

class FileRunStore<T extends { run_id: string }, S> implements RunStore<T, S> {
  private readonly mutex = new KeyedMutex();
  private closed = false;

  constructor(
    private readonly layout: StoreLayout,
    private readonly ctx: Context<T, S>,
    private readonly recoveredList: Recovery[],
    private mode: Mode<S>,
  ) {}

  get recovered(): ReadonlyArray<Recovery> {
    return this.recoveredList;
  }

  async get(runId: string): Promise<T> {
    this.assertOpen('read a run');
    assertRunId(runId);
    // The writer reads under the run's mutex: a read may repair the file from .bak, which must not race an update.
    if (this.mode.kind === 'writer') return this.mutex.run(runId, () => this.read(runId));
    return this.read(runId);
  }

  async list(): Promise<S[]> {
    this.assertOpen('list runs');
    if (this.mode.kind === 'writer') return this.mode.index.summaries();
    // A reader sees the writer's later saves: reload when index.json or the dirty marker changed.
    const signature = await indexSignature(this.layout);
    if (signature !== this.mode.signature) {
      const loaded = await loadIndex<T, S>(this.layout, this.ctx);
      this.mode = { kind: 'reader', doc: loaded.doc, signature };
    }
    return Object.values(this.mode.doc.runs);
  }

  async create(run: T): Promise<T> {
    const index = this.writerIndex('create a run');
    if (!isPlainObject(run)) {
      throw new TokenOpsError(
        'input_invalid',
        `A run must be a JSON object with a "run_id"; got ${run === null ? 'null' : typeof run}.`,
      );
    }
    assertRunId(run.run_id);
    const runId = run.run_id;
    return this.mutex.run(runId, async () => {
      const existing = index.sameIdIgnoringCase(runId);
      if (existing !== undefined) throw this.conflict(runId, existing);
      const db = openRunDocument<T>(this.layout, runId, this.ctx);
      await db.read();
      if (db.data !== null) throw this.conflict(runId, runId);
      const summary = this.ctx.summarize(run); // before any write: a throwing summarize changes nothing
      const end = await index.beginChange();
      try {
        await db.adapter.discardBackup(); // a .bak left by an earlier run with this id is not this run's
        db.data = run;
        await db.write();
        index.set(runId, summary);
      } finally {
        end();
      }
      return run;
    });
  }

  async update(runId: string, mutate: (run: T) => T | void): Promise<T> {
    const index = this.writerIndex('update a run');
    assertRunId(runId);
    if (typeof mutate !== 'function')
      throw new TokenOpsError('input_invalid', `update("${runId}", mutate): mutate must be a function.`);
    return this.mutex.run(runId, async () => {
      const db = openRunDocument<T>(this.layout, runId, this.ctx);
      await db.read();
      if (db.data === null) {
        index.forget(runId);
        throw this.notFound(runId);
      }
      const returned = mutate(db.data);
      const next = returned === undefined ? db.data : returned;
      checkMutated(next, runId);
      const summary = this.ctx.summarize(next);
      const end = await index.beginChange();
      try {
        db.data = next;
        await db.write();
        index.set(runId, summary);
      } finally {
        end();
      }
      return next;
    });
  }

  async delete(runId: string): Promise<void> {
    const index = this.writerIndex('delete a run');
    assertRunId(runId);
    return this.mutex.run(runId, async () => {
      const inIndex = index.has(runId);
      if (!inIndex && !(await fileExists(runFile(this.layout, runId)))) throw this.notFound(runId);
      const db = openRunDocument<T>(this.layout, runId, this.ctx);
      const end = await index.beginChange();
      try {
        await db.adapter.remove();
        index.remove(runId);
      } finally {
        end();
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.mutex.idle();
    if (this.mode.kind !== 'writer') return;
    const { index, lock } = this.mode;
    try {
      await index.close();
    } finally {
      await lock.release();
    }
  }

  private async read(runId: string): Promise<T> {
    const db = openRunDocument<T>(this.layout, runId, this.ctx);
    await db.read();
    if (db.data === null) throw this.notFound(runId);
    return db.data;
  }

  private writerIndex(action: string): RunIndex<S> {
    this.assertOpen(action);
    if (this.mode.kind === 'writer') return this.mode.index;
    throw new TokenOpsError(
      'usage',
      `Cannot ${action}: the run store at ${this.layout.home} was opened read-only. ` +
        `Changes must go through the single writer (the TokenOps app or a tokenops command that opens it for writing).`,
    );
  }

  private assertOpen(action: string): void {
    if (this.closed) {
      throw new TokenOpsError(
        'usage',
        `Cannot ${action}: the run store at ${this.layout.home} is closed. Open it again with openRunStore().`,
      );
    }
  }

  private notFound(runId: string): TokenOpsError {
    return new TokenOpsError(
      'not_found',
      `Run "${runId}" does not exist in ${this.layout.runsDir}. Check the id against the run list (tokenops run list).`,
      { run_id: runId },
    );
  }

  private conflict(runId: string, existing: string): TokenOpsError {
    const why =
      existing === runId
        ? `A run with id "${runId}" already exists`
        : `Run id "${runId}" differs only in letter case from existing run "${existing}" (they would share one file on Windows and macOS)`;
    return new TokenOpsError(
      'conflict',
      `${why} in ${this.layout.runsDir}. Choose another id, or update the existing run.`,
      {
        run_id: runId,
        existing,
      },
    );
  }
}

function checkMutated(next: unknown, runId: string): void {
  if (typeof (next as { then?: unknown } | null)?.then === 'function') {
    throw new TokenOpsError(
      'input_invalid',
      `update("${runId}", mutate): mutate returned a Promise; it must be synchronous (change the run, or return the new run).`,
    );
  }
  if (!isPlainObject(next) || next.run_id !== runId) {
    const got = isPlainObject(next) ? `run_id ${JSON.stringify(next.run_id)}` : typeof next;
    throw new TokenOpsError(
      'input_invalid',
      `update("${runId}", mutate): mutate must leave a run object with run_id "${runId}" (got ${got}). Nothing was written.`,
    );
  }
}

function checkOptions(opts: RunStoreOptions<never, unknown>): void {
  const bad = (what: string) => new TokenOpsError('usage', `openRunStore: ${what}.`);
  if (!opts || typeof opts.home !== 'string' || opts.home.trim() === '')
    throw bad('"home" must be the path of the data directory');
  if (typeof opts.summarize !== 'function')
    throw bad('"summarize" must be a function that returns the run list entry for a run');
  for (const key of ['lockWaitMs', 'indexFlushDelayMs'] as const) {
    const v = opts[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0))
      throw bad(`"${key}" must be a number of milliseconds >= 0`);
  }
}

/** Changes whenever the writer saves index.json or creates/removes the dirty marker. */
async function indexSignature(layout: StoreLayout): Promise<string> {
  const [index, marker] = await Promise.all([statOrNull(layout.indexFile), statOrNull(layout.dirtyMarker)]);
  const part = (s: Awaited<ReturnType<typeof statOrNull>>) => (s ? `${s.ino}:${s.size}:${s.mtimeMs}` : '-');
  return `${part(index)}|${part(marker)}`;
}

async function statOrNull(file: string) {
  try {
    return await stat(file);
  } catch (err) {
    if (isCode(err, 'ENOENT')) return null;
    throw err;
  }
}

async function fileExists(file: string): Promise<boolean> {
  return (await statOrNull(file)) !== null;
}
