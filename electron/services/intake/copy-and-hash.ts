import { createHash } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CancelToken } from '../../../shared/progress';
import { TokenOpsError } from '../../../shared/errors';
import type { DeferredSyncs } from '../fs/deferred-syncs';
import type { IntakePack } from './intake-pack';
import { readRegularFileSync, writeNewFileSync } from '../fs/small-file';
import { toReadError } from './file-hash';

const CHUNK = 1024 * 1024;
const READ_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR']);
/**
 * Files up to this size are read once into memory: the copy, the hash, the scan and the parse share one
 * read. They are copied with synchronous calls, which block the thread for a few milliseconds at most
 * (the app's renderer is another process; only the main process waits).
 */
export const SMALL_FILE_BYTES = 4 * 1024 * 1024;

export interface Copied {
  sha256: string;
  size: number;
  /** The exact bytes stored, for a small file; a large one is streamed and its bytes are not kept. */
  bytes?: Buffer;
  /** `skipIf` held for this content: no copy is left behind. */
  skipped?: boolean;
  /** The copy went into `pack` at this offset, not to `dest`. */
  packedAt?: number;
}

export interface CopyOptions {
  expectedSize?: number;
  onBytes?: (n: number) => void;
  cancel?: CancelToken;
  /** The caller made the folder once for many copies (a mkdir per file is measurable). */
  dirReady?: boolean;
  /** Content that needs no copy (already in the run): for a small file, decided before anything is written. */
  skipIf?: (sha256: string) => boolean;
  /** Where the copy's fsync is deferred to; `settle` it before the run names the file. */
  syncs: DeferredSyncs;
  /** Small copies whose bytes `packable` accepts are appended here instead of written to `dest`. */
  pack?: { into: IntakePack; packable: (bytes: Buffer) => boolean };
}

/**
 * Copies evidence into the run's folder and hashes it in the same pass, so a file is read once on intake.
 * The copy's fsync is deferred to `syncs`, which makes a whole intake durable in one batch.
 */
export async function copyAndHash(src: string, dest: string, opts: CopyOptions): Promise<Copied> {
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

/** Read, hashed and written with synchronous calls (fs/small-file.ts): the pool's hops cost more than the work. */
async function copySmall(src: string, dest: string, opts: CopyOptions): Promise<Copied> {
  if (opts.cancel?.cancelled) throw cancelled();
  // What the file holds when opened is what is stored and hashed, even if it grew since the walk.
  const bytes = readRegularFileSync(src);
  opts.onBytes?.(bytes.length);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (opts.skipIf?.(sha256)) return { sha256, size: bytes.length, skipped: true };
  // Only a copy still small when read shares the pack: a larger one is examined by path, from its own file.
  if (bytes.length <= SMALL_FILE_BYTES && opts.pack?.packable(bytes))
    return { sha256, size: bytes.length, bytes, packedAt: opts.pack.into.append(bytes) };
  writeNewFileSync(dest, bytes);
  opts.syncs.add(dest);
  return { sha256, size: bytes.length, bytes };
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

async function copyStreaming(src: string, dest: string, opts: CopyOptions): Promise<Copied> {
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
  const sha256 = hash.digest('hex');
  if (opts.skipIf?.(sha256)) {
    await rm(dest, { force: true });
    return { sha256, size, skipped: true };
  }
  opts.syncs.add(dest);
  return { sha256, size };
}

function cancelled(): TokenOpsError {
  return new TokenOpsError('cancelled', 'Adding files was cancelled.');
}
