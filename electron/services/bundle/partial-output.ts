import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import path from 'node:path';
import { fsyncDirectory, fsyncFile } from '../fs/durable-write';
import { OutputTap } from './output-tap';

/**
 * The bundle is streamed to `<out>.partial`, hashed on the way (no re-read), fsynced, then renamed,
 * so a crash or cancel never leaves a half-written file under the final name. A check of the finished
 * file (the writer's self-verify) runs before the rename, while the fsync does: a file that fails it
 * never appears under its name.
 */
export class PartialOutput {
  readonly partialPath: string;
  private readonly tap = new OutputTap();
  private done?: Promise<void>;
  private source?: Readable;
  private out?: WriteStream;

  constructor(readonly outPath: string) {
    this.partialPath = outPath + '.partial';
  }

  /** Starts draining `source` into the partial file. Errors surface from `written()`. */
  start(source: Readable): void {
    // Not fsynced on close: commit() does it, beside the check, before the rename.
    const out = createWriteStream(this.partialPath, { flags: 'w', mode: 0o644, highWaterMark: 1 << 20 });
    this.source = source;
    this.out = out;
    this.done = pipeline(source, this.tap, out).then(async () => {
      if (!out.closed) await once(out, 'close');
    });
    this.done.catch(() => {}); // observed by written() or abort()
  }

  /** Resolves once the partial file is complete and closed; rejects with the first write error. */
  async written(): Promise<void> {
    await this.done;
  }

  /**
   * fsyncs the complete file while `check` reads it (from the page cache), then gives it its name, so
   * the rename never exposes unwritten data after a power cut. A failed check rejects; abort() removes it.
   */
  async commit(check?: (partialPath: string) => Promise<void>): Promise<{ sha256: string; bytes: number }> {
    await this.done;
    // Both settle before either error is thrown, so abort() never removes a file still open here.
    const [checked, synced] = await Promise.allSettled([check?.(this.partialPath), fsyncFile(this.partialPath)]);
    if (checked.status === 'rejected') throw checked.reason;
    if (synced.status === 'rejected') throw synced.reason;
    await fs.rename(this.partialPath, this.outPath);
    await fsyncDirectory(path.dirname(this.outPath));
    return { sha256: this.tap.sha256(), bytes: this.tap.bytes };
  }

  /** Stops writing and removes the partial file; safe to call more than once. */
  async abort(): Promise<void> {
    this.source?.destroy();
    this.out?.destroy();
    await this.done?.catch(() => {});
    // The file may still be opening; remove it only once the stream has let go of it.
    const out = this.out;
    if (out && !out.closed) await new Promise<void>((res) => out.once('close', () => res()));
    await fs.rm(this.partialPath, { force: true });
  }
}
