/**
 * The scan's prefilter (secret-rules/anchors.ts) may only skip texts in which no rule can report: every
 * positive of every rule we run must get through it, and the scan's findings must be the same with and
 * without it. A clean 50 KiB JSON log (the bulk of an intake) must skip the full rule set.
 */
import { runtimeLog } from '../../bench/intake.bench';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { scanBytes, scanFile, scanText } from '../../electron/services/intake/secret-scan';
import { mayHoldBase64, mayHoldSecret } from '../../electron/services/intake/secret-rules/anchors';
import { TOKENOPS_RULES } from '../../electron/services/intake/secret-rules/index';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenops-secret-prefilter-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Assembled at run time so this file does not itself read as a leak to scanners.
const alnum = (n: number, seed: string) => {
  let out = '';
  for (let i = 0; out.length < n; i++)
    out += createHash('sha512')
      .update(`${seed}${i}`)
      .digest('base64')
      .replace(/[^A-Za-z0-9]/g, '');
  return out.slice(0, n);
};
const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const pem = (type: 'rsa' | 'ec', encoding: 'pkcs1' | 'pkcs8' | 'sec1') =>
  generateKeyPairSync(
    type as 'rsa',
    {
      modulusLength: 1024,
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: encoding as 'pkcs1', format: 'pem' },
    } as never,
  ).privateKey as unknown as string;

const JWT = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"agent-7","iat":1714567890}')}.${b64url('not-a-real-signature-but-long-enough')}`;
const AWS_ID = 'AKIA' + '2E0A8F3B244C9986';
const SK_LIVE = 'sk_' + 'live_' + alnum(40, 'a');
/** 1Password service account tokens are `ops_` + base64 of a JSON object (ending `}` → `fQ`). */
const opsToken = () => {
  let json = JSON.stringify({
    email: 'svc@1passwordserviceaccounts.lcl',
    secretKey: alnum(40, 'o'),
    srpX: alnum(64, 'p'),
  });
  while (json.length % 3 !== 1) json = json.slice(0, -1) + ' }';
  return 'ops' + '_' + b64(json);
};

