/**
 * A SIGKILL in the middle of `evidence add` leaves copies no run names (the pack it was appending to).
 * The next `evidence add` of the run removes them: the run's folder then holds exactly the copies its
 * files name, and the run itself never saw the killed intake.
 */
import { promises as fs, watch } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, describeResult, runCli, startCli, tempDir } from './helpers';

beforeAll(assertCliBuilt);
afterAll(cleanupTemps);

describe('a killed intake', () => {
  it('leaves its copies behind only until the next intake of the run, which removes them', async () => {
    const home = await tempDir();
    const work = await tempDir();
    const logs = path.join(work, 'logs');
    await fs.mkdir(logs);
    const line = JSON.stringify({ tool: 'summarise', tokens_in: 1200, tokens_out: 240, note: 'agent runtime log' });
    for (let i = 0; i < 3000; i++)
      await fs.writeFile(path.join(logs, `log-${String(i).padStart(4, '0')}.json`), `[${Array(200).fill(line)}]`);
    const runId: string = (await runCli(['run', 'create', '--title', 'killed intake', '--json'], { home })).json.run
      .run_id;
    const folder = path.join(home, 'files', runId);
    await fs.mkdir(folder, { recursive: true });

    // Kill the intake as soon as its pack holds a first copy.
    let killed = false;
    const proc = startCli(['evidence', 'add', runId, logs, '--json'], { home });
    const watcher = watch(folder, () => {
      if (killed) return;
      void fs.readdir(folder).then(async (names) => {
        const pack = names.find((n) => n.endsWith('.pack'));
        if (!killed && pack && (await fs.stat(path.join(folder, pack)).catch(() => null))?.size) {
          killed = true;
          proc.child.kill('SIGKILL');
        }
      });
    });
    const result = await proc.done;
    watcher.close();
    expect(killed, `the intake finished before it could be killed:\n${describeResult(result)}`).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    const leftBehind = await fs.readdir(folder);
    expect(leftBehind.some((n) => n.endsWith('.pack'))).toBe(true);
    expect(leftBehind.some((n) => n.startsWith('.intake-'))).toBe(true);

    // Later: the next intake removes what is left untouched for 30 s and named by no run file.
    const minuteAgo = new Date(Date.now() - 60_000);
    for (const n of leftBehind) await fs.utimes(path.join(folder, n), minuteAgo, minuteAgo);
    const note = path.join(work, 'note.txt');
    await fs.writeFile(note, 'operator note: resumed after the crash\n');
    const added = await runCli(['evidence', 'add', runId, note, '--json'], { home });
    expect(added.code, describeResult(added)).toBe(0);
    const shown = await runCli(['run', 'show', runId, '--json'], { home });
    const named = (shown.json.run.files as Array<{ stored_path: string }>).map((f) => path.basename(f.stored_path));
    expect(named).toHaveLength(1);
    expect((await fs.readdir(folder)).sort()).toEqual(named.sort());
  }, 120_000);
});
