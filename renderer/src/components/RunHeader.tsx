import type { Run } from '../../../shared/domain/run';
import { WORKFLOW_STATE_DESCRIPTIONS } from '../../../shared/workflow';
import { formatDateTime } from '../format';
import { useStore } from '../store';
import { Icon } from './Icon';
import { ScreenHeading } from './ScreenHeading';
import { StateBadge } from './StateBadge';

export function RunHeader({ run, frozen }: { run: Run; frozen: boolean }) {
  const go = useStore((s) => s.go);
  const pickAndAddFiles = useStore((s) => s.pickAndAddFiles);
  const busy = useStore((s) => s.runBusy);
  return (
    <div className="screen-head run-head">
      <div className="run-head-main">
        <nav aria-label="Breadcrumb" className="crumbs">
          <button type="button" className="crumb" onClick={() => go({ name: 'runs' })}>
            Runs
          </button>
          <span aria-hidden="true">/</span>
          <span className="mono">{run.run_id}</span>
        </nav>
        <div className="row">
          <ScreenHeading>{run.title}</ScreenHeading>
          <StateBadge state={run.state} />
        </div>
        <p>
          {WORKFLOW_STATE_DESCRIPTIONS[run.state]}{' '}
          <span className="subtle">Updated {formatDateTime(run.updated_at)}.</span>
        </p>
      </div>
      {!frozen && (
        <div className="screen-actions">
          <button type="button" className="btn" onClick={() => void pickAndAddFiles()} disabled={!!busy}>
            <Icon name="upload" /> Add files…
          </button>
        </div>
      )}
    </div>
  );
}
