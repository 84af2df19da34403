import { EVIDENCE_STEPS, type EvidenceStep } from '../../../shared/domain/evidence';
import { stepDefinition } from '../../../shared/evaluation/catalog';

/** Six dots, one per evidence step, filled when satisfied. */
export function StepDots({ satisfied }: { satisfied: readonly EvidenceStep[] }) {
  const set = new Set(satisfied);
  const missing = EVIDENCE_STEPS.filter((s) => !set.has(s)).map((s) => stepDefinition(s).title);
  return (
    <span className="step-dots" title={missing.length ? `Missing: ${missing.join(', ')}` : 'All six steps satisfied'}>
      {EVIDENCE_STEPS.map((s) => (
        <span key={s} className={`step-dot${set.has(s) ? ' on' : ''}`} aria-hidden="true" />
      ))}
      <span className="visually-hidden">{set.size} of 6 steps satisfied</span>
    </span>
  );
}
