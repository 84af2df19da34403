/**
 * One error type for everything a person or an agent must act on.
 * `exitCode` follows the CLI contract: 1 = a check failed, 2 = usage or input error.
 * `message` is written for a person: what went wrong, where, and what to do next.
 */
export type ErrorCode =
  | 'usage'
  | 'input_invalid'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'corrupt_store'
  | 'check_failed'
  | 'secret_found'
  | 'insufficient_evidence'
  | 'insufficient_credits'
  | 'bundle_invalid'
  | 'ledger_tampered'
  | 'cancelled'
  | 'delivery_failed';

const CHECK_FAILURES: ReadonlySet<ErrorCode> = new Set([
  'check_failed',
  'secret_found',
  'insufficient_evidence',
  'insufficient_credits',
  'bundle_invalid',
  'ledger_tampered',
  'delivery_failed',
]);

export class TokenOpsError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'TokenOpsError';
    this.code = code;
    this.details = details;
  }
  get exitCode(): 1 | 2 {
    return CHECK_FAILURES.has(this.code) ? 1 : 2;
  }
}

export function isTokenOpsError(e: unknown): e is TokenOpsError {
  return (
    e instanceof Error && (e as TokenOpsError).name === 'TokenOpsError' && typeof (e as TokenOpsError).code === 'string'
  );
}
