import { afterEach, describe, expect, it } from 'vitest';
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  generateWebhookSecret,
  parseSecret,
  signWebhook,
  verifyWebhook,
} from '../../electron/services/callbacks/standard-webhooks';
import { Outbox, type OutboxOptions } from '../../electron/services/callbacks/outbox';
import { backoffDelayMs, nextDelayMs, retryAfterMs } from '../../electron/services/callbacks/backoff';
import { isTokenOpsError } from '../../shared/errors';

// ---------- helpers: real receivers on 127.0.0.1, real temp homes ----------

interface Received {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: http.Server[] = [];
const homes: string[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(() => r(undefined)));
  }
  for (const home of homes.splice(0)) await fs.rm(home, { recursive: true, force: true });
});

/** A receiver that records every request and answers with `respond(n)` (n counts from 1). */
async function receiver(
  respond: (res: ServerResponse, n: number) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      respond(res, received.length);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

function answer(status: number, headers: Record<string, string> = {}) {
  return (res: ServerResponse) => {
    res.writeHead(status, headers);
    res.end(status >= 400 ? `status ${status}` : 'ok');
  };
}

async function tempHome(): Promise<string> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-callbacks-'));
  homes.push(home);
  return home;
}

/** Tiny backoff so retries stay fast. */
function outbox(home: string, options: Partial<OutboxOptions> = {}): Outbox {
  return new Outbox({ home, retry: { baseMs: 1, capMs: 5, maxAttempts: 8 }, timeoutMs: 5_000, ...options });
}

const payload = {
  event_type: 'tokenops.result_package.ready',
  run_id: 'run_1',
  evidence_score: 87,
  next_actions: ['download the bundle'],
};

async function setup(url: string, options: Partial<OutboxOptions> = {}) {
  const home = await tempHome();
  const box = outbox(home, options);
  const { destination, secret } = await box.destinations.put({ url, allowPrivate: true });
  const message = await box.enqueue({
    runId: 'run_1',
    destination,
    eventType: 'tokenops.result_package.ready',
    payload,
  });
  return { home, box, destination, secret, message };
}

