import { open } from 'node:fs/promises';

/** Read `[start, end)` of a file. */
export async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    let done = 0;
    while (done < buf.length) {
      const { bytesRead } = await fh.read(buf, done, buf.length - done, start + done);
      if (bytesRead === 0) return buf.subarray(0, done); // file shrank under us; caller re-checks
      done += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}
