/** What builders read from a run's evidence: only usable (non-excluded) items, in id order. */
import type { EvidenceItem, EvidenceKind, EvidenceRecord } from '../domain/evidence';
import type { RunFile } from '../domain/run';
import { usableEvidence } from '../evaluation/context';

export function recordsOf<K extends EvidenceKind>(
  evidence: readonly EvidenceItem[],
  files: readonly RunFile[],
  kind: K,
): Array<Extract<EvidenceRecord, { kind: K }>> {
  return usableEvidence(evidence, files)
    .map((e) => e.record)
    .filter((r): r is Extract<EvidenceRecord, { kind: K }> => !!r && r.kind === kind);
}

/** Text worth printing: a non-empty string, else undefined (so optional fields are left out). */
export function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Drop undefined properties, so outputs never carry keys their schema would see as present. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
