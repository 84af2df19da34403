import type yazl from 'yazl';

// yazl's Entry.FILE_DATA_DONE (index.js); the guard below turns this off if the shape differs.
const FILE_DATA_DONE = 3;
// Parking in batches keeps both costs small: yazl rescans < BATCH entries per pump, and each
// splice (which shifts the not-yet-pumped rest of the list) happens once per BATCH entries.
const BATCH = 512;
type Internals = { entries?: Array<{ state?: unknown }> };

/**
 * yazl ≤ 3.3.1 rescans its whole entry list from the start on every pump, so adding n entries
 * costs O(n²): 70,000 entries took ~9 s of CPU alone, 200,000 over a minute (fix proposed
 * upstream: thejoshwolfe/yazl#91). Entries are pumped strictly in order, so while the payload
 * streams we park the finished ones aside, and put them back, in order, before the central
 * directory is written. If yazl's internals ever differ, this does nothing (slower, still correct).
 */
export class YazlPumpTrimmer {
  private parked: unknown[] = [];
  private readonly zip: Internals;

  constructor(zip: yazl.ZipFile) {
    this.zip = zip as unknown as Internals;
  }

  /** Call when yazl starts an entry: everything finished before it is parked. */
  trim(): void {
    const entries = this.zip.entries;
    if (!Array.isArray(entries)) return;
    if (entries[BATCH - 1]?.state !== FILE_DATA_DONE) return; // finished entries form a prefix
    for (const e of entries.splice(0, BATCH)) this.parked.push(e);
  }

  /** Must run before adding more entries and before end(): yazl writes the directory from the full list. */
  restore(): void {
    if (!Array.isArray(this.zip.entries) || this.parked.length === 0) return;
    this.zip.entries = (this.parked as Internals['entries'])!.concat(this.zip.entries);
    this.parked = [];
  }
}
