import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingPlace } from '../../shared/domain/run';
import { scanBytes, scanFile, scanText } from '../../electron/services/intake/secret-scan';
import { PrintableStrings } from '../../electron/services/intake/printable-strings';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenops-secret-kinds-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Assembled at run time so this file does not itself read as a leak to scanners.
const alnum = (n: number, seed: string) =>
  createHash('sha512')
    .update(seed)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, n);
const S = {
  skLive: 'sk_' + 'live_' + alnum(40, 'a'),
  rkLive: 'rk_' + 'live_' + alnum(40, 'b'),
  skTest: 'sk_' + 'test_' + alnum(40, 'c'),
  whsec: 'whsec' + '_' + alnum(32, 'd'),
  clientSecret: 'pi_3MtwBwLkdIwHu7ix28a3tqPa' + '_secret_' + alnum(25, 'e'),
  google: 'AI' + 'za' + alnum(35, 'f'),
  aws: 'AKIA' + '2E0A8F3B244C9986',
};

const rules = async (text: string, name = 'evidence.txt') => (await scanText(name, text)).map((f) => f.rule);

describe('Stripe and Google keys', () => {
  const cases: Array<[string, string, string]> = [
    ['live secret key', `STRIPE_KEY_IN_LOG ${S.skLive}`, 'tokenops/stripe-api-key'],
    ['live restricted key', `key: ${S.rkLive} (read-only)`, 'tokenops/stripe-api-key'],
    ['test secret key', `"api_key_used": "${S.skTest}"`, 'tokenops/stripe-api-key'],
    ['webhook signing secret', `signing secret ${S.whsec}`, 'tokenops/stripe-webhook-secret'],
    [
      'PaymentIntent client_secret',
      `{"id":"pi_3MtwBwLkdIwHu7ix28a3tqPa","object":"payment_intent","client_secret":"${S.clientSecret}"}`,
      'tokenops/stripe-client-secret',
    ],
    ['Google API key', `https://maps.googleapis.com/maps/api/geocode/json?key=${S.google}`, 'tokenops/google-api-key'],
  ];
  for (const [what, text, rule] of cases) {
    it(`${what} is found once, masked`, async () => {
      const findings = await scanText('evidence.json', text);
      expect(findings.map((f) => f.rule)).toEqual([rule]);
      expect(findings[0].excerpt.replace('…', '').length).toBeLessThanOrEqual(4);
      expect(JSON.stringify(findings)).not.toContain(
        text.match(/(sk|rk)_\w+|whsec_\w+|pi_\w+_secret_\w+|AIza[\w-]+/)![0],
      );
    });
  }

  it('leaves publishable keys and Stripe object ids alone', async () => {
    const text = JSON.stringify({
      publishable: 'pk_live_' + alnum(40, 'g'),
      payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
      checkout: 'cs_live_a1' + alnum(56, 'h'),
      charge: 'ch_3MmlLrLkdIwHu7ix0snN0B15',
      credit_grant: 'credgr_test_61R3lHDfBOLgnXZob41L6bMQx2ss5FLY',
      customer: 'cus_NffrFeUfNV2Hib',
      balance_txn: 'txn_1MiN3gLkdIwHu7ixxapQrznl',
      meter_event: 'mtre_test_61R3lHDf6G1ofkxFB41L6bMQx2ss5Imu',
    });
    expect(await rules(text, 'stripe.json')).toEqual([]);
  });
});

