import { randomFillSync } from 'node:crypto';

/**
 * Sortable, collision-safe ids: `<prefix>_<yyyymmdd>_<time base36><random hex>`.
 * They become file names, so they stay within [A-Za-z0-9_-].
 */
export function newId(prefix: string, now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const time = now.getTime().toString(36);
  return `${prefix}_${day}_${time}${randomHex4()}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}

// Random bytes drawn 4 KiB at a time: one call per id cost 5 µs, a second for the 200,000 rows of a CSV
// export. The ids are unique names, not secrets, so a shared pool is fine.
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomHex4(): string {
  if (used + 4 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 4;
  return pool.toString('hex', used - 4, used);
}
