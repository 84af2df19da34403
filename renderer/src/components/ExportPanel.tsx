import type { RunView } from '../../../shared/ipc/contract';
import { useStore } from '../store';
import { BundleSummary } from './BundleSummary';
import { Callout } from './Callout';
import { ExceptionTicketCard } from './ExceptionTicketCard';
import { ExportProgress } from './ExportProgress';
import { Icon } from './Icon';
import { useFocusReturn } from '../hooks/useFocusReturn';

/** Longer blockers are shortened here (in full for screen readers and on hover); the panels above give the details. */
const BLOCKER_CHARS = 140;

/** Package & sign, its progress, and what came out: a signed bundle, or an exception ticket to repair and replay. */
export function ExportPanel({ view }: { view: RunView }) {
  const { run, evaluation } = view;
  const packagingRunId = useStore((s) => s.packagingRunId);
  const progress = useStore((s) => s.progress);
  const cancelRequested = useStore((s) => s.cancelRequested);
  const outcome = useStore((s) => s.outcomes[run.run_id]);
  const replaying = useStore((s) => s.replayingRunId === run.run_id);
  const sending = useStore((s) => s.sendingCallbackRunId === run.run_id);
  const callbackResult = useStore((s) => s.callbacks[run.run_id]);
  const packageRun = useStore((s) => s.packageRun);
  // Packaging while files are still being taken in would package without them.
  const runBusy = useStore((s) => s.runBusy);
  const cancelPackage = useStore((s) => s.cancelPackage);
  const replayRun = useStore((s) => s.replayRun);
  const sendCallback = useStore((s) => s.sendCallback);
  const go = useStore((s) => s.go);
  const verifyBundle = useStore((s) => s.verifyBundle);
  const revealBundle = useStore((s) => s.revealBundle);

  const packaging = packagingRunId === run.run_id;
  // Package & sign is replaced by the progress while it runs; afterwards focus goes to the result.
  useFocusReturn(packaging, () => document.querySelector<HTMLElement>('.export-panel .card-body button') ?? null);
  const bundle = run.outputs?.bundle ?? (outcome?.packaged ? outcome.bundle : null);
  const packaged = run.state === 'packaged' || run.state === 'delivered' || !!bundle;
  const openTicket = [...run.exceptions].reverse().find((t) => t.status !== 'resolved') ?? null;
  const ticket = openTicket ?? (outcome && !outcome.packaged ? outcome.exception_ticket : null);
  const blockers = outcome && !outcome.packaged && outcome.blockers.length ? outcome.blockers : evaluation.blockers;

  return (
    <section className="card export-panel" aria-labelledby="export-title">
      <div className="card-head">
        <h2 id="export-title">Export</h2>
        {packaged && <span className="badge tone-ok">Signed</span>}
      </div>
      <div className="card-body stack">
        {packaged && bundle ? (
          <>
            <Callout tone="ok" title="Signed bundle exported" role="status">
              <p>The result package, usage receipt and evidence are sealed in a signed BagIt bundle.</p>
            </Callout>
            <BundleSummary bundle={bundle} />
            {outcome?.credits && (
              <p className="subtle">
                {outcome.credits.already_debited
                  ? 'Credits were already debited for this run; not debited again.'
                  : `${outcome.credits.debited} credit debited.`}{' '}
                {outcome.credits.remaining} remaining on the entitlement.
              </p>
            )}
            <div className="row">
              <button
                type="button"
                className="btn"
                onClick={() => {
                  go({ name: 'verify' });
                  void verifyBundle({ kind: 'run', run_id: run.run_id, display: bundle.path });
                }}
              >
                <Icon name="verify" /> Verify this bundle
              </button>
              <button type="button" className="btn" onClick={() => void revealBundle(run.run_id)}>
                <Icon name="folder" /> Show in folder
              </button>
              {run.callback && (
                <button type="button" className="btn" onClick={() => void sendCallback(run.run_id)} disabled={sending}>
                  <Icon name="send" /> {sending ? 'Sending…' : 'Send callback'}
                </button>
              )}
            </div>
            {callbackResult && (
              <p className="subtle">
                Callback {callbackResult.state.replace(/_/g, ' ')} · {callbackResult.attempts.length} attempt
                {callbackResult.attempts.length === 1 ? '' : 's'}
                {callbackResult.attempts.at(-1)?.error ? ` · ${callbackResult.attempts.at(-1)?.error}` : ''}
              </p>
            )}
          </>
        ) : packaging ? (
          <ExportProgress progress={progress} cancelling={cancelRequested} onCancel={() => void cancelPackage()} />
        ) : (
          <>
            {evaluation.deliverable ? (
              <p className="muted">
                {ticket
                  ? 'The missing evidence is in: replay the run from its exception ticket to package it.'
                  : 'All six steps are satisfied and consistent. Packaging debits the credit once, signs the bundle and writes the receipt.'}
              </p>
            ) : (
              blockers.length > 0 && (
                <Callout tone="warn" title="Not ready for delivery">
                  <ul>
                    {blockers.map((b) => (
                      <li key={b} title={b.length > BLOCKER_CHARS ? b : undefined}>
                        {b.length > BLOCKER_CHARS ? (
                          <>
                            <span aria-hidden="true">{b.slice(0, BLOCKER_CHARS).trimEnd()}…</span>
                            <span className="visually-hidden">{b}</span>
                          </>
                        ) : (
                          b
                        )}
                      </li>
                    ))}
                  </ul>
                </Callout>
              )
            )}
            {ticket ? (
              <>
                <div className="export-actions">
                  <button
                    type="button"
                    className={`btn${evaluation.deliverable ? ' btn-primary' : ''}`}
                    onClick={() => void replayRun(run.run_id)}
                    disabled={replaying || !!packagingRunId}
                  >
                    <Icon name="replay" /> {replaying ? 'Replaying…' : 'Replay'}
                  </button>
                  <button
                    type="button"
                    className="btn"
                    onClick={() => void packageRun(run.run_id)}
                    disabled={!!packagingRunId || replaying || !!runBusy}
                  >
                    <Icon name="package" /> Package &amp; sign
                  </button>
                </div>
                <p className="subtle">
                  Supply the missing evidence, then replay: the run resumes where it stopped and credits are never
                  debited twice.
                </p>
                <ExceptionTicketCard ticket={ticket} />
              </>
            ) : (
              <>
                <button
                  type="button"
                  className="btn btn-primary btn-lg export-button"
                  onClick={() => void packageRun(run.run_id)}
                  disabled={!!packagingRunId || !!runBusy}
                  title={runBusy ? `${runBusy}: wait until it is done` : undefined}
                >
                  <Icon name="package" /> Package &amp; sign
                </button>
                {!evaluation.deliverable && (
                  <p className="subtle">
                    Packaging now issues an exception ticket naming what is missing, so the requesting agent can repair
                    and replay.
                  </p>
                )}
              </>
            )}
          </>
        )}
      </div>
    </section>
  );
}