/** [name, file name, text]: at least one positive for every rule we run, in the forms evidence has. */
const POSITIVES: Array<[string, string, string]> = [
  ['Stripe live secret key', 'log.txt', `STRIPE_KEY_IN_LOG ${SK_LIVE}`],
  ['Stripe restricted key', 'log.txt', `key: ${'rk_' + 'live_' + alnum(40, 'b')} (read-only)`],
  ['Stripe test key in JSON', 'e.json', `{"api_key_used": "${'sk_' + 'test_' + alnum(40, 'c')}"}`],
  ['Stripe webhook secret', 'e.txt', `signing secret ${'whsec' + '_' + alnum(32, 'd')}`],
  [
    'PaymentIntent client_secret',
    'pi.json',
    `{"client_secret":"pi_3MtwBwLkdIwHu7ix28a3tqPa${'_secret_'}${alnum(25, 'e')}"}`,
  ],
  ['SetupIntent client secret', 'si.txt', `seti_1Mm8s8LkdIwHu7ix0OXBfTRG${'_secret_'}${alnum(25, 'e2')}`],
  ['Google API key', 'u.txt', `https://maps.googleapis.com/maps/api/geocode/json?key=${'AI' + 'za' + alnum(35, 'f')}`],
  ['AWS access key id', 'c.ini', `aws_access_key_id = ${AWS_ID}`],
  ['AWS STS key id', 'c.txt', `id ${'ASIA' + 'Y3FDSNCKQ2L7W4XE'}`],
  ['AWS secret access key', 'c.ini', `aws_secret_access_key = ${'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCY9q8w7e6r5t'}`],
  [
    'AWS secret, upper case, JSON',
    'c.json',
    `{"AWS_SECRET_ACCESS_KEY" : "${'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCY9q8w7e6r5t'}"}`,
  ],
  ['GitHub classic token', 'g.json', `"token": "${'ghp' + '_' + alnum(36, 'g')}",`],
  ['GitHub OAuth token', 'g.txt', `${'gho' + '_' + alnum(36, 'g2')}`],
  ['GitHub fine-grained token', 'g.txt', `pat=${'github' + '_pat_' + alnum(82, 'g3')}`],
  ['Slack bot token', 's.txt', `slack=${'xox' + 'b-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'}`],
  ['Slack app token', 's.txt', `${'xa' + 'pp-1-A0123456789-1234567890123-' + alnum(30, 's').toLowerCase()}`],
  [
    'Slack incoming webhook',
    's.txt',
    `POST ${'https://HOOKS.slack.com/services/' + 'T0ABCDEF1/B0ABCDEF2/' + alnum(24, 'w')}`,
  ],
  ['npm access token', 'n.txt', `NPM ${'npm' + '_' + alnum(36, 'n')}`],
  ['.npmrc auth token', 'project.npmrc', `//registry.npmjs.org/:${'_auth' + 'Token='}${alnum(36, 'n2')}\n`],
  ['SendGrid key', 'm.txt', `${'SG' + '.' + alnum(22, 'sg') + '.' + alnum(43, 'sg2')}`],
  ['Shopify access token', 'sh.txt', `${'shp' + 'at_' + alnum(32, 'sh').toLowerCase()}`],
  ['OpenAI key', 'o.env', `OPENAI=${'sk-' + alnum(20, 'oa') + 'T3Blbk' + 'FJ' + alnum(20, 'ob')}`],
  ['OpenAI project key', 'o.txt', `${'sk-' + 'proj-' + alnum(58, 'oc') + 'T3Blbk' + 'FJ' + alnum(58, 'od')}`],
  ['Anthropic key', 'a.txt', `${'sk-' + 'ant-api03-' + alnum(93, 'an') + 'AA'}`],
  ['Linear key', 'l.txt', `${'lin' + '_api_' + alnum(40, 'li')}`],
  ['1Password service account token', 'op.txt', `OP_SERVICE ${opsToken()}`],
  ['MongoDB URI', 'db.txt', `${'mongodb+srv://' + 'ledger:Xq93kLp2@cluster0.ab1cd.mongodb.net/prod'}`],
  ['PostgreSQL URI, upper case', 'db.txt', `${'POSTGRESQL://' + 'billing:T7vQ2mZ9@db.internal:5432/ledger'}`],
  ['MySQL URI', 'db.txt', `${'jdbc:mysql://' + 'app:R4nd0mPw9@10.0.0.5/app'}`],
  ['basic auth in a URL', 'u.txt', `${'https://' + 'deploy-bot:Zk39xQp2w@api.internal-billing.net/v1'}`],
  ['JWT', 'j.json', `"id_token": "${JWT}"`],
  ['bearer token, upper case', 'h.txt', `Authorization: BEARER ${'tk' + '_9f8e7d6c5b4a39281706f5e4d3c2b1a0QwErTy'}`],
  ['RSA key (PKCS#1)', 'k.pem', pem('rsa', 'pkcs1')],
  ['EC key (SEC1)', 'k.pem', pem('ec', 'sec1')],
  ['PKCS#8 key, JSON-escaped', 'sa.json', JSON.stringify({ private_key: pem('rsa', 'pkcs8') })],
  ['card, grouped', 'c.txt', 'card: 4111 1111 1111 1111'],
  ['card, dashes', 'c.txt', 'card: 5500-0000-0000-0004'],
  ['card, bare', 'c.csv', 'id,pan\n1,4242424242424242\n'],
  ['card, Amex 4-6-5', 'c.txt', 'amex 3782 822463 10005'],
  ['IBAN, spaced', 'i.txt', 'IBAN GB82 WEST 1234 5698 7654 32 (sort code on file)'],
  ['IBAN, compact', 'i.json', '{"iban":"DE89370400440532013000"}'],
  ['IBAN, shortest country', 'i.txt', 'NO9386011117947'],
  ['.env password', '.env', 'DB_HOST=db.internal\nDB_PASSWORD=s3cr3t-P4ss!\n'],
  ['export line', '.env', 'export API_TOKEN="q8ZtY2mR7vLp"\n'],
  ['numbered and per-environment names', '.env', 'API_TOKEN_2=q8ZtY2mR7vLpW3xN\nDB_PASSWORD_PROD=s3cr3t-P4ss!\n'],
  ['INI', 'a.ini', '[billing]\napi_key = 6f1d2c9a7b3e\n'],
  ['YAML', 'a.yaml', 'oauth:\n  client_secret: 9f8e7d6c5b4a3f2e\n'],
  ['YAML, capitalised', 'a.yaml', 'Password:\tTr0ub4dor&3x\n'],
  ['JSON password', 'config.json', '{"user":"ops","password":"hunter2hunter2"}'],
  ['JSON, spaced colon on the next line', 'config.json', '{"refresh_token"\n  :\n  "r1_8Zq2mX7vLp0s"}'],
  ['HTTP header', 'capture.http', 'GET /v1/usage HTTP/1.1\nX-Api-Key: 0b8e3c2f9a7d41e6\n'],
  [
    'HAR Authorization header (Basic)',
    'session.har',
    `{"headers": [{"name": "Authorization", "value": "Basic ${b64('deploy-bot:Zk39xQp2w')}"}]}`,
  ],
  ['HAR Cookie header', 'session.har', '{"headers":[{"name":"Cookie","value":"session=8f3k2j5h6g7f8d9s0a1q"}]}'],
  [
    'HAR Set-Cookie header, value first, pretty-printed',
    'session.har',
    '{\n  "value": "sid=Q2w3E4r5T6y7; Path=/; HttpOnly",\n  "name": "set-cookie"\n}',
  ],
  ['HAR cookies list', 'session.har', '{"cookies": [{"name": "sid", "value": "Q2w3E4r5T6y7U8i9", "httpOnly": true}]}'],
  [
    'raw Authorization line (Basic)',
    'capture.http',
    `GET /v1/usage HTTP/1.1\nHost: api.example\nAuthorization: Basic ${b64('deploy-bot:Zk39xQp2w')}\n`,
  ],
  ['raw Cookie line', 'capture.http', 'GET /v1/usage HTTP/1.1\nCookie: session=8f3k2j5h6g7f8d9s0a1q; theme=dark\n'],
  ['raw Set-Cookie line', 'response.txt', 'HTTP/1.1 200 OK\nSet-Cookie: sid=Q2w3E4r5T6y7U8i9; Path=/; HttpOnly\n'],
  [
    'curl -H with Digest credentials',
    'replay.sh',
    'curl -H "Authorization: Digest username=\\"ops\\", response=\\"6629fae49393a05397450978507c4ef1\\"" https://api.example/v1',
  ],
  [
    'JSON config Authorization',
    'client.json',
    `{"headers": {"Authorization": "Basic ${b64('deploy-bot:Zk39xQp2w')}"}}`,
  ],
  ['in base64 once', 'secret.yaml', `data:\n  credentials: ${b64(`aws_access_key_id = ${AWS_ID}\n`)}\n`],
  ['in base64 twice', 'secret.yaml', `nested: ${b64(b64(`stripe: ${SK_LIVE}`))}\n`],
  ['in base64url', 'blob.txt', `blob=${b64url(`{"note":"keys","stripe":"${SK_LIVE}"}`)}`],
  ['in a file name', `exports/${SK_LIVE}.json`, '{}'],
];

