/**
 * The append-side file operations a ledger needs to survive a crash or a power cut.
 * Whole-file replacement (the signed head) goes through the shared fs/durable-write.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDirectory } from '../fs/durable-write';

/** Append bytes at the end of the file and fsync before returning. Creates the file if needed. */
export async function appendDurably(path: string, data: Uint8Array): Promise<void> {
  const existed = (await fileSize(path)) !== null;
  const fh = await open(path, 'a');
  try {
    await writeAll(fh, data, null);
    await fh.sync();
  } finally {
    await fh.close();
  }
  // A new file's name lives in the directory: without this a power cut can lose the whole file.
  if (!existed) await fsyncDirectory(dirname(path));
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

/** Size in bytes, or null when the file does not exist. */
export async function fileSize(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

async function writeAll(fh: FileHandle, data: Uint8Array, position: number | null): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position === null ? null : position + done);
    done += bytesWritten;
  }
}
