/**
 * Intake's CPU work on worker threads, so it uses every core: the main thread copies and hashes while
 * workers scan each copy for secrets and read its records (examine-file.ts). One pool per process,
 * started on first use; idle workers do not keep the process alive. The worker is the built
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

/** Only paths and sizes cross to a worker: it reads the copy itself (from the page cache). */
export interface ExamineJob {
  id: number;
  /** The stored copy: a file, or a range of an intake pack. */
  copy: StoredCopy;
  relName: string;
  /** The operator's CSV column mappings (small: a few per export system). */
  csv?: CsvMappings;
}

export type ExamineReply =
  { id: number; examined: Examined } | { id: number; error: { code?: ErrorCode; message: string } };

type Job = Omit<ExamineJob, 'id'>;

interface Pending {
  job: ExamineJob;
  resolve: (r: Examined) => void;
  reject: (e: Error) => void;
  cancel?: CancelToken;
}

/** A fixed set of workers; each takes the next job when it answers. */
class ExaminePool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 0;

  constructor(
    private readonly entry: URL,
    private readonly size: number,
  ) {}

  examine(job: Job, cancel?: CancelToken): Promise<Examined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...job, id: ++this.nextId } as ExamineJob, resolve, reject, cancel });
      this.pump();
    });
  }

  /** Stops every worker; pending scans fail. */
  async close(): Promise<void> {
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.busy.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const next = this.queue.shift()!;
      if (next.cancel?.cancelled) {
        this.idle.push(worker);
        next.reject(
          new TokenOpsError(
            'cancelled',
            `The secret scan of ${next.job.relName} was cancelled. Run it again to check the file.`,
          ),
        );
        continue;
      }
      this.busy.set(worker, next);
      worker.ref();
      worker.postMessage(next.job);
      if (next.cancel) this.watchCancel(worker, next);
    }
  }

  /** A large file's scan takes a while: pass a cancel on while it runs. */
  private watchCancel(worker: Worker, pending: Pending): void {
    const timer = setInterval(() => {
      if (this.busy.get(worker) !== pending) return clearInterval(timer);
      if (pending.cancel?.cancelled) {
        worker.postMessage({ cancel: pending.job.id });
        clearInterval(timer);
      }
    }, 50);
    timer.unref();
  }

  private spawn(): Worker {
    const worker = new Worker(this.entry);
    worker.unref();
    worker.on('message', (reply: ExamineReply) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
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
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
      pending?.reject(new Error(`Reading ${pending.job.relName} stopped: ${why}. Add the file again.`));
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
 * Workers only where there are cores to spare: the main thread (copying, hashing) and the disk's
 * threads keep two busy. Measured on 2 cores, 4,000 files: no worker 16–20 s, two workers 18–19 s and
 * +100 MiB RSS, so 2 cores run in-process; 4 cores get 2 workers, 8 or more get 4 (the scan is most
 * of an intake's CPU). `TOKENOPS_INTAKE_WORKERS` overrides it (0: all on the main thread).
 */
function poolSize(): number {
  const asked = Number(process.env.TOKENOPS_INTAKE_WORKERS);
  if (process.env.TOKENOPS_INTAKE_WORKERS !== undefined && Number.isInteger(asked) && asked >= 0)
    return Math.min(asked, 16);
  return Math.max(0, Math.min(4, availableParallelism() - 2));
}

let pool: ExaminePool | undefined | null;

function sharedPool(): ExaminePool | undefined {
  if (pool === undefined) {
    const entry = builtWorker();
    const size = poolSize();
    pool = entry && size > 0 ? new ExaminePool(entry, size) : null;
  }
  return pool ?? undefined;
}

/**
 * Examine a stored copy on a worker, or here when there is none. `copied`, the copy's bytes when the
 * caller holds them, saves reading them back here; a worker reads the copy itself (only the path crosses).
 */
export function examineAnywhere(
  copy: StoredCopy,
  relName: string,
  cancel?: CancelToken,
  copied?: Buffer,
  csv?: CsvMappings,
): Promise<Examined> {
  const p = sharedPool();
  return p ? p.examine({ copy, relName, csv }, cancel) : examineFile(copy, relName, cancel, copied, csv);
}
