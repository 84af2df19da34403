/**
 * The few file operations a ledger needs to survive a crash or a power cut.
 * Kept local to the ledger: appending + fsync is not the same operation as replacing a file,
 * and the ledger must not depend on how other stores choose to write.
 */
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Append bytes at the end of the file and fsync before returning. Creates the file if needed. */
export async function appendDurably(path: string, data: Uint8Array): Promise<void> {
  const existed = await fileSize(path) !== null;
  const fh = await open(path, 'a');
  try {
    await writeAll(fh, data, null);
    await fh.sync();
  } finally {
    await fh.close();
  }
  // A new file's name lives in the directory: without this a power cut can lose the whole file.
  if (!existed) await fsyncDir(dirname(path));
}

/** Replace a file atomically: write a temp file, fsync it, rename over the target, fsync the folder. */
export async function replaceDurably(path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'wx');
    try {
      await writeAll(fh, data, 0);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dirname(path));
}

/** Cut the file back to `length` bytes and fsync, so the cut survives a crash too. */
export async function truncateDurably(path: string, length: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(length);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Read `[start, end)` of a file. */
export async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    let done = 0;
    while (done < buf.length) {
      const { bytesRead } = await fh.read(buf, done, buf.length - done, start + done);
      if (bytesRead === 0) return buf.subarray(0, done); // file shrank under us; caller re-checks
      done += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/** Size in bytes, or null when the file does not exist. */
export async function fileSize(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(dir, 'r');
  } catch (e) {
    // Windows cannot open a folder for fsync; NTFS journals renames itself.
    if (process.platform === 'win32') return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    if (process.platform !== 'win32') throw e;
  } finally {
    await fh.close();
  }
}

async function writeAll(fh: FileHandle, data: Uint8Array, position: number | null): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position === null ? null : position + done);
    done += bytesWritten;
  }
}
