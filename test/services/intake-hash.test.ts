import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../shared/progress';
import { isTokenOpsError } from '../../shared/errors';
import { hashFile, hashFiles } from '../../electron/services/intake/file-hash';
import { mediaTypeOf } from '../../electron/services/intake/media-type';
import { walkFiles } from '../../electron/services/intake/walk-files';

let dir: string;
let outside: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenops-intake-hash-'));
  outside = await mkdtemp(join(tmpdir(), 'tokenops-intake-outside-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

function sha256sum(path: string): string {
  return execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0];
}

describe('hashFile', () => {
  it('matches sha256sum for an empty, a small and a >1 MiB file', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 11)) & 0xff;
    const cases: Array<[string, Buffer]> = [
      ['empty.bin', Buffer.alloc(0)],
      ['small.json', Buffer.from('{"receipt_id":"rcpt_1","credits_debited":3}\n')],
      ['big.bin', big],
    ];
    for (const [name, content] of cases) {
      const p = join(dir, name);
      await writeFile(p, content);
      let streamed = 0;
      const r = await hashFile(p, { onBytes: (n) => (streamed += n) });
      expect(r.sha256).toBe(sha256sum(p));
      expect(r.size).toBe(content.length);
      expect(streamed).toBe(content.length);
    }
  });

  it('reports a missing file with an actionable TokenOpsError', async () => {
    const err = await hashFile(join(dir, 'nope.json')).catch((e: unknown) => e);
    expect(isTokenOpsError(err) && err.code).toBe('not_found');
    expect((err as Error).message).toContain('nope.json');
  });

  it('stops when cancelled', async () => {
    const p = join(dir, 'cancel.bin');
    await writeFile(p, Buffer.alloc(3 * 1024 * 1024));
    const cancel = { cancelled: false };
    const err = await hashFile(p, { cancel, onBytes: () => (cancel.cancelled = true) }).catch((e: unknown) => e);
    expect(isTokenOpsError(err) && err.code).toBe('cancelled');
  });
});

describe('hashFiles', () => {
  it('hashes 3,000 small files with concurrency 8, in input order', async () => {
    const many = join(dir, 'many');
    await mkdir(many);
    const files: Array<{ absPath: string; size: number; expected: string }> = [];
    for (let i = 0; i < 3000; i++) {
      const content = `{"row":${i},"pad":"${'x'.repeat(i % 97)}"}\n`;
      const absPath = join(many, `f${String(i).padStart(5, '0')}.json`);
      files.push({
        absPath,
        size: Buffer.byteLength(content),
        expected: createHash('sha256').update(content).digest('hex'),
      });
    }
    for (let i = 0; i < files.length; i += 200) {
      await Promise.all(
        files
          .slice(i, i + 200)
          .map((f, k) => writeFile(f.absPath, `{"row":${i + k},"pad":"${'x'.repeat((i + k) % 97)}"}\n`)),
      );
    }
    // Reverse the order so "input order" cannot be confused with directory order.
    const input = [...files].reverse();
    const events: Progress[] = [];
    const results = await hashFiles(input, { concurrency: 8, onProgress: (p) => events.push(p) });
    expect(results).toHaveLength(3000);
    results.forEach((r, i) => {
      expect(r.absPath).toBe(input[i].absPath);
      expect(r.sha256).toBe(input[i].expected);
    });
    const total = files.reduce((n, f) => n + f.size, 0);
    const last = events[events.length - 1];
    expect(last).toMatchObject({ phase: 'hash', unit: 'bytes', done: total, total });
    expect(events.length).toBeLessThan(100); // coalesced, not one event per file
  });

  it('stops starting files once cancelled', async () => {
    const a = join(dir, 'c1.txt');
    await writeFile(a, 'x');
    const err = await hashFiles([{ absPath: a }, { absPath: a }], { cancel: { cancelled: true } }).catch(
      (e: unknown) => e,
    );
    expect(isTokenOpsError(err) && err.code).toBe('cancelled');
  });

  it('fails with the file named when one input is missing', async () => {
    const ok = join(dir, 'ok.txt');
    await writeFile(ok, 'ok');
    const err = await hashFiles([{ absPath: ok }, { absPath: join(dir, 'gone.txt') }]).catch((e: unknown) => e);
    expect(isTokenOpsError(err) && err.code).toBe('not_found');
    expect((err as Error).message).toContain('gone.txt');
  });
});

