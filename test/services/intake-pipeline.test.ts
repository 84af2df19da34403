import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRE_RUN, type Run } from '../../shared/domain/run';
import { intakePaths } from '../../electron/services/intake/add-files';
import { readStoredCopy, storedCopy } from '../../electron/services/intake/stored-copy';
import { copyAndHash } from '../../electron/services/intake/copy-and-hash';
import { IntakePack } from '../../electron/services/intake/intake-pack';
import { DeferredSyncs } from '../../electron/services/fs/deferred-syncs';
import { homeLayout } from '../../electron/services/home';
import { scanBytes, scanFile, scanText } from '../../electron/services/intake/secret-scan';
import { secretLintProfiler } from '@secretlint/profiler';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenops-intake-pipeline-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const AWS_KEY = 'AKIA' + '2E0A8F3B244C9986';
const GITHUB = 'ghp' + '_wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx';

function emptyRun(id: string): Run {
  const at = '2026-12-02T10:00:00.000Z';
  return {
    run_id: id,
    title: id,
    created_at: at,
    updated_at: at,
    state: 'draft',
    state_history: [],
    pre_run: { ...DEFAULT_PRE_RUN },
    evidence: [],
    files: [],
    exceptions: [],
  } as Run;
}

let seq = 0;
const ctxFor = (home: string, extra: object = {}) => ({
  layout: homeLayout(home),
  now: () => '2026-12-02T10:00:00.000Z',
  newId: (p: string) => `${p}_${String(++seq).padStart(6, '0')}`,
  ...extra,
});

describe('the secret scan stays linear', () => {
  it('keeps no per-lint timings and leaves no performance marks, however many files it scans', async () => {
    const marksBefore = performance.getEntriesByType('mark').length;
    for (let i = 0; i < 200; i++) await scanText(`f${i}.json`, `{"n":${i},"note":"clean"}`);
    // secret-scan.ts must switch the profiler off itself: this test imports only the scan.
    expect((await secretLintProfiler.getEntries()).length + (await secretLintProfiler.getMeasures()).length).toBe(0);
    expect(performance.getEntriesByType('mark').length).toBe(marksBefore);
  });
});

describe('scanBytes (a small file read once) gives the verdict scanFile gives', () => {
  const cases: Array<[string, Buffer]> = [
    ['clean.json', Buffer.from('{"settlement_reference":"stl_1","amount":"10.00"}\n')],
    ['leaky.env', Buffer.from(`\uFEFFA=1\naws_access_key_id = ${AWS_KEY}\n"token": "${GITHUB}"\n`)],
    ['blob.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2])],
    ['not-really.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2])],
  ];
  for (const [name, bytes] of cases) {
    it(name, async () => {
      const path = join(dir, name);
      await writeFile(path, bytes);
      const fromDisk = await scanFile(path, name);
      const inMemory = await scanBytes(bytes, name, path);
      expect({ ...inMemory, text: undefined }).toEqual({ ...fromDisk, text: undefined });
    });
  }
});

describe('copyAndHash', () => {
  it('gives a file that grew past the small size since the walk a file of its own, never the pack', async () => {
    const src = join(dir, 'grew.json');
    await writeFile(src, JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) }));
    const packDir = join(dir, 'grew-store');
    await mkdir(packDir, { recursive: true });
    const pack = new IntakePack(join(packDir, 'p.pack'), () => {});
    const dest = join(packDir, 'own.json');
    const copied = await copyAndHash(src, dest, {
      expectedSize: 10, // what the walk saw
      dirReady: true,
      syncs: new DeferredSyncs(),
      pack: { into: pack, packable: () => true },
    });
    pack.abandon();
    expect(copied.packedAt).toBeUndefined();
    expect((await readFile(dest)).equals(await readFile(src))).toBe(true);
    expect(await readdir(packDir)).toEqual(['own.json']);
  });
});

