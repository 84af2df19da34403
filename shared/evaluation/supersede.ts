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

/**
 * Marks the records `added` replace; returns, per added record, the one it superseded (if any). Linear:
 * the run's current records are indexed once by kind, format and id (a CSV export of 10,000 ledger rows
 * took 5 minutes when each row searched the whole run).
 */
export function supersede(
  evidence: EvidenceItem[],
  added: readonly EvidenceItem[],
  at: string,
): Map<string, EvidenceItem> {
  const fresh = new Set(added);
  // Older records that could be replaced, in run order; `next` is the first not yet replaced.
  const current = new Map<string, { older: EvidenceItem[]; next: number }>();
  for (const e of evidence) {
    const id = recordIdOf(e);
    if (id === undefined || e.superseded_by || fresh.has(e)) continue;
    const key = sameRecord(e, id);
    const entry = current.get(key);
    if (entry) entry.older.push(e);
    else current.set(key, { older: [e], next: 0 });
  }
  const replaced = new Map<string, EvidenceItem>();
  for (const item of added) {
    const id = recordIdOf(item);
    const entry = id === undefined ? undefined : current.get(sameRecord(item, id));
    const older = entry?.older[entry.next];
    if (!entry || !older) continue;
    entry.next++;
    older.superseded_by = item.evidence_id;
    older.superseded_at = at;
    item.supersedes = older.evidence_id;
    replaced.set(item.evidence_id, older);
  }
  return replaced;
}

/** Records with the same key are one record in two versions. */
function sameRecord(e: EvidenceItem, id: string): string {
  return JSON.stringify([e.kind, e.format, id]);
}
