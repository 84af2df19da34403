import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CancelToken } from '../../../shared/progress';
import { TokenOpsError } from '../../../shared/errors';
import { toReadError } from './file-hash';

const CHUNK = 1024 * 1024;
const READ_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR']);

/**
 * Copies evidence into the run's folder and hashes it in the same pass, so a file is read once on intake.
 * The copy is fsynced: a run that says it holds a file must still hold it after a power cut.
 */
export async function copyAndHash(
  src: string,
  dest: string,
  opts: { onBytes?: (n: number) => void; cancel?: CancelToken } = {},
): Promise<{ sha256: string; size: number }> {
  await mkdir(dirname(dest), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (opts.cancel?.cancelled) return done(new TokenOpsError('cancelled', 'Adding files was cancelled.'));
      hash.update(chunk);
      size += chunk.length;
      opts.onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(src, { highWaterMark: CHUNK }), tap, createWriteStream(dest, { flags: 'wx' }));
    const fh = await open(dest, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    await rm(dest, { force: true });
    // Reading the source is what fails in practice; say so in the intake's own words. Write-side errors
    // (a full disk) pass through as they are.
    if (READ_ERRORS.has((e as NodeJS.ErrnoException).code ?? '')) throw toReadError(e, src);
    throw e;
  }
  return { sha256: hash.digest('hex'), size };
}
