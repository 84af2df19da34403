/**
 * Crash-safe whole-file replacement, shared by every service that persists documents
 * (run store, ledgers, outbox).
 *
 * `durableWriteFile(path, data)`:
 *   1. writes `data` to a fresh temp file in the SAME directory (rename is only atomic within a filesystem),
 *   2. fsyncs the temp file, so its bytes are on disk before any name points at them,
 *   3. renames it over `path` (atomic: a reader or a crash sees the old file or the new one, never a mix),
 *   4. fsyncs the directory, so the rename itself survives a power cut.
 * When the promise resolves the new content is durable. If it rejects, `path` still holds its old content.
 *
 * A crash between 1 and 3 leaves a temp file behind; `removeOrphanTempFiles(dir)` deletes them, and must
 * only be called by the process that holds the directory's writer lock (others may be mid-write).
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isCode } from './errno';

const TEMP_SUFFIX = '.tmp';
// `.<name>.<pid>.<12 hex>.tmp`: a leading dot keeps temp files out of listings that match real names.
const TEMP_NAME = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/;

export interface DurableWriteOptions {
  /** File mode, applied exactly (not filtered by the umask) so 0600 secrets stay 0600. Default 0o644 before umask. */
  mode?: number;
}

export async function durableWriteFile(
  file: string,
  data: string | Uint8Array,
  opts: DurableWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(file);
  const tmp = tempPathFor(file);
  const fh = await open(tmp, 'wx', opts.mode ?? 0o644);
  try {
    try {
      await fh.writeFile(data);
      if (opts.mode !== undefined) await fh.chmod(opts.mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await renameWithRetry(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDirectory(dir);
}

/** Makes a written and closed file's bytes durable (opened to write: Windows flushes only such a handle). */
export async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Makes directory entry changes (create, rename, unlink, link) in `dir` durable.
 * Windows cannot open a directory for fsync; NTFS journals renames, so we skip it there.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } catch (err) {
    // Some filesystems (certain network or FUSE mounts) do not support fsync on a directory.
    if (!isCode(err, 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP')) throw err;
  } finally {
    await dh.close();
  }
}

/** Deletes temp files left by a crash during `durableWriteFile`. Returns the names removed. */
export async function removeOrphanTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (!isDurableTempName(name)) continue;
    await unlink(path.join(dir, name)).then(
      () => removed.push(name),
      (err) => {
        if (!isCode(err, 'ENOENT')) throw err;
      },
    );
  }
  return removed;
}

/**
 * A unique temp name beside `file`, in the form `removeOrphanTempFiles` recognises. Use it for any
 * intermediate file (e.g. a hard link being moved into place) so a crash leaves nothing unexplained.
 */
export function tempPathFor(file: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`,
  );
}

export function isDurableTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

// On Windows, antivirus and search indexers briefly hold files open, making rename fail with EPERM/EBUSY.
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      if (process.platform !== 'win32' || attempt >= 10 || !isCode(err, 'EPERM', 'EACCES', 'EBUSY')) throw err;
      await new Promise((r) => setTimeout(r, 10 * (attempt + 1)));
    }
  }
}
