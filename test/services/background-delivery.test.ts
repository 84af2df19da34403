/**
 * The app's background delivery, through the services facade on a real data folder: a callback the
 * receiver deferred (503, Retry-After) stays pending after `callback.send`, and a later background round
 * delivers it and completes the run, with no one pressing Send again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTokenOps } from '../../electron/services/tokenops';
import { startBackgroundDelivery } from '../../electron/services/background-delivery';
import type { CallbackView } from '../../shared/ipc/contract';

const SAMPLE = join(import.meta.dirname, '../../resources/sample-evidence');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('background callback delivery', () => {
  it('delivers a deferred callback once it is due and moves the run to delivered', async () => {
    const statuses: number[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = statuses.length === 0 ? 503 : 200;
        statuses.push(status);
        res.writeHead(status, status === 503 ? { 'Retry-After': '1' } : {}).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    const t = await openTokenOps({ home: await temp('tokenops-bg-home-') });
    cleanups.push(() => t.close());
    const packed = await t.pack({ dir: SAMPLE, out: join(await temp('tokenops-bg-out-'), 'b.zip') });
    expect(packed.packaged).toBe(true);
    await t.handlers['runs.setCallback']({
      run_id: packed.run_id,
      url,
      secret: `whsec_${randomBytes(32).toString('base64')}`,
      allow_private: true,
    });
    const first = await t.handlers['callback.send']({ run_id: packed.run_id });
    expect(first.state, 'the service makes the attempt due now and never sleeps').toBe('pending');
    expect(statuses).toEqual([503]);

    // Nothing is due yet: a round now sends nothing.
    expect(await t.deliverDueCallbacks()).toEqual([]);

    const rounds: CallbackView[][] = [];
    const delivery = startBackgroundDelivery(() => t.deliverDueCallbacks(), {
      intervalMs: 100,
      onRound: (p) => rounds.push(p),
    });
    try {
      while (!rounds.some((r) => r.some((m) => m.state === 'delivered'))) await new Promise((r) => setTimeout(r, 50));
    } finally {
      delivery.stop();
    }
    expect(statuses).toEqual([503, 200]);
    const done = rounds.flat().find((m) => m.state === 'delivered')!;
    expect(done.message_id).toBe(first.message_id);
    expect((await t.handlers['runs.get']({ run_id: packed.run_id })).run.state).toBe('delivered');
  }, 30_000);

  it('runs one round at a time and keeps going after a failed round', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const errors: unknown[] = [];
    const delivery = startBackgroundDelivery(
      async () => {
        calls++;
        if (calls === 1) await new Promise<void>((r) => (release = r));
        if (calls === 2) throw new Error('disk full');
        return [];
      },
      { intervalMs: 60_000, onError: (e) => errors.push(e) },
    );
    try {
      const a = delivery.tick();
      const b = delivery.tick(); // while the first round runs: the same round, not a second one
      expect(calls).toBe(1);
      release();
      await Promise.all([a, b]);
      await delivery.tick();
      expect(errors.map((e) => (e as Error).message)).toEqual(['disk full']);
      await delivery.tick();
      expect(calls).toBe(3);
    } finally {
      delivery.stop();
    }
  });
});
