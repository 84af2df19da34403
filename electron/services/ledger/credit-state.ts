/**
 * Balances and idempotency keys folded from credit ledger lines. Pure; kept apart from the file
 * handling so the rules (balance = grants − debits, one entry per key) live in one place.
 */
import { TokenOpsError } from '../../../shared/errors';
import type { LedgerLine } from './ledger-types';

export interface CreditEntry {
  type: 'grant' | 'debit';
  credit_entitlement_id: string;
  /** Integer ≥ 0. */
  credits: number;
  idempotency_key: string;
  run_id?: string;
  source?: string;
}

export class CreditState {
  private readonly byKey = new Map<string, LedgerLine<CreditEntry>>();
  private readonly balances = new Map<string, number>();
  /** How many lines have been folded in, and the hash of the last one. */
  folded = 0;
  lastHash: string | undefined;

  /** Fold lines not yet seen. Lines must be the same committed prefix plus new lines. */
  catchUp(lines: readonly LedgerLine<CreditEntry>[]): void {
    for (; this.folded < lines.length; this.folded++) {
      this.add(lines[this.folded]);
      this.lastHash = lines[this.folded].hash;
    }
  }

  entryFor(idempotencyKey: string): LedgerLine<CreditEntry> | undefined {
    return this.byKey.get(idempotencyKey);
  }

  balance(entitlementId: string): number {
    return this.balances.get(entitlementId) ?? 0;
  }

  private add(line: LedgerLine<CreditEntry>): void {
    const e = line.entry;
    const wellFormed =
      typeof e === 'object' &&
      e !== null &&
      (e.type === 'grant' || e.type === 'debit') &&
      typeof e.credit_entitlement_id === 'string' &&
      Number.isSafeInteger(e.credits) &&
      e.credits >= 0 &&
      typeof e.idempotency_key === 'string';
    if (!wellFormed) {
      throw new TokenOpsError(
        'ledger_tampered',
        `Credit ledger line ${line.seq} is not a credit entry (grant or debit with integer credits); this file is not a credit ledger or was written by something else.`,
      );
    }
    if (this.byKey.has(e.idempotency_key)) {
      throw new TokenOpsError(
        'ledger_tampered',
        `Credit ledger line ${line.seq} repeats idempotency key "${e.idempotency_key}" of line ${this.byKey.get(e.idempotency_key)!.seq}; a key is written once, so this ledger was not written by TokenOps alone.`,
      );
    }
    this.byKey.set(e.idempotency_key, line);
    const sign = e.type === 'grant' ? 1 : -1;
    this.balances.set(e.credit_entitlement_id, this.balance(e.credit_entitlement_id) + sign * e.credits);
  }
}
