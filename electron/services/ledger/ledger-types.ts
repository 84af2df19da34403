/** Shapes shared by the ledger modules. */

/** prev_hash of the first line. */
export const GENESIS_HASH = '0'.repeat(64);

/** One JSON Lines record. `seq` starts at 1, so it is also the line number. */
export interface LedgerLine<E> {
  seq: number;
  at: string;
  prev_hash: string;
  /** sha256 hex of canonical JSON of `{ seq, at, prev_hash, entry }`. */
  hash: string;
  entry: E;
}

/** `<ledger>.head.json`: the last committed line, signed over canonical JSON of `{ seq, hash, count }`. */
export interface SignedHead {
  seq: number;
  hash: string;
  count: number;
  at: string;
  key_id: string;
  public_key_pem: string;
  /** base64 Ed25519 signature. */
  sig: string;
}

export interface LedgerVerification {
  ok: boolean;
  /** Complete lines found in the file. */
  entries: number;
  /** One sentence per problem, naming the line and what is wrong. Empty when ok. */
  problems: string[];
  /** Crash artifacts removed while verifying (uncommitted torn or unsigned last line). */
  repairs: string[];
}
