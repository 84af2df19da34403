/**
 * Our x402 reading, held against the provider's own published shapes: the zod schemas of `@x402/core`
 * (coinbase/x402, `@x402/core/schemas`). Every x402 message in the corpus (JSON files, the headers of an
 * HTTP capture, the headers of a HAR) must be what that package accepts, and the payment request our
 * classifier makes of it must carry the amount, asset, payee, network and scheme the package parsed.
 * Where the package is looser (an amount is any string), ours is stricter: only atomic integer units are an amount.
 *
 * The package is a test dependency only: shared/ imports no package (it runs in the renderer, the CLI and
 * the workers alike; see LAYER_TABLE in eslint.config.js), so the classifier restates the few fields it reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PaymentPayloadV1Schema,
  PaymentPayloadV2Schema,
  PaymentRequiredV1Schema,
  PaymentRequiredV2Schema,
} from '@x402/core/schemas';
import { describe, expect, it } from 'vitest';
import { classifyJson } from '../../shared/classify';
import { decodeX402Header, isX402Header, x402HeadersIn } from '../../shared/classify/http-capture';
import type { PaymentRequestRecord } from '../../shared/domain/evidence';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const read = (p: string) => readFileSync(join(CORPUS, p), 'utf8');

/** Every x402 message of the corpus, where it came from. */
function corpusMessages(): Array<[string, Record<string, any>]> {
  const out: Array<[string, Record<string, any>]> = [];
  for (const f of ['x402-v2/payment-required.json', 'x402-v2/payment-signature.json', 'x402-v1/payment-required.json'])
    out.push([f, JSON.parse(read(f))]);
  for (const h of x402HeadersIn(read('x402-v1/paid-call.http')))
    out.push([`x402-v1/paid-call.http line ${h.line} ${h.header}`, h.value as Record<string, any>]);
  const har = JSON.parse(read('x402-har/agent-session.har'));
  har.log.entries.forEach((e: any, i: number) => {
    for (const side of ['request', 'response'])
      for (const h of e[side].headers as Array<{ name: string; value: string }>)
        if (isX402Header(h.name))
          out.push([`x402-har entry ${i + 1} ${h.name}`, decodeX402Header(h.value) as Record<string, any>]);
  });
  return out;
}

/** The package's schema for a message, by what the message is (settlement responses have none there). */
function schemaFor(m: Record<string, any>) {
  if (Array.isArray(m.accepts)) return m.x402Version === 1 ? PaymentRequiredV1Schema : PaymentRequiredV2Schema;
  if (m.payload) return m.x402Version === 1 ? PaymentPayloadV1Schema : PaymentPayloadV2Schema;
  return null;
}

/** What the package says the message asks: the first accepted option (v2 payload: the one it accepted). */
function published(m: Record<string, any>) {
  const req = Array.isArray(m.accepts) ? m.accepts[0] : m.x402Version === 2 ? m.accepted : null;
  if (!req) return { network: m.network, scheme: m.scheme, pay_to: m.payload.authorization?.to };
  return {
    network: req.network,
    scheme: req.scheme,
    pay_to: req.payTo,
    amount: { value: m.x402Version === 1 ? req.maxAmountRequired : req.amount, currency: req.asset },
  };
}

describe("x402 against @x402/core's published schemas", () => {
  const messages = corpusMessages().filter(([, m]) => schemaFor(m));

  it('the corpus holds x402 requirements and payloads of both versions', () => {
    const kinds = new Set(
      messages.map(([, m]) => `${m.x402Version}:${Array.isArray(m.accepts) ? 'required' : 'payload'}`),
    );
    expect([...kinds].sort()).toEqual(['1:payload', '1:required', '2:payload', '2:required']);
  });

  it.each(messages)('%s is what the package accepts, and reads as the payment the package parsed', (_where, m) => {
    const parsed = schemaFor(m)!.safeParse(m);
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
    const [r] = classifyJson(m).records;
    expect(r?.record.kind).toBe('payment_request');
    const ours = r!.record as PaymentRequestRecord;
    expect({ network: ours.network, scheme: ours.scheme, pay_to: ours.pay_to, amount: ours.amount }).toEqual(
      published(m),
    );
  });

  it('an amount the package lets through as any string, but that is not atomic units, is not read as an amount', () => {
    const m = JSON.parse(read('x402-v2/payment-required.json'));
    m.accepts[0].amount = '10.5 USDC';
    expect(PaymentRequiredV2Schema.safeParse(m).success).toBe(true);
    const ours = classifyJson(m).records[0]!.record as PaymentRequestRecord;
    expect(ours.amount).toBeUndefined();
  });
});
