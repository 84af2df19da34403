/**
 * An intake that died (killed, Ctrl-C, power cut) leaves copies no run names. The next intake of the run
 * removes them, and the dead intake's marker, unless another intake of the run is live: its copies are
 * not named by the run yet, so the folder is left as it is.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTokenOps } from '../../electron/services/tokenops';
import { processStartTicks } from '../../electron/services/fs/process-liveness';
import { readStoredCopy, storedCopy } from '../../electron/services/intake/stored-copy';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function temp(prefix: string): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

async function runWithOneFile() {
  const home = await temp('tokenops-orphans-');
  const src = await temp('tokenops-orphans-src-');
  await writeFile(join(src, 'first.json'), '{"note":"first"}');
  await writeFile(join(src, 'second.json'), '{"note":"second"}');
  const t = await openTokenOps({ home });
  const { run } = await t.handlers['runs.create']({ title: 'orphans' });
  await t.handlers['evidence.addFiles']({ run_id: run.run_id, paths: [join(src, 'first.json')] });
  const folder = join(home, 'files', run.run_id);
  const kept = await readdir(folder);
  return { t, runId: run.run_id, folder, kept, second: join(src, 'second.json') };
}

describe('copies of an intake that died', () => {
  it('are removed by the next intake of the run, with the dead intake marker; the run’s own copies stay', async () => {
    const { t, runId, folder, kept, second } = await runWithOneFile();
    try {
      expect(kept).toHaveLength(1); // the first intake's pack; its marker is gone
      const marker = { pid: deadPid(), hostname: os.hostname(), proc_start: null };
      await writeFile(join(folder, `.intake-${marker.pid}-0badc0ffee00`), JSON.stringify(marker));
      await writeFile(join(folder, 'file_20261204_deadintake0001.pack'), 'half a copy');
      await writeFile(join(folder, 'file_20261204_deadintake0002.pdf'), '%PDF-1.7 cut short');
      // The dead intake was a minute ago; an unnamed entry younger than 30 s is left for a later sweep.
      const minuteAgo = new Date(Date.now() - 60_000);
      for (const n of ['file_20261204_deadintake0001.pack', 'file_20261204_deadintake0002.pdf'])
        await utimes(join(folder, n), minuteAgo, minuteAgo);
      await writeFile(join(folder, 'file_20261204_justnow00001.json'), '{}');

      const { view } = await t.handlers['evidence.addFiles']({ run_id: runId, paths: [second] });
      const named = view.run.files.map((f) => f.stored_path.split('/').pop());
      const left = await readdir(folder);
      expect(left.sort()).toEqual([...new Set(named), 'file_20261204_justnow00001.json'].sort());
      expect(left).toContain(kept[0]);
      expect(left.some((n) => n.includes('deadintake') || n.startsWith('.intake-'))).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('are left alone while another intake of the run is live (its copies are not named yet)', async () => {
    const { t, runId, folder, second } = await runWithOneFile();
    try {
      const live = { pid: process.pid, hostname: os.hostname(), proc_start: processStartTicks(process.pid) };
      await writeFile(join(folder, `.intake-${live.pid}-0a11ve000000`), JSON.stringify(live));
      await writeFile(join(folder, 'file_20261204_inprogress001.pack'), 'copies of the live intake');
      const minuteAgo = new Date(Date.now() - 60_000);
      await utimes(join(folder, 'file_20261204_inprogress001.pack'), minuteAgo, minuteAgo);
      await t.handlers['evidence.addFiles']({ run_id: runId, paths: [second] });
      const left = await readdir(folder);
      expect(left).toContain('file_20261204_inprogress001.pack');
      expect(left).toContain(`.intake-${live.pid}-0a11ve000000`);
    } finally {
      await t.close();
    }
  });

  it('two intakes of one run at once keep every copy: neither takes the other’s for a dead one’s', async () => {
    const home = await temp('tokenops-orphans-both-');
    const t = await openTokenOps({ home });
    try {
      const { run } = await t.handlers['runs.create']({ title: 'two drops at once' });
      const folders = await Promise.all(
        ['a', 'b'].map(async (side) => {
          const d = await temp(`tokenops-orphans-${side}-`);
          for (let i = 0; i < 150; i++) await writeFile(join(d, `${side}-${i}.json`), JSON.stringify({ side, i }));
          return d;
        }),
      );
      await Promise.all(folders.map((d) => t.handlers['evidence.addFiles']({ run_id: run.run_id, paths: [d] })));
      const { run: after } = await t.handlers['runs.get']({ run_id: run.run_id });
      expect(after.files).toHaveLength(300);
      for (const f of after.files) {
        const bytes = await readStoredCopy(storedCopy(home, f));
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      }
      const named = new Set(after.files.map((f) => f.stored_path.split('/').pop()));
      expect((await readdir(join(home, 'files', run.run_id))).sort()).toEqual([...named].sort());
    } finally {
      await t.close();
    }
  });
});
