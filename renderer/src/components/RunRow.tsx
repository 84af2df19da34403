import { memo } from 'react';
import type { RunSummary } from '../../../shared/domain/run';
import { formatRelative } from '../format';
import { StateBadge } from './StateBadge';
import { EvidenceStatusBadge } from './EvidenceStatusBadge';
import { ScoreMeter } from './ScoreMeter';
import { StepDots } from './StepDots';

interface Props {
  run: RunSummary;
  index: number;
  setSize: number;
  active: boolean;
  onOpen(index: number): void;
}

/** One option of the runs listbox; fixed height (--row-h) so the list can be windowed. */
export const RunRow = memo(function RunRow({ run, index, setSize, active, onOpen }: Props) {
  return (
    <div
      id={`run-option-${index}`}
      role="option"
      aria-selected={active}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      className={`runrow${active ? ' active' : ''}`}
      onClick={() => onOpen(index)}
    >
      <span className="runrow-title">
        <span className="runrow-name">{run.title}</span>
        <span className="runrow-id mono">{run.run_id}</span>
      </span>
      <span className="runrow-cell">
        <span className="visually-hidden">State: </span>
        <StateBadge state={run.state} />
      </span>
      <span className="runrow-cell">
        <span className="visually-hidden">Evidence: </span>
        <EvidenceStatusBadge status={run.evidence_status} />
      </span>
      <span className="runrow-cell">
        <ScoreMeter
          score={run.evidence_score}
          status={run.evidence_status}
          label={`Score ${run.evidence_score} of 100`}
        />
      </span>
      <span className="runrow-cell">
        <StepDots satisfied={run.steps_satisfied} />
      </span>
      <span className="runrow-cell runrow-exc">
        {run.open_exceptions > 0 ? (
          <span className="chip">
            {run.open_exceptions} open ticket{run.open_exceptions === 1 ? '' : 's'}
          </span>
        ) : (
          <span className="subtle" aria-hidden="true">
            —
          </span>
        )}
      </span>
      <span className="runrow-cell subtle nowrap" title={run.updated_at}>
        <span className="visually-hidden">Updated </span>
        {formatRelative(run.updated_at)}
      </span>
    </div>
  );
});