describe('credentials in configuration', () => {
  const found: Array<[string, string]> = [
    ['.env', 'DB_HOST=db.internal\nDB_PASSWORD=s3cr3t-P4ss!\n'],
    ['export line', 'export API_TOKEN="q8ZtY2mR7vLp"\n'],
    ['INI', '[billing]\napi_key = 6f1d2c9a7b3e\n'],
    ['YAML', 'oauth:\n  client_secret: 9f8e7d6c5b4a3f2e\n'],
    ['JSON', '{"user":"ops","password":"hunter2hunter2"}'],
    ['HTTP header', 'GET /v1/usage HTTP/1.1\nX-Api-Key: 0b8e3c2f9a7d41e6\n'],
    ['numbered .env name', 'API_TOKEN_2=q8ZtY2mR7vLpW3xN\n'],
    ['.env name per environment', 'DB_PASSWORD_PROD=s3cr3t-P4ss!\n'],
  ];
  for (const [what, text] of found) {
    it(`${what}: the value is a finding`, async () => {
      expect(await rules(text, what === 'JSON' ? 'config.json' : '.env')).toEqual(['tokenops/config-credential']);
    });
  }

  it('placeholders, references, counts and evidence fields are not', async () => {
    const text = [
      'PASSWORD=changeme',
      'SECRET=',
      'TOKEN=${TOKEN}',
      'API_KEY=<your key here>',
      'GITHUB_TOKEN=$GITHUB_TOKEN',
      'DB_PASSWORD={{ vault.db_password }}',
      'TOKEN_COUNT=12345678',
      'MAX_TOKENS=4096',
      'token_type: bearer',
      'tokens_in: 1000',
      'secret_scan: enabled',
      'PASSWORD=xxxxxxxx',
      'TOKEN_COUNT_2=12345678',
      'NEXT_PAGE_TOKEN_2=eyJwYWdlIjoyfQ',
      'TOKEN_LIMIT_PROD=50000000',
      '{"invoice_token":"inv_tok_7Hq2Lm9Xc4","payment_token":"ptok_abcdef123456","next_page_token":"eyJwYWdlIjoyfQ"}',
    ].join('\n');
    expect(await rules(text, '.env')).toEqual([]);
  });

  it('a key that another rule names is reported once, by that rule', async () => {
    expect(await rules(`STRIPE_SECRET_KEY=${S.skLive}\nAWS_ACCESS_KEY=${S.aws}\n`, '.env')).toEqual([
      'tokenops/stripe-api-key',
      'tokenops/aws-access-key-id',
    ]);
  });
});

describe('base64', () => {
  it('a token inside base64 (a Kubernetes Secret) is found, and inside base64 twice', async () => {
    const once = Buffer.from(`aws_access_key_id = ${S.aws}\n`).toString('base64');
    const twice = Buffer.from(Buffer.from(`stripe: ${S.skLive}`).toString('base64')).toString('base64');
    const yaml = `apiVersion: v1\nkind: Secret\ndata:\n  credentials: ${once}\n  nested: ${twice}\n`;
    const findings = await scanText('secret.yaml', yaml);
    expect(findings.map((f) => [f.rule, f.line, f.message.endsWith('(base64-encoded)')])).toEqual([
      ['tokenops/aws-access-key-id', 4, true],
      ['tokenops/stripe-api-key', 5, true],
    ]);
  });

  it('digests, signatures, transaction hashes and x402 payment headers decode to nothing to report', async () => {
    const digests = Array.from({ length: 50 }, (_, i) => createHash('sha256').update(`d${i}`).digest());
    const payment = Buffer.from(
      JSON.stringify({
        x402Version: 1,
        scheme: 'exact',
        network: 'base-sepolia',
        payload: {
          signature: '0x' + randomBytes(65).toString('hex'),
          authorization: {
            from: '0x857b06519E91e3A54538791bDbb0E22373e36b66',
            to: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
            value: '10000',
            validAfter: '1740672089',
            validBefore: '1740672154',
            nonce: '0x' + randomBytes(32).toString('hex'),
          },
        },
      }),
    ).toString('base64');
    const text = [
      `X-PAYMENT: ${payment}`,
      ...digests.map((d) => `${d.toString('hex')} ${d.toString('base64')} ${d.toString('base64url')}`),
      `signature: ${randomBytes(64).toString('base64')}`,
      `uuid: 3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c`,
    ].join('\n');
    expect(await rules(text, 'capture.http')).toEqual([]);
  });
});

