import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import path from 'node:path';
import { fsyncDirectory } from '../fs/durable-write';
import { OutputTap } from './output-tap';

/**
 * The bundle is streamed to `<out>.partial`, hashed on the way (no re-read), fsynced, then renamed,
 * so a crash or cancel never leaves a half-written file under the final name.
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
    // flush: fsync before close, so the rename below never exposes unwritten data after a power cut.
    const out = createWriteStream(this.partialPath, { flags: 'w', mode: 0o644, flush: true, highWaterMark: 1 << 20 });
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

  async commit(): Promise<{ sha256: string; bytes: number }> {
    await this.done;
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
