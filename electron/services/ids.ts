import { randomBytes } from 'node:crypto';

/**
 * Sortable, collision-safe ids: `<prefix>_<yyyymmdd>_<time base36><random hex>`.
 * They become file names, so they stay within [A-Za-z0-9_-].
 */
export function newId(prefix: string, now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const time = now.getTime().toString(36);
  return `${prefix}_${day}_${time}${randomBytes(4).toString('hex')}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}
