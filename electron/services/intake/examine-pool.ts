/**
 * Intake's CPU work on worker threads, so it uses every core: the main thread copies and hashes while
 * workers scan each copy for secrets and read its records (examine-file.ts), and it examines copies
 * itself while the workers have enough queued. One pool per process; an intake of many files holds it
 * and the last one done stops it (holdExaminers). The worker is the built
 * `examine-worker.js` beside this bundle (out/cli, out/main). Run from source (tests, tsx) there is
 * none, and files are examined in-process by the same function.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TokenOpsError, type ErrorCode } from '../../../shared/errors';
import type { CancelToken } from '../../../shared/progress';
import { examineFile, type Examined } from './examine-file';
import type { CsvMappings } from './csv-mapping';
import type { StoredCopy } from './stored-copy';

/**
 * What crosses to a worker: the copy's place, and its bytes when the main thread has just read them
 * (moved, not copied); without them, the worker reads the copy itself (from the page cache).
 */
export interface ExamineJob {
  id: number;
  /** The stored copy: a file, or a range of an intake pack. */
  copy: StoredCopy;
  /** The copy's bytes, when the main thread holds them. */
  bytes?: ArrayBuffer;
  relName: string;
  /** The operator's CSV column mappings (small: a few per export system). */
  csv?: CsvMappings;
}

export type ExamineReply =
  | { id: number; examined: Examined }
  | { id: number; error: { code?: ErrorCode; message: string } }
  /** Sent once, when the worker has loaded its code. */
  | { ready: true };

type Job = Omit<ExamineJob, 'id'>;

/** What a worker starts with: the counter it adds one to as it finishes each job (Examiner.finished). */
export interface ExamineWorkerData {
  finished: Int32Array;
}

/**
 * Jobs a worker has been given and not yet finished, by its own count. Counting replies instead left it
 * idle: the main thread reads them only between files, so a worker that was done still looked full and
 * the main thread examined the next file itself. Pack of 4,000 logs on 2 cores: the worker's event loop
 * was busy 54% of the time and took 1,916 files; with its own count, 91% and 2,515.
 */
function unfinished(w: Examiner): number {
  return w.posted - Atomics.load(w.finished, 0);
}

interface Pending {
  job: ExamineJob;
  resolve: (r: Examined) => void;
  reject: (e: Error) => void;
  cancel?: CancelToken;
}

/**
 * Jobs posted to one worker at a time: the next ones wait in its own queue, so it does not idle for
 * the round trip of a reply and a new message while the main thread is busy with a file of its own.
 */
const IN_FLIGHT = 4;

interface Examiner {
  /** Jobs in flight, by id (until this thread has taken in the reply). */
  jobs: Map<number, Pending>;
  /** Jobs posted to it so far. */
  posted: number;
  /**
   * Jobs it has finished so far, counted by the worker itself: its reply waits until this thread next
   * lets the event loop in, and by then the worker may have been idle for a while.
   */
  finished: Int32Array;
  /** Its code is loaded: a job posted now starts without waiting for start-up. */
  ready: boolean;
  /** Settles once it is ready, or gone. */
  started: Promise<void>;
}

/** A fixed set of workers, each with up to IN_FLIGHT jobs posted, kept while some intake holds them. */
class ExaminePool {
  private readonly workers = new Map<Worker, Examiner>();
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private holds = 0;

  constructor(
    private readonly entry: URL,
    private readonly size: number,
  ) {}