const ruleIdsOf = (findings: Array<{ rule: string }>) => new Set(findings.map((f) => f.rule));

describe('the prefilter lets every positive through', () => {
  for (const [what, name, text] of POSITIVES) {
    it(what, async () => {
      // In a file name the name is the text scanned (see scanName): check it the same way.
      const scanned = what === 'in a file name' ? name : text;
      const full = await scanText(name, scanned, true);
      expect(full.length, 'the sample must be a finding of the full rule set').toBeGreaterThan(0);
      expect(mayHoldSecret(scanned) || mayHoldBase64(scanned)).toBe(true);
      expect(await scanText(name, scanned)).toEqual(full);
    });
  }

  it('the samples cover every rule the scan runs', async () => {
    const covered = new Set<string>();
    for (const [what, name, text] of POSITIVES)
      for (const id of ruleIdsOf(await scanText(name, what === 'in a file name' ? name : text, true))) covered.add(id);
    // As secret-scan.ts configures them: the preset without these three, then ours.
    const leftOut = ['filter-comments', 'privatekey', 'gcp'].map((r) => `@secretlint/secretlint-rule-${r}`);
    const running = [
      ...recommendedRules.map((r) => r.meta.id).filter((id) => !leftOut.includes(id)),
      ...TOKENOPS_RULES.map((r) => r.meta.id),
    ];
    expect(running.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('findings are the same with and without it, on text made of the rules’ pieces (property)', async () => {
    const pieces = fc.oneof(
      fc.constantFrom(
        ...['sk_', 'rk_', 'live_', 'test_', 'whsec_', 'pi_', '_secret_', 'AIza', 'AKIA', 'ASIA', 'eyJ', 'ghp_'],
        ...['xoxb-', 'SG.', 'npm_', 'lin_api_', 'T3BlbkFJ', 'sk-ant-api03-', 'ops_', '-----BEGIN ', 'PRIVATE KEY-----'],
        ...[
          'Bearer ',
          'bearer\t',
          'PASSWORD',
          'password',
          'Secret',
          'token',
          'api_key',
          'Key',
          'AWS_SECRET_ACCESS_KEY',
        ],
        ...['=', ': ', '":', '"', "'", ' ', '  ', '-', '.', '/', ':', '@', '\n', '\\n', '{', '}', ','],
        ...['https://', 'postgres://', 'mongodb://', 'user:', 'pa55w0rd@', 'host.example.net'],
        ...['4111', '1111', '4242', '3782', '822463', '10005', 'GB82', 'WEST', '1234', '5698', '7654', '32'],
      ),
      fc.stringMatching(/^[A-Za-z0-9]{1,48}$/),
      fc.stringMatching(/^[0-9]{1,19}$/),
      fc.stringMatching(/^(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,30}$/),
      fc.stringMatching(/^(?:AKIA|ASIA|A3T[A-Z0-9])[A-Z0-9]{16}$/),
      fc.stringMatching(/^gh[pousr]_[A-Za-z0-9_]{36}$/),
      fc.stringMatching(/^4[0-9]{15}$/),
      fc.stringMatching(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/),
      fc.stringMatching(/^[A-Za-z0-9+/]{32,80}={0,2}$/),
      fc.string({ unit: 'binary', maxLength: 8 }),
    );
    let positives = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 24 }), async (parts) => {
        const text = parts.join('');
        const full = await scanText('evidence.txt', text, true);
        if (full.length > 0) {
          positives++;
          expect(mayHoldSecret(text) || mayHoldBase64(text)).toBe(true);
        }
        expect(await scanText('evidence.txt', text)).toEqual(full);
      }),
      { numRuns: 400 },
    );
    expect(positives).toBeGreaterThan(20); // the property saw real findings, not only clean text
  });
});

