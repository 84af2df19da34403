import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LedgerView } from '../../shared/ipc/contract';
import type { HomeLayout } from './home';
import type { LoadedSigner } from './keys';
import { CreditLedger, ReceiptLedger } from './ledger';

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

  /** Receipts, balances over time and the integrity check of both ledgers, for the ledger screen and `receipt list|verify`. */
  async view(): Promise<LedgerView> {
    const { credits, receipts } = await this.open();
    const [creditLines, receiptLines, creditCheck, receiptCheck] = await Promise.all([
      credits.entries(),
      receipts.list(),
      credits.verify(),
      receipts.verify(),
    ]);
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
        ok: creditCheck.ok && receiptCheck.ok,
        entries: creditCheck.entries + receiptCheck.entries,
        problems: [
          ...creditCheck.problems.map((p) => `credit ledger: ${p}`),
          ...receiptCheck.problems.map((p) => `receipt ledger: ${p}`),
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
