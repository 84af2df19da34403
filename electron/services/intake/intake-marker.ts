/**
 * Copies of an intake that died (SIGKILL, Ctrl-C, a power cut) are removed by the next intake of the run.
 *
 * A live intake holds a marker in the run's folder (`.intake-<pid>-<random>`, naming its process) from
 * before its first copy until the run names its files, or they are removed. An intake writes its own
 * marker, then sweeps: if another marker's process is alive (the app and the CLI may take files into one
 * run at once), the folder is left as it is, since that intake's copies are not named yet. Otherwise the
 * dead markers are dropped and every entry the run does not name is removed. The order closes the races:
 * an intake that starts after our listing makes its copies after it, so they are not in the list; one that
 * finished before it named its copies before dropping its marker, and the run is read after the listing.
 * A marker written on another host (a shared network folder) cannot be checked and counts as live for a
 * day. And only entries untouched for ORPHAN_AGE_MS are removed: a listing need not show an entry created
 * while it runs, so a new intake's marker could be missed while its first copy is seen; that copy is new.
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

/** Marks this intake as live, then sweeps the run's folder of a dead intake's leftovers. */
export async function beginIntake(home: string, runId: string, currentRun: () => Promise<Run>): Promise<IntakeMarker> {
  const dir = join(home, 'files', runId);
  await mkdir(dir, { recursive: true });
  const name = `${MARKER_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`;
  const marker = join(dir, name);
  const owner: MarkerOwner = { pid: process.pid, hostname: os.hostname(), proc_start: processStartTicks(process.pid) };
  await writeFile(marker, JSON.stringify(owner), { flag: 'wx' });
  const end = () => rm(marker, { force: true });
  try {
    await sweepAbandoned(dir, name, currentRun);
  } catch (e) {
    await end();
    throw e;
  }
  return { end };
}

/** What was removed: the dead intakes' markers and the copies no run file names. */
async function sweepAbandoned(dir: string, ownMarker: string, currentRun: () => Promise<Run>): Promise<string[]> {
  const started = Date.now();
  const names = await readdir(dir);
  const markers = names.filter((n) => n.startsWith(MARKER_PREFIX) && n !== ownMarker);
  const dead: string[] = [];
  for (const m of markers) {
    if (await markerIsLive(join(dir, m))) return []; // a live intake's copies are not named yet
    dead.push(m);
  }
  const run = await currentRun(); // read after the listing: see the header
  const named = new Set(
    run.files.filter((f) => dirname(f.stored_path) === `files/${run.run_id}`).map((f) => basename(f.stored_path)),
  );
  const unnamed = names.filter((n) => !n.startsWith(MARKER_PREFIX) && !named.has(n));
  const orphans: string[] = [];
  for (const n of unnamed) {
    const st = await stat(join(dir, n)).catch(() => undefined);
    if (st && started - st.mtimeMs >= ORPHAN_AGE_MS) orphans.push(n);
  }
  // Copies first, markers last: a sweep cut short still finds the dead marker next time.
  await Promise.all(orphans.map((n) => rm(join(dir, n), { force: true, recursive: true })));
  await Promise.all(dead.map((n) => rm(join(dir, n), { force: true })));
  return [...orphans, ...dead];
}

/** Unnamed entries younger than this are left for a later sweep. */
const ORPHAN_AGE_MS = 30_000;
/** A marker from another host counts as live until it is this old. */
const FOREIGN_MARKER_MS = 24 * 60 * 60 * 1000;
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
  if (owner.hostname !== os.hostname()) {
    // Not checkable from here; an intake does not run for a day (a container's host name changes).
    const st = await stat(path).catch(() => undefined);
    return st !== undefined && Date.now() - st.mtimeMs < FOREIGN_MARKER_MS;
  }
  return processLiveness(owner.pid, owner.proc_start) === 'alive';
}