describe('intakePaths', () => {
  it('keeps the walk order while taking files in side by side, and syncs every copy it keeps', async () => {
    const home = join(dir, 'home-order');
    const evidence = join(dir, 'order');
    await mkdir(evidence, { recursive: true });
    for (let i = 0; i < 40; i++)
      await writeFile(
        join(evidence, `n${String(i).padStart(2, '0')}.json`),
        JSON.stringify({ note: 'x'.repeat(i * 997) }),
      );
    const result = await intakePaths(emptyRun('run_order'), [evidence], ctxFor(home));
    expect(result.files.map((f) => f.name)).toEqual(
      Array.from({ length: 40 }, (_, i) => `n${String(i).padStart(2, '0')}.json`),
    );
    // Small copies share one intake pack: one file created and synced, each copy a range of it.
    const stored = await readdir(join(home, 'files', 'run_order'));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/\.pack$/);
    for (const f of result.files) {
      expect(f.stored_path).toBe(`files/run_order/${stored[0]}`);
      const bytes = await readStoredCopy(storedCopy(home, f));
      expect(bytes.equals(await readFile(join(evidence, f.name)))).toBe(true);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    }
    expect(new Set(result.files.map((f) => f.stored_offset)).size).toBe(40);
  });

  it('keeps a file of its own for a copy read again by path: a CSV export, an archive, a large file', async () => {
    const home = join(dir, 'home-own');
    const evidence = join(dir, 'own');
    await mkdir(evidence, { recursive: true });
    await writeFile(join(evidence, 'ledger.csv'), 'a,b\n1,2\n');
    await writeFile(
      join(evidence, 'renamed-archive.dat'),
      Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]),
    );
    await writeFile(join(evidence, 'big.json'), JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) }));
    await writeFile(join(evidence, 'small.json'), '{"a":1}');
    const result = await intakePaths(emptyRun('run_own'), [evidence], ctxFor(home));
    const byName = new Map(result.files.map((f) => [f.name, f]));
    for (const own of ['ledger.csv', 'renamed-archive.dat', 'big.json']) {
      expect(byName.get(own)?.stored_offset).toBeUndefined();
      expect(byName.get(own)?.stored_path).not.toMatch(/\.pack$/);
    }
    expect(byName.get('small.json')?.stored_path).toMatch(/\.pack$/);
    expect(byName.get('small.json')?.stored_offset).toBe(0);
    expect(await readdir(join(home, 'files', 'run_own'))).toHaveLength(4);
  });

  it('removes every copy it made when the operator cancels part-way', async () => {
    const home = join(dir, 'home-cancel');
    const evidence = join(dir, 'cancel');
    await mkdir(evidence, { recursive: true });
    for (let i = 0; i < 60; i++) await writeFile(join(evidence, `c${i}.json`), `{"i":${i}}`);
    const cancel = { cancelled: false };
    let seen = 0;
    const onProgress = () => {
      if (++seen === 10) cancel.cancelled = true;
    };
    await expect(
      intakePaths(emptyRun('run_cancel'), [evidence], ctxFor(home, { cancel, onProgress })),
    ).rejects.toMatchObject({ code: 'cancelled' });
    const left = await readdir(join(home, 'files', 'run_cancel')).catch(() => []);
    expect(left).toEqual([]);
  });

  it('lets a cancel that arrives as an event (the app’s IPC) stop an intake of small files', async () => {
    // Small files are taken in with synchronous calls: without a turn of the event loop between files,
    // a message from the renderer (here a timer) could only run once the whole intake was over.
    const home = join(dir, 'home-cancel-event');
    const evidence = join(dir, 'cancel-event');
    await mkdir(evidence, { recursive: true });
    for (let i = 0; i < 400; i++) await writeFile(join(evidence, `e${i}.json`), `{"i":${i}}`);
    const cancel = { cancelled: false };
    let cancelledAt = -1;
    let timer: NodeJS.Timeout | undefined;
    // Once the first file is in, the "renderer" asks to cancel: a macrotask, as an IPC message is.
    const onProgress = (p: { phase: string; done: number }) => {
      if (p.phase !== 'scanning' || timer) return;
      timer = setTimeout(() => {
        cancel.cancelled = true;
        cancelledAt = p.done;
      }, 0);
    };
    await expect(
      intakePaths(emptyRun('run_cancel_event'), [evidence], ctxFor(home, { cancel, onProgress })),
    ).rejects.toMatchObject({ code: 'cancelled' });
    clearTimeout(timer);
    expect(cancelledAt).toBeGreaterThan(0);
    expect(await readdir(join(home, 'files', 'run_cancel_event')).catch(() => [])).toEqual([]);
  });

  it('does not copy a file already in the run again (same name and SHA-256), and says so', async () => {
    const home = join(dir, 'home-again');
    const evidence = join(dir, 'again');
    await mkdir(evidence, { recursive: true });
    await writeFile(join(evidence, 'a.json'), '{"a":1}');
    const run = emptyRun('run_again');
    const first = await intakePaths(run, [evidence], ctxFor(home));
    run.files.push(...first.files);
    const second = await intakePaths(run, [evidence], ctxFor(home));
    expect(second.files).toEqual([]);
    expect(second.skipped[0].reason).toMatch(/already in the run with the same SHA-256/);
    expect((await readdir(join(home, 'files', 'run_again'))).length).toBe(1);
  });
});
