import type { CrossCheck } from '../../../shared/domain/evaluation';
import { CHECK_STATUS_LABELS, checkTone } from '../format';
import { Badge } from './Badge';
import { LongText } from './ShowMore';

/** Cross-checks between pieces of evidence: pass, fail, or not applicable yet. */
export function CrossChecks({ checks }: { checks: CrossCheck[] }) {
  return (
    <ul className="checks">
      {checks.map((c) => (
        <li key={c.check_id} className={`check check-${c.status}`}>
          <Badge tone={checkTone(c.status)}>{CHECK_STATUS_LABELS[c.status]}</Badge>
          <div>
            <div className="check-title">{c.title}</div>
            {c.detail && (
              <div className="muted check-detail">
                <LongText text={c.detail} />
              </div>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
