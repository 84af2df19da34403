/**
 * An agent's paid call saved as an HTTP capture (curl -v style, `.http`): the x402 headers in it become
 * records (payment request from PAYMENT-REQUIRED, settlement from PAYMENT-RESPONSE), the rest is ignored,
 * and a header whose value is not base64 JSON is named with its line.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, runCli, tempDir, writeFiles } from './helpers';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

// x402 v2 PaymentRequired and SettlementResponse, shapes from coinbase/x402 specs/x402-specification-v2.md.
const REQUIRED = {
  x402Version: 2,
  error: 'PAYMENT-SIGNATURE header is required',
  resource: {
    url: 'https://api.example.com/premium-data',
    description: 'Access to premium market data',
    mimeType: 'application/json',
  },
  accepts: [
    {
      scheme: 'exact',
      network: 'eip155:84532',
      amount: '10000',
      asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
      payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
      maxTimeoutSeconds: 60,
      extra: { name: 'USDC', version: '2' },
    },
  ],
};
const RESPONSE = {
  success: true,
  transaction: '0x7894018169f65d9956df0ecc612c81ed704a7f6f52de6b8ff19087dc04d98262',
  network: 'eip155:84532',
  payer: '0x2d686702770b9c0B47A5d51560d5e95df9416932',
};

let home: string;
let dir: string;
beforeAll(async () => {
  assertCliBuilt();
  home = await tempDir();
  dir = await tempDir();
  await writeFiles(dir, {
    'paid-call.http': [
      '> GET /premium-data HTTP/1.1',
      '> Host: api.example.com',
      '>',
      '< HTTP/1.1 402 Payment Required',
      `< PAYMENT-REQUIRED: ${b64(REQUIRED)}`,
      '<',
      '> GET /premium-data HTTP/1.1',
      '> PAYMENT-SIGNATURE: bm90LWpzb24',
      '< HTTP/1.1 200 OK',
      `< PAYMENT-RESPONSE: ${b64(RESPONSE)}`,
      '',
    ].join('\n'),
    'notes.txt': 'Plain notes about the run, no headers here.\n',
  });
});
afterAll(cleanupTemps);

describe('x402 headers in an HTTP capture', () => {
  it('become a payment request and a settlement, and a bad header value is named with its line', async () => {
    const created = await runCli(['run', 'create', '--title', 'capture', '--json'], { home });
    expect(created.code).toBe(0);
    const runId: string = created.json.run.run_id;
    const add = await runCli(
      ['evidence', 'add', runId, path.join(dir, 'paid-call.http'), path.join(dir, 'notes.txt'), '--json'],
      { home },
    );
    expect(add.code, add.stderr).toBe(0);
    const shown = await runCli(['run', 'show', runId, '--json'], { home });
    const run = shown.json.run;
    const kinds = run.evidence.map((e: any) => `${e.kind}:${e.format}`).sort();
    expect(kinds).toEqual([
      'payment_request:x402_v2_payment_required',
      'settlement_reference:x402_settlement_response',
    ]);
    const capture = run.files.find((f: any) => f.name === 'paid-call.http');
    expect(capture.classified_as).toMatchObject({ kind: 'payment_request', records: 2 });
    expect(capture.problem).toMatch(/line 8: the PAYMENT-SIGNATURE header value is not base64-encoded JSON/);
    const settlement = run.evidence.find((e: any) => e.kind === 'settlement_reference');
    expect(settlement.record.transaction).toBe(RESPONSE.transaction);
    const notes = run.files.find((f: any) => f.name === 'notes.txt');
    expect(notes.problem ?? null).toBeNull();
  });
});
