/**
 * Receipt ledger: the append-only, hash-chained record of usage receipts. A receipt is immutable:
 * appending the same receipt again is a no-op; a different receipt under a used receipt_id is refused.
 */
import { TokenOpsError } from '../../../shared/errors';
import { canonicalJson } from '../../../shared/canonical-json';
import { HashChainLedger, type LedgerOptions } from './hash-chain-ledger';
import type { LedgerLine, LedgerVerification } from './ledger-types';

/** A usage receipt as built in shared/ (opaque here) — it must carry a receipt_id. */
export type ReceiptRecord = Record<string, unknown> & { receipt_id: string };

export interface ReceiptAppendResult {
  entry: LedgerLine<ReceiptRecord>;
  /** True when this exact receipt was already recorded; nothing new was written. */
  alreadyRecorded: boolean;
}

export class ReceiptLedger {
  /** receipt_id → line, rebuilt whenever the committed view is not the one we indexed. */
  private index = new Map<string, LedgerLine<ReceiptRecord>>();
  /** The paid run's own receipt id (evidence_receipt_id) → the first TokenOps receipt that covered it. */
  private byEvidence = new Map<string, LedgerLine<ReceiptRecord>>();
  private indexedHash: string | undefined;
  private indexed = 0;

  private constructor(readonly ledger: HashChainLedger<ReceiptRecord>) {}

  static async open(path: string, options: LedgerOptions): Promise<ReceiptLedger> {
    return new ReceiptLedger(await HashChainLedger.open<ReceiptRecord>(path, options));
  }

  get path(): string {
    return this.ledger.path;
  }

  get repairs(): readonly string[] {
    return this.ledger.repairs;
  }

  async append(receipt: ReceiptRecord): Promise<ReceiptAppendResult> {
    const id = receipt?.receipt_id;
    if (typeof id !== 'string' || id.trim() === '') {
      throw new TokenOpsError(
        'input_invalid',
        'A usage receipt needs a non-empty string receipt_id before it can be recorded.',
      );
    }
    const text = canonicalJson(receipt); // refuses NaN, cycles, … before taking the lock
    return this.ledger.transact(async (tx) => {
      this.sync(tx.lines);
      const existing = this.index.get(id);
      if (existing) {
        if (canonicalJson(existing.entry) === text) return { entry: existing, alreadyRecorded: true };
        throw new TokenOpsError(
          'conflict',
          `Receipt ${id} is already in the receipt ledger (line ${existing.seq}) with different content. ` +
            'Receipts are immutable: issue the corrected receipt under a new receipt_id.',
        );
      }
      const entry = await tx.append(receipt);
      this.sync(tx.lines);
      return { entry, alreadyRecorded: false };
    });
  }

  list(): Promise<LedgerLine<ReceiptRecord>[]> {
    return this.ledger.read();
  }

  get(receiptId: string): Promise<LedgerLine<ReceiptRecord> | undefined> {
    return this.ledger.transact((tx) => {
      this.sync(tx.lines);
      return this.index.get(receiptId);
    });
  }

  /** The receipt already issued for a paid run's own receipt (its `evidence_receipt_id`), if any. */
  forEvidenceReceipt(evidenceReceiptId: string): Promise<LedgerLine<ReceiptRecord> | undefined> {
    return this.ledger.transact((tx) => {
      this.sync(tx.lines);
      return this.byEvidence.get(evidenceReceiptId);
    });
  }

  verify(): Promise<LedgerVerification> {
    return this.ledger.verify();
  }

  private sync(lines: readonly LedgerLine<ReceiptRecord>[]): void {
    if (this.indexed > lines.length || (this.indexed > 0 && lines[this.indexed - 1].hash !== this.indexedHash)) {
      this.index = new Map();
      this.byEvidence = new Map();
      this.indexed = 0;
    }
    for (; this.indexed < lines.length; this.indexed++) {
      const line = lines[this.indexed];
      this.index.set(line.entry.receipt_id, line);
      const paid = (line.entry as { evidence_receipt_id?: unknown }).evidence_receipt_id;
      if (typeof paid === 'string' && paid && !this.byEvidence.has(paid)) this.byEvidence.set(paid, line);
      this.indexedHash = line.hash;
    }
  }
}
