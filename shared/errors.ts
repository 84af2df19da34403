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
  | 'delivery_failed'
  /** A callback URL on a loopback or private address, which the operator has not allowed. */
  | 'private_destination';

/**
 * Codes only the app's transport produces: a service threw something unexpected (`internal`), the
 * bridge is missing or silent, or a dropped item has no path. With ErrorCode they close the set of
 * codes the renderer can see, so a new code does not compile until the renderer has words for it.
 */
type TransportErrorCode = 'internal' | 'not_connected' | 'bridge_failed' | 'no_path';
export type IpcErrorCode = ErrorCode | TransportErrorCode;

const IPC_ERROR_CODES: Record<IpcErrorCode, true> = {
  usage: true,
  input_invalid: true,
  not_found: true,
  conflict: true,
  locked: true,
  corrupt_store: true,
  check_failed: true,
  secret_found: true,
  insufficient_evidence: true,
  insufficient_credits: true,
  bundle_invalid: true,
  ledger_tampered: true,
  cancelled: true,
  delivery_failed: true,
  private_destination: true,
  internal: true,
  not_connected: true,
  bridge_failed: true,
  no_path: true,
};

/** A code read off the wire (another version may send one we do not know: it reads as `internal`). */
export function asIpcErrorCode(code: unknown): IpcErrorCode {
  return typeof code === 'string' && Object.hasOwn(IPC_ERROR_CODES, code) ? (code as IpcErrorCode) : 'internal';
}

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
