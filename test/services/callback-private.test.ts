/**
 * Callbacks reach only the receivers the operator meant: a loopback or private-network destination needs
 * an explicit allow (CLI --allow-private, a confirmation in the app), a public name that resolves to such
 * an address is refused at connect time, and a failed callback can be requeued by a person.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { privateAddressKind } from '../../electron/services/callbacks/private-address';
import { publicOnlyLookup } from '../../electron/services/callbacks/http-post';
import { Outbox } from '../../electron/services/callbacks/outbox';
import { isTokenOpsError } from '../../shared/errors';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function tempHome(): Promise<string> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-private-'));
  cleanups.push(() => fs.rm(home, { recursive: true, force: true }));
  return home;
}

/** A receiver on 127.0.0.1 answering `statuses` in turn (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = statuses[Math.min(hits, statuses.length - 1)]!;
      hits++;
      res.writeHead(status).end(String(status));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits: () => hits };
}

async function codeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (isTokenOpsError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('privateAddressKind', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.10.0.5', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['[::1]', 'a loopback address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['localhost', 'a loopback address'],
    ['api.localhost', 'a loopback address'],
    ['10.1.2.3', 'a private-network address'],
    ['172.20.0.1', 'a private-network address'],
    ['192.168.1.1', 'a private-network address'],
    ['100.64.0.9', 'a carrier-grade NAT address'],
    ['169.254.169.254', 'a link-local address (cloud metadata services live here)'],
    ['fd12:3456::1', 'a private-network address'],
    ['fe80::1', 'a link-local address'],
    ['0.0.0.0', 'an unspecified address'],
  ])('%s is %s', (host, kind) => {
    expect(privateAddressKind(host)).toBe(kind);
  });

  it.each(['93.184.216.34', '172.32.0.1', '2606:4700::1111', 'agent.example.com', '8.8.8.8'])(
    '%s is public',
    (host) => {
      expect(privateAddressKind(host)).toBeNull();
    },
  );
});

describe('a private callback destination', () => {
  it('is refused unless allowed, whatever the spelling of the address', async () => {
    const box = new Outbox({ home: await tempHome() });
    // WHATWG URL parsing turns 2130706433 and 0x7f.1 into 127.0.0.1 before the check sees them.
    for (const url of [
      'http://127.0.0.1:9/h',
      'http://2130706433/h',
      'http://0x7f.1/h',
      'http://[::1]/h',
      'http://localhost/h',
    ]) {
      expect(await codeOf(() => box.destinations.put({ url })), url).toMatch(
        /^private_destination: .* is a loopback address, not a receiver on the internet\. .*--allow-private/,
      );
    }
    expect(await box.destinations.list()).toEqual([]);
    const allowed = await box.destinations.put({ url: 'http://127.0.0.1:9/h', allowPrivate: true });
    expect(allowed.destination.allow_private).toBe(true);
    expect(allowed.generated).toBe(true);
    expect(allowed.secret).toMatch(/^whsec_/);
    const pub = await box.destinations.put({ url: 'https://agent.example.com/h', allowPrivate: true });
    expect(pub.destination.allow_private, 'a public URL is not marked private').toBeUndefined();
  });

  it('stored before the check existed is refused at delivery, permanently, and nothing is sent', async () => {
    const home = await tempHome();
    const box = new Outbox({ home, retry: { baseMs: 1, capMs: 5, maxAttempts: 5 } });
    const rx = await receiver([200]);
    const { destination } = await box.destinations.put({ url: rx.url, allowPrivate: true });
    // An older destinations file: same destination, no allow_private mark.
    const file = path.join(home, 'callbacks', 'destinations.json');
    const data = JSON.parse(await fs.readFile(file, 'utf8'));
    delete data.destinations[0].allow_private;
    await fs.writeFile(file, JSON.stringify(data));
    const m = await box.enqueue({ runId: 'run_1', destination, eventType: 'tokenops.test', payload: { a: 1 } });
    const settled = await box.deliverUntilSettled(m.message_id);
    expect(settled.state).toBe('failed');
    expect(settled.attempts).toHaveLength(1);
    expect(settled.state_reason).toMatch(/refused: 127\.0\.0\.1:\d+ is a loopback address; .*--allow-private/);
    expect(rx.hits()).toBe(0);
  });

  it('a name that resolves to a loopback address is refused by the lookup', async () => {
    // Real resolution (localhost comes from the hosts file, no network needed).
    const all = await new Promise<NodeJS.ErrnoException | null>((r) =>
      publicOnlyLookup('localhost', { all: true }, (err) => r(err)),
    );
    expect(all?.code).toBe('EPRIVATE');
    expect(all?.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    const single = await new Promise<NodeJS.ErrnoException | null>((r) =>
      publicOnlyLookup('localhost', {}, (err) => r(err)),
    );
    expect(single?.code).toBe('EPRIVATE');
  });
});

describe('callback retry (requeue)', () => {
  it('puts a failed message back, due now, with its webhook-id and history; the policy counts afresh', async () => {
    const home = await tempHome();
    const box = new Outbox({ home, retry: { baseMs: 1, capMs: 2, maxAttempts: 2 } });
    const rx = await receiver([500, 500, 200]);
    const { destination } = await box.destinations.put({ url: rx.url, allowPrivate: true });
    const m = await box.enqueue({ runId: 'run_1', destination, eventType: 'tokenops.test', payload: { a: 1 } });
    const failed = await box.deliverUntilSettled(m.message_id);
    expect(failed.state).toBe('failed');
    expect(failed.attempts.map((a) => a.status)).toEqual([500, 500]);

    const queued = await box.requeue(m.message_id);
    expect(queued.state).toBe('pending');
    expect(Date.parse(queued.next_attempt_at)).toBeLessThanOrEqual(Date.now());
    expect(queued.requeued).toEqual([{ at: queued.next_attempt_at, after_attempts: 2, reason: failed.state_reason }]);
    const delivered = await box.deliverUntilSettled(m.message_id);
    expect(delivered.state).toBe('delivered');
    expect(delivered.message_id).toBe(m.message_id);
    expect(delivered.attempts.map((a) => a.status)).toEqual([500, 500, 200]);

    expect(await codeOf(() => box.requeue(m.message_id))).toMatch(/^conflict: .* is delivered; only a failed callback/);
  });
});
