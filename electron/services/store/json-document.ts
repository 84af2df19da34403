/**
 * lowdb Adapter for one JSON document on disk, with the store's safety rules:
 * - every write goes through durableWriteFile (fsync, atomic rename, fsync dir);
 * - with `backup`, the previous good version is kept as `<file>.bak` (a hard link to the old file,
 *   so keeping it costs no copy), and a damaged file is restored from it;
 * - a damaged file with no good backup is never replaced by an empty document: read() throws
 *   TokenOpsError('corrupt_store') naming the file and leaves it untouched.
 */
import { readFileSync } from 'node:fs';
import { copyFile, link, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { TokenOpsError } from '../../../shared/errors';
import { durableWriteFile, fsyncDirectory, tempPathFor } from '../fs/durable-write';
import { isCode } from '../fs/errno';
import type { Recovery } from './types';

export interface JsonDocumentOptions {
  /** null when the value is a good document, else why it is not (shown to the operator). */
  check: (value: unknown) => string | null;
  /** A well-formed document that belongs to someone else (e.g. another run on a case-insensitive disk): read as absent. */
  isForeign?: (value: unknown) => boolean;
  /** Keep `<file>.bak` and restore from it. */
  backup: boolean;
  /** Never write, not even a repair; a restored copy is used in memory only. */
  readOnly: boolean;
  /** Indent the JSON for people who open the file. */
  pretty: boolean;
  /** Custom serialiser (e.g. one that caches unchanged parts of a large document). Must return valid JSON. */
  serialize?: (data: never) => string;
  /** Shown in messages, e.g. "Run file". */
  label: string;
  onRecovered: (r: Recovery) => void;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export class JsonDocument<T> implements Adapter<T> {
  readonly backupFile: string;
  // True once we have read or written a valid document at `file`: only then is it worth keeping as .bak.
  private goodOnDisk = false;
  private lastGoodText: string | null = null;

  constructor(
    readonly file: string,
    private readonly opts: JsonDocumentOptions,
  ) {
    this.backupFile = `${file}.bak`;
  }

  async read(): Promise<T | null> {
    this.goodOnDisk = false;
    const text = await readText(this.file);
    if (text === null) return null;
    const main = this.parse(text);
    if (main.ok) {
      if (this.opts.isForeign?.(main.value)) return null;
      this.remember(text);
      return main.value;
    }
    if (!this.opts.backup) throw this.corrupt(main.reason, null);

    const bakText = await readText(this.backupFile);
    if (bakText === null) throw this.corrupt(main.reason, 'it does not exist');
    const bak = this.parse(bakText);
    if (!bak.ok) throw this.corrupt(main.reason, bak.reason);

    if (this.opts.readOnly) {
      this.opts.onRecovered({
        file: this.file,
        from: this.backupFile,
        reason: `${main.reason}; used the backup in memory only (read-only: no file was changed)`,
      });
      return bak.value;
    }
    // Keep the damaged bytes for inspection, then put the good copy back in place.
    const damaged = `${this.file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await copyFile(this.file, damaged);
    await durableWriteFile(this.file, bakText);
    this.remember(bakText);
    this.opts.onRecovered({
      file: this.file,
      from: this.backupFile,
      reason: `${main.reason}; restored the last good version from the backup (damaged file kept as ${path.basename(damaged)})`,
    });
    return bak.value;
  }

  async write(data: T): Promise<void> {
    if (this.opts.readOnly) throw new Error(`internal: write to ${this.file} through a read-only document`);
    // Serialise before the first await: lowdb's caller may change `data` while we wait on the disk.
    const text = this.opts.serialize
      ? (this.opts.serialize as (d: T) => string)(data)
      : JSON.stringify(data, null, this.opts.pretty ? 2 : undefined) + '\n';
    if (this.opts.backup && this.goodOnDisk) await this.keepBackup();
    await durableWriteFile(this.file, text); // its directory fsync also makes the .bak link durable
    this.remember(text);
  }

  /**
   * Fast path for bulk scans (index rebuild): reads the file synchronously and returns the document
   * only if it is present and good. Anything else returns null: use read(), which knows how to recover.
   */
  readGoodSync(): T | null {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return null;
    }
    const parsed = this.parse(text);
    if (!parsed.ok || this.opts.isForeign?.(parsed.value)) return null;
    this.remember(text);
    return parsed.value;
  }

  /** Deletes the document and its backup. Returns false if there was no document. */
  async remove(): Promise<boolean> {
    // Main file first: a crash in between leaves only a .bak, which is never read without its main file.
    const existed = await unlinkIfPresent(this.file);
    await unlinkIfPresent(this.backupFile);
    await fsyncDirectory(path.dirname(this.file));
    this.goodOnDisk = false;
    return existed;
  }

  /** Drops a leftover backup (e.g. of an earlier, deleted document with the same name) before a fresh create. */
  async discardBackup(): Promise<void> {
    await unlinkIfPresent(this.backupFile);
  }

  private async keepBackup(): Promise<void> {
    // Link to a temp name, then rename over the old .bak: there is never a moment without a backup.
    const tmp = tempPathFor(this.backupFile);
    try {
      await link(this.file, tmp);
    } catch (err) {
      // Filesystems without hard links (FAT, some network shares): write a copy instead.
      if (!isCode(err, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK') || this.lastGoodText === null)
        throw err;
      await durableWriteFile(this.backupFile, this.lastGoodText);
      return;
    }
    await rename(tmp, this.backupFile);
  }

  private remember(text: string): void {
    this.goodOnDisk = true;
    this.lastGoodText = text;
  }

  private parse(text: string): Parsed<T> {
    if (text.trim() === '') return { ok: false, reason: 'the file is empty' };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return { ok: false, reason: `it is not valid JSON (${(err as Error).message})` };
    }
    const problem = this.opts.check(value);
    return problem === null ? { ok: true, value: value as T } : { ok: false, reason: problem };
  }

  private corrupt(reason: string, backupReason: string | null): TokenOpsError {
    const { label } = this.opts;
    const backup =
      backupReason === null ? '' : ` Its backup ${this.backupFile} cannot be used either: ${backupReason}.`;
    return new TokenOpsError(
      'corrupt_store',
      `${label} ${this.file} is damaged: ${reason}.${backup} TokenOps has not changed it. ` +
        `Restore the file from your own backup of the data directory, or move it out of ${path.dirname(this.file)} ` +
        `to drop it, then try again.`,
      { file: this.file, reason, backup: this.backupFile, backupReason },
    );
  }
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT')) return null;
    throw err;
  }
}

async function unlinkIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (err) {
    if (isCode(err, 'ENOENT')) return false;
    throw err;
  }
}
