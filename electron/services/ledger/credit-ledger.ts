/**
 * Credit ledger: grants fund an entitlement, debits spend it, one paid run debits at most once.
 * Every check (idempotency key, balance) and the append that follows happen in one transaction
 * under the ledger lock, so retries, racing processes and replays cannot double-debit or overdraw.
 */
import { TokenOpsError } from '../../../shared/errors';
import { HashChainLedger, type LedgerOptions } from './hash-chain-ledger';
import { CreditState, type CreditEntry } from './credit-state';
import type { LedgerLine, LedgerVerification } from './ledger-types';

export type { CreditEntry } from './credit-state';

export interface GrantResult {
  entry: LedgerLine<CreditEntry>;
  /** True when this idempotency key was already granted; nothing new was written. */
  alreadyGranted: boolean;
  /** Entitlement balance after this call. */
  balance: number;
}

export interface DebitRequest {
  entitlementId: string;
  runId: string;
  credits: number;
}

export interface DebitResult {
  entry: LedgerLine<CreditEntry>;
  /** True when this run had already been debited; nothing new was written. */
  alreadyDebited: boolean;
  /** Entitlement balance after this call (the receipt's remaining credits). */
  balance: number;
}

/** The idempotency key of a run's one debit. */
export function debitKey(runId: string): string {
  return `debit:${runId}`;
}

export class CreditLedger {
  private state = new CreditState();

  private constructor(readonly ledger: HashChainLedger<CreditEntry>) {}

  static async open(path: string, options: LedgerOptions): Promise<CreditLedger> {
    return new CreditLedger(await HashChainLedger.open<CreditEntry>(path, options));
  }

  get path(): string {
    return this.ledger.path;
  }

  /** Crash artifacts cut away since open. */
  get repairs(): readonly string[] {
    return this.ledger.repairs;
  }

  /** Fund an entitlement. Re-granting the same key returns the existing grant and writes nothing. */
  async grant(entitlementId: string, credits: number, idempotencyKey: string, source?: string): Promise<GrantResult> {
    requireId('entitlement id', entitlementId);
    requireId('idempotency key', idempotencyKey);
    requireCredits(credits);
    if (idempotencyKey.startsWith('debit:')) {
      throw new TokenOpsError(
        'input_invalid',
        `Grant idempotency key "${idempotencyKey}" starts with "debit:", which is reserved for run debits; use another key.`,
      );
    }
    return this.ledger.transact(async (tx) => {
      this.sync(tx.lines);
      const existing = this.state.entryFor(idempotencyKey);
      if (existing) {
        const e = existing.entry;
        if (e.type !== 'grant' || e.credit_entitlement_id !== entitlementId || e.credits !== credits) {
          throw new TokenOpsError(
            'conflict',
            `Idempotency key "${idempotencyKey}" was already used at line ${existing.seq} for a ${e.type} of ${e.credits} credits on ${e.credit_entitlement_id}; ` +
              `this grant asks for ${credits} credits on ${entitlementId}. Use a new key for a different grant.`,
          );
        }
        return { entry: existing, alreadyGranted: true, balance: this.state.balance(entitlementId) };
      }
      const after = this.state.balance(entitlementId) + credits;
      if (!Number.isSafeInteger(after)) {
        throw new TokenOpsError(
          'input_invalid',
          `Granting ${credits} credits would take ${entitlementId} past the largest safe integer; grant less.`,
        );
      }
      const entry = await tx.append({
        type: 'grant',
        credit_entitlement_id: entitlementId,
        credits,
        idempotency_key: idempotencyKey,
        source,
      });
      this.sync(tx.lines);
      return { entry, alreadyGranted: false, balance: after };
    });
  }

  /**
   * Debit a run's credits once. A second call for the same run (retry, racing process, replay)
   * returns the first debit with `alreadyDebited: true`. Refuses an overdraw and writes nothing.
   */
  async debitOnce({ entitlementId, runId, credits }: DebitRequest): Promise<DebitResult> {
    requireId('entitlement id', entitlementId);
    requireId('run id', runId);
    requireCredits(credits);
    const key = debitKey(runId);
    return this.ledger.transact(async (tx) => {
      this.sync(tx.lines);
      const existing = this.state.entryFor(key);
      if (existing) {
        const e = existing.entry;
        if (e.type !== 'debit' || e.credit_entitlement_id !== entitlementId || e.credits !== credits) {
          throw new TokenOpsError(
            'conflict',
            `Run ${runId} was already debited ${e.credits} credits from ${e.credit_entitlement_id} (line ${existing.seq}); ` +
              `this call asks for ${credits} from ${entitlementId}. A run is debited once: nothing more was debited.`,
          );
        }
        return { entry: existing, alreadyDebited: true, balance: this.state.balance(entitlementId) };
      }
      const balance = this.state.balance(entitlementId);
      if (balance < credits) {
        throw new TokenOpsError(
          'insufficient_credits',
          `Entitlement ${entitlementId} has ${balance} credits; run ${runId} needs ${credits}. ` +
            'Nothing was debited: grant more credits to this entitlement, then retry.',
          { entitlementId, balance, requested: credits, runId },
        );
      }
      const entry = await tx.append({
        type: 'debit',
        credit_entitlement_id: entitlementId,
        credits,
        idempotency_key: key,
        run_id: runId,
      });
      this.sync(tx.lines);
      return { entry, alreadyDebited: false, balance: balance - credits };
    });
  }

  /** Grants − debits for one entitlement (0 if never granted). */
  balance(entitlementId: string): Promise<number> {
    return this.ledger.transact((tx) => {
      this.sync(tx.lines);
      return this.state.balance(entitlementId);
    });
  }

  /** The debit of a run, if any. */
  debitFor(runId: string): Promise<LedgerLine<CreditEntry> | undefined> {
    return this.ledger.transact((tx) => {
      this.sync(tx.lines);
      return this.state.entryFor(debitKey(runId));
    });
  }

  entries(): Promise<LedgerLine<CreditEntry>[]> {
    return this.ledger.read();
  }

  verify(): Promise<LedgerVerification> {
    return this.ledger.verify();
  }

  private sync(lines: readonly LedgerLine<CreditEntry>[]): void {
    // The committed view only grows; if it is not our folded prefix any more (full re-read after
    // a repair), fold again from scratch rather than trust stale balances.
    const folded = this.state.folded;
    if (folded > lines.length || (folded > 0 && lines[folded - 1].hash !== this.state.lastHash)) {
      this.state = new CreditState();
    }
    this.state.catchUp(lines);
  }
}

function requireId(what: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TokenOpsError('input_invalid', `The ${what} is empty; give a non-empty string.`);
  }
}

function requireCredits(credits: number): void {
  if (!Number.isSafeInteger(credits) || credits < 0) {
    throw new TokenOpsError('input_invalid', `Credits must be a whole number ≥ 0; got ${String(credits)}.`);
  }
}
