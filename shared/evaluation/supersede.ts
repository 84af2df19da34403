/**
 * A corrected record replaces the one it corrects. When a record arrives with the same kind, the same
 * identifier and the same source shape (format) as a record already in the run, the older one is
 * superseded: kept in the run's history, marked with the record that replaced it, and left out of the
 * evaluation. Records of another format are never superseded: a provider's settlement response and the
 * operator's settlement record naming one settlement are two pieces of evidence to cross-check.
 */
import type { EvidenceItem, EvidenceKind } from '../domain/evidence';

/** The field that identifies a record of each kind (also what the app shows as a record's name). */
export const RECORD_ID_FIELD: Readonly<Record<EvidenceKind, string>> = {
  settlement_reference: 'settlement_reference',
  payment_request: 'payment_request_id',
  credit_ledger_entry: 'entry_id',
  work_order: 'work_order_id',
  usage_receipt: 'receipt_id',
  files: 'manifest_id',
  digital_asset_context: 'asset_id',
  webhook_event: 'event_id',
};

export function recordIdOf(item: EvidenceItem): string | undefined {
  const field = RECORD_ID_FIELD[item.kind];
  const value = field ? (item.record as unknown as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Marks the records `added` replace; returns, per added record, the one it superseded (if any). */
export function supersede(
  evidence: EvidenceItem[],
  added: readonly EvidenceItem[],
  at: string,
): Map<string, EvidenceItem> {
  const replaced = new Map<string, EvidenceItem>();
  for (const item of added) {
    const id = recordIdOf(item);
    if (id === undefined) continue;
    const older = evidence.find(
      (e) =>
        e !== item &&
        !e.superseded_by &&
        !added.includes(e) &&
        e.kind === item.kind &&
        e.format === item.format &&
        recordIdOf(e) === id,
    );
    if (!older) continue;
    older.superseded_by = item.evidence_id;
    older.superseded_at = at;
    item.supersedes = older.evidence_id;
    replaced.set(item.evidence_id, older);
  }
  return replaced;
}