  /**
   * Starts every worker now, so they are ready by the time the first copies are read; `waitReady`
   * waits until they are (for a pool size the operator set: those workers examine from the first file).
   */
  async hold(waitReady: boolean): Promise<() => Promise<void>> {
    this.holds++;
    while (this.workers.size < this.size) this.spawn();
    if (waitReady) await Promise.all([...this.workers.values()].map((w) => w.started));
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) await this.close();
    };
  }

  /** Some intake holds the workers (otherwise every file is examined on the calling thread). */
  held(): boolean {
    return this.holds > 0;
  }

  /** Whether a ready worker would take up a job posted now, rather than leave it waiting. */
  hasRoom(): boolean {
    if (this.queue.length) return false;
    for (const w of this.workers.values()) if (w.ready && unfinished(w) < IN_FLIGHT) return true;
    return false;
  }

  examine(job: Job, cancel?: CancelToken): Promise<Examined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...job, id: ++this.nextId }, resolve, reject, cancel });
      this.pump();
    });
  }

  /** Stops every worker (a job still in flight fails); the next job starts new ones. */
  async close(): Promise<void> {
    const all = [...this.workers.keys()];
    this.workers.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }

  /** The worker with the fewest jobs in flight; a new one while the pool is not full and all are busy. */
  private leastBusy(): Worker | undefined {
    let best: Worker | undefined;
    let fewest = IN_FLIGHT;
    for (const [worker, w] of this.workers) if (unfinished(w) < fewest) [best, fewest] = [worker, unfinished(w)];
    if (fewest > 0 && this.workers.size < this.size) return this.spawn();
    return best;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.leastBusy();
      if (!worker) return;
      const next = this.queue.shift()!;
      if (next.cancel?.cancelled) {
        next.reject(
          new TokenOpsError(
            'cancelled',
            `The secret scan of ${next.job.relName} was cancelled. Run it again to check the file.`,
          ),
        );
        continue;
      }
      const examiner = this.workers.get(worker)!;
      examiner.jobs.set(next.job.id, next);
      examiner.posted++;
      worker.ref();
      worker.postMessage(next.job, next.job.bytes ? [next.job.bytes] : []);
      if (next.cancel) this.watchCancel(worker, next);
    }
  }

  /** A large file's scan takes a while: pass a cancel on while it runs. */
  private watchCancel(worker: Worker, pending: Pending): void {
    const timer = setInterval(() => {
      if (this.workers.get(worker)?.jobs.get(pending.job.id) !== pending) return clearInterval(timer);
      if (pending.cancel?.cancelled) {
        worker.postMessage({ cancel: pending.job.id });
        clearInterval(timer);
      }
    }, 50);
    timer.unref();
  }

  private spawn(): Worker {
    const finished = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(this.entry, { workerData: { finished } satisfies ExamineWorkerData });
    let started!: () => void;
    const examiner: Examiner = {
      jobs: new Map(),
      posted: 0,
      finished,
      ready: false,
      started: new Promise((res) => (started = res)),
    };
    const { jobs } = examiner;
    this.workers.set(worker, examiner);
    worker.unref();
    worker.on('message', (reply: ExamineReply) => {
      if ('ready' in reply) {
        examiner.ready = true;
        started();
        return;
      }
      const pending = jobs.get(reply.id);
      jobs.delete(reply.id);
      if (jobs.size === 0) worker.unref();
      if (pending) {
        if ('examined' in reply) pending.resolve(reply.examined);
        else
          pending.reject(
            reply.error.code
              ? new TokenOpsError(reply.error.code, reply.error.message)
              : new Error(reply.error.message),
          );
      }
      this.pump();
    });
    const lost = (why: string) => {
      started();
      if (this.workers.get(worker) === examiner) this.workers.delete(worker);
      for (const pending of jobs.values())
        pending.reject(new Error(`Reading ${pending.job.relName} stopped: ${why}. Add the file again.`));
      jobs.clear();
      this.pump();
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`its worker exited (${code})`));
    return worker;
  }
}

/** Where the built worker is, if this code runs from a build. */
function builtWorker(): URL | undefined {
  const js = new URL('./examine-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(js)) ? js : undefined;
}

/**
 * One worker per core beyond the main thread, at most four. The main thread reads, hashes and packs
 * each copy, and examines it itself whenever the workers already have their next jobs
 * (examineAnywhere), so neither waits on the other. Measured on 2 cores (one worker), `pack` of the
 * sample evidence and 4,000 logs of 50 KiB: 4.07–4.43 s median against 5.12–5.33 s without, the same peak RSS
 * (the worker is stopped before the export, where it peaks). `TOKENOPS_INTAKE_WORKERS` overrides it
 * (0: all on the main thread).
 */
function poolSize(): { size: number; asked: boolean } {
  const asked = Number(process.env.TOKENOPS_INTAKE_WORKERS);
  if (process.env.TOKENOPS_INTAKE_WORKERS !== undefined && Number.isInteger(asked) && asked >= 0)
    return { size: Math.min(asked, 16), asked: true };
  return { size: Math.max(0, Math.min(4, availableParallelism() - 1)), asked: false };
}

let pool: ExaminePool | undefined | null;

function sharedPool(): ExaminePool | undefined {
  if (pool === undefined) {
    const entry = builtWorker();
    const { size } = poolSize();
    pool = entry && size > 0 ? new ExaminePool(entry, size) : null;
  }
  return pool ?? undefined;
}

/**
 * A copy smaller than this is examined here: its scan and parse cost about what posting it and the reply
 * do (70,000 logs of 1 KiB: the messages took 0.75 s of the main thread).
 */
const WORKER_FROM_BYTES = 8 * 1024;

/**
 * Examine a stored copy on a worker, or here. `copied`, the copy's bytes when the caller holds them
 * (a small file just read), moves to a worker that can take it up now; when every worker already has
 * its next jobs, this thread examines it instead. A copy the caller does not hold (a large file) goes
 * to a worker when there is one: its scan streams and would hold up this thread's copying.
 */
export function examineAnywhere(
  copy: StoredCopy,
  relName: string,
  cancel?: CancelToken,
  copied?: Buffer,
  csv?: CsvMappings,
): Promise<Examined> {
  const p = sharedPool();
  if (!p?.held() || (copied && (copied.length < WORKER_FROM_BYTES || !p.hasRoom())))
    return examineFile(copy, relName, cancel, copied, csv);
  return p.examine({ copy, relName, csv, ...(copied ? { bytes: ownArrayBuffer(copied) } : {}) }, cancel);
}

/**
 * Starts the workers for an intake of many files or a large one (a few small files are examined on
 * the calling thread sooner than a worker starts); the returned function releases them. The last
 * release stops them: each holds 20–30 MiB, and the export that follows an intake is where a pack's
 * memory peaks. The next intake starts them again (about 0.1 s, while its first files are read here).
 */
export async function holdExaminers(): Promise<() => Promise<void>> {
  return (await sharedPool()?.hold(poolSize().asked)) ?? (async () => {});
}

/** The bytes as an ArrayBuffer of their own, which can be moved to a worker (a pooled Buffer shares its). */
function ownArrayBuffer(bytes: Buffer): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : new Uint8Array(bytes).buffer;
}
