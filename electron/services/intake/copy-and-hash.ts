import { createHash } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { mkdir, open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CancelToken } from '../../../shared/progress';
import { TokenOpsError } from '../../../shared/errors';
import { toReadError } from './file-hash';

const CHUNK = 1024 * 1024;
const READ_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR']);
/** Files up to this size are read once into memory: the copy, the hash, the scan and the parse share one read. */
export const SMALL_FILE_BYTES = 4 * 1024 * 1024;

export interface Copied {
  sha256: string;
  size: number;
  /** The exact bytes stored, for a small file; a large one is streamed and its bytes are not kept. */
  bytes?: Buffer;
}

/**
 * Copies evidence into the run's folder and hashes it in the same pass, so a file is read once on intake.
 * The copy is not fsynced here: `syncCopies` flushes a whole intake at once before the run names its
 * files (one fsync per file in turn cost ~4 ms each, most of an intake of small files).
 */
export async function copyAndHash(
  src: string,
  dest: string,
  opts: { expectedSize?: number; onBytes?: (n: number) => void; cancel?: CancelToken; dirReady?: boolean } = {},
): Promise<Copied> {
  // `dirReady`: the caller made the folder once for many copies (a mkdir per file is measurable).
  if (!opts.dirReady) await mkdir(dirname(dest), { recursive: true });
  try {
    if (opts.expectedSize !== undefined && opts.expectedSize <= SMALL_FILE_BYTES)
      return await copySmall(src, dest, opts);
    return await copyStreaming(src, dest, opts);
  } catch (e) {
    // 'wx' never overwrites: EEXIST means the copy is not ours to remove.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') await rm(dest, { force: true });
    // Reading the source is what fails in practice; say so in the intake's own words. Write-side errors
    // (a full disk) pass through as they are.
    if (READ_ERRORS.has((e as NodeJS.ErrnoException).code ?? '')) throw toReadError(e, src);
    throw e;
  }
}

/**
 * Opens a source for reading only if it is still a regular file: opened non-blocking, so a path swapped
 * for a pipe since the walk cannot hang the intake, then checked on the open descriptor itself.
 */
async function openRegular(src: string): Promise<FileHandle> {
  const handle = await open(src, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new TokenOpsError(
      'input_invalid',
      `${src} is no longer a regular file (a pipe, socket or device now stands at that path); add the file again.`,
    );
  }
  return handle;
}

async function copySmall(
  src: string,
  dest: string,
  opts: { onBytes?: (n: number) => void; cancel?: CancelToken },
): Promise<Copied> {
  if (opts.cancel?.cancelled) throw cancelled();
  const handle = await openRegular(src);
  let bytes: Buffer;
  try {
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  // A file that grew past the small size since the walk is still copied whole: we store what we read.
  await writeFile(dest, bytes, { flag: 'wx' });
  opts.onBytes?.(bytes.length);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, bytes };
}

async function copyStreaming(
  src: string,
  dest: string,
  opts: { onBytes?: (n: number) => void; cancel?: CancelToken },
): Promise<Copied> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (opts.cancel?.cancelled) return done(cancelled());
      hash.update(chunk);
      size += chunk.length;
      opts.onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  const handle = await openRegular(src);
  await pipeline(handle.createReadStream({ highWaterMark: CHUNK }), tap, createWriteStream(dest, { flags: 'wx' }));
  return { sha256: hash.digest('hex'), size };
}

function cancelled(): TokenOpsError {
  return new TokenOpsError('cancelled', 'Adding files was cancelled.');
}

/**
 * Makes an intake's copies durable: a run that says it holds a file must still hold it after a power cut.
 * The fsyncs run side by side (the file system commits them together), then each folder is synced so
 * the new names survive too (not possible on Windows, where a folder cannot be opened).
 */
export async function syncCopies(files: string[], concurrency = 16): Promise<void> {
  await eachLimited(files, concurrency, (f) => syncOne(f, 'r+'));
  const dirs = [...new Set(files.map((f) => dirname(f)))];
  await eachLimited(dirs, concurrency, (d) =>
    syncOne(d, 'r').catch((e: NodeJS.ErrnoException) => {
      if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL'].includes(e.code ?? '')) throw e;
    }),
  );
}

async function syncOne(path: string, flags: 'r' | 'r+'): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Runs `work` over `items` with at most `limit` in flight; the first failure rejects once the rest settle. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        await work(items[i], i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
}
