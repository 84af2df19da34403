/** When to try again: exponential backoff with full jitter, or the receiver's Retry-After. */

export interface RetryPolicy {
  /** First backoff ceiling; doubles per failed attempt. */
  baseMs: number;
  /** No wait (backoff or Retry-After) is ever longer than this. */
  capMs: number;
  /** Total attempts per message before it is marked failed. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 5_000, capMs: 60 * 60_000, maxAttempts: 8 };

/**
 * Full jitter (a uniform wait in [0, min(cap, base·2^(n-1))]) spreads retries from many senders so a
 * receiver that failed under load is not hit again all at once. `failedAttempts` counts from 1.
 */
export function backoffDelayMs(
  failedAttempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 52);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/** Retry-After as a delay in ms: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined if absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only accept something that looks like a date, so "soon" or "-5" are not read as one.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** The wait before the next attempt: Retry-After when the receiver gave one, else jittered backoff; always capped. */
export function nextDelayMs(
  failedAttempts: number,
  retryAfter: string | undefined,
  nowMs: number,
  policy: RetryPolicy,
  random?: () => number,
): number {
  const asked = retryAfterMs(retryAfter, nowMs);
  const delay = asked ?? backoffDelayMs(failedAttempts, policy, random);
  return Math.min(delay, policy.capMs);
}
