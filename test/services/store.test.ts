/**
 * Run store and its fs helpers, on real files in temp directories and real child processes.
 * The child script is test/fixtures/store-child.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isTokenOpsError, type TokenOpsError } from '../../shared/errors';
import { durableWriteFile, removeOrphanTempFiles, tempPathFor } from '../../electron/services/fs/durable-write';
import { acquireFileLock, withFileLock } from '../../electron/services/fs/file-lock';
import { openRunStore, type RunStore, type RunStoreOptions } from '../../electron/services/store';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = path.join(REPO, 'test/fixtures/store-child.ts');

interface Run {
  run_id: string;
  title: string;
  counter: number;
  tags?: string[];
}
interface Summary {
  run_id: string;
  title: string;
  counter: number;
}
const summarize = (r: Run): Summary => ({ run_id: r.run_id, title: r.title, counter: r.counter });
const run = (id: string, counter = 0): Run => ({ run_id: id, title: `Run ${id}`, counter });

// --- helpers ----------------------------------------------------------------------------------

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!().catch(() => undefined);
});

async function tempHome(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-store-'));
  cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function open(home: string, extra: Partial<RunStoreOptions<Run, Summary>> = {}): Promise<RunStore<Run, Summary>> {
  const store = await openRunStore<Run, Summary>({ home, summarize, ...extra });
  cleanup.push(() => store.close());
  return store;
}

async function caught(p: Promise<unknown>): Promise<TokenOpsError> {
  try {
    await p;
  } catch (err) {
    if (isTokenOpsError(err)) return err;
    throw err;
  }
  throw new Error('expected a TokenOpsError, but the call succeeded');
}

const runPath = (home: string, id: string) => path.join(home, 'runs', `${id}.json`);
const readJson = async (file: string) => JSON.parse(await fs.readFile(file, 'utf8'));

/** A child running store-child.ts; `next(pred)` resolves with the first (new) JSON line matching. */
function startChild(...args: string[]) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Array<Record<string, unknown>> = [];
  const waiters: Array<{
    pred: (e: Record<string, unknown>) => boolean;
    resolve: (e: Record<string, unknown>) => void;
  }> = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const e = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>;
      buffered = buffered.slice(nl + 1);
      events.push(e);
      for (const w of waiters.splice(0)) {
        if (w.pred(e)) w.resolve(e);
        else waiters.push(w);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return {
    child,
    events,
    exited,
    stderr: () => stderr,
    next(pred: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
      return new Promise((resolve, reject) => {
        waiters.push({ pred, resolve });
        void exited.then((code) =>
          reject(new Error(`child exited (${code}) before the expected event; stderr:\n${stderr}`)),
        );
      });
    },
  };
}

async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => c.on('exit', r));
  return c.pid!;
}

// --- the store ---------------------------------------------------------------------------------

