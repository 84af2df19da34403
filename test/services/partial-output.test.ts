import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { PartialOutput } from '../../electron/services/bundle/partial-output';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-partial-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

const exists = (p: string) =>
  fs.access(p).then(
    () => true,
    () => false,
  );

async function written(name: string, data: Buffer): Promise<PartialOutput> {
  const out = new PartialOutput(path.join(tmp, name));
  out.start(Readable.from([data.subarray(0, 7), data.subarray(7)]));
  await out.written();
  return out;
}

describe('PartialOutput: a check of the finished file before it takes its name', () => {
  it('runs the check on the complete partial file, then renames it and reports its digest', async () => {
    const data = Buffer.from('the whole bundle, byte for byte');
    const out = await written('ok.zip', data);
    let seen: Buffer | undefined;
    const result = await out.commit(async (partial) => {
      expect(partial).toBe(out.partialPath);
      expect(await exists(out.outPath)).toBe(false); // not under its name while it is checked
      seen = await fs.readFile(partial);
    });
    expect(seen?.equals(data)).toBe(true);
    expect(result).toEqual({ sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length });
    expect((await fs.readFile(out.outPath)).equals(data)).toBe(true);
    expect(await exists(out.partialPath)).toBe(false);
  });

  it('a failed check rejects with its own error and the file never appears under its name', async () => {
    const out = await written('refused.zip', Buffer.from('a bundle its verifier refuses'));
    const err = await out.commit(async () => Promise.reject(new Error('refused by the check'))).catch((e) => e);
    expect(err.message).toBe('refused by the check');
    expect(await exists(out.outPath)).toBe(false);
    await out.abort();
    expect(await exists(out.partialPath)).toBe(false);
  });
});
