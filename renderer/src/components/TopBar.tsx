import { useStore } from '../store';
import { StateBadge } from './StateBadge';
import { Spinner } from './Spinner';
import { formatBytes } from '../format';

/** The current run (if any) and what TokenOps is busy with. */
export function TopBar() {
  const view = useStore((s) => s.view);
  const go = useStore((s) => s.go);
  const busy = useStore((s) => s.runBusy);
  const packaging = useStore((s) => s.packagingRunId);
  const verifying = useStore((s) => s.verifying);
  const intake = useStore((s) => s.intakeProgress);
  const counts = intake
    ? [
        intake.scanned ? `${intake.scanned.done} of ${intake.scanned.total} files scanned` : '',
        intake.copied ? `${formatBytes(intake.copied.done)} of ${formatBytes(intake.copied.total)} copied` : '',
      ]
        .filter(Boolean)
        .join(' · ')
    : '';
  const activity = packaging
    ? 'Packaging and signing…'
    : busy
      ? `${busy}…${counts ? ` ${counts}` : ''}`
      : verifying
        ? 'Verifying bundle…'
        : null;

  return (
    <header className="topbar">
      <span className="topbar-label" id="topbar-current">
        Current run
      </span>
      {view ? (
        <div className="topbar-run">
          <button
            type="button"
            className="topbar-run-title"
            onClick={() => go({ name: 'run', runId: view.run.run_id })}
            aria-describedby="topbar-current"
            title={view.run.title}
          >
            {view.run.title}
          </button>
          <StateBadge state={view.run.state} />
          <span className="subtle num">Score {view.evaluation.evidence_score}/100</span>
        </div>
      ) : (
        <span className="muted">None open — pick one from Runs</span>
      )}
      <span className="topbar-spacer" />
      <div className="topbar-busy" role="status" aria-live="polite">
        {activity && (
          <>
            <Spinner /> {activity}
          </>
        )}
      </div>
    </header>
  );
}
