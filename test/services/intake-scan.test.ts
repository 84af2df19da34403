import { createHash, generateKeyPairSync } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFinding, scanFile, scanText, type SecretFinding } from '../../electron/services/intake/secret-scan';
import { cardNumberDetector, passesLuhn } from '../../electron/services/intake/secret-rules/card-number';
import { ibanChecksumOk } from '../../electron/services/intake/secret-rules/iban';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenops-intake-scan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Secrets are assembled at run time so this source file does not itself look like a leak to scanners.
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const SECRETS = {
  aws: 'AKIA' + '2E0A8F3B244C9986',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCY9q8w7e6r5t',
  github: 'ghp' + '_wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx',
  slack: 'xox' + 'b-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  jwt: `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"agent-7","iat":1714567890}')}.${b64url('not-a-real-signature-but-long-enough')}`,
  bearer: 'tk' + '_9f8e7d6c5b4a39281706f5e4d3c2b1a0QwErTy',
  card: '4111 1111 1111 1111',
  iban: 'GB82 WEST 1234 5698 7654 32',
};
const RSA_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
}).privateKey;

function only(findings: SecretFinding[], rule: string): SecretFinding[] {
  return findings.filter((f) => f.rule === rule);
}

describe('scanText finds each rule at the right line', () => {
  const cases: Array<{ rule: string; secret: string; line: string }> = [
    { rule: 'tokenops/aws-access-key-id', secret: SECRETS.aws, line: `aws_access_key_id = ${SECRETS.aws}` },
    {
      rule: '@secretlint/secretlint-rule-aws',
      secret: SECRETS.awsSecret,
      line: `aws_secret_access_key = ${SECRETS.awsSecret}`,
    },
    { rule: '@secretlint/secretlint-rule-github', secret: SECRETS.github, line: `"token": "${SECRETS.github}",` },
    { rule: '@secretlint/secretlint-rule-slack', secret: SECRETS.slack, line: `slack=${SECRETS.slack}` },
    { rule: 'tokenops/jwt', secret: SECRETS.jwt, line: `"id_token": "${SECRETS.jwt}"` },
    { rule: 'tokenops/bearer-token', secret: SECRETS.bearer, line: `Authorization: Bearer ${SECRETS.bearer}` },
    { rule: 'tokenops/card-number', secret: SECRETS.card, line: `card: ${SECRETS.card}` },
    { rule: 'tokenops/iban', secret: SECRETS.iban, line: `IBAN ${SECRETS.iban} (sort code on file)` },
  ];
  for (const c of cases) {
    it(`${c.rule}`, async () => {
      const text = `line one\nline two\n  ${c.line}\nline four\n`;
      const findings = await scanText('usage.json', text);
      expect(findings.map((f) => f.rule)).toEqual([c.rule]);
      const [f] = findings;
      expect(f).toMatchObject({ file: 'usage.json', line: 3 });
      expect(f.column).toBeGreaterThanOrEqual(3);
      expect(f.excerpt).not.toContain(c.secret);
      expect(f.excerpt.replace('…', '').length).toBeLessThanOrEqual(4);
      expect(f.message).not.toContain(c.secret);
      expect(f.message).not.toMatch(/\*\*\*/);
    });
  }

  it('tokenops/private-key (RSA PKCS#1, and ENCRYPTED / OPENSSH / EC labels, and JSON-escaped)', async () => {
    const text = `{\n"note": "key below",\n"k": 1\n}\n${RSA_KEY}`;
    const findings = await scanText('deploy.txt', text);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['tokenops/private-key', 5]]);
    expect(findings[0].excerpt).toBe('-----BEGIN RSA PRIVATE KEY-----…');
    expect(findings[0].excerpt).not.toContain(RSA_KEY.split('\n')[1]);

    const body = RSA_KEY.split('\n').slice(1, -2).join('\n');
    for (const label of ['ENCRYPTED ', 'OPENSSH ', 'EC ', '']) {
      const pem = `-----BEGIN ${label}PRIVATE KEY-----\n${body}\n-----END ${label}PRIVATE KEY-----\n`;
      expect(only(await scanText('k.pem', pem), 'tokenops/private-key')).toHaveLength(1);
    }
    const escaped = JSON.stringify({ private_key: RSA_KEY.replace('RSA ', '').replace('RSA ', '') });
    expect(only(await scanText('sa.json', escaped), 'tokenops/private-key')).toHaveLength(1);
  });

  it('a secretlint-disable comment inside evidence does not hide a secret', async () => {
    const text = `// secretlint-disable\nconst t = "${SECRETS.github}"; // secretlint-disable-line\n// secretlint-enable\n`;
    expect((await scanText('leak.js', text)).map((f) => [f.rule, f.line])).toEqual([
      ['@secretlint/secretlint-rule-github', 2],
    ]);
  });

  it('a bearer JWT is reported once, as a JWT', async () => {
    const findings = await scanText('h.txt', `Authorization: Bearer ${SECRETS.jwt}\n`);
    expect(findings.map((f) => f.rule)).toEqual(['tokenops/jwt']);
  });

  it('finds several card brands and spacing styles, and a compact IBAN', async () => {
    const text = [
      'amex 3782 822463 10005',
      'mc 5555-5555-5555-4444',
      'visa 4012888888881881',
      'ref 2024 4111 1111 1111 1111',
      'DE89370400440532013000',
    ].join('\n');
    const findings = await scanText('cards.txt', text);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ['tokenops/card-number', 1],
      ['tokenops/card-number', 2],
      ['tokenops/card-number', 3],
      ['tokenops/card-number', 4],
      ['tokenops/iban', 5],
    ]);
    expect(findings[3].column).toBe('ref 2024 '.length + 1);
  });

  it('describeFinding names file, line, rule and what to do, without the secret', async () => {
    const [f] = await scanText('usage.json', `{\n\n\n\n\n\n\n\n\n\n\n "k": "${SECRETS.aws}"\n}`);
    const text = describeFinding(f);
    expect(text).toBe(
      'usage.json line 12: AWS access key ID (rule tokenops/aws-access-key-id) — remove it or replace the file, then run again',
    );
    expect(text).not.toContain(SECRETS.aws);
  });
});

