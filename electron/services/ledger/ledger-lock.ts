/**
 * Exclusive cross-process lock for one ledger: a lock file created with O_EXCL beside it.
 *
 * - Callers in the same process are queued first, so a process never waits on its own lock file.
 * - A lock left by a dead process (same host, pid no longer running) is taken over. Take-over is
 *   itself serialised by a second O_EXCL file, so two waiters cannot both delete the stale lock
 *   and one of them delete the fresh lock the other just made.
 * - A lock held by a live process (or by another host, where we cannot check the pid) is waited
 *   for up to a timeout, then reported with the holder and the file a person may delete.
 */
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { TokenOpsError } from '../../../shared/errors';

export interface LockOptions {
  /** How long to wait for another process to release the lock. Default 15 s. */
  timeoutMs?: number;
  /** What is being locked, for messages (e.g. the ledger path). */
  what?: string;
}

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  acquired_at: string;
}

interface SeenLock {
  raw: string;
  owner: LockOwner | null;
  ino: number;
  mtimeMs: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** An unreadable lock file older than this was left by a crash between create and write. */
const UNREADABLE_STALE_MS = 2_000;

const heldNonces = new Set<string>();
const queues = new Map<string, Promise<void>>();

export async function withLedgerLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const key = resolve(lockPath);
  const previous = queues.get(key) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((r) => (done = r));
  const tail = previous.then(() => mine);
  queues.set(key, tail);
  await previous;
  try {
    const owner = await acquire(lockPath, options);
    try {
      return await fn();
    } finally {
      await release(lockPath, owner);
    }
  } finally {
    done();
    if (queues.get(key) === tail) queues.delete(key);
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<LockOwner> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  for (;;) {
    const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomUUID(), acquired_at: new Date().toISOString() };
    if (await tryCreate(lockPath, owner)) {
      heldNonces.add(owner.nonce);
      return owner;
    }
    const seen = await readLock(lockPath);
    if (!seen) continue; // released between our create and our read: try again at once
    if (isStale(seen) && (await removeStale(lockPath, seen))) continue;
    if (Date.now() >= deadline) throw lockedError(lockPath, seen, timeoutMs, options.what);
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

async function release(lockPath: string, owner: LockOwner): Promise<void> {
  heldNonces.delete(owner.nonce);
  const seen = await readLock(lockPath);
  // Only remove our own lock file; never one a take-over gave to someone else.
  if (seen?.owner?.nonce === owner.nonce) await unlink(lockPath).catch(ignoreMissing);
}

/** O_EXCL create; false when the file already exists. */
async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'ENOENT') {
      throw new TokenOpsError('not_found', `Cannot create the lock file ${path}: its folder does not exist.`);
    }
    throw new TokenOpsError('locked', `Cannot create the lock file ${path}: ${(e as Error).message}. Check that the folder is writable.`);
  }
  try {
    await fh.writeFile(JSON.stringify(owner));
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw e;
  }
  await fh.close();
  return true;
}

async function readLock(path: string): Promise<SeenLock | null> {
  try {
    const [raw, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { raw, owner: parseOwner(raw), ino: st.ino, mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parseOwner(raw: string): LockOwner | null {
  try {
    const v = JSON.parse(raw) as LockOwner;
    if (Number.isSafeInteger(v.pid) && typeof v.host === 'string' && typeof v.nonce === 'string') return v;
  } catch {
    /* empty or partly written */
  }
  return null;
}

function isStale(seen: SeenLock): boolean {
  const owner = seen.owner;
  if (!owner) return Date.now() - seen.mtimeMs > UNREADABLE_STALE_MS;
  if (owner.host !== hostname()) return false; // cannot see another machine's processes
  // Our own pid with a nonce we do not hold: left by an earlier process that had our pid.
  if (owner.pid === process.pid) return !heldNonces.has(owner.nonce);
  return !pidAlive(owner.pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: alive, owned by another user
  }
}

/** Delete a stale lock, but only if it is still the very file we judged stale. True if removed. */
async function removeStale(lockPath: string, seen: SeenLock): Promise<boolean> {
  const guardPath = `${lockPath}.takeover`;
  const guard: LockOwner = { pid: process.pid, host: hostname(), nonce: randomUUID(), acquired_at: new Date().toISOString() };
  if (!(await tryCreate(guardPath, guard))) {
    // A taker that died inside the (tiny) take-over section leaves its guard; clear it.
    const other = await readLock(guardPath);
    if (other && isStale(other)) await unlink(guardPath).catch(ignoreMissing);
    return false;
  }
  heldNonces.add(guard.nonce);
  try {
    const now = await readLock(lockPath);
    if (now && now.raw === seen.raw && now.ino === seen.ino) {
      await unlink(lockPath).catch(ignoreMissing);
      return true;
    }
    return now === null;
  } finally {
    heldNonces.delete(guard.nonce);
    await unlink(guardPath).catch(ignoreMissing);
  }
}

function lockedError(lockPath: string, seen: SeenLock, timeoutMs: number, what?: string): TokenOpsError {
  const o = seen.owner;
  const holder = o ? `process ${o.pid} on ${o.host} (since ${o.acquired_at})` : 'an unknown process';
  return new TokenOpsError(
    'locked',
    `${what ?? lockPath} is locked by ${holder}; waited ${timeoutMs} ms. ` +
      `If that process is no longer running, delete ${lockPath} and try again.`,
    { lockPath, owner: o },
  );
}

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
