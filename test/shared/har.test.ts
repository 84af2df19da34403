/**
 * HTTP archives (shared/classify/har.ts): the paid x402 exchanges of a HAR 1.2 log become the records
 * their headers and 402 bodies classify to, each with the entry's 1-based index as its row; entries
 * without payment are ignored, and a malformed archive says what is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyJson, parseEvidenceText } from '../../shared/classify';
import { validate } from '../../shared/validate';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
const corpusJson = (file: string): Record<string, any> =>
  JSON.parse(readFileSync(join(CORPUS, file), 'utf8')) as Record<string, any>;

const REQUIRED_V2 = corpusJson('x402-v2/payment-required.json');
const PAYLOAD_V2 = corpusJson('x402-v2/payment-signature.json');
const SETTLED_V2 = corpusJson('x402-v2/x402-payment-response.json');
const REQUIRED_V1 = corpusJson('x402-v1/payment-required.json');

type Headers = Array<[string, string]>;
function entry(
  request: Headers,
  response: Headers,
  status = 200,
  content: Record<string, unknown> = { size: 2, mimeType: 'application/json', text: '{}' },
) {
  const headers = (h: Headers) => h.map(([name, value]) => ({ name, value }));
  return {
    startedDateTime: '2026-06-02T09:13:41.005Z',
    time: 10,
    request: {
      method: 'POST',
      url: 'https://agents.example.test/x',
      httpVersion: 'HTTP/1.1',
      headers: headers(request),
    },
    response: { status, statusText: '', httpVersion: 'HTTP/1.1', headers: headers(response), content },
    cache: {},
    timings: { send: 1, wait: 8, receive: 1 },
  };
}
const har = (entries: unknown) => ({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } });
const UNPAID = entry([['Accept', 'text/html']], [['Content-Type', 'text/html']]);

describe('HTTP archive (HAR 1.2)', () => {
  it('maps each paid exchange to its x402 records, with the entry index as row', () => {
    const r = classifyJson(
      har([
        UNPAID,
        entry([], [['PAYMENT-REQUIRED', b64(REQUIRED_V2)]], 402),
        UNPAID,
        entry([['payment-signature', b64(PAYLOAD_V2)]], [['payment-response', b64(SETTLED_V2)]]),
      ]),
    );
    expect(r.unrecognised).toBeNull();
    expect(r.records.map((x) => [x.row, x.format, x.record.kind])).toEqual([
      [2, 'x402_v2_payment_required', 'payment_request'],
      [4, 'x402_v2_payment_payload', 'payment_request'],
      [4, 'x402_settlement_response', 'settlement_reference'],
    ]);
    for (const x of r.records) expect(validate('evidence_record', x.record)).toEqual({ ok: true });
    // The requirement and the payment that answers it map to one payment request.
    expect(r.records[0].record).toMatchObject({
      payment_request_id: (r.records[1].record as { payment_request_id: string }).payment_request_id,
      amount: { value: '10000000', currency: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' },
    });
    expect(r.records[2].record).toMatchObject({ settlement_reference: SETTLED_V2.transaction, status: 'settled' });
  });

  it('reads a v1 402 body (plain or base64) and X-PAYMENT headers', () => {
    const body = JSON.stringify(REQUIRED_V1);
    const r = classifyJson(
      har([
        entry([], [], 402, { size: body.length, mimeType: 'application/json', text: body }),
        entry([], [], 402, {
          size: body.length,
          mimeType: 'application/json',
          text: b64(REQUIRED_V1),
          encoding: 'base64',
        }),
        entry([['X-PAYMENT', 'not base64 json']], []),
      ]),
    );
    expect(r.records.map((x) => [x.row, x.format])).toEqual([
      [1, 'x402_v1_payment_required'],
      [2, 'x402_v1_payment_required'],
    ]);
    expect(r.unrecognised).toBe('HTTP archive: entry 3: the request header X-PAYMENT value is not base64-encoded JSON');
  });

  it('ignores entries without payment: a 402 that is not x402, an unpaid call', () => {
    const r = classifyJson(har([UNPAID, entry([], [], 402, { size: 9, mimeType: 'text/plain', text: 'pay first' })]));
    expect(r).toEqual({ records: [], unrecognised: 'HTTP archive with 2 entries holds no x402 payment exchange' });
    expect(classifyJson(har([])).unrecognised).toBe('HTTP archive with 0 entries holds no x402 payment exchange');
  });

  it('the corpus session: the catalog call is ignored, the paid call gives three records', () => {
    const file = 'x402-har/agent-session.har';
    const r = classifyJson(parseEvidenceText(readFileSync(join(CORPUS, file), 'utf8'), file), { fileName: file });
    expect(r.unrecognised).toBeNull();
    expect(r.records.map((x) => [x.row, x.record.kind])).toEqual([
      [2, 'payment_request'],
      [3, 'payment_request'],
      [3, 'settlement_reference'],
    ]);
    expect(r.records[2].record).toMatchObject({ amount: { value: '10000000' }, network: 'eip155:84532' });
  });

  it('a malformed archive says what is wrong', () => {
    expect(classifyJson({ log: { version: '1.2', entries: 'none' } }).unrecognised).toBe(
      'HTTP archive log.entries is JSON string, not a list of entries',
    );
    expect(classifyJson({ log: { version: '2.0', entries: [] } }).unrecognised).toBe(
      'HTTP archive with log.version "2.0": only HAR 1.x (1.1, 1.2, 1.3) is known',
    );
    expect(classifyJson(har([7, { pageref: 'p' }])).unrecognised).toBe(
      'HTTP archive with 2 entries holds no x402 payment exchange ' +
        '(entry 1 is JSON number, not an entry object; entry 2 has neither a request nor a response object)',
    );
    const headersNotList = { ...UNPAID, response: { status: 200, headers: { 'PAYMENT-RESPONSE': 'x' } } };
    expect(classifyJson(har([headersNotList])).unrecognised).toMatch(
      /entry 1 response headers are JSON object with keys PAYMENT-RESPONSE, not a list of \{name, value\}/,
    );
    // A decoded header that is no x402 message is named by the dispatcher.
    const r = classifyJson(har([entry([], [['PAYMENT-RESPONSE', b64({ hello: 'world' })]])]));
    expect(r.records).toEqual([]);
    expect(r.unrecognised).toBe(
      'HTTP archive: entry 1 (response header PAYMENT-RESPONSE): JSON object with keys hello matches no known evidence shape',
    );
  });

  it('an object with a `log` that is not an archive is left to the other families', () => {
    expect(classifyJson({ log: 'started' }).unrecognised).toMatch(/matches no known evidence shape/);
  });
});
