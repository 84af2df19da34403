/**
 * Is the process that wrote a lock file still running?
 *
 * A pid alone is not enough: after a reboot or in a container, pids are reused quickly, and a lock naming
 * a reused pid would block forever. On Linux we also record the process start time in clock ticks since
 * boot (/proc/<pid>/stat, field 22), which is fixed for the life of a process, and compare it exactly.
 * Elsewhere we can only ask whether the pid exists.
 */
import { readFileSync } from 'node:fs';
import { isCode } from './errno';

export type Liveness = 'alive' | 'dead';

/** Start time of `pid` in ticks since boot, or null where /proc is not available. */
export function processStartTicks(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall = index 19 after "pid (comm)"
  } catch {
    return null;
  }
}

export function processLiveness(pid: number, startTicks: string | null | undefined): Liveness {
  try {
    process.kill(pid, 0); // signal 0: existence check only, nothing is sent
  } catch (err) {
    // EPERM: it exists but belongs to another user. Anything else (ESRCH): gone.
    if (!isCode(err, 'EPERM')) return 'dead';
  }
  if (startTicks) {
    const now = processStartTicks(pid);
    if (now !== null && now !== startTicks) return 'dead'; // same pid, different process
  }
  return 'alive';
}
