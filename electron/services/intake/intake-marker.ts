/**
 * Copies of an intake that died (SIGKILL, Ctrl-C, a power cut) are removed by the next intake of the run.
 *
 * A live intake holds a marker in the run's folder (`.intake-<pid>-<random>`, naming its process) from
 * its first copy until the run names its files, or they are removed. Before an intake starts, the folder
 * is swept: markers of dead processes are dropped, and if no live intake remains, every entry the run
 * does not name is an orphan of a dead one and is removed. A live marker (the app and the CLI may take
 * files into one run at once) leaves the folder as it is: its copies are not named by the run yet.
 * A marker written on another host (a shared network folder) cannot be checked and counts as live.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Run } from '../../../shared/domain/run';
import { isCode } from '../fs/errno';
import { processLiveness, processStartTicks } from '../fs/process-liveness';

const MARKER_PREFIX = '.intake-';

interface MarkerOwner {
  pid: number;
  hostname: string;
  proc_start: string | null;
}

export interface IntakeMarker {
  /** Drops the marker: the run names this intake's copies now, or they are gone. */
  end(): Promise<void>;
}

/** Sweeps the run's folder of a dead intake's leftovers, then marks this intake as live. */
export async function beginIntake(home: string, run: Run): Promise<IntakeMarker> {
  const dir = join(home, 'files', run.run_id);
  await sweepAbandoned(dir, run);
  await mkdir(dir, { recursive: true });
  const marker = join(dir, `${MARKER_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  const owner: MarkerOwner = { pid: process.pid, hostname: os.hostname(), proc_start: processStartTicks(process.pid) };
  await writeFile(marker, JSON.stringify(owner), { flag: 'wx' });
  return { end: () => rm(marker, { force: true }) };
}

/** What was removed: the dead intakes' markers and the copies no run file names. */
async function sweepAbandoned(dir: string, run: Run): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return [];
    throw e;
  }
  const markers = names.filter((n) => n.startsWith(MARKER_PREFIX));
  const dead: string[] = [];
  for (const m of markers) {
    if (await markerIsLive(join(dir, m))) return []; // a live intake's copies are not named yet
    dead.push(m);
  }
  const named = new Set(
    run.files.filter((f) => dirname(f.stored_path) === `files/${run.run_id}`).map((f) => basename(f.stored_path)),
  );
  const orphans = names.filter((n) => !n.startsWith(MARKER_PREFIX) && !named.has(n));
  // Copies first, markers last: a sweep cut short still finds the dead marker next time.
  await Promise.all(orphans.map((n) => rm(join(dir, n), { force: true, recursive: true })));
  await Promise.all(dead.map((n) => rm(join(dir, n), { force: true })));
  return [...orphans, ...dead];
}

/** A marker that does not name its owner yet is being written, unless it is older than this. */
const UNWRITTEN_MARKER_MS = 60_000;

async function markerIsLive(path: string): Promise<boolean> {
  let owner: Partial<MarkerOwner> | undefined;
  try {
    owner = JSON.parse(await readFile(path, 'utf8')) as Partial<MarkerOwner>;
  } catch (e) {
    if (isCode(e, 'ENOENT')) return false; // ended meanwhile
    // Created and not written yet, or its process died in between: live for a minute, then dead.
    const st = await stat(path).catch(() => undefined);
    return st !== undefined && Date.now() - st.mtimeMs < UNWRITTEN_MARKER_MS;
  }
  if (typeof owner?.pid !== 'number') return false;
  if (owner.hostname !== os.hostname()) return true;
  return processLiveness(owner.pid, owner.proc_start) === 'alive';
}
