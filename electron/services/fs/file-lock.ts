/**
 * Cross-process exclusive lock on a file path, for "one writer per data directory" and short critical
 * sections (ledger appends, outbox claims).
 *
 * The lock is a file created with O_EXCL (`open(path, 'wx')`): the OS guarantees only one creator wins.
 * It holds JSON naming the owner (pid, host, process start time, a random token), so a waiting process
 * can tell the operator who holds it, and can take over a lock whose owner is gone (stale) instead of
 * blocking forever after a crash. The lock is released by `release()`, and on normal process exit.
 * SIGKILL or a power cut leave the file behind; the next process sees its owner is dead and takes over.
 *
 * Limits: a lock written by another host (shared network folder) cannot be checked and is treated as
 * held; the message tells the operator how to clear it.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync, readFileSync } from 'node:fs';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TokenOpsError } from '../../../shared/errors';
import { isCode } from './errno';
import { processLiveness, processStartTicks } from './process-liveness';

export interface LockOwner {
  pid: number;
  hostname: string;
  /** When the owning process started (ISO 8601), for people reading the lock file. */
  started_at: string;
  acquired_at: string;
  /** Linux only: process start in clock ticks since boot, to detect a reused pid. */
  proc_start: string | null;
  /** Random per acquisition, so we never delete a lock someone else now holds. */
  token: string;
}

export interface FileLockOptions {
  /** How long to wait for a live holder before failing with TokenOpsError('locked'). Default 15000. */
  waitMs?: number;
  /** Poll interval while waiting. Default 100. */
  pollMs?: number;
  /** Called once, the first time the lock is found held by a live owner (e.g. to show "waiting…"). */
  onWait?: (holder: LockOwner | null) => void;
  /** Names the lock in error messages, e.g. "the writer lock of data directory /x". */
  description?: string;
}

export interface FileLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Deletes the lock file if it is still ours. Idempotent. */
  release(): Promise<void>;
}

// A lock file that cannot be parsed is either being written right now or was left by a crash
// between create and write; after this long it is treated as stale.
const UNREADABLE_GRACE_MS = 10_000;
const PROCESS_STARTED_AT = new Date(Date.now() - process.uptime() * 1000).toISOString();

export async function acquireFileLock(lockPath: string, opts: FileLockOptions = {}): Promise<FileLock> {
  const waitMs = opts.waitMs ?? 15_000;
  const pollMs = opts.pollMs ?? 100;
  const deadline = Date.now() + waitMs;
  let notified = false;
  await mkdir(path.dirname(lockPath), { recursive: true });

  for (;;) {
    const owner = newOwner();
    if (await tryCreate(lockPath, owner)) return holdLock(lockPath, owner);

    const seen = await readLockFile(lockPath);
    if (!seen) continue; // released between our create and read: try again at once
    if (await isStale(lockPath, seen.owner)) {
      await takeOver(lockPath, seen.text);
      continue;
    }
    if (!notified) {
      notified = true;
      opts.onWait?.(seen.owner);
    }
    const left = deadline - Date.now();
    if (left <= 0) throw lockedError(lockPath, seen.owner, waitMs, opts.description);
    await new Promise((r) => setTimeout(r, Math.min(pollMs, left)));
  }
}

/** Runs `fn` while holding the lock at `lockPath`; always releases, even if `fn` throws. */
export async function withFileLock<R>(
  lockPath: string,
  fn: () => Promise<R> | R,
  opts: FileLockOptions = {},
): Promise<R> {
  const lock = await acquireFileLock(lockPath, opts);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

function newOwner(): LockOwner {
  return {
    pid: process.pid,
    hostname: os.hostname(),
    started_at: PROCESS_STARTED_AT,
    acquired_at: new Date().toISOString(),
    proc_start: processStartTicks(process.pid),
    token: randomBytes(12).toString('hex'),
  };
}

async function tryCreate(lockPath: string, owner: LockOwner): Promise<boolean> {
  let fh;
  try {
    fh = await open(lockPath, 'wx', 0o644);
  } catch (err) {
    if (isCode(err, 'EEXIST')) return false;
    throw err;
  }
  try {
    await fh.writeFile(JSON.stringify(owner) + '\n');
  } finally {
    await fh.close();
  }
  return true;
}

async function readLockFile(lockPath: string): Promise<{ text: string; owner: LockOwner | null } | null> {
  try {
    const text = await readFile(lockPath, 'utf8');
    return { text, owner: parseOwner(text) };
  } catch (err) {
    if (isCode(err, 'ENOENT')) return null;
    throw err;
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const v = JSON.parse(text) as LockOwner;
    if (Number.isInteger(v?.pid) && v.pid > 0 && typeof v.hostname === 'string' && typeof v.token === 'string')
      return v;
  } catch {
    /* unreadable: handled by the caller */
  }
  return null;
}

async function isStale(lockPath: string, owner: LockOwner | null): Promise<boolean> {
  if (!owner) {
    const st = await stat(lockPath).catch(() => null);
    return st !== null && Date.now() - st.mtimeMs > UNREADABLE_GRACE_MS;
  }
  if (owner.hostname !== os.hostname()) return false; // cannot check another machine's processes
  return processLiveness(owner.pid, owner.proc_start) === 'dead';
}

/**
 * Removes a stale lock without removing a fresh one: two waiters may both judge the same lock stale,
 * and one may already have replaced it. We move the file aside (atomic), check it is the stale content
 * we judged, and put it back if it is not.
 */
async function takeOver(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch (err) {
    if (isCode(err, 'ENOENT')) return;
    throw err;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== staleText) await link(aside, lockPath).catch(() => undefined); // not ours to remove
  await unlink(aside).catch(() => undefined);
}

function lockedError(lockPath: string, owner: LockOwner | null, waitMs: number, description?: string): TokenOpsError {
  const what = description ?? 'the lock';
  const who = owner
    ? `process ${owner.pid} on host ${owner.hostname} (started ${owner.started_at}, holding it since ${owner.acquired_at})`
    : 'another process (the lock file is being written or is unreadable)';
  const self =
    owner?.pid === process.pid && owner.hostname === os.hostname()
      ? ' That is this same process: close the first handle before opening another.'
      : '';
  return new TokenOpsError(
    'locked',
    `${capitalise(what)} is held by ${who}; waited ${Math.round(waitMs / 100) / 10} s. Lock file: ${lockPath}.${self} ` +
      `Close the other TokenOps window or command and try again. If no such process is running, delete ${lockPath} and retry.`,
    { lockPath, owner },
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// --- locks held by this process, released on exit ---------------------------------------------

const held = new Map<string, string>(); // lock path -> our token

function holdLock(lockPath: string, owner: LockOwner): FileLock {
  if (held.size === 0) process.on('exit', releaseAllSync);
  held.set(lockPath, owner.token);
  let released = false;
  return {
    path: lockPath,
    owner,
    async release() {
      if (released) return;
      released = true;
      if (held.get(lockPath) === owner.token) held.delete(lockPath);
      if (held.size === 0) process.off('exit', releaseAllSync);
      const current = await readLockFile(lockPath);
      if (current?.owner?.token === owner.token) await unlink(lockPath).catch(() => undefined);
    },
  };
}

function releaseAllSync(): void {
  for (const [lockPath, token] of held) {
    try {
      if (parseOwner(readFileSync(lockPath, 'utf8'))?.token === token) unlinkSync(lockPath);
    } catch {
      /* exiting: nothing more we can do */
    }
  }
  held.clear();
}
