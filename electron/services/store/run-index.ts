/**
 * The writer's in-memory run index and how it reaches disk.
 *
 * Rewriting index.json (about 3 MiB at 10,000 runs) on every update would cost ten times the update
 * itself, so index saves are coalesced: changes are applied in memory at once (list() is always
 * current in this process) and saved once changes have been quiet for `flushDelayMs`, or at the latest
 * `MAX_SAVE_DELAY_MS` after the first unsaved change. A burst of updates costs one write, made when
 * the burst is over, so the big write rarely competes with an update's own fsync.
 *
 * What makes that safe: before the first run file changes after a save, `index.dirty` is created
 * durably; it is removed only after an index save that includes every change, with no change in
 * flight. If the process dies in between, the next open finds the marker and rebuilds the index from
 * the run files (index-load.ts). So update() resolves when the run file is durable, and the index is
 * either saved or provably rebuildable.
 */
import { unlink } from 'node:fs/promises';
import { Low } from 'lowdb';
import { durableWriteFile } from '../fs/durable-write';
import { isCode } from '../fs/errno';
import { indexDocument, type IndexDoc } from './index-load';
import { IndexSerializer } from './index-serializer';
import type { StoreLayout } from './layout';

const MAX_SAVE_DELAY_MS = 2_000;

export class RunIndex<S> {
  private readonly db: Low<IndexDoc<S>>;
  private readonly serializer = new IndexSerializer<S>();
  private readonly byLowerId = new Map<string, string>();
  private gen = 0; // bumped on every in-memory change
  private savedGen = 0; // the gen that index.json on disk reflects
  private inflight = 0; // changes that set the marker but have not yet reached memory
  private markerOnDisk: boolean;
  private markerChain: Promise<void> = Promise.resolve(); // marker create/remove never interleave
  private timer: NodeJS.Timeout | null = null;
  private firstUnsavedAt: number | null = null;
  private saving: Promise<void> | null = null;
  private closed = false;
  private readonly flushDelayMs: number;

  constructor(
    private readonly layout: StoreLayout,
    doc: IndexDoc<S>,
    opts: { markerOnDisk: boolean; unsaved: boolean; flushDelayMs: number },
  ) {
    this.db = new Low(indexDocument<S>(layout, false, this.serializer), doc);
    for (const [id, summary] of Object.entries(doc.runs)) {
      this.byLowerId.set(id.toLowerCase(), id);
      this.serializer.adoptParsed(summary);
    }
    this.markerOnDisk = opts.markerOnDisk;
    if (opts.unsaved) this.gen = 1;
    this.flushDelayMs = opts.flushDelayMs;
  }

  summaries(): S[] {
    return Object.values(this.db.data.runs);
  }

  has(id: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.db.data.runs, id);
  }

  /** The existing id equal to `id` ignoring case, if any (such ids would share a file on macOS/Windows). */
  sameIdIgnoringCase(id: string): string | undefined {
    return this.byLowerId.get(id.toLowerCase());
  }

  /**
   * Call before changing a run file; call the returned function once the change is in memory
   * (or abandoned). Resolves when the dirty marker is durable.
   */
  async beginChange(): Promise<() => void> {
    this.inflight++;
    try {
      await this.enqueueMarker(async () => {
        if (this.markerOnDisk) return;
        await durableWriteFile(
          this.layout.dirtyMarker,
          'Run files may be newer than index.json; it is rebuilt at the next open.\n',
        );
        this.markerOnDisk = true;
      });
    } catch (err) {
      this.inflight--;
      throw err;
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inflight--;
      this.scheduleSave();
    };
  }

  set(id: string, summary: S): void {
    // A frozen copy: list() hands these objects out, and the serialiser caches their JSON by identity.
    this.db.data.runs[id] = this.serializer.adopt(summary);
    this.byLowerId.set(id.toLowerCase(), id);
    this.gen++;
  }

  remove(id: string): void {
    if (!this.has(id)) return;
    delete this.db.data.runs[id];
    this.byLowerId.delete(id.toLowerCase());
    this.gen++;
  }

  /** Drops a run whose file has vanished from disk: brings the index in line, no run file changes. */
  forget(id: string): void {
    this.remove(id);
    this.scheduleSave();
  }

  /** Saves pending changes now and clears the marker if nothing is in flight. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.saving) await this.saving.catch(() => undefined);
    if (this.gen === this.savedGen && !this.markerOnDisk) return;
    this.saving = this.save().finally(() => {
      this.saving = null;
    });
    return this.saving;
  }

  /** Final save; no save is scheduled afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private scheduleSave(): void {
    if (this.closed || this.gen === this.savedGen) return;
    const now = Date.now();
    this.firstUnsavedAt ??= now;
    const at = Math.min(now + this.flushDelayMs, this.firstUnsavedAt + Math.max(MAX_SAVE_DELAY_MS, this.flushDelayMs));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        // A failed save keeps the marker, so the next open rebuilds; the next change retries the save.
        this.flush().catch(() => undefined);
      },
      Math.max(0, at - now),
    );
    this.timer.unref(); // never keep a process alive just to save derived data
  }

  private async save(): Promise<void> {
    const gen = this.gen;
    if (gen !== this.savedGen) {
      this.firstUnsavedAt = null;
      await this.db.write(); // serialises synchronously, so it captures exactly `gen`
      this.savedGen = gen;
    }
    await this.enqueueMarker(async () => {
      if (!this.markerOnDisk || this.inflight > 0 || this.gen !== this.savedGen) return;
      try {
        await unlink(this.layout.dirtyMarker);
      } catch (err) {
        if (!isCode(err, 'ENOENT')) throw err;
      }
      // Not fsynced: if the removal is lost in a power cut, the next open merely rebuilds.
      this.markerOnDisk = false;
    });
    if (this.gen !== this.savedGen) this.scheduleSave();
  }

  private enqueueMarker(fn: () => Promise<void>): Promise<void> {
    const run = this.markerChain.then(fn);
    this.markerChain = run.catch(() => undefined);
    return run;
  }
}
