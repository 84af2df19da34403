/**
 * Standard Webhooks v1 (symmetric) signing and verification.
 * Spec: github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md.
 * Signed content is `${id}.${timestamp}.${body}`; the signature is HMAC-SHA256 keyed with the
 * base64-decoded bytes after `whsec_`, sent as `v1,<base64>` (space-separated when several).
 */
import { decodeBase64Strict } from '../../../shared/base64';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { TokenOpsError } from '../../../shared/errors';

export const SECRET_PREFIX = 'whsec_';
/** The spec asks for at least 24 bytes (192 bits) and at most 512 bits. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

// A type alias (not an interface) so it is assignable to the header records verifyWebhook accepts.
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** Decodes a `whsec_…` secret to its key bytes, refusing anything that is not exactly that shape. */
export function parseSecret(secret: string): Buffer {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TokenOpsError(
      'input_invalid',
      'The callback secret is empty. Use a Standard Webhooks secret such as one from generateWebhookSecret() ("whsec_" followed by base64).',
    );
  }
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new TokenOpsError(
      'input_invalid',
      `The callback secret must start with "${SECRET_PREFIX}" followed by base64 (Standard Webhooks format). Generate a new one or add the prefix if the rest is already base64.`,
    );
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  const bytes = encoded ? decodeBase64Strict(encoded, { urlSafe: false, padded: true }) : null;
  if (!bytes) {
    throw new TokenOpsError(
      'input_invalid',
      `The callback secret after "${SECRET_PREFIX}" is not valid padded base64 (A–Z, a–z, 0–9, +, /, '=' padding). Check that it was copied whole.`,
    );
  }
  const key = Buffer.from(bytes);
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new TokenOpsError(
      'input_invalid',
      `The callback secret decodes to ${key.length} bytes; Standard Webhooks needs ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES}. Generate a new secret.`,
    );
  }
  return key;
}

/** A fresh secret: `whsec_` + base64 of `bytes` random bytes (default 32). */
export function generateWebhookSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new TokenOpsError(
      'input_invalid',
      `A webhook secret must be ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} random bytes; ${bytes} was asked for.`,
    );
  }
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

function hmac(key: Buffer, id: string, timestamp: number | string, body: string | Uint8Array): Buffer {
  const h = createHmac('sha256', key);
  h.update(`${id}.${timestamp}.`, 'utf8');
  h.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return h.digest();
}

/** The three Standard Webhooks headers for one delivery attempt. */
export function signWebhook(args: { id: string; timestamp: number; body: string; secret: string }): WebhookHeaders {
  const { id, timestamp, body, secret } = args;
  // The spec warns that a '.' in the id or timestamp would make the signed content ambiguous.
  if (typeof id !== 'string' || id.length === 0 || id.includes('.') || /\s/.test(id)) {
    throw new TokenOpsError(
      'input_invalid',
      `Webhook id "${id}" is not usable: it must be non-empty, without '.' or spaces.`,
    );
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TokenOpsError('input_invalid', `Webhook timestamp must be whole unix seconds; got ${String(timestamp)}.`);
  }
  const signature = hmac(parseSecret(secret), id, timestamp, body).toString('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}

/** Node's IncomingHttpHeaders, a plain record (any case), or a fetch Headers. */
export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? value.join(' ') : value;
}

function reject(reason: string): never {
  throw new TokenOpsError('check_failed', `Webhook verification failed: ${reason}`);
}

/**
 * Checks a received webhook. Throws TokenOpsError('check_failed') with the reason; returns the id and
 * timestamp when one of the `v1` signatures matches. `body` must be the raw bytes as received.
 */
export function verifyWebhook(
  headers: HeaderBag,
  body: string | Uint8Array,
  secret: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): { id: string; timestamp: number } {
  const key = parseSecret(secret);
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const sigs = header(headers, 'webhook-signature');
  if (!id || !ts || !sigs) reject('the webhook-id, webhook-timestamp and webhook-signature headers are all required.');
  if (!/^\d{1,15}$/.test(ts)) reject(`webhook-timestamp "${ts}" is not unix seconds.`);
  const timestamp = Number(ts);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    reject(
      `webhook-timestamp ${timestamp} is more than ${tolerance} s from now (${nowSeconds}); stale or replayed message, or a wrong clock.`,
    );
  }
  const expected = hmac(key, id, ts, body);
  let matched = false;
  for (const entry of sigs.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    // Check every entry (no early exit) and compare in constant time.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) reject('no v1 signature matches this body and secret (body altered, or a different secret).');
  return { id, timestamp };
}
