import { useEffect } from 'react';
import { useStore } from '../store';
import { ScreenHeading } from '../components/ScreenHeading';
import { Callout } from '../components/Callout';
import { BalanceChart } from '../components/BalanceChart';
import { ReceiptsTable } from '../components/ReceiptsTable';
import { EmptyState } from '../components/EmptyState';
import { Spinner } from '../components/Spinner';
import { formatNumber } from '../format';

export function LedgerScreen() {
  const ledger = useStore((s) => s.ledger);
  const loading = useStore((s) => s.ledgerLoading);
  const error = useStore((s) => s.ledgerError);
  const loadLedger = useStore((s) => s.loadLedger);
  useEffect(() => {
    void loadLedger();
  }, [loadLedger]);

  return (
    <div className="screen">
      <div className="screen-head">
        <div>
          <ScreenHeading>Ledger</ScreenHeading>
          <p>
            Credits granted and debited per entitlement, and every usage receipt, in hash-chained append-only ledgers.
          </p>
        </div>
        <div className="screen-actions">
          <button type="button" className="btn" onClick={() => void loadLedger()} disabled={loading}>
            {loading ? <Spinner /> : null} Check again
          </button>
        </div>
      </div>

      {!ledger ? (
        error ? (
          <Callout tone="bad" title="Could not read the ledger" role="alert">
            <p>{error}</p>
          </Callout>
        ) : (
          <p className="row muted">
            <Spinner /> Reading the ledger…
          </p>
        )
      ) : (
        <>
          <Callout
            tone={ledger.verify.ok ? 'ok' : 'bad'}
            role={ledger.verify.ok ? 'status' : 'alert'}
            title={ledger.verify.ok ? 'Ledger intact' : 'Ledger does not verify'}
          >
            <p>
              {ledger.verify.ok
                ? `${formatNumber(ledger.verify.entries)} entries checked: every hash links to the one before and the signed head matches.`
                : 'The ledger was changed outside TokenOps or is damaged. Do not debit from it until this is resolved.'}
            </p>
            {ledger.verify.problems.length > 0 && (
              <ul>
                {ledger.verify.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </Callout>

          <section className="section" aria-labelledby="balances-title">
            <div className="section-title">
              <h2 id="balances-title">Credit balances</h2>
              <span className="subtle">
                {ledger.balances.length} entitlement{ledger.balances.length === 1 ? '' : 's'}
              </span>
            </div>
            {ledger.balances.length === 0 ? (
              <div className="card">
                <EmptyState icon="ledger" title="No credit events yet" compact>
                  <span>Credits appear once a run with a credit ledger entry is packaged.</span>
                </EmptyState>
              </div>
            ) : (
              <div className="balances-grid">
                {ledger.balances.map((b) => (
                  <article
                    key={b.credit_entitlement_id}
                    className="card card-pad balance-card"
                    aria-label={`Entitlement ${b.credit_entitlement_id}`}
                  >
                    <div className="balance-head">
                      <div>
                        <div className="eyebrow">Entitlement</div>
                        <div className="mono break">{b.credit_entitlement_id}</div>
                      </div>
                      <div className="balance-now">
                        <span className="big num">{formatNumber(b.balance)}</span>
                        <span className="subtle">credits left</span>
                      </div>
                    </div>
                    <div className="row subtle balance-sub">
                      <span>Granted {formatNumber(b.granted)}</span>
                      <span aria-hidden="true">·</span>
                      <span>Debited {formatNumber(b.debited)}</span>
                    </div>
                    <BalanceChart
                      entitlement={b.credit_entitlement_id}
                      events={ledger.credit_events.filter((e) => e.credit_entitlement_id === b.credit_entitlement_id)}
                    />
                  </article>
                ))}
              </div>
            )}
          </section>

          <section className="section" aria-labelledby="receipts-title">
            <div className="section-title">
              <h2 id="receipts-title">Usage receipts</h2>
              <span className="subtle">{ledger.receipts.length}</span>
            </div>
            <div className="card">
              <ReceiptsTable receipts={ledger.receipts} />
            </div>
          </section>
        </>
      )}
    </div>
  );
}
