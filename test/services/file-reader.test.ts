/**
 * The verifier's zip reader serves small reads from two 1 MiB read-ahead windows and reuses a dropped
 * window's buffer for the next one. Every read must still give the file's bytes at that place, whatever
 * the order: a reused buffer serving stale bytes would let the verifier hash something other than the entry.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileReader } from '../../electron/services/bundle/file-reader';

const MiB = 1024 * 1024;
let dir: string;
let file: string;
let bytes: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenops-file-reader-'));
  file = join(dir, 'data.bin');
  bytes = randomBytes(7 * MiB + 12_345);
  await writeFile(file, bytes);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function readVia(reader: FileReader, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  return new Promise((resolve, reject) =>
    reader.read(buf, 0, length, position, ((err: Error | null, n: number) =>
      err ? reject(err) : resolve(buf.subarray(0, n))) as (err: Error | null) => void),
  );
}

describe('FileReader', () => {
  it('gives the file’s bytes for every read while windows are dropped and their buffers reused', async () => {
    const fd = openSync(file, 'r');
    try {
      const reader = new FileReader(fd, bytes.length);
      // Like a verify: entries' headers and data walk forward through the file while the central
      // directory near the end is read between them, so windows are replaced over and over.
      const directory = bytes.length - 300_000;
      let checked = 0;
      for (let at = 0, i = 0; at + 60_000 < directory; at += 37_000 + (i % 5) * 9_000, i++) {
        const header = await readVia(reader, directory + ((i * 46) % 290_000), 46);
        expect(
          header.equals(bytes.subarray(directory + ((i * 46) % 290_000), directory + ((i * 46) % 290_000) + 46)),
        ).toBe(true);
        const local = await readVia(reader, at, 30);
        expect(local.equals(bytes.subarray(at, at + 30))).toBe(true);
        const data = await reader.readRange(at + 30, 50_000);
        expect(data.equals(bytes.subarray(at + 30, at + 30 + 50_000))).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThan(100);
      // A read at the very end, shorter than a window.
      const tail = await reader.readRange(bytes.length - 10, 10);
      expect(tail.equals(bytes.subarray(bytes.length - 10))).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  it('hands a stream a copy, so a later window cannot change what it yields', async () => {
    const fd = openSync(file, 'r');
    try {
      const reader = new FileReader(fd, bytes.length);
      await readVia(reader, 1000, 10); // window at 1000
      const stream = reader._readStreamForRange(2000, 2000 + 40_000);
      for (let k = 1; k <= 4; k++) await readVia(reader, k * 2 * MiB, 10); // drops and reuses windows
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(bytes.subarray(2000, 42_000))).toBe(true);
    } finally {
      closeSync(fd);
    }
  });
});