describe('normal evidence is clean', () => {
  it('digests, UUIDs, dates, provider ids, EVM addresses and tx hashes, invoice numbers, amounts', async () => {
    const digests = Array.from({ length: 300 }, (_, i) => createHash('sha256').update(`evidence-${i}`).digest('hex'));
    const evidence = {
      run_id: 'run_01HX9Z3K4V7Q2B8N6M5P0R1S2T',
      request_id: '3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c',
      numeric_uuid: '12345678-1234-4123-8123-123456789012',
      created_at: '2024-05-01T12:34:56.789Z',
      date: '2024-05-01',
      stripe: {
        credit_grant: 'cgrant_61RtJ3A9bC2dE4fG6hI8jK0lMnOpQr',
        payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
        charge: 'ch_3MmlLrLkdIwHu7ix0snN0B15',
        customer: 'cus_NffrFeUfNV2Hib',
        invoice: 'in_1MtHbELkdIwHu7ixl4OzzPMv',
        balance_txn: 'txn_1MiN3gLkdIwHu7ixxapQrznl',
        amount: 4200,
        created: 1714567890,
      },
      x402: {
        scheme: 'exact',
        network: 'base-sepolia',
        payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
        asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
        maxAmountRequired: '10000',
        amount_wei: '4123456789012345678',
        transaction: '0x' + digests[0],
        signature: '0x' + digests[1] + digests[2] + '1b',
        nonce: '0x' + digests[3],
      },
      invoice_number: 'INV-2024-000123',
      invoice_ref: 'A1B2-0042',
      order: 'Invoice 4000-1234',
      timestamp_ms: 1714567890123,
      snowflake: '1787654321098765432',
      phone: '+1 415 555 2671',
      version: '4.11.1111.1111',
      decimal: 0.4111111111111111,
      token_type: 'bearer',
      docs: 'Send Authorization: Bearer YOUR_ACCESS_TOKEN_HERE with each call',
      placeholder_key: '-----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----',
      sha256: digests,
    };
    const text =
      JSON.stringify(evidence, null, 2) +
      '\n' +
      digests.map((d, i) => `${i},${d},2024-05-${String((i % 28) + 1).padStart(2, '0')},4200`).join('\n');
    const findings = await scanText('evidence.json', text);
    expect(findings).toEqual([]);
  });

  it('Luhn, IIN and IBAN checks are what make a match', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect([...cardNumberDetector.detect('4111 1111 1111 1112')]).toEqual([]); // fails Luhn
    expect([...cardNumberDetector.detect('1234 5678 9012 3452')]).toEqual([]); // Luhn ok, no issuer starts with 1
    expect(ibanChecksumOk('GB82WEST12345698765432')).toBe(true);
    expect(ibanChecksumOk('GB83WEST12345698765432')).toBe(false);
  });
});

