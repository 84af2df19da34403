import { EVIDENCE_STEPS, type EvidenceStep } from '../../../shared/domain/evidence';
import { stepDefinition } from '../../../shared/evaluation/catalog';

/** Dot geometry: 9 px across (a 1.5 px ring), 4 px apart, as one small SVG (two paths, not six boxes). */
const DOT = 9;
const GAP = 4;
const RING = 1.5;
const R = (DOT - RING) / 2;
const WIDTH = EVIDENCE_STEPS.length * DOT + (EVIDENCE_STEPS.length - 1) * GAP;

function circles(indexes: number[]): string {
  return indexes
    .map((i) => {
      const cx = i * (DOT + GAP) + DOT / 2;
      return `M${cx - R} ${DOT / 2}a${R} ${R} 0 1 0 ${2 * R} 0a${R} ${R} 0 1 0 ${-2 * R} 0`;
    })
    .join('');
}

/**
 * Six dots, one per evidence step, filled when satisfied. Drawn as one SVG, because the runs list mounts
 * a few of these every frame while it scrolls and six styled boxes each cost style, layout and paint.
 */
export function StepDots({ satisfied }: { satisfied: readonly EvidenceStep[] }) {
  const set = new Set(satisfied);
  const on: number[] = [];
  const off: number[] = [];
  EVIDENCE_STEPS.forEach((s, i) => (set.has(s) ? on : off).push(i));
  const missing = EVIDENCE_STEPS.filter((s) => !set.has(s)).map((s) => stepDefinition(s).title);
  return (
    <span className="step-dots" title={missing.length ? `Missing: ${missing.join(', ')}` : 'All six steps satisfied'}>
      <svg width={WIDTH} height={DOT} viewBox={`0 0 ${WIDTH} ${DOT}`} aria-hidden="true" focusable="false">
        {off.length > 0 && <path className="step-dot-off" strokeWidth={RING} d={circles(off)} />}
        {on.length > 0 && <path className="step-dot-on" strokeWidth={RING} d={circles(on)} />}
      </svg>
      <span className="visually-hidden">{set.size} of 6 steps satisfied</span>
    </span>
  );
}
