import { useStore } from '../store';
import { Callout } from '../components/Callout';
import { RunHeader } from '../components/RunHeader';
import { RunSetup } from '../components/RunSetup';
import { EvidenceWalk } from '../components/EvidenceWalk';
import { SecretsPanel } from '../components/SecretsPanel';
import { ScoreCard } from '../components/ScoreCard';
import { ExportPanel } from '../components/ExportPanel';
import { OpenItemsCard } from '../components/OpenItemsCard';
import { CrossChecks } from '../components/CrossChecks';
import { RuleTrace } from '../components/RuleTrace';
import { ExceptionsList } from '../components/ExceptionsList';
import { OutputsSection } from '../components/OutputsSection';
import { EmptyState } from '../components/EmptyState';
import { ScreenHeading } from '../components/ScreenHeading';
import { Spinner } from '../components/Spinner';
import { useFocusReturn } from '../hooks/useFocusReturn';

export function RunScreen({ runId }: { runId: string }) {
  const view = useStore((s) => (s.view?.run.run_id === runId ? s.view : null));
  const loading = useStore((s) => s.runLoading);
  const error = useStore((s) => s.runError);
  const go = useStore((s) => s.go);
  const busy = useStore((s) => s.runBusy !== null);
  // After Add files…, Replace, Exclude: back to the button pressed, or to the evidence walk.
  useFocusReturn(busy, () => document.getElementById('walk-title'));

  if (!view) {
    return (
      <div className="screen">
        <ScreenHeading>{loading ? 'Opening run…' : 'Run not available'}</ScreenHeading>
        {loading ? (
          <p className="row muted loading-line">
            <Spinner /> Loading {runId}
          </p>
        ) : (
          <EmptyState icon="alert" title="This run could not be opened">
            <span>{error ?? `No run ${runId}.`}</span>
            <button type="button" className="btn" onClick={() => go({ name: 'runs' })}>
              Back to runs
            </button>
          </EmptyState>
        )}
      </div>
    );
  }

  const { run, evaluation } = view;
  const frozen = run.state === 'packaged' || run.state === 'delivered';

  return (
    <div className="screen run-screen">
      <RunHeader run={run} frozen={frozen} />
      {view.recovered_from_backup && (
        <Callout
          tone={view.recovered_from_backup.receipt_in_ledger ? 'bad' : 'warn'}
          role="alert"
          title="This run was restored from its backup"
          className="recovered-banner"
        >
          <p>
            Its file was damaged ({view.recovered_from_backup.reason}); TokenOps restored the last good copy. Changes
            made after that copy are not in it.
          </p>
          {view.recovered_from_backup.receipt_in_ledger && (
            <p>
              The receipt ledger already holds this run's usage receipt {view.recovered_from_backup.receipt_in_ledger}:
              the run was packaged and its credits debited, so its evidence cannot be changed. Package it again to
              rewrite its bundle from this evidence, or start a new run.
            </p>
          )}
        </Callout>
      )}
      <RunSetup run={run} frozen={frozen} />
      <div className="run-layout">
        <div className="run-main">
          <SecretsPanel run={run} frozen={frozen} />
          {run.outputs && <OutputsSection pkg={run.outputs.result_package} receipt={run.outputs.usage_receipt} />}
          <EvidenceWalk view={view} frozen={frozen} />
          <section className="section" aria-labelledby="why-title">
            <div className="section-title">
              <h2 id="why-title">Why this score</h2>
              <span className="subtle">Every point comes from a named rule.</span>
            </div>
            <div className="why-grid">
              <div className="card">
                <div className="card-head">
                  <h3>Cross-checks</h3>
                  <span className="subtle">
                    {evaluation.checks.filter((c) => c.status === 'pass').length} pass ·{' '}
                    {evaluation.checks.filter((c) => c.status === 'fail').length} fail ·{' '}
                    {evaluation.checks.filter((c) => c.status === 'not_applicable').length} n/a
                  </span>
                </div>
                <CrossChecks checks={evaluation.checks} />
              </div>
              <div className="card">
                <div className="card-head">
                  <h3>Rule trace</h3>
                  <span className="subtle num">{evaluation.evidence_score} / 100</span>
                </div>
                <RuleTrace rules={evaluation.rule_trace} score={evaluation.evidence_score} />
              </div>
            </div>
          </section>
          <ExceptionsList tickets={run.exceptions} />
        </div>
        <aside className="run-side" aria-label="Score and export">
          <ScoreCard evaluation={evaluation} packaged={frozen} />
          <ExportPanel view={view} />
          <OpenItemsCard evaluation={evaluation} />
        </aside>
      </div>
    </div>
  );
}
