/**
 * The CLI's callback commands at the trust boundary: a private address needs --allow-private, a generated
 * secret is shown once, `callback send` waits for a receiver's Retry-After without the writer lock, and
 * `callback retry` requeues a failed message.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, runCli, SAMPLE_EVIDENCE, startCli, tempDir } from './helpers';

beforeAll(assertCliBuilt);
afterAll(cleanupTemps);

/** A receiver on 127.0.0.1 answering `answers` in turn (the last one repeats). */
async function receiver(answers: Array<{ status: number; headers?: Record<string, string> }>) {
  let hits = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const a = answers[Math.min(hits, answers.length - 1)]!;
      hits++;
      res.writeHead(a.status, a.headers ?? {}).end(String(a.status));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits: () => hits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** A packaged run (sample evidence), without a callback yet. */
async function packagedRun(home: string): Promise<string> {
  const r = await runCli(['pack', SAMPLE_EVIDENCE, '--out', path.join(await tempDir(), 'b.zip'), '--json'], { home });
  expect(r.code, r.stderr).toBe(0);
  return r.json.run_id as string;
}

describe('callback set', () => {
  it('refuses a loopback URL without --allow-private, and shows a generated secret once', async () => {
    const home = await tempDir();
    const run = (await runCli(['run', 'create', '--title', 'cb', '--json'], { home })).json.run.run_id as string;

    const refused = await runCli(['callback', 'set', run, '--url', 'http://127.0.0.1:9/hook', '--json'], { home });
    expect(refused.code).toBe(2);
    expect(refused.json.error.code).toBe('private_destination');
    expect(refused.stderr).toMatch(
      /127\.0\.0\.1:9 is a loopback address, not a receiver on the internet.*--allow-private/,
    );
    const shown = await runCli(['run', 'show', run, '--json'], { home });
    expect(shown.json.run.callback, 'nothing was set').toBeUndefined();

    const set = await runCli(
      ['callback', 'set', run, '--url', 'http://127.0.0.1:9/hook', '--allow-private', '--json'],
      {
        home,
      },
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.json.generated_secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const text = await runCli(['callback', 'set', run, '--url', 'https://agent.example.com/hook'], { home });
    expect(text.stdout).toMatch(/signing secret \(shown once; give it to the receiver\): whsec_/);
    // Once only: listings and the run show a hint, never the secret.
    const after = await runCli(['run', 'show', run, '--json'], { home });
    expect(after.stdout).not.toContain(set.json.generated_secret.slice(6));
    const given = await runCli(
      ['callback', 'set', run, '--url', 'https://agent.example.com/h', '--secret', secret(), '--json'],
      {
        home,
      },
    );
    expect(given.json.generated_secret, 'a secret the operator gave is not echoed').toBeUndefined();
  });

  it('pack refuses a private callback before making a run, and a callback URL without its secret', async () => {
    const home = await tempDir();
    const out = path.join(await tempDir(), 'b.zip');
    const r = await runCli(
      [
        'pack',
        SAMPLE_EVIDENCE,
        '--out',
        out,
        '--callback-url',
        'http://10.0.0.7/h',
        '--callback-secret',
        secret(),
        '--json',
      ],
      {
        home,
      },
    );
    expect(r.code).toBe(2);
    expect(r.json.error.message).toMatch(/10\.0\.0\.7 is a private-network address/);
    const noSecret = await runCli(
      ['pack', SAMPLE_EVIDENCE, '--out', out, '--callback-url', 'https://agent.example.com/h'],
      {
        home,
      },
    );
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/--callback-url needs --callback-secret/);
    expect((await runCli(['run', 'list', '--json'], { home })).json.total, 'no run was created').toBe(0);
  });
});

describe('callback send', () => {
  it(
    'waits out a short Retry-After without the writer lock: another command runs meanwhile',
    { timeout: 90_000 },
    async () => {
      // 20 s: longer than the 15 s another writer waits for the lock, inside the 30 s send budget.
      const rx = await receiver([{ status: 503, headers: { 'Retry-After': '20' } }, { status: 200 }]);
      try {
        const home = await tempDir();
        const run = await packagedRun(home);
        expect(
          (await runCli(['callback', 'set', run, '--url', rx.url, '--secret', secret(), '--allow-private'], { home }))
            .code,
        ).toBe(0);
        const send = startCli(['callback', 'send', run, '--json'], { home });
        while (rx.hits() === 0) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 500));
        const meanwhile = await runCli(['run', 'create', '--title', 'while the callback waits', '--json'], { home });
        expect(meanwhile.code, meanwhile.stderr).toBe(0);
        expect(rx.hits(), 'the other command ran while send was still waiting').toBe(1);
        const sent = await send.done;
        expect(sent.code, sent.stderr).toBe(0);
        expect(sent.json.state).toBe('delivered');
        expect(sent.json.attempts.map((a: { status: number }) => a.status)).toEqual([503, 200]);
        expect((await runCli(['run', 'show', run, '--json'], { home })).json.run.state).toBe('delivered');
      } finally {
        await rx.close();
      }
    },
  );
});

describe('callback retry', () => {
  it(
    'requeues a failed callback with the same webhook-id and delivers it once the receiver is fixed',
    { timeout: 60_000 },
    async () => {
      const rx = await receiver([{ status: 500 }, { status: 500 }, { status: 200 }]);
      try {
        const home = await tempDir();
        const run = await packagedRun(home);
        await runCli(['callback', 'set', run, '--url', rx.url, '--secret', secret(), '--allow-private'], { home });
        const failed = await runCli(
          ['callback', 'send', run, '--max-attempts', '2', '--retry-base-ms', '10', '--json'],
          {
            home,
          },
        );
        expect(failed.code).toBe(1);
        expect(failed.json.state).toBe('failed');
        const hint = await runCli(['callback', 'send', run, '--max-attempts', '2', '--retry-base-ms', '10'], { home });
        expect(hint.stdout).toContain(`fix the receiver, then: tokenops callback retry ${failed.json.message_id}`);

        const retried = await runCli(['callback', 'retry', failed.json.message_id, '--json'], { home });
        expect(retried.code, retried.stderr).toBe(0);
        expect(retried.json.message_id).toBe(failed.json.message_id);
        expect(retried.json.state).toBe('delivered');
        expect(retried.json.attempts.map((a: { status: number }) => a.status)).toEqual([500, 500, 200]);
        expect((await runCli(['run', 'show', run, '--json'], { home })).json.run.state).toBe('delivered');

        const again = await runCli(['callback', 'retry', failed.json.message_id, '--json'], { home });
        expect(again.code).toBe(2);
        expect(again.json.error.message).toMatch(/is delivered; only a failed callback can be retried/);
      } finally {
        await rx.close();
      }
    },
  );
});
