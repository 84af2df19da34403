/**
 * The writer's two yazl patches must take effect on the pinned yazl, not just fail safe: the CRC patch
 * (tested in bundle.test.ts) and the entry pump trimmer here. If yazl's internals change, these fail
 * and say so, instead of exports silently going quadratic again.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import { afterAll, describe, expect, it } from 'vitest';
import { YazlPumpTrimmer } from '../../electron/services/bundle/yazl-pump';

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((d) => fs.rm(d, { recursive: true, force: true }))));

describe('YazlPumpTrimmer on the pinned yazl', () => {
  it('parks finished entries while streaming, and restores all of them, in order, for the directory', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-pump-'));
    temps.push(dir);
    const out = path.join(dir, 'x.zip');
    const zip = new yazl.ZipFile();
    const trimmer = new YazlPumpTrimmer(zip);
    const internals = zip as unknown as { entries: unknown[] };
    const count = 1_300;
    const listLengthAtStart: number[] = [];
    // All entries are queued before yazl pumps the first (it starts on a later tick).
    for (let i = 0; i < count; i++) {
      zip.addReadStreamLazy(`e/${String(i).padStart(5, '0')}.txt`, { compress: false, mtime: new Date(0) }, (cb) => {
        trimmer.trim();
        listLengthAtStart.push(internals.entries.length);
        cb(null, Readable.from([Buffer.from(`entry ${i}\n`)]));
      });
    }
    const sink = createWriteStream(out);
    zip.outputStream.pipe(sink);
    // Wait for the last entry's data, then restore before the directory is written.
    while (listLengthAtStart.length < count) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    trimmer.restore();
    expect(internals.entries).toHaveLength(count);
    zip.end();
    await finished(sink);

    // yazl's list shrank: the last entry started with at most a batch of finished entries still listed.
    expect(listLengthAtStart.at(-1)).toBeLessThanOrEqual(count - 512);
    // The zip is whole: every entry, in order, with good CRCs (Info-ZIP unzip).
    expect(execFileSync('unzip', ['-tq', out], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const names = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toEqual(Array.from({ length: count }, (_, i) => `e/${String(i).padStart(5, '0')}.txt`));
  });
});
