/**
 * What an attempt's outcome means, following the Standard Webhooks "delivery success and failure"
 * section: 2xx delivered; 410 disables the destination; 3xx is never followed; client errors are
 * permanent except those that invite a retry; 5xx, timeouts and network errors are retried.
 */
import type { PostOutcome } from './http-post';

export type Verdict =
  | { kind: 'delivered' }
  | { kind: 'retry'; error: string; retryAfter?: string }
  | { kind: 'permanent'; error: string }
  | { kind: 'gone'; error: string };

/** 408 Request Timeout, 409 Conflict, 425 Too Early, 429 Too Many Requests: the receiver asks us to come back. */
const RETRYABLE_4XX = new Set([408, 409, 425, 429]);

function httpError(outcome: Extract<PostOutcome, { kind: 'response' }>): string {
  // Control characters (a receiver's raw bytes) would garble a terminal line.
  // eslint-disable-next-line no-control-regex
  const text = outcome.bodySnippet.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return `HTTP ${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ''}${text ? `: ${text}` : ''}`;
}

export function judge(outcome: PostOutcome): Verdict {
  if (outcome.kind === 'error')
    return outcome.refused ? { kind: 'permanent', error: outcome.error } : { kind: 'retry', error: outcome.error };
  const { status } = outcome;
  if (status >= 200 && status <= 299) return { kind: 'delivered' };
  if (status >= 300 && status <= 399) {
    const to = outcome.location ? `redirect to ${outcome.location}` : `redirect (HTTP ${status}, no Location)`;
    // Retrying the same URL would only be redirected again; a person has to fix the URL.
    return { kind: 'permanent', error: `HTTP ${status}: ${to} not followed; update the callback URL` };
  }
  if (status === 410) {
    return { kind: 'gone', error: `HTTP 410 Gone: the receiver no longer wants these callbacks; destination disabled` };
  }
  if (status >= 400 && status <= 499 && !RETRYABLE_4XX.has(status)) {
    return {
      kind: 'permanent',
      error: `${httpError(outcome)} (the receiver refused the message; retrying would not help)`,
    };
  }
  return { kind: 'retry', error: httpError(outcome), retryAfter: outcome.retryAfter };
}