describe('file names', () => {
  it('a secret in the file name is a finding placed in the name', async () => {
    const name = `exports/${S.skLive}.json`;
    const path = join(dir, 'named.json');
    await writeFile(path, '{"clean":true}');
    const result = await scanFile(path, name);
    expect(result.status).toBe('findings');
    expect(result.findings).toMatchObject([{ rule: 'tokenops/stripe-api-key', in_name: true, line: 0 }]);
    expect(findingPlace(result.findings[0])).toBe('the file name');
    expect(JSON.stringify(result)).not.toContain(S.skLive);
  });
});

describe('archives', () => {
  const make = async (name: string) => {
    const root = join(dir, name);
    await mkdir(join(root, 'creds'), { recursive: true });
    await writeFile(join(root, 'report.json'), '{"settlement_reference":"stl_1"}');
    await writeFile(join(root, 'creds', '.env'), `A=1\nSTRIPE=${S.rkLive}\n`);
    return root;
  };

  it('zip: a secret in an entry is found at its entry and line', async () => {
    const root = await make('z');
    execFileSync('zip', ['-q', '-r', join(dir, 'export.zip'), '.'], { cwd: root });
    const result = await scanFile(join(dir, 'export.zip'), 'export.zip');
    expect(result.status).toBe('findings');
    expect(result.findings).toMatchObject([{ rule: 'tokenops/stripe-api-key', entry: 'creds/.env', line: 2 }]);
    expect(findingPlace(result.findings[0])).toBe('entry creds/.env line 2');
  });

  it('tar.gz and tar: the same', async () => {
    const root = await make('t');
    execFileSync('tar', ['czf', join(dir, 'export.tar.gz'), '-C', root, '.']);
    execFileSync('tar', ['cf', join(dir, 'export.tar'), '-C', root, '.']);
    for (const f of ['export.tar.gz', 'export.tar']) {
      const result = await scanFile(join(dir, f), f);
      expect(result.findings).toMatchObject([{ rule: 'tokenops/stripe-api-key', entry: './creds/.env', line: 2 }]);
    }
  });

  it('one gzipped file is scanned as what it inflates to', async () => {
    await writeFile(join(dir, 'usage.json.gz'), gzipSync(`{"note":"ok"}\n{"google":"${S.google}"}\n`));
    const result = await scanFile(join(dir, 'usage.json.gz'), 'usage.json.gz');
    expect(result.findings).toMatchObject([{ rule: 'tokenops/google-api-key', entry: 'usage.json', line: 2 }]);
  });

  it('zip: an entry named to escape a folder (../) is scanned, not a reason to stop reading', async () => {
    // yazl refuses such a name, so the zip is written with one of the same length and the name patched
    // in both its local header and its central directory entry.
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(`A=1\nSTRIPE=${S.skLive}\n`), 'zz/zz/creds/.env', { compress: false });
    zip.addBuffer(Buffer.from('{"a":1}'), 'ok.json');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
    const bytes = Buffer.concat(chunks);
    const at = (from: number) => bytes.indexOf('zz/zz/creds/.env', from);
    for (let i = at(0); i >= 0; i = at(i + 1)) bytes.write('../../creds/.env', i);
    await writeFile(join(dir, 'escape.zip'), bytes);
    const result = await scanFile(join(dir, 'escape.zip'), 'escape.zip');
    expect(result.status).toBe('findings');
    expect(result.findings).toMatchObject([{ rule: 'tokenops/stripe-api-key', entry: '../../creds/.env', line: 2 }]);
  });

  it('a truncated gzip, tar.gz or zip is unscannable with its reason, not a crash', async () => {
    const whole = gzipSync(`{"google":"${S.google}"}\n`.repeat(2000));
    await writeFile(join(dir, 'cut.json.gz'), whole.subarray(0, 60));
    const root = join(dir, 'cut');
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'a.json'), randomBytes(64 * 1024).toString('hex'));
    execFileSync('tar', ['czf', join(dir, 'whole.tar.gz'), '-C', root, '.']);
    const tgz = await readFile(join(dir, 'whole.tar.gz'));
    await writeFile(join(dir, 'cut.tar.gz'), tgz.subarray(0, tgz.length >> 1));
    await writeFile(join(dir, 'cut.zip'), Buffer.from('PK\x03\x04 not the rest of a zip'));
    for (const [f, why] of [
      ['cut.json.gz', /not a readable gzip file \(unexpected end of file\)/],
      ['cut.tar.gz', /not a readable tar\.gz archive/],
      ['cut.zip', /cut\.zip: /],
    ] as const) {
      const result = await scanFile(join(dir, f), f);
      expect(result.status, f).toBe('unscannable');
      expect(result.reason, f).toMatch(why);
    }
  });

  it('a clean archive of text is clean; one with a binary entry needs the operator', async () => {
    const root = join(dir, 'c');
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'a.json'), '{"a":1}');
    execFileSync('zip', ['-q', join(dir, 'clean.zip'), 'a.json'], { cwd: root });
    expect((await scanFile(join(dir, 'clean.zip'), 'clean.zip')).status).toBe('clean');
    await writeFile(
      join(root, 'logo.png'),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), randomBytes(2000)]),
    );
    execFileSync('zip', ['-q', join(dir, 'mixed.zip'), 'a.json', 'logo.png'], { cwd: root });
    const mixed = await scanFile(join(dir, 'mixed.zip'), 'mixed.zip');
    expect(mixed.status).toBe('unscannable');
    expect(mixed.reason).toMatch(/1 of 2 archive entries are binary \(logo\.png\)/);
  });

  it("a zip bomb stops at the bundles' ratio limit and is unscannable, not a hung intake", async () => {
    const root = join(dir, 'bomb');
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'zeros.txt'), Buffer.alloc(64 * 1024 * 1024, 0x30));
    execFileSync('zip', ['-q', join(dir, 'bomb.zip'), 'zeros.txt'], { cwd: root });
    const result = await scanFile(join(dir, 'bomb.zip'), 'bomb.zip');
    expect(result.status).toBe('unscannable');
    expect(result.reason).toMatch(/expands more than 200 times/);
  });
});

