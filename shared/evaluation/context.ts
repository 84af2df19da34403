/**
 * The run as evaluation sees it: excluded files and the evidence read from them dropped, everything
 * sorted by id so the result never depends on the order evidence arrived in, and the run-level values
 * (settlement reference, credit entitlement, Work Order) that the checks compare against.
 */
import type { EvidenceItem, EvidenceRecord, EvidenceKind } from '../domain/evidence';
import type { PreRun, RunFile } from '../domain/run';
import type { ExceptionTicket } from '../domain/outputs';
import { settlementThreads, type SettlementThread } from './settlement-links';

export interface EvaluateInput {
  pre_run: PreRun;
  evidence: EvidenceItem[];
  files: RunFile[];
  exceptions: ExceptionTicket[];
  /** Used only to write runnable commands into next actions (`tokenops package <run_id>`). */
  run_id?: string;
}

/** A record of one kind with the id of the evidence item that carries it. */
export interface Held<R> {
  evidence_id: string;
  record: R;
}

export interface RunContext {
  pre_run: PreRun;
  run_id: string | null;
  evidence: EvidenceItem[];
  files: RunFile[];
  exceptions: ExceptionTicket[];
  /** One reference per settlement thread of step 1 (records linked by any identifier they share), sorted. */
  settlement_references: string[];
  /** The settlement threads themselves: each reference with every alias that names the same settlement. */
  settlement_threads: SettlementThread[];
  /** The thread an identifier belongs to (any alias), in constant time. */
  threadOf(id: string): SettlementThread | undefined;
  /** The credit entitlement(s) the run is for: the pre-run's when set, else those the ledger entries name. */
  entitlements: { ids: string[]; source: 'pre_run' | 'ledger' | 'none' };
  /** Distinct Work Order ids of step 4, sorted. */
  work_order_ids: string[];
  /** The held records of one kind, in id order; shared between callers, so never changed in place. */
  of<K extends EvidenceKind>(kind: K): ReadonlyArray<Held<Extract<EvidenceRecord, { kind: K }>>>;
}

/** Files the operator did not exclude, sorted by id. */
export function usableFiles(files: readonly RunFile[]): RunFile[] {
  return sortBy(
    files.filter((f) => !f.excluded),
    (f) => f.file_id,
  );
}

/** Evidence not read from an excluded file, sorted by id. */
export function usableEvidence(evidence: readonly EvidenceItem[], files: readonly RunFile[]): EvidenceItem[] {
  const excluded = new Set(files.filter((f) => f.excluded).map((f) => f.file_id));
  const live = evidence.filter((e) => !(e.file_id !== undefined && excluded.has(e.file_id)));
  const liveIds = new Set(live.map((e) => e.evidence_id));
  // A superseded record is history while the record that corrected it counts (supersede.ts); if that
  // one is removed or its file excluded, the older record counts again.
  return sortBy(
    live.filter((e) => !(e.superseded_by !== undefined && liveIds.has(e.superseded_by))),
    (e) => e.evidence_id,
  );
}

export function buildContext(input: EvaluateInput): RunContext {
  const files = usableFiles(input.files);
  const evidence = usableEvidence(input.evidence, input.files);
  const exceptions = sortBy(input.exceptions, (t) => t.ticket_id);
  // Grouped once: every step and check asks for its kinds, and a run may hold 10,000 records.
  const byKind = new Map<EvidenceKind, Array<Held<EvidenceRecord>>>();
  for (const e of evidence) {
    if (!e.record) continue;
    let held = byKind.get(e.record.kind);
    if (!held) byKind.set(e.record.kind, (held = []));
    held.push({ evidence_id: e.evidence_id, record: e.record });
  }
  const of = <K extends EvidenceKind>(kind: K) =>
    (byKind.get(kind) ?? []) as Array<Held<Extract<EvidenceRecord, { kind: K }>>>;

  const settlement_threads = settlementThreads(of('settlement_reference'));
  const settlement_references = settlement_threads.map((t) => t.reference);
  const byAlias = new Map<string, SettlementThread>();
  for (const t of settlement_threads) for (const a of t.aliases) byAlias.set(a, t);
  const preRunEntitlement = nonEmpty(input.pre_run.credit_entitlement_id);
  const ledgerEntitlements = distinct(of('credit_ledger_entry').map((h) => h.record.credit_entitlement_id));
  const entitlements: RunContext['entitlements'] = preRunEntitlement
    ? { ids: [preRunEntitlement], source: 'pre_run' }
    : ledgerEntitlements.length
      ? { ids: ledgerEntitlements, source: 'ledger' }
      : { ids: [], source: 'none' };

  return {
    pre_run: input.pre_run,
    run_id: nonEmpty(input.run_id),
    evidence,
    files,
    exceptions,
    settlement_references,
    settlement_threads,
    threadOf: (id) => byAlias.get(id),
    entitlements,
    work_order_ids: distinct(of('work_order').map((h) => h.record.work_order_id)),
    of,
  };
}

/** The value when exactly one is known, else null (none, or several that disagree). */
export function single(values: readonly string[]): string | null {
  return values.length === 1 ? values[0] : null;
}

export function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Distinct non-empty strings, sorted. */
export function distinct(values: readonly unknown[]): string[] {
  const set = new Set<string>();
  for (const v of values) {
    const s = nonEmpty(v);
    if (s !== null) set.add(s);
  }
  return [...set].sort(compareText);
}

/** Code-unit order, independent of the host's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort by a key, breaking ties on the whole value so equal ids in any input order give one result. */
export function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, k: String(key(item)) }))
    .sort((a, b) => compareText(a.k, b.k) || compareText(stableText(a.item), stableText(b.item)))
    .map((x) => x.item);
}

/**
 * Sorted-key JSON that never throws: a tie-breaker must order even records canonical JSON refuses
 * (NaN from a bad import), or equal ids would keep their arrival order.
 */
function stableText(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : `"#${String(value)}"`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableText).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort(compareText)
    .map((k) => `${JSON.stringify(k)}:${stableText(record[k])}`)
    .join(',')}}`;
}
