import type { WorkflowState } from '../../../shared/workflow';
import { WORKFLOW_STATE_DESCRIPTIONS } from '../../../shared/workflow';
import { STATE_LABELS, stateTone } from '../format';
import { Badge } from './Badge';

export function StateBadge({ state }: { state: WorkflowState }) {
  return (
    <Badge tone={stateTone(state)} title={WORKFLOW_STATE_DESCRIPTIONS[state]}>
      {STATE_LABELS[state] ?? state}
    </Badge>
  );
}
