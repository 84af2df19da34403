import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LedgerView } from '../../shared/ipc/contract';
import type { HomeLayout } from './home';
import type { LoadedSigner } from './keys';
import { TokenOpsError } from '../../shared/errors';
import { CreditLedger, ReceiptLedger } from './ledger';
import { departureFromSeen, readSeenHeads, rememberHeads } from './ledger/seen-heads';

/** The home's two ledgers (credits and usage receipts), opened on first use with the home's signing key. */
export class Ledgers {
  private opened?: Promise<{ credits: CreditLedger; receipts: ReceiptLedger }>;

  constructor(
    private readonly layout: HomeLayout,
    private readonly signer: () => Promise<LoadedSigner>,
  ) {}

  open(): Promise<{ credits: CreditLedger; receipts: ReceiptLedger }> {
    this.opened ??= (async () => {
      const signer = await this.signer();
      await mkdir(dirname(this.layout.creditLedger), { recursive: true });
      const [credits, receipts] = await Promise.all([
        CreditLedger.open(this.layout.creditLedger, { signer }),
        ReceiptLedger.open(this.layout.receiptLedger, { signer }),
      ]);
      return { credits, receipts };
    })();
    return this.opened;
  }

  /** Reads the ledgers afresh on next use: another process may have appended while we held no lock. */
  forget(): void {
    this.opened = undefined;
  }

  /** Problems with the ledgers as this home last saw them (a ledger deleted, truncated or swapped whole). */
  async departures(): Promise<string[]> {
    const { credits, receipts } = await this.open();
    const [creditLines, receiptLines] = await Promise.all([credits.entries(), receipts.list()]);
    return this.departuresOf(creditLines, receiptLines);
  }

  private async departuresOf(
    creditLines: ReadonlyArray<{ hash: string }>,
    receiptLines: ReadonlyArray<{ hash: string }>,
  ): Promise<string[]> {
    const seen = await readSeenHeads(this.layout.seenLedgerHeads);
    return [
      departureFromSeen('credit ledger', creditLines, seen['credit ledger']),
      departureFromSeen('receipt ledger', receiptLines, seen['receipt ledger']),
    ].filter((p): p is string => p !== null);
  }

  /** Refuses (ledger_tampered) while a ledger is not the one last seen: debits must never restart from zero. */
  async assertAsLastSeen(): Promise<void> {
    const problems = await this.departures();
    if (problems.length) throw new TokenOpsError('ledger_tampered', problems.join(' '));
  }

  /** Records the ledgers' current heads as seen (after a verified read or an append). */
  async remember(at: string): Promise<void> {
    const { credits, receipts } = await this.open();
    const [creditLines, receiptLines] = await Promise.all([credits.entries(), receipts.list()]);
    await rememberHeads(
      this.layout.seenLedgerHeads,
      { 'credit ledger': creditLines, 'receipt ledger': receiptLines },
      at,
    );
  }

  /** Receipts, balances over time and the integrity check of both ledgers, for the ledger screen and `receipt list|verify`. */
  async view(): Promise<LedgerView> {
    const { credits, receipts } = await this.open();
    const [creditLines, receiptLines, creditCheck, receiptCheck] = await Promise.all([
      credits.entries(),
      receipts.list(),
      credits.verify(),
      receipts.verify(),
    ]);
    const departures = await this.departuresOf(creditLines, receiptLines);
    const running = new Map<string, { granted: number; debited: number }>();
    const credit_events: LedgerView['credit_events'] = [];
    for (const line of creditLines) {
      const e = line.entry;
      const acc = running.get(e.credit_entitlement_id) ?? { granted: 0, debited: 0 };
      if (e.type === 'grant') acc.granted += e.credits;
      else acc.debited += e.credits;
      running.set(e.credit_entitlement_id, acc);
      credit_events.push({
        at: line.at,
        credit_entitlement_id: e.credit_entitlement_id,
        type: e.type,
        credits: e.credits,
        ...(e.run_id ? { run_id: e.run_id } : {}),
        balance_after: acc.granted - acc.debited,
      });
    }
    return {
      receipts: receiptLines.map((l) => l.entry),
      verify: {
        ok: creditCheck.ok && receiptCheck.ok && departures.length === 0,
        entries: creditCheck.entries + receiptCheck.entries,
        problems: [
          ...creditCheck.problems.map((p) => `credit ledger: ${p}`),
          ...receiptCheck.problems.map((p) => `receipt ledger: ${p}`),
          ...departures,
        ],
      },
      balances: [...running].map(([id, a]) => ({
        credit_entitlement_id: id,
        granted: a.granted,
        debited: a.debited,
        balance: a.granted - a.debited,
      })),
      credit_events,
    };
  }
}
