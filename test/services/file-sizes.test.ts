import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileSizes } from '../../electron/services/intake/file-sizes';

let dir: string;
const names = Array.from({ length: 700 }, (_, i) => `f-${i}.json`); // past the first batches (32, 64, …, 256)

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-sizes-'));
  await Promise.all(names.map((n, i) => fs.writeFile(path.join(dir, n), 'x'.repeat(i))));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('fileSizes', () => {
  it('gives every size, and a vanished file its error, read directly on a fast disk', async () => {
    const asked = [...names, 'gone.json'];
    const sizes = await fileSizes(dir, asked);
    expect(sizes.size).toBe(asked.length);
    names.forEach((n, i) => expect(sizes.get(n)).toBe(i));
    expect((sizes.get('gone.json') as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('gives the same when a batch looks slow and the rest are read side by side', async () => {
    const asked = [...names, 'gone.json'];
    const direct = await fileSizes(dir, asked);
    const sideBySide = await fileSizes(dir, asked, 0);
    expect([...sideBySide.keys()].sort()).toEqual([...direct.keys()].sort());
    for (const n of names) expect(sideBySide.get(n)).toBe(direct.get(n));
    expect((sideBySide.get('gone.json') as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