describe('recorded HTTP headers that are not secrets', () => {
  const header = (name: string, value: string) =>
    JSON.stringify({ log: { version: '1.2', entries: [{ request: { headers: [{ name, value }] } }] } }, null, 2);
  it.each([
    [
      'an x402 PAYMENT-SIGNATURE (the payment evidence)',
      header(
        'PAYMENT-SIGNATURE',
        b64('{"x402Version":2,"payload":{"signature":"0x2d6a7588d6acca505cbf0d9a4a227e0c52c6c340"}}'),
      ),
    ],
    ['an empty Authorization', header('Authorization', '')],
    ['a redacted Authorization', header('Authorization', '[REDACTED]')],
    ['a redacted bearer', header('Authorization', 'Bearer <redacted>')],
    ['a masked cookie', header('Cookie', 'session=****')],
    ['a placeholder API key', header('X-Api-Key', '${API_KEY}')],
    ['a short cookie', header('Cookie', 'theme=dark; lang=en')],
    ['an empty cookies list', '{"cookies": [], "headers": []}'],
    ['prose naming the Authorization header', 'Authorization: required for every call to /v1/usage.\n'],
    ['prose about a cookie', 'Cookie: chocolate chip, left on the desk\n'],
    ['a placeholder in a raw Authorization line', 'Authorization: Basic <base64 of user:password>\n'],
    ['a short raw cookie', 'Set-Cookie: theme=dark\n'],
  ])('%s', async (_what, text) => {
    expect(await scanText('session.har', text, true)).toEqual([]);
  });
});

describe('clean evidence skips the full rule set', () => {
  it('a clean 50 KiB JSON log passes no anchor (so is never linted); the same log with a key does', async () => {
    const log = runtimeLog(7);
    expect(log.length).toBeGreaterThan(50 * 1000);
    expect(mayHoldSecret(log)).toBe(false);
    expect(mayHoldBase64(log)).toBe(false);
    expect(await scanBytes(Buffer.from(log), 'runtime-logs/log-00007.json')).toEqual({ status: 'clean', findings: [] });

    const leaky = log.replace('"note":"usage event from the agent runtime log"', `"note":"${AWS_ID}"`);
    const result = await scanBytes(Buffer.from(leaky), 'runtime-logs/log-00008.json');
    expect(result.findings.map((f) => f.rule)).toEqual(['tokenops/aws-access-key-id']);
    expect(mayHoldSecret(leaky)).toBe(true);
  });

  it('a key cut by a piece boundary (mid-line) among clean JSON lines is still found once, at its line', async () => {
    const lines = runtimeLog(1)
      .slice(11, -2)
      .split('},{')
      .map((e) => `{${e}}`);
    const pieceChars = 8 * 1024;
    // A long line from ~2 KiB on, with the key across the 8 KiB cut: the scan splits it mid-line.
    let at = 0;
    let target = 0;
    while (at < 2048) at += lines[target++].length + 1;
    const head = '{"note":"';
    const filler = 'clean words '
      .repeat(Math.ceil(pieceChars / 12))
      .slice(0, pieceChars - 11 - at - head.length)
      .concat(' ');
    lines[target] = `${head}${filler}${AWS_ID} end"}`;
    const text = lines.join('\n') + '\n';
    expect(text.indexOf(AWS_ID)).toBe(pieceChars - 10);
    const path = join(dir, 'events.jsonl');
    await writeFile(path, text);
    const pieces = await scanFile(path, 'events.jsonl', { maxTextBytes: pieceChars });
    expect(pieces.findings).toEqual(await scanText('events.jsonl', text, true));
    expect(pieces.findings).toMatchObject([
      { rule: 'tokenops/aws-access-key-id', line: target + 1, column: head.length + filler.length + 1 },
    ]);
  });
});