describe('binaries', () => {
  it('a key among binary bytes blocks the file, placed by byte offset', async () => {
    const bytes = Buffer.concat([
      randomBytes(5000).map((b) => (b === 0x5f ? 0 : b)),
      Buffer.from([0]),
      Buffer.from(`key=${S.skLive}`),
      Buffer.from([0, 1, 2]),
    ]);
    const path = join(dir, 'agent.bin');
    await writeFile(path, bytes);
    for (const result of [await scanFile(path, 'agent.bin'), await scanBytes(bytes, 'agent.bin')]) {
      expect(result.status).toBe('findings');
      expect(result.findings).toMatchObject([
        { rule: 'tokenops/stripe-api-key', line: 0, offset: bytes.indexOf('sk_') },
      ]);
    }
  });

  it('a binary without a printable secret stays unscannable (the operator attests it)', async () => {
    const path = join(dir, 'photo.jpg');
    await writeFile(
      path,
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from('JFIF\0'), randomBytes(4000)]),
    );
    expect((await scanFile(path, 'photo.jpg')).status).toBe('unscannable');
  });

  it('a string cut by a chunk boundary is seen whole', () => {
    const strings = new PrintableStrings();
    const secret = Buffer.from(`\0\0${S.skLive}\0`);
    const cut = 10;
    const found = [...strings.push(secret.subarray(0, cut)), ...strings.push(secret.subarray(cut)), ...strings.end()];
    expect(found).toEqual([{ offset: 2, text: S.skLive }]);
  });
});
