/** A run's lowdb document: `runs/<run_id>.json`, validated to be an object carrying that run_id. */
import { Low, type Adapter } from 'lowdb';
import { JsonDocument } from './json-document';
import { runFile, type StoreLayout } from './layout';
import type { Recovery } from './types';

export type RunDb<T> = Low<T | null> & { adapter: JsonDocument<T> };

export function openRunDocument<T>(
  layout: StoreLayout,
  runId: string,
  ctx: { readOnly: boolean; onRecovered: (r: Recovery) => void },
): RunDb<T> {
  const adapter = new JsonDocument<T>(runFile(layout, runId), {
    check: (v) => checkRun(v, runId),
    isForeign: (v) => {
      // On a case-insensitive disk, "abc.json" opens "ABC.json": that is another run, not damage.
      const other = (v as { run_id?: unknown }).run_id;
      return typeof other === 'string' && other !== runId && other.toLowerCase() === runId.toLowerCase();
    },
    backup: true,
    readOnly: ctx.readOnly,
    pretty: true,
    label: 'Run file',
    onRecovered: ctx.onRecovered,
  });
  // Low only writes when data is non-null, so the adapter never receives null.
  return new Low<T | null>(adapter as Adapter<T | null>, null) as RunDb<T>;
}

function checkRun(v: unknown, runId: string): string | null {
  if (!isPlainObject(v)) return `it holds ${describe(v)}, not a run object`;
  if (v.run_id !== runId) return `its run_id is ${JSON.stringify(v.run_id)}, but the file name says "${runId}"`;
  return null;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