describe('run store: basic operations', () => {
  it('creates, reads, lists, updates and deletes runs on disk, and keeps them across reopen', async () => {
    const home = await tempHome();
    const store = await open(home);
    expect(await store.create(run('r1'))).toEqual(run('r1'));
    await store.create({ ...run('r2', 5), tags: ['a'] });

    expect(await store.get('r2')).toEqual({ ...run('r2', 5), tags: ['a'] });
    expect(await readJson(runPath(home, 'r1'))).toEqual(run('r1'));
    expect((await store.list()).sort((a, b) => a.run_id.localeCompare(b.run_id))).toEqual([
      summarize(run('r1')),
      summarize(run('r2', 5)),
    ]);

    const updated = await store.update('r1', (r) => {
      r.counter = 7;
      r.title = 'Renamed';
    });
    expect(updated).toMatchObject({ counter: 7, title: 'Renamed' });
    expect(await readJson(runPath(home, 'r1'))).toMatchObject({ counter: 7, title: 'Renamed' });
    expect(await readJson(runPath(home, 'r1') + '.bak')).toEqual(run('r1')); // previous good version

    const replaced = await store.update('r2', (r) => ({ ...r, counter: r.counter + 1 }));
    expect(replaced.counter).toBe(6);

    await store.delete('r2');
    expect(existsSync(runPath(home, 'r2'))).toBe(false);
    expect(existsSync(runPath(home, 'r2') + '.bak')).toBe(false);
    expect((await caught(store.get('r2'))).code).toBe('not_found');
    expect((await store.list()).map((s) => s.run_id)).toEqual(['r1']);
    await store.close();

    expect(await readJson(path.join(home, 'runs', 'index.json'))).toEqual({
      version: 1,
      runs: { r1: { run_id: 'r1', title: 'Renamed', counter: 7 } },
    });
    expect(existsSync(path.join(home, '.writer.lock'))).toBe(false);
    expect(existsSync(path.join(home, 'runs', 'index.dirty'))).toBe(false);

    const again = await open(home);
    expect(await again.get('r1')).toMatchObject({ counter: 7, title: 'Renamed' });
    expect(await again.list()).toEqual([{ run_id: 'r1', title: 'Renamed', counter: 7 }]);
    expect(again.recovered).toEqual([]);
  });

  it('applies every one of many concurrent updates to the same run', async () => {
    const home = await tempHome();
    const store = await open(home);
    await store.create(run('busy'));
    await store.create(run('other'));
    await Promise.all([
      ...Array.from({ length: 100 }, () => store.update('busy', (r) => void (r.counter += 1))),
      ...Array.from({ length: 30 }, () => store.update('other', (r) => ({ ...r, counter: r.counter + 2 }))),
    ]);
    expect((await store.get('busy')).counter).toBe(100);
    expect((await store.get('other')).counter).toBe(60);
    expect((await store.list()).find((s) => s.run_id === 'busy')?.counter).toBe(100);
    await store.close();
    const again = await open(home);
    expect((await again.get('busy')).counter).toBe(100);
  });

  it('rejects run ids that are not safe file names, on every operation', async () => {
    const home = await tempHome();
    const store = await open(home);
    const bad = ['', '../x', 'a/b', 'a\\b', 'a.b', 'has space', 'x'.repeat(81), 'é', 'index', 'CON', 'nul', 'lpt1'];
    for (const id of bad) {
      expect((await caught(store.get(id))).code, id).toBe('input_invalid');
      expect((await caught(store.create(run(id)))).code, id).toBe('input_invalid');
      expect((await caught(store.update(id, () => undefined))).code, id).toBe('input_invalid');
      expect((await caught(store.delete(id))).code, id).toBe('input_invalid');
    }
    expect((await caught(store.get(42 as unknown as string))).code).toBe('input_invalid');
    expect((await caught(store.create(null as unknown as Run))).code).toBe('input_invalid');
    const long = 'A'.repeat(80);
    await store.create(run(long));
    expect((await store.get(long)).run_id).toBe(long);
    await store.close();
    expect((await fs.readdir(path.join(home, 'runs'))).sort()).toEqual([`${long}.json`, 'index.json']); // nothing else was written
    expect(await fs.readdir(home)).toEqual(['runs']);
  });

  it('refuses duplicate ids (also ids differing only in case) and reports missing runs', async () => {
    const store = await open(await tempHome());
    await store.create(run('Run-1'));
    const dup = await caught(store.create(run('Run-1')));
    expect(dup.code).toBe('conflict');
    expect(dup.message).toContain('already exists');
    const cased = await caught(store.create(run('run-1')));
    expect(cased.code).toBe('conflict');
    expect(cased.message).toContain('letter case');
    expect((await caught(store.get('nope'))).code).toBe('not_found');
    expect((await caught(store.update('nope', () => undefined))).code).toBe('not_found');
    expect((await caught(store.delete('nope'))).code).toBe('not_found');
  });

  it('leaves the run unchanged when mutate throws, returns something invalid, or changes run_id', async () => {
    const home = await tempHome();
    const store = await open(home);
    await store.create(run('m'));
    await expect(
      store.update('m', (r) => {
        r.counter = 99;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await caught(store.update('m', (r) => ({ ...r, run_id: 'other' })))).code).toBe('input_invalid');
    expect((await caught(store.update('m', () => 5 as unknown as Run))).code).toBe('input_invalid');
    const asyncMutate = (async (r: Run) => r) as unknown as (r: Run) => Run;
    expect((await caught(store.update('m', asyncMutate))).message).toContain('synchronous');
    expect(await store.get('m')).toEqual(run('m'));
    expect(await readJson(runPath(home, 'm'))).toEqual(run('m'));
    expect((await store.update('m', (r) => void (r.counter = 1))).counter).toBe(1); // the chain still works
  });

  it('fails clearly after close and on writes through a read-only store', async () => {
    const home = await tempHome();
    const writer = await open(home);
    await writer.create(run('w'));
    const reader = await open(home, { readOnly: true });
    expect(await reader.get('w')).toEqual(run('w'));
    const denied = await caught(reader.create(run('x')));
    expect(denied.code).toBe('usage');
    expect(denied.message).toContain('read-only');
    expect((await caught(reader.update('w', () => undefined))).code).toBe('usage');
    expect((await caught(reader.delete('w'))).code).toBe('usage');
    await writer.close();
    expect((await caught(writer.get('w'))).message).toContain('closed');
  });
});

describe('run store: index', () => {
  it('saves the index on its own after a burst of updates, and clears the dirty marker', async () => {
    const home = await tempHome();
    const store = await open(home, { indexFlushDelayMs: 0 });
    await store.create(run('a'));
    await Promise.all(Array.from({ length: 20 }, () => store.update('a', (r) => void (r.counter += 1))));
    const indexFile = path.join(home, 'runs', 'index.json');
    const marker = path.join(home, 'runs', 'index.dirty');
    // Poll for the background save (no close): correctness, not speed, is asserted.
    for (let i = 0; i < 1000; i++) {
      const saved = existsSync(indexFile) ? await readJson(indexFile) : null;
      if (saved?.runs?.a?.counter === 20 && !existsSync(marker)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await readJson(indexFile)).runs.a.counter).toBe(20);
    expect(existsSync(marker)).toBe(false);
  });

  it('keeps its own frozen copies of summaries, never the caller’s objects', async () => {
    const home = await tempHome();
    const store = await openRunStore<Run, Run>({ home, summarize: (r) => r }); // summary = the run itself
    cleanup.push(() => store.close());
    const mine = run('a');
    await store.create(mine);
    mine.counter = 5; // the caller's object stays the caller's: still mutable, not seen by the index
    expect((await store.list())[0].counter).toBe(0);
    expect(Object.isFrozen((await store.list())[0])).toBe(true);
    const updated = await store.update('a', (r) => void (r.tags = ['x']));
    updated.tags!.push('y');
    expect((await store.list())[0].tags).toEqual(['x']);
  });

  it('never restores a leftover .bak of a deleted run into a new run with the same id', async () => {
    const home = await tempHome();
    let store = await open(home);
    await store.create(run('r', 1));
    await store.update('r', (r) => void (r.counter = 2)); // r.json.bak = counter 1
    await store.close();
    await fs.rm(runPath(home, 'r')); // as if killed between the two unlinks of delete()
    store = await open(home);
    expect(await store.list()).toEqual([]);
    await store.create(run('r', 100));
    await fs.writeFile(runPath(home, 'r'), '{');
    expect((await caught(store.get('r'))).code).toBe('corrupt_store');
  });
});

describe('run store: readers', () => {
  it('read while a writer holds the lock, and see the writer’s changes once saved', async () => {
    const home = await tempHome();
    const writer = await open(home);
    await writer.create(run('a'));
    await writer.close(); // index saved
    const writer2 = await open(home);
    const reader = await open(home, { readOnly: true });
    expect((await reader.list()).map((s) => s.run_id)).toEqual(['a']);
    await writer2.create(run('b'));
    await writer2.update('a', (r) => void (r.counter = 3));
    await writer2.close();
    expect((await reader.list()).sort((x, y) => x.run_id.localeCompare(y.run_id))).toEqual([
      summarize({ ...run('a'), counter: 3 }),
      summarize(run('b')),
    ]);
    expect((await reader.get('a')).counter).toBe(3);
  });

  it('list from the run files in memory when the writer has unsaved index changes, writing nothing', async () => {
    const home = await tempHome();
    const writer = await open(home, { indexFlushDelayMs: 60_000 }); // keep the index unsaved
    expect(writer.recovered).toEqual([]); // a new data directory is not a recovery
    await writer.create(run('a'));
    await writer.create(run('b'));
    expect(existsSync(path.join(home, 'runs', 'index.dirty'))).toBe(true);
    const indexFile = path.join(home, 'runs', 'index.json');
    const before = await fs.readFile(indexFile, 'utf8');
    const reader = await open(home, { readOnly: true });
    expect((await reader.list()).map((s) => s.run_id).sort()).toEqual(['a', 'b']);
    expect(reader.recovered[0].reason).toContain('in memory only');
    expect(await fs.readFile(indexFile, 'utf8')).toBe(before);
    expect(JSON.parse(before).runs).toEqual({});
  });

  it('see an empty store when the data directory does not exist yet, and create nothing', async () => {
    const home = path.join(await tempHome(), 'not-yet');
    const reader = await open(home, { readOnly: true });
    expect(await reader.list()).toEqual([]);
    expect((await caught(reader.get('a'))).code).toBe('not_found');
    expect(existsSync(home)).toBe(false);
  });
});

describe('run store: one writer per data directory', () => {
  it('blocks a second writer process while the first holds the lock, then lets it open after close', async () => {
    const home = await tempHome();
    const store = await open(home);
    await store.create(run('held'));

    const blocked = startChild('open', home, '300');
    const err = await blocked.next((e) => e.event === 'error');
    expect(err.code).toBe('locked');
    expect(err.message).toContain(String(process.pid));
    expect(err.message).toContain(path.join(home, '.writer.lock'));
    expect(blocked.events.some((e) => e.event === 'waiting' && e.holderPid === process.pid)).toBe(true);
    await blocked.exited;

    await store.close();
    const next = startChild('open', home, '300');
    expect(await next.next((e) => e.event === 'opened' || e.event === 'error')).toMatchObject({
      event: 'opened',
      runs: 1,
    });
    await next.next((e) => e.event === 'closed');
    expect(existsSync(path.join(home, '.writer.lock'))).toBe(false);
  });

  it('lets a waiting writer in as soon as the holder closes', async () => {
    const home = await tempHome();
    const store = await open(home);
    const waiting = startChild('open', home, '60000');
    await waiting.next((e) => e.event === 'waiting');
    await store.close();
    expect(await waiting.next((e) => e.event === 'opened' || e.event === 'error')).toMatchObject({ event: 'opened' });
  });

  it('refuses a second writer in the same process', async () => {
    const home = await tempHome();
    await open(home);
    const err = await caught(open(home, { lockWaitMs: 50 }));
    expect(err.code).toBe('locked');
    expect(err.message).toContain('this same process');
  });

  it('releases the lock when the process exits without close', async () => {
    const home = await tempHome();
    const child = startChild('exit-without-close', home);
    await child.next((e) => e.event === 'opened');
    expect(await child.exited).toBe(0);
    expect(existsSync(path.join(home, '.writer.lock'))).toBe(false);
  });

  it('takes over a stale lock: dead pid, unreadable old lock file, reused pid', async () => {
    const home = await tempHome();
    const lockFile = path.join(home, '.writer.lock');
    const stale = {
      pid: await deadPid(),
      hostname: os.hostname(),
      started_at: '2020-01-01T00:00:00Z',
      acquired_at: '2020-01-01T00:00:00Z',
      proc_start: null,
      token: 'old',
    };
    await fs.writeFile(lockFile, JSON.stringify(stale));
    let store = await open(home, { lockWaitMs: 0 });
    expect((await readJson(lockFile)).pid).toBe(process.pid);
    await store.close();

    await fs.writeFile(lockFile, '{"pid": 12'); // torn write, long ago
    const past = new Date(Date.now() - 60_000);
    await fs.utimes(lockFile, past, past);
    store = await open(home, { lockWaitMs: 0 });
    expect((await readJson(lockFile)).pid).toBe(process.pid);
    await store.close();

    if (process.platform === 'linux') {
      // Our own pid, but a different process start time: a pid reused after a reboot or in a container.
      await fs.writeFile(lockFile, JSON.stringify({ ...stale, pid: process.pid, proc_start: '1' }));
      store = await open(home, { lockWaitMs: 0 });
      expect((await readJson(lockFile)).token).not.toBe('old');
      await store.close();
    }
  });
});

describe('run store: damaged files', () => {
  it('restores a damaged run file from its .bak and reports it', async () => {
    const home = await tempHome();
    let store = await open(home);
    await store.create(run('r1'));
    await store.update('r1', (r) => void (r.counter = 1)); // .bak now holds counter 0
    await store.create(run('r2'));
    await store.update('r2', (r) => void (r.counter = 1));
    await store.close();
    await fs.writeFile(runPath(home, 'r1'), '{"run_id": "r1", "coun'); // torn
    await fs.writeFile(runPath(home, 'r2'), JSON.stringify(run('someone-else'))); // wrong run

    store = await open(home);
    expect(await store.get('r1')).toEqual(run('r1'));
    expect(await store.get('r2')).toEqual(run('r2'));
    expect(store.recovered).toHaveLength(2);
    expect(store.recovered[0]).toMatchObject({ file: runPath(home, 'r1'), from: runPath(home, 'r1') + '.bak' });
    expect(store.recovered[0].reason).toContain('not valid JSON');
    expect(store.recovered[1].reason).toContain('run_id');
    expect(await readJson(runPath(home, 'r1'))).toEqual(run('r1')); // good copy written back
    const names = await fs.readdir(path.join(home, 'runs'));
    expect(names.filter((n) => n.startsWith('r1.json.damaged-'))).toHaveLength(1); // damaged bytes kept

    expect((await store.update('r1', (r) => void (r.counter = 2))).counter).toBe(2); // usable again
  });

  it('refuses to guess when a run file is damaged and has no good backup, and leaves it untouched', async () => {
    const home = await tempHome();
    let store = await open(home);
    await store.create(run('solo')); // created only: no .bak yet
    await store.create(run('both'));
    await store.update('both', (r) => void (r.counter = 1));
    await store.close();
    const garbage = 'not json at all';
    await fs.writeFile(runPath(home, 'solo'), garbage);
    await fs.writeFile(runPath(home, 'both'), '[]');
    await fs.writeFile(runPath(home, 'both') + '.bak', '');

    store = await open(home);
    for (const id of ['solo', 'both']) {
      for (const attempt of [store.get(id), store.update(id, () => undefined)]) {
        const err = await caught(attempt);
        expect(err.code).toBe('corrupt_store');
        expect(err.message).toContain(runPath(home, id));
        expect(err.message).toMatch(/Restore the file from your own backup/);
      }
    }
    expect(await fs.readFile(runPath(home, 'solo'), 'utf8')).toBe(garbage);
    expect(await fs.readFile(runPath(home, 'both'), 'utf8')).toBe('[]');
    expect(store.recovered).toEqual([]);
  });

  it('a reader uses the backup in memory and changes no file', async () => {
    const home = await tempHome();
    const store = await open(home);
    await store.create(run('r'));
    await store.update('r', (r) => void (r.counter = 1));
    await store.close();
    await fs.writeFile(runPath(home, 'r'), '{');
    const reader = await open(home, { readOnly: true });
    expect(await reader.get('r')).toEqual(run('r'));
    expect(reader.recovered[0].reason).toContain('read-only');
    expect(await fs.readFile(runPath(home, 'r'), 'utf8')).toBe('{');
  });

  it.each([
    ['deleted', (f: string) => fs.rm(f)],
    ['corrupt', (f: string) => fs.writeFile(f, '{"version":1,"runs":')],
    ['not an index', (f: string) => fs.writeFile(f, '[1,2,3]')],
  ])('rebuilds the index from the run files when it is %s', async (_label, damage) => {
    const home = await tempHome();
    let store = await open(home);
    for (const id of ['a', 'b', 'c']) await store.create(run(id));
    await store.update('b', (r) => void (r.counter = 4));
    await store.close();
    const indexFile = path.join(home, 'runs', 'index.json');
    await damage(indexFile);

    store = await open(home);
    expect((await store.list()).sort((x, y) => x.run_id.localeCompare(y.run_id))).toEqual([
      summarize(run('a')),
      summarize({ ...run('b'), counter: 4 }),
      summarize(run('c')),
    ]);
    expect(store.recovered).toHaveLength(1);
    expect(store.recovered[0]).toMatchObject({ file: indexFile, from: path.join(home, 'runs') });
    expect(store.recovered[0].reason).toContain('rebuilt from 3 run file(s)');
    expect(Object.keys((await readJson(indexFile)).runs).sort()).toEqual(['a', 'b', 'c']); // saved again
  });

  it('rebuilds a stale index after a writer stopped before saving it (dirty marker, or run files it does not list)', async () => {
    const home = await tempHome();
    let store = await open(home);
    await store.create(run('a'));
    await store.close();
    const indexFile = path.join(home, 'runs', 'index.json');
    // As if killed after the run file was written but before the index was saved.
    await fs.writeFile(runPath(home, 'a'), JSON.stringify({ ...run('a'), counter: 9 }));
    await fs.writeFile(path.join(home, 'runs', 'index.dirty'), '');
    store = await open(home);
    expect(await store.list()).toEqual([summarize({ ...run('a'), counter: 9 })]);
    expect(store.recovered[0].reason).toContain('stopped before saving');
    expect(existsSync(path.join(home, 'runs', 'index.dirty'))).toBe(false);
    await store.close();

    await fs.writeFile(runPath(home, 'z'), JSON.stringify(run('z'))); // a run file the index does not name
    store = await open(home);
    expect((await store.list()).map((s) => s.run_id).sort()).toEqual(['a', 'z']);
    expect(store.recovered[0].reason).toContain('same runs');
    expect(Object.keys((await readJson(indexFile)).runs).sort()).toEqual(['a', 'z']);
  });

  it('never rebuilds the index to empty over a damaged run file: it fails naming the file', async () => {
    const home = await tempHome();
    const store = await open(home);
    await store.create(run('ok'));
    await store.create(run('bad'));
    await store.close();
    await fs.rm(path.join(home, 'runs', 'index.json'));
    await fs.writeFile(runPath(home, 'bad'), '');
    const err = await caught(open(home));
    expect(err.code).toBe('corrupt_store');
    expect(err.message).toContain(runPath(home, 'bad'));
    expect(err.message).toContain('empty');
    expect(existsSync(path.join(home, '.writer.lock'))).toBe(false); // the failed open released its lock
    expect(existsSync(path.join(home, 'runs', 'index.json'))).toBe(false);
  });
});

describe('run store: crash safety', () => {
  it('loses no committed update when the writer is SIGKILLed mid-loop', async () => {
    const home = await tempHome();
    let lastCounter = 0;
    const created: string[] = [];
    for (let round = 0; round < 3; round++) {
      const child = startChild('crash-loop', home);
      await child.next((e) => e.event === 'ready');
      const target = lastCounter + 60 + round * 37; // stop at a different point each round
      await child.next((e) => e.event === 'committed' && (e.counter as number) >= target);
      child.child.kill('SIGKILL');
      await child.exited;
      for (const e of child.events) {
        if (e.event === 'committed') lastCounter = Math.max(lastCounter, e.counter as number);
        if (e.event === 'created') created.push(e.id as string);
      }

      const store = await openRunStore<Run & { payload?: string }, { run_id: string; counter: number }>({
        home,
        summarize: (r) => ({ run_id: r.run_id, counter: r.counter }),
      });
      const stored = await store.get('crash');
      expect(stored.counter).toBeGreaterThanOrEqual(lastCounter);
      expect(stored.payload).toHaveLength(3000);
      expect(JSON.parse(await fs.readFile(runPath(home, 'crash'), 'utf8')).run_id).toBe('crash'); // valid on disk
      const listed = new Set((await store.list()).map((s) => s.run_id));
      for (const id of created) expect(listed.has(id), id).toBe(true);
      expect(listed.has('crash')).toBe(true);
      expect((await store.list()).find((s) => s.run_id === 'crash')?.counter).toBe(stored.counter);
      await store.close();
      lastCounter = stored.counter;
    }
    const leftovers = (await fs.readdir(path.join(home, 'runs'))).filter((n) => n.endsWith('.tmp'));
    expect(leftovers).toEqual([]); // orphan temp files are cleaned at open
  });
});

// --- the reusable fs helpers ---------------------------------------------------------------------

describe('durableWriteFile', () => {
  it('creates and replaces a file, leaving no temp file; orphan temp files are removable', async () => {
    const dir = await tempHome();
    const file = path.join(dir, 'doc.json');
    await durableWriteFile(file, '{"v":1}');
    await durableWriteFile(file, Buffer.from('{"v":2}'));
    expect(await fs.readFile(file, 'utf8')).toBe('{"v":2}');
    expect(await fs.readdir(dir)).toEqual(['doc.json']);

    const orphan = tempPathFor(file);
    await fs.writeFile(orphan, 'half');
    await fs.writeFile(path.join(dir, '.not-ours.tmp'), 'keep');
    expect(await removeOrphanTempFiles(dir)).toEqual([path.basename(orphan)]);
    expect((await fs.readdir(dir)).sort()).toEqual(['.not-ours.tmp', 'doc.json']);
  });

  it('leaves the old content in place when the write fails', async () => {
    const dir = await tempHome();
    const file = path.join(dir, 'doc.json');
    await durableWriteFile(file, 'old');
    await fs.mkdir(path.join(dir, 'sub'));
    // Renaming a file over a non-empty directory fails: the target must keep existing as it was.
    await fs.writeFile(path.join(dir, 'sub', 'x'), '');
    await expect(durableWriteFile(path.join(dir, 'sub'), 'new')).rejects.toThrow();
    expect(await fs.readFile(file, 'utf8')).toBe('old');
    expect((await fs.readdir(dir)).sort()).toEqual(['doc.json', 'sub']);
  });
});

describe('withFileLock', () => {
  it('runs critical sections one at a time and releases on error', async () => {
    const dir = await tempHome();
    const lockPath = path.join(dir, 'ledger.lock');
    let inside = 0;
    let maxInside = 0;
    const section = async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await new Promise((r) => setImmediate(r));
      inside--;
    };
    await Promise.all(Array.from({ length: 5 }, () => withFileLock(lockPath, section, { waitMs: 30_000, pollMs: 5 })));
    expect(maxInside).toBe(1);
    await expect(withFileLock(lockPath, () => Promise.reject(new Error('inner')))).rejects.toThrow('inner');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('fails with a locked error naming the holder and the lock file when the wait runs out', async () => {
    const dir = await tempHome();
    const lockPath = path.join(dir, 'x.lock');
    const held = await acquireFileLock(lockPath);
    cleanup.push(() => held.release());
    const err = await caught(acquireFileLock(lockPath, { waitMs: 20, description: 'the outbox lock' }));
    expect(err.code).toBe('locked');
    expect(err.message).toContain('The outbox lock is held by process ' + process.pid);
    expect(err.message).toContain(lockPath);
    await held.release();
    await (await acquireFileLock(lockPath, { waitMs: 0 })).release();
  });
});
