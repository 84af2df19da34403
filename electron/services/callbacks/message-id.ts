/**
 * Webhook ids (`msg_…`). They become file names and the receiver's idempotency key, so they use only
 * [0-9A-Z] (no '.', which the signature scheme forbids, and nothing a file system mangles).
 */
import { createHash, randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const MESSAGE_ID_PATTERN = /^msg_[0-9A-Z]{26}$/;

function base32(bytes: Uint8Array, length: number): string {
  // 256 is a multiple of 32, so taking each byte mod 32 keeps the characters uniform.
  let out = '';
  for (let i = 0; i < length; i++) out += CROCKFORD[bytes[i] % 32];
  return out;
}

/** ULID-shaped: 10 characters of millisecond time (so ids sort by creation) + 16 random characters. */
export function newMessageId(nowMs: number = Date.now()): string {
  let time = '';
  let t = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `msg_${time}${base32(randomBytes(16), 16)}`;
}

/** Same inputs, same id: makes enqueue idempotent across processes without an index. */
export function derivedMessageId(parts: string[]): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
  return `msg_${base32(digest, 26)}`;
}
