/**
 * Where the store keeps things under a data directory `home`:
 *   home/.writer.lock          one writer process at a time (fs/file-lock)
 *   home/runs/<run_id>.json    one lowdb document per run, pretty-printed
 *   home/runs/<run_id>.json.bak previous good version of that run
 *   home/runs/index.json       { version: 1, runs: { [run_id]: Summary } }, derived from the run files
 *   home/runs/index.dirty      present while run files may be ahead of index.json (see run-index.ts)
 * Run ids cannot be "index" and contain no dot, so none of these names can clash with a run file.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isCode } from '../fs/errno';
import { isValidRunId } from './run-id';

export interface StoreLayout {
  home: string;
  runsDir: string;
  lockFile: string;
  indexFile: string;
  dirtyMarker: string;
}

export function storeLayout(home: string): StoreLayout {
  const abs = path.resolve(home);
  const runsDir = path.join(abs, 'runs');
  return {
    home: abs,
    runsDir,
    lockFile: path.join(abs, '.writer.lock'),
    indexFile: path.join(runsDir, 'index.json'),
    dirtyMarker: path.join(runsDir, 'index.dirty'),
  };
}

export function runFile(layout: StoreLayout, runId: string): string {
  return path.join(layout.runsDir, `${runId}.json`);
}

/** Ids of the run files present on disk, sorted. A missing runs directory means no runs. */
export async function scanRunIds(layout: StoreLayout): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(layout.runsDir);
  } catch (err) {
    if (isCode(err, 'ENOENT')) return [];
    throw err;
  }
  const ids: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const id = name.slice(0, -'.json'.length);
    if (isValidRunId(id)) ids.push(id);
  }
  return ids.sort();
}
