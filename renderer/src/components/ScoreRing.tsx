import type { EvidenceStatus } from '../../../shared/domain/evaluation';
import { EVIDENCE_STATUS_LABELS, evidenceTone } from '../format';

const SIZE = 136;
const STROKE = 12;
const R = (SIZE - STROKE) / 2;
const C = 2 * Math.PI * R;

/** The evidence score as a ring; geometry through SVG attributes only (the CSP forbids inline styles). */
export function ScoreRing({ score, status }: { score: number; status: EvidenceStatus }) {
  const clamped = Math.max(0, Math.min(100, score));
  const arc = (C * clamped) / 100;
  return (
    <svg
      className={`score-ring ring-${evidenceTone(status)}`}
      width={SIZE}
      height={SIZE}
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      role="img"
      aria-label={`Evidence score ${clamped} of 100, ${EVIDENCE_STATUS_LABELS[status].toLowerCase()}`}
    >
      <circle className="ring-track" cx={SIZE / 2} cy={SIZE / 2} r={R} strokeWidth={STROKE} fill="none" />
      {clamped > 0 && (
        <circle
          className="ring-value"
          cx={SIZE / 2}
          cy={SIZE / 2}
          r={R}
          strokeWidth={STROKE}
          fill="none"
          strokeLinecap="round"
          strokeDasharray={`${arc} ${C}`}
          transform={`rotate(-90 ${SIZE / 2} ${SIZE / 2})`}
        />
      )}
      <text className="ring-score" x="50%" y="47%" textAnchor="middle" dominantBaseline="middle">
        {clamped}
      </text>
      <text className="ring-of" x="50%" y="66%" textAnchor="middle" dominantBaseline="middle">
        of 100
      </text>
    </svg>
  );
}
