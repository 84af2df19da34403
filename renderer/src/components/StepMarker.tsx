import type { StepStatus } from '../../../shared/domain/evaluation';
import { Icon } from './Icon';

/** The round step number, replaced by a check when satisfied or a warning when inconsistent. */
export function StepMarker({ number, status }: { number: number; status: StepStatus }) {
  return (
    <span className={`step-marker step-${status}`} aria-hidden="true">
      {status === 'satisfied' ? (
        <Icon name="check" size={14} />
      ) : status === 'inconsistent' ? (
        <Icon name="alert" size={14} />
      ) : (
        number
      )}
    </span>
  );
}
