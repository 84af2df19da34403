/**
 * `callback send` never sleeps on a receiver's say-so: a 503 with `Retry-After: 3600` leaves the message
 * pending with its next attempt time, and the command returns within its budget instead of an hour later.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, runCli, SAMPLE_EVIDENCE, startCli, tempDir } from './helpers';

beforeAll(assertCliBuilt);
afterAll(cleanupTemps);

describe('callback send', () => {
  it(
    'returns pending with the next attempt time when the receiver asks for an hour',
    { timeout: 120_000 },
    async () => {
      let hits = 0;
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          hits++;
          res.writeHead(503, { 'Retry-After': '3600' }).end('busy');
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const home = await tempDir();
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
        const secret = `whsec_${randomBytes(32).toString('base64')}`;
        const out = path.join(await tempDir(), 'b.zip');
        const { child, done } = startCli(
          [
            'pack',
            SAMPLE_EVIDENCE,
            '--out',
            out,
            '--callback-url',
            url,
            '--callback-secret',
            secret,
            '--allow-private',
            '--json',
          ],
          { home },
        );
        const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
        const r = await done;
        clearTimeout(killer);
        expect(r.signal, 'callback send slept on Retry-After').toBeNull();
        expect(r.code).toBe(0); // packaged; the callback is pending, not failed
        expect(r.json.callback.state).toBe('pending');
        expect(hits).toBe(1);
        const next = Date.parse(r.json.callback.next_attempt_at);
        expect(next - Date.now()).toBeGreaterThan(50 * 60 * 1000);
        // The data folder is free again at once: another command runs.
        expect((await runCli(['run', 'list'], { home })).code).toBe(0);
      } finally {
        server.close();
      }
    },
  );
});
