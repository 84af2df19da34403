import type { EvidenceStatus } from '../../../shared/domain/evaluation';

/**
 * A compact score bar (0–100). Its colour follows the evidence status, like the score ring, not the
 * number: a sufficient run is green, a partial one amber, a missing one red. Drawn as an SVG with ARIA
 * meter semantics rather than a <meter>, whose shadow tree and rounded clip cost style, layout and paint
 * on every row the runs list mounts while it scrolls; the SVG needs no inline style either.
 */
const TONE: Record<EvidenceStatus, string> = {
  sufficient: 'ok',
  partial: 'warn',
  missing: 'bad',
};

export function ScoreMeter({ score, label, status }: { score: number; label: string; status: EvidenceStatus }) {
  const value = Math.max(0, Math.min(100, score));
  return (
    <span className="score-meter">
      <svg
        className="score-bar"
        height="6"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        focusable="false"
      >
        <rect className="score-bar-track" width="100%" height="6" rx="3" />
        {value > 0 && (
          <rect className={`score-bar-fill score-bar-${TONE[status] ?? 'bad'}`} width={`${value}%`} height="6" rx="3" />
        )}
      </svg>
      <span className="score-meter-num num">{score}</span>
    </span>
  );
}