describe('scanFile', () => {
  it('is clean for a clean text file and reports findings for a leaky one', async () => {
    const clean = join(dir, 'clean.csv');
    await writeFile(clean, 'id,amount\npi_3MtwBwLkdIwHu7ix28a3tqPa,4200\n');
    expect(await scanFile(clean, 'clean.csv')).toEqual({ status: 'clean', findings: [] });

    const leaky = join(dir, 'leaky.env');
    await writeFile(leaky, `\uFEFFA=1\nGITHUB_TOKEN=${SECRETS.github}\n`);
    const r = await scanFile(leaky, 'config/leaky.env');
    expect(r.status).toBe('findings');
    expect(r.findings).toMatchObject([
      { file: 'config/leaky.env', rule: '@secretlint/secretlint-rule-github', line: 2, column: 14 },
    ]);
  });

  it('calls a binary file unscannable, with a reason', async () => {
    const png = join(dir, 'receipt.png');
    await writeFile(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    const r = await scanFile(png, 'receipt.png');
    expect(r.status).toBe('unscannable');
    expect(r.findings).toEqual([]);
    expect(r.reason).toMatch(/receipt\.png: binary content.*confirm it holds none/);

    const latin1 = join(dir, 'legacy.txt');
    await writeFile(latin1, Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'));
    // Legacy single-byte text is not binary: it is decoded as Windows-1252 and scanned (text-encodings.test.ts).
    expect((await scanFile(latin1, 'legacy.txt')).status).toBe('clean');
  });

  it('scans in small overlapping pieces with the same results as one piece', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      if (i % 250 === 7) lines.push(`row ${i} token ${SECRETS.github} and card ${SECRETS.card}`);
      else if (i === 1500) lines.push(...RSA_KEY.trimEnd().split('\n'));
      else if (i === 2200)
        lines.push(`minified ${'{"a":"b"},'.repeat(2000)} "jwt":"${SECRETS.jwt}" ${'{"c":"d"},'.repeat(2000)}`);
      else lines.push(`row ${i},${createHash('sha256').update(String(i)).digest('hex')},ok`);
    }
    const text = lines.join('\n') + '\n';
    const p = join(dir, 'pieces.txt');
    await writeFile(p, text);
    const whole = await scanText('pieces.txt', text);
    expect(whole.length).toBe(12 * 2 + 1 + 1);
    const pieces = await scanFile(p, 'pieces.txt', { maxTextBytes: 8 * 1024 });
    expect(pieces.findings).toEqual(whole);
  });

  it('finds a secret near the end of a ~40 MiB text file at its true line', async () => {
    const p = join(dir, 'big.log');
    const out = createWriteStream(p);
    const line = (i: number) => `2024-05-01T00:00:00Z request ${i} ok sha256=${'0123456789abcdef'.repeat(4)}\n`;
    const target = 480_000;
    let written = 0;
    let block = '';
    for (let i = 1; i <= target + 3; i++) {
      block += i === target ? `leak: aws_key=${SECRETS.aws}\n` : line(i);
      if (block.length > 1 << 20) {
        written += block.length;
        if (!out.write(block)) await once(out, 'drain');
        block = '';
      }
    }
    written += block.length;
    out.end(block);
    await once(out, 'finish');
    expect(written).toBeGreaterThan(40 * 1000 * 1000);

    const r = await scanFile(p, 'big.log');
    expect(r.status).toBe('findings');
    expect(r.findings).toEqual([
      expect.objectContaining({ rule: 'tokenops/aws-access-key-id', line: target, column: 15, excerpt: 'AKIA…' }),
    ]);
  });
});
