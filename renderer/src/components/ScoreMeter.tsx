import type { EvidenceStatus } from '../../../shared/domain/evaluation';

/**
 * A compact score bar (0–100) using <meter> so it needs no inline style. Its colour follows the evidence
 * status, like the score ring, not the number: a sufficient run is green, a partial one amber, a
 * missing one red. A meter colours by region, so the regions are placed to give that colour.
 */
const REGIONS: Record<EvidenceStatus, { low: number; high: number }> = {
  sufficient: { low: 0, high: 0 },
  partial: { low: 0, high: 100 },
  missing: { low: 100, high: 100 },
};

export function ScoreMeter({ score, label, status }: { score: number; label: string; status: EvidenceStatus }) {
  const { low, high } = REGIONS[status];
  return (
    <span className="score-meter">
      <meter min={0} max={100} low={low} high={high} optimum={100} value={score} aria-label={label} />
      <span className="score-meter-num num">{score}</span>
    </span>
  );
}