describe('walkFiles', () => {
  it('expands nested folders into sorted relative names and reports what it skips', async () => {
    const root = join(dir, 'evidence');
    await mkdir(join(root, 'b', 'deep'), { recursive: true });
    await mkdir(join(root, 'a'), { recursive: true });
    await mkdir(join(root, '.git'), { recursive: true });
    await writeFile(join(root, 'b', 'deep', 'receipt.json'), '{}');
    await writeFile(join(root, 'a', 'usage.csv'), 'a,b\n1,2\n');
    await writeFile(join(root, 'z.txt'), 'z');
    await writeFile(join(root, 'empty.json'), '');
    await writeFile(join(root, '.env'), 'A=1\n');
    await writeFile(join(root, '.DS_Store'), 'junk');
    await writeFile(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(outside, 'secret.txt'), 'outside');
    await symlink(join(outside, 'secret.txt'), join(root, 'b', 'escape.txt'));
    await symlink(join(root, 'z.txt'), join(root, 'a', 'alias.txt'));
    await symlink(join(root, 'missing.txt'), join(root, 'broken.txt'));
    const single = join(dir, 'single.md');
    await writeFile(single, '# notes\n');

    const { files, skipped } = await walkFiles([root, single]);
    expect(files.map((f) => f.relPath)).toEqual([
      '.env',
      'a/usage.csv',
      'b/deep/receipt.json',
      'empty.json',
      'single.md',
      'z.txt',
    ]);
    expect(files.find((f) => f.relPath === 'empty.json')).toMatchObject({ size: 0, empty: true });
    expect(files.find((f) => f.relPath === 'a/usage.csv')).toMatchObject({
      size: 8,
      empty: false,
      absPath: join(root, 'a', 'usage.csv'),
    });

    const reason = (name: string) => skipped.find((s) => s.path === join(root, ...name.split('/')))?.reason ?? '';
    expect(reason('b/escape.txt')).toMatch(/outside the folder/);
    expect(reason('a/alias.txt')).toMatch(/inside the same folder/);
    expect(reason('broken.txt')).toMatch(/broken symbolic link/);
    expect(reason('.DS_Store')).toMatch(/operating-system/);
    expect(reason('.git')).toMatch(/version-control/);
    expect(skipped).toHaveLength(5);
  });

  it('reports a name clash between two inputs instead of dropping one silently', async () => {
    const a = join(dir, 'clash-a');
    const b = join(dir, 'clash-b');
    await mkdir(a);
    await mkdir(b);
    await writeFile(join(a, 'same.json'), '1');
    await writeFile(join(b, 'same.json'), '2');
    const { files, skipped } = await walkFiles([a, b]);
    expect(files.map((f) => f.absPath)).toEqual([join(a, 'same.json')]);
    expect(skipped).toEqual([{ path: join(b, 'same.json'), reason: expect.stringMatching(/same name "same.json"/) }]);
  });

  it('names a file or folder whose name is not UTF-8, and how to fix it', async () => {
    const root = join(dir, 'latin1');
    await mkdir(root);
    // "März" in Latin-1: Node reads the name back as UTF-8, with U+FFFD for the 0xE4 byte.
    const name = (s: string) => Buffer.concat([Buffer.from(`${root}/`), Buffer.from(s, 'latin1')]);
    await writeFile(name('Rechnung-März.json'), '{"n":1}');
    await mkdir(name('Belege-März'));
    await writeFile(join(root, 'ok.json'), '{"n":2}');
    const { files, skipped } = await walkFiles([root]);
    expect(files.map((f) => f.relPath)).toEqual(['ok.json']);
    expect(skipped.map((s) => s.path).sort()).toEqual([
      join(root, 'Belege-M\uFFFDrz'),
      join(root, 'Rechnung-M\uFFFDrz.json'),
    ]);
    for (const s of skipped)
      expect(s.reason).toMatch(/^its name is not valid UTF-8 .*rename it \(convmv -f latin1 -t utf8/);
  });

  it('throws not_found for a path that does not exist', async () => {
    const err = await walkFiles([join(dir, 'no-such-folder')]).catch((e: unknown) => e);
    expect(isTokenOpsError(err) && err.code).toBe('not_found');
  });
});

describe('mediaTypeOf', () => {
  it('maps known extensions case-insensitively and defaults to octet-stream', () => {
    expect(mediaTypeOf('usage.JSON')).toBe('application/json');
    expect(mediaTypeOf('a/b/export.csv')).toBe('text/csv');
    expect(mediaTypeOf('scan.jpeg')).toBe('image/jpeg');
    expect(mediaTypeOf('config.yml')).toBe('application/yaml');
    expect(mediaTypeOf('.env')).toBe('application/octet-stream');
    expect(mediaTypeOf('archive.tar.gz')).toBe('application/octet-stream');
    expect(mediaTypeOf('README')).toBe('application/octet-stream');
  });
});
