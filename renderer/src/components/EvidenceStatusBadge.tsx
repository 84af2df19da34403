import type { EvidenceStatus } from '../../../shared/domain/evaluation';
import { EVIDENCE_STATUS_LABELS, evidenceTone } from '../format';
import { Badge } from './Badge';

export function EvidenceStatusBadge({ status }: { status: EvidenceStatus }) {
  return <Badge tone={evidenceTone(status)}>{EVIDENCE_STATUS_LABELS[status] ?? status}</Badge>;
}