async function errorOf(fn: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await fn();
  } catch (err) {
    if (isTokenOpsError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a TokenOpsError');
}

// ---------- Standard Webhooks signing ----------

describe('standard webhooks signature', () => {
  // The vector from the reference library's tests (standard-webhooks, libraries/javascript/src/webhook.test.ts);
  // the spec itself shows headers but not the secret behind them.
  const vector = {
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  };

  it('matches the reference test vector', () => {
    const headers = signWebhook(vector);
    expect(headers).toEqual({
      'webhook-id': vector.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': vector.signature,
    });
    // Computed independently, straight from the spec's recipe.
    const key = Buffer.from(vector.secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`${vector.id}.${vector.timestamp}.${vector.body}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(verifyWebhook(headers, vector.body, vector.secret, { now: vector.timestamp * 1000 })).toEqual({
      id: vector.id,
      timestamp: vector.timestamp,
    });
  });

  it('round-trips with a generated secret, string or raw bytes, any header case', () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ a: 'é', b: [1, 2] });
    const ts = Math.floor(Date.now() / 1000);
    const headers = signWebhook({ id: 'msg_01', timestamp: ts, body, secret });
    expect(verifyWebhook(headers, body, secret).id).toBe('msg_01');
    expect(verifyWebhook(headers, Buffer.from(body, 'utf8'), secret).timestamp).toBe(ts);
    const upper = {
      'Webhook-Id': headers['webhook-id'],
      'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'],
      'Webhook-Signature': headers['webhook-signature'],
    };
    expect(verifyWebhook(upper, body, secret).id).toBe('msg_01');
    expect(verifyWebhook(new Headers(headers), body, secret).id).toBe('msg_01');
  });

  it('accepts any one valid signature among several (secret rotation)', () => {
    const secret = generateWebhookSecret();
    const old = generateWebhookSecret();
    const ts = Math.floor(Date.now() / 1000);
    const valid = signWebhook({ id: 'msg_2', timestamp: ts, body: '{}', secret })['webhook-signature'];
    const stale = signWebhook({ id: 'msg_2', timestamp: ts, body: '{}', secret: old })['webhook-signature'];
    const header = [
      stale,
      'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==',
      'v2,abc',
      valid,
    ].join(' ');
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(ts), 'webhook-signature': header };
    expect(verifyWebhook(headers, '{}', secret).id).toBe('msg_2');
    expect(verifyWebhook(headers, '{}', old).id).toBe('msg_2');
  });

  it('rejects a tampered body, a wrong secret, stale or future timestamps and missing headers', async () => {
    const secret = generateWebhookSecret();
    const ts = Math.floor(Date.now() / 1000);
    const body = '{"credits":10}';
    const headers = signWebhook({ id: 'msg_3', timestamp: ts, body, secret });

    const tampered = await errorOf(() => verifyWebhook(headers, '{"credits":1000}', secret));
    expect(tampered).toMatchObject({ code: 'check_failed' });
    expect(tampered.message).toMatch(/no v1 signature matches/);
    expect((await errorOf(() => verifyWebhook(headers, body, generateWebhookSecret()))).code).toBe('check_failed');
    // The id and timestamp are signed too.
    expect((await errorOf(() => verifyWebhook({ ...headers, 'webhook-id': 'msg_4' }, body, secret))).code).toBe(
      'check_failed',
    );

    const staleTs = ts - 301;
    const stale = signWebhook({ id: 'msg_3', timestamp: staleTs, body, secret });
    expect((await errorOf(() => verifyWebhook(stale, body, secret, { toleranceSeconds: 300 }))).message).toMatch(
      /more than 300 s from now/,
    );
    const future = signWebhook({ id: 'msg_3', timestamp: ts + 301, body, secret });
    expect((await errorOf(() => verifyWebhook(future, body, secret, { toleranceSeconds: 300 }))).code).toBe(
      'check_failed',
    );
    // A generous tolerance accepts the same stale message.
    expect(verifyWebhook(stale, body, secret, { toleranceSeconds: 600 }).timestamp).toBe(staleTs);

    const { 'webhook-signature': _omit, ...unsigned } = headers;
    expect((await errorOf(() => verifyWebhook(unsigned, body, secret))).message).toMatch(/headers are all required/);
    expect(
      (await errorOf(() => verifyWebhook({ ...headers, 'webhook-timestamp': 'soon' }, body, secret))).message,
    ).toMatch(/not unix seconds/);
    expect(
      (
        await errorOf(() =>
          verifyWebhook({ ...headers, 'webhook-signature': headers['webhook-signature'].slice(0, 10) }, body, secret),
        )
      ).code,
    ).toBe('check_failed');
  });

  it('generates and parses secrets, refusing malformed ones with a clear reason', async () => {
    for (const bytes of [24, 32, 64]) {
      const secret = generateWebhookSecret(bytes);
      expect(secret.startsWith('whsec_')).toBe(true);
      expect(parseSecret(secret)).toHaveLength(bytes);
    }
    expect(parseSecret(generateWebhookSecret())).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(generateWebhookSecret());

    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', /must start with "whsec_"/],
      ['whsec_not base64!!', /not valid padded base64/],
      ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS', /not valid padded base64/],
      [`whsec_${Buffer.alloc(16, 1).toString('base64')}`, /decodes to 16 bytes/],
      [`whsec_${Buffer.alloc(65, 1).toString('base64')}`, /decodes to 65 bytes/],
    ];
    for (const [secret, reason] of cases) {
      const err = await errorOf(() => parseSecret(secret));
      expect(err.code).toBe('input_invalid');
      expect(err.message).toMatch(reason);
    }
    expect((await errorOf(() => generateWebhookSecret(8))).code).toBe('input_invalid');
    expect(
      (await errorOf(() => signWebhook({ id: 'msg.1', timestamp: 1, body: '', secret: generateWebhookSecret() })))
        .message,
    ).toMatch(/without '\.'/);
  });
});

// ---------- backoff ----------

describe('backoff', () => {
  const policy = { baseMs: 5_000, capMs: 3_600_000, maxAttempts: 8 };

  it('uses full jitter under an exponential ceiling, capped', () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(1, policy, () => 0.999999)).toBe(4_999);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(10_000); // ceiling 20 s
    expect(backoffDelayMs(30, policy, () => 0.999999)).toBe(3_599_996); // capped at 1 h
    for (let n = 1; n <= 12; n++) {
      const d = backoffDelayMs(n, policy);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(Math.min(policy.capMs, policy.baseMs * 2 ** (n - 1)));
    }
  });

  it('reads Retry-After as seconds or an HTTP-date, ignores nonsense, and caps it', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('1', now)).toBe(1_000);
    expect(retryAfterMs(' 120 ', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(nextDelayMs(1, '86400', now, policy)).toBe(3_600_000);
    expect(nextDelayMs(1, undefined, now, policy, () => 0.5)).toBe(2_500);
  });
});

// ---------- outbox and delivery ----------

describe('callback outbox delivery', () => {
  it('retries 500, 500 then 200 with the same webhook-id and a fresh valid signature each time', async () => {
    // What is on disk when each request arrives: the previous attempts must already be stored.
    let messageFile = '';
    const storedAttempts: number[] = [];
    const rx = await receiver((res, n) => {
      storedAttempts.push(JSON.parse(readFileSync(messageFile, 'utf8')).attempts.length);
      answer(n <= 2 ? 500 : 200)(res);
    });
    const { home, box, secret, message } = await setup(rx.url);
    messageFile = path.join(home, 'outbox', `${message.message_id}.json`);

    const settled = await box.deliverUntilSettled(message.message_id, { maxAttempts: 5 });

    expect(settled.state).toBe('delivered');
    expect(settled.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(settled.attempts[0].error).toMatch(/HTTP 500/);
    expect(settled.attempts[2].error).toBeUndefined();
    expect(rx.received).toHaveLength(3);
    for (const req of rx.received) {
      expect(req.method).toBe('POST');
      expect(req.headers['webhook-id']).toBe(message.message_id);
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['user-agent']).toMatch(/TokenOps/);
      expect(req.body).toBe(message.body); // identical bytes on every retry
      const verified = verifyWebhook(req.headers, req.body, secret);
      expect(verified.timestamp).toBe(Number(req.headers['webhook-timestamp']));
      // Each signature belongs to its own timestamp: moving it to another timestamp breaks it.
      expect(() =>
        verifyWebhook({ ...req.headers, 'webhook-timestamp': String(verified.timestamp - 1) }, req.body, secret),
      ).toThrow(/no v1 signature matches/);
    }
    expect(JSON.parse(rx.received[0].body)).toEqual(payload);
    expect(storedAttempts).toEqual([0, 1, 2]);
    // Persisted exactly as returned.
    expect(await box.get(message.message_id)).toEqual(settled);
  });

  it('410 Gone disables the destination and stops every message to it', async () => {
    const rx = await receiver(answer(410));
    const { box, destination, message } = await setup(rx.url);
    const waiting = await box.enqueue({
      runId: 'run_2',
      destination,
      eventType: 'tokenops.run.exception',
      payload: { run_id: 'run_2' },
    });

    const settled = await box.deliverUntilSettled(message.message_id, { maxAttempts: 5 });
    expect(settled.state).toBe('disabled');
    expect(settled.attempts).toHaveLength(1);
    expect(settled.attempts[0].status).toBe(410);

    const dest = await box.destinations.get(destination.destination_id);
    expect(dest.disabled?.reason).toMatch(/410 Gone/);
    expect((await box.get(waiting.message_id)).state).toBe('disabled');

    // Later messages are recorded but never sent.
    const later = await box.enqueue({
      runId: 'run_3',
      destination,
      eventType: 'tokenops.run.exception',
      payload: { run_id: 'run_3' },
    });
    expect(later.state).toBe('disabled');
    expect(later.state_reason).toMatch(/disabled since/);
    expect(await box.deliverDue({ now: Date.now() + 86_400_000 })).toEqual([]);
    expect((await box.deliverUntilSettled(later.message_id)).attempts).toEqual([]);
    expect(rx.received).toHaveLength(1);

    // Re-enabling is an explicit operator action.
    await box.destinations.enable(destination.destination_id);
    expect((await box.destinations.get(destination.destination_id)).disabled).toBeUndefined();
  });

  it('429 with Retry-After: 1 schedules the next attempt one second later', async () => {
    const rx = await receiver(answer(429, { 'retry-after': '1' }));
    const fixed = Date.parse('2025-06-01T12:00:00.000Z');
    const { box, message } = await setup(rx.url, {
      clock: () => fixed,
      retry: { baseMs: 1, capMs: 60_000, maxAttempts: 8 },
    });

    const [after] = await box.deliverDue({ now: fixed });
    expect(after.state).toBe('pending');
    expect(after.attempts).toEqual([expect.objectContaining({ at: '2025-06-01T12:00:00.000Z', status: 429 })]);
    expect(after.next_attempt_at).toBe('2025-06-01T12:00:01.000Z');
    expect((await box.get(message.message_id)).next_attempt_at).toBe('2025-06-01T12:00:01.000Z');

    // Not due before then; due from then on.
    expect(await box.deliverDue({ now: fixed + 999 })).toEqual([]);
    expect(await box.deliverDue({ now: fixed + 1_000 })).toHaveLength(1);
    expect(rx.received).toHaveLength(2);
    expect(rx.received[1].headers['webhook-id']).toBe(message.message_id);
  });

  it('does not follow a 302: the redirect target receives nothing', async () => {
    const target = await receiver(answer(200));
    const rx = await receiver(answer(302, { location: target.url }));
    const { box, message } = await setup(rx.url);

    const settled = await box.deliverUntilSettled(message.message_id, { maxAttempts: 5 });
    expect(settled.state).toBe('failed');
    expect(settled.attempts).toHaveLength(1);
    expect(settled.attempts[0].status).toBe(302);
    expect(settled.attempts[0].error).toBe(`HTTP 302: redirect to ${target.url} not followed; update the callback URL`);
    expect(settled.state_reason).toMatch(/update the callback URL/);
    expect(rx.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('records a timeout when the receiver never answers', async () => {
    const rx = await receiver(() => {
      /* never answers */
    });
    const { box, message } = await setup(rx.url, { timeoutMs: 50, retry: { baseMs: 1, capMs: 5, maxAttempts: 2 } });

    const settled = await box.deliverUntilSettled(message.message_id);
    expect(settled.state).toBe('failed');
    expect(settled.attempts).toHaveLength(2);
    for (const attempt of settled.attempts) {
      expect(attempt.status).toBeUndefined();
      expect(attempt.error).toMatch(/within 50 ms \(timed out\)/);
    }
    expect(settled.state_reason).toMatch(/gave up after 2 attempts/);
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([message.message_id, message.message_id]);
  });

  it('treats other 4xx as permanent and network errors as retryable', async () => {
    const bad = await receiver(answer(400));
    const first = await setup(bad.url);
    const refused = await first.box.deliverUntilSettled(first.message.message_id);
    expect(refused.state).toBe('failed');
    expect(refused.attempts).toHaveLength(1);
    expect(refused.state_reason).toMatch(/HTTP 400 Bad Request: status 400 \(the receiver refused/);

    // A port with nothing listening: connection refused on every attempt, then failed.
    const gone = await receiver(answer(200));
    const closedUrl = gone.url;
    const server = servers.pop()!;
    await new Promise((r) => server.close(() => r(undefined)));
    const second = await setup(closedUrl, { retry: { baseMs: 1, capMs: 5, maxAttempts: 3 } });
    const settled = await second.box.deliverUntilSettled(second.message.message_id);
    expect(settled.state).toBe('failed');
    expect(settled.attempts).toHaveLength(3);
    expect(settled.attempts[0].error).toMatch(/ECONNREFUSED/);
  });

  it('records a request Node refuses to send as a failed attempt, not a crash', async () => {
    const rx = await receiver(answer(200));
    const { box, message } = await setup(rx.url, {
      userAgent: 'bad\nagent',
      retry: { baseMs: 1, capMs: 5, maxAttempts: 1 },
    });
    const settled = await box.deliverUntilSettled(message.message_id);
    expect(settled.state).toBe('failed');
    expect(settled.attempts[0].error).toMatch(/request to 127\.0\.0\.1:\d+ failed: Invalid character/);
    expect(rx.received).toHaveLength(0);
  });

  it('stops after this call’s attempts and leaves the message pending for later', async () => {
    const rx = await receiver(answer(503));
    const { box, message } = await setup(rx.url);
    const after = await box.deliverUntilSettled(message.message_id, { maxAttempts: 2, sleep: async () => undefined });
    expect(after.state).toBe('pending');
    expect(after.attempts).toHaveLength(2);
    expect(rx.received).toHaveLength(2);
  });

  it('survives a reopen: a new instance finds the pending message and retries with the same id', async () => {
    let healthy = false;
    const rx = await receiver((res) => answer(healthy ? 204 : 500)(res));
    const { home, box, secret, message } = await setup(rx.url);

    const [first] = await box.deliverDue();
    expect(first.state).toBe('pending');
    expect(first.attempts).toHaveLength(1);

    healthy = true;
    const reopened = outbox(home);
    const pending = await reopened.list({ runId: 'run_1' });
    expect(pending.map((m) => [m.message_id, m.state, m.attempts.length])).toEqual([
      [message.message_id, 'pending', 1],
    ]);
    const [second] = await reopened.deliverDue({ now: Date.now() + 60_000 });
    expect(second.state).toBe('delivered');
    expect(second.attempts.map((a) => a.status)).toEqual([500, 204]);
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([message.message_id, message.message_id]);
    expect(rx.received[1].body).toBe(rx.received[0].body);
    verifyWebhook(rx.received[1].headers, rx.received[1].body, secret);
    // Nothing left behind but the message files.
    expect(await fs.readdir(path.join(home, 'outbox'))).toEqual([`${message.message_id}.json`]);
  });

  it('masks secrets in listings and keeps them only in a 0600 destinations file', async () => {
    const home = await tempHome();
    const box = outbox(home);
    const secret = generateWebhookSecret();
    const created = await box.destinations.put({ url: 'https://agent.example.com/hooks', secret });
    expect(created.secret).toBe(secret);
    const listed = await box.destinations.list();
    expect(listed).toEqual([created.destination]);
    expect(listed[0].secret_hint).toMatch(/^whsec_…\(sha256:[0-9a-f]{8}\)$/);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6));
    expect(JSON.stringify(await box.destinations.get(created.destination.destination_id))).not.toContain(
      secret.slice(6),
    );

    const message = await box.enqueue({
      runId: 'run_9',
      destination: created.destination,
      eventType: 'tokenops.result_package.ready',
      payload,
    });
    expect(JSON.stringify(await box.list())).not.toContain(secret.slice(6));
    expect(await fs.readFile(path.join(home, 'outbox', `${message.message_id}.json`), 'utf8')).not.toContain(
      secret.slice(6),
    );

    const file = path.join(home, 'callbacks', 'destinations.json');
    expect(await fs.readFile(file, 'utf8')).toContain(secret);
    if (process.platform !== 'win32') expect((await fs.stat(file)).mode & 0o777).toBe(0o600);

    // A secret the operator supplies is checked; one we generate is returned once.
    expect((await errorOf(() => box.destinations.put({ url: 'https://a.example/h', secret: 'hunter2' }))).code).toBe(
      'input_invalid',
    );
    const generated = await box.destinations.put({ url: 'https://b.example/h' });
    expect(parseSecret(generated.secret)).toHaveLength(32);
  });

  it('accepts only http(s) URLs without credentials', async () => {
    const box = outbox(await tempHome());
    for (const url of [
      'ftp://agent.example.com/hook',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
      'https://user:pw@agent.example.com/hook',
    ]) {
      const err = await errorOf(() => box.destinations.put({ url }));
      expect(err.code).toBe('input_invalid');
    }
    expect((await errorOf(() => box.destinations.put({ url: 'ftp://x.example/h' }))).message).toMatch(
      /only http: and https:/,
    );
  });

  it('enqueue is idempotent per (run, destination, event type, key) and refuses a changed payload', async () => {
    const home = await tempHome();
    const box = outbox(home);
    const { destination } = await box.destinations.put({ url: 'https://agent.example.com/hooks' });
    const input = {
      runId: 'run_1',
      destination,
      eventType: 'tokenops.result_package.ready',
      payload,
      idempotencyKey: 'bundle:abc',
    };
    const a = await box.enqueue(input);
    const b = await outbox(home).enqueue(input);
    expect(b).toEqual(a);
    expect(a.message_id).toMatch(/^msg_[0-9A-Z]{26}$/);
    const other = await box.enqueue({ ...input, idempotencyKey: 'bundle:def' });
    expect(other.message_id).not.toBe(a.message_id);
    const conflict = await errorOf(() => box.enqueue({ ...input, payload: { ...payload, evidence_score: 12 } }));
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toMatch(/new idempotency key/);
    // Without a key, each call is a new message.
    const { idempotencyKey: _k, ...keyless } = input;
    expect((await box.enqueue(keyless)).message_id).not.toBe((await box.enqueue(keyless)).message_id);
    expect(await box.list({ runId: 'run_1' })).toHaveLength(4);

    expect((await errorOf(() => box.enqueue({ ...keyless, eventType: 'bad type!' }))).code).toBe('input_invalid');
    expect((await errorOf(() => box.enqueue({ ...keyless, destination: 'dst_missing' }))).code).toBe('not_found');
    expect((await errorOf(() => box.get('../../etc/passwd'))).code).toBe('input_invalid');
  });

  it('reports a corrupt message file instead of skipping it', async () => {
    const home = await tempHome();
    const box = outbox(home);
    const { destination } = await box.destinations.put({ url: 'https://agent.example.com/hooks' });
    const message = await box.enqueue({
      runId: 'run_1',
      destination,
      eventType: 'tokenops.result_package.ready',
      payload,
    });
    await fs.writeFile(path.join(home, 'outbox', `${message.message_id}.json`), '{"message_id": "msg_');
    const err = await errorOf(() => box.list());
    expect(err.code).toBe('corrupt_store');
    expect(err.message).toContain(message.message_id);
  });
});
