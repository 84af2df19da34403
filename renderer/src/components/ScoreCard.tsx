import type { Evaluation } from '../../../shared/domain/evaluation';
import { EvidenceStatusBadge } from './EvidenceStatusBadge';
import { ScoreRing } from './ScoreRing';

/** The score picture: ring, status and the headline facts. The rule trace behind it is in "Why this score". */
export function ScoreCard({ evaluation, packaged }: { evaluation: Evaluation; packaged?: boolean }) {
  const satisfied = evaluation.steps.filter((s) => s.status === 'satisfied').length;
  return (
    <section className="card score-card" aria-labelledby="score-title">
      <div className="card-head">
        <h2 id="score-title">Evidence score</h2>
        <EvidenceStatusBadge status={evaluation.evidence_status} />
      </div>
      <div className="card-body">
        <div className="score-top">
          <ScoreRing score={evaluation.evidence_score} status={evaluation.evidence_status} />
          <div className="score-facts">
            <div>
              <span className="big num">{satisfied}</span>
              <span className="subtle"> / 6 steps</span>
            </div>
            <div>
              <span className="big num">{evaluation.checks.filter((c) => c.status === 'fail').length}</span>
              <span className="subtle"> failing checks</span>
            </div>
            <p className={packaged || evaluation.deliverable ? 'deliverable yes' : 'deliverable'}>
              {packaged
                ? 'Packaged and signed'
                : evaluation.deliverable
                  ? 'Ready to package for delivery'
                  : 'Not ready for delivery yet'}
            </p>
          </div>
        </div>
      </div>
    </section>
  );
}
