/**
 * Our own shapes: normalised records (`kind` + fields, shared/domain/evidence.ts), arrays and
 * `{ "records": [...] }` wrappers of them, and the public objects the seed shows
 * (/work/shared/seed/tokenops-operating-tool.txt):
 *   - usage receipt (`receipt_type: tokenops_usage_receipt`)      -> usage_receipt record
 *   - trust, quote, credit (`trust_profile_id`, `quote_id`, …)     -> `pre_run`, not evidence
 *   - result package, exception ticket, manifest, callback payload,
 *     replay package                                              -> outputs of a run, not evidence (kept as files)
 *   - our evidence manifest (`manifest_type`, `files[]`)           -> files record
 * An object without `kind` that carries the required fields of exactly one record kind is read as
 * that kind (format `tokenops_<kind>`); when several kinds fit, the one with most of its fields
 * present wins, then the file name (e.g. "…settlement…"), then step order.
 */
import {
  EVIDENCE_STEPS,
  OPTIONAL_EVIDENCE_KINDS,
  type EvidenceKind,
  type FileManifestRecord,
} from '../domain/evidence';
import type { PreRun } from '../domain/run';
import { KIND_SPECS, fieldsPresent, readManifestEntry, readRecord } from './record-fields';
import type { ClassifyResult, FamilyClassifier } from './types';
import { notEvidence, recognised, str, type Obj } from './values';

const KINDS: readonly EvidenceKind[] = [...EVIDENCE_STEPS, ...OPTIONAL_EVIDENCE_KINDS];

function isKind(v: unknown): v is EvidenceKind {
  return typeof v === 'string' && (KINDS as readonly string[]).includes(v);
}

function readAs(kind: EvidenceKind, o: Obj, format: string, label: string, reportUnknown = false): ClassifyResult {
  const r = readRecord(kind, o);
  if (!r.record) return notEvidence(`${label} is missing or has invalid ${r.missing.join(', ')}`);
  const known = new Set(['kind', ...Object.keys(KIND_SPECS[kind].required), ...Object.keys(KIND_SPECS[kind].optional)]);
  const unknown = reportUnknown ? Object.keys(o).filter((k) => !known.has(k)) : [];
  const notes = [
    r.dropped.length ? `ignored ${r.dropped.join(', ')}` : '',
    unknown.length ? `fields not part of a ${kind} record stay only in the original: ${unknown.join(', ')}` : '',
  ].filter(Boolean);
  return recognised([{ record: r.record, format, ...(notes.length ? { note: notes.join('; ') } : {}) }]);
}

/** Records with `kind`, and `{ records: [...] }` wrappers. */
export const classifyTokenOpsRecord: FamilyClassifier = (o, ctx) => {
  if (isKind(o.kind)) return readAs(o.kind, o, 'tokenops', `TokenOps ${o.kind} record`, true);
  if (o.kind === undefined && Array.isArray(o.records)) return ctx.classify(o.records);
  return null;
};

const PRE_RUN_KEYS = [
  'trust_profile_id',
  'quote_id',
  'credit_entitlement_id',
  'requested_tool',
  'requested_capability',
] as const;

function preRunOf(o: Obj): Partial<PreRun> {
  const out: Partial<PreRun> = {};
  for (const k of PRE_RUN_KEYS) {
    const v = str(o[k]);
    if (v) out[k] = v;
  }
  return out;
}

/** The seed's public objects. */
export const classifyTokenOpsSeed: FamilyClassifier = (o) => {
  if (o.receipt_type === 'tokenops_usage_receipt')
    return readAs('usage_receipt', o, 'tokenops_usage_receipt', 'TokenOps usage receipt');

  if (o.package_type === 'tokenops_result_package') {
    const names = [
      str(o.settlement_reference) ? `settlement reference ${o.settlement_reference as string}` : '',
      str(o.usage_receipt) ? `usage receipt ${o.usage_receipt as string}` : '',
    ].filter(Boolean);
    return notEvidence(
      `TokenOps result package: an output of a run, not evidence${names.length ? ` (it names ${names.join(' and ')})` : ''}; ` +
        'add the settlement reference and usage receipt records themselves. Kept as a file.',
    );
  }
  if (o.object_type === 'agent_exception_ticket')
    return notEvidence('TokenOps exception ticket: an output listing missing items, not evidence. Kept as a file.');
  if (o.object_type === 'tokenops_replay_package')
    return notEvidence(
      'TokenOps replay package: resume it with `tokenops replay`, it is not evidence. Kept as a file.',
    );
  if (o.tool_id === 'tokenops' && Array.isArray(o.accepted_inputs))
    return notEvidence('TokenOps manifest: it describes the tool, not a run, so it is not evidence. Kept as a file.');
  if (typeof o.event_type === 'string' && o.event_type.startsWith('tokenops.') && o.operating_tool === 'tokenops')
    return notEvidence(
      'TokenOps callback payload: an output sent to the requesting agent, not evidence. Kept as a file.',
    );

  if (o.manifest_type === 'tokenops_evidence_manifest' && Array.isArray(o.files)) {
    const files = o.files.map(readManifestEntry);
    const valid = files.filter((f) => f !== undefined);
    const record: FileManifestRecord = {
      kind: 'files',
      manifest_id: `evidence_manifest:${str(o.run_id) ?? 'unknown_run'}`,
      files: valid,
    };
    const skipped = files.length - valid.length;
    return recognised([
      {
        record,
        format: 'tokenops_evidence_manifest',
        ...(skipped
          ? {
              note: `${skipped} file entr${skipped === 1 ? 'y' : 'ies'} without name, size, sha256 or media type skipped`,
            }
          : {}),
      },
    ]);
  }

  // Trust, quote, credit: identifies the run before it starts; it has no id of a record of its own.
  const ownsRecordId = ['entry_id', 'receipt_id', 'work_order_id', 'payment_request_id', 'settlement_reference'].some(
    (k) => o[k] !== undefined,
  );
  const pre = preRunOf(o);
  const hasTrustOrQuote = pre.trust_profile_id !== undefined || pre.quote_id !== undefined;
  const creditWithTool =
    pre.credit_entitlement_id !== undefined &&
    pre.requested_tool !== undefined &&
    pre.requested_capability !== undefined;
  if (!ownsRecordId && (hasTrustOrQuote || creditWithTool)) return { records: [], unrecognised: null, pre_run: pre };
  return null;
};

const NAME_HINTS: Record<EvidenceKind, RegExp> = {
  settlement_reference: /settle|invoice/i,
  payment_request: /payment|pay.?req/i,
  credit_ledger_entry: /ledger|credit|grant|balance/i,
  work_order: /work.?order|task/i,
  usage_receipt: /receipt|usage/i,
  files: /manifest|files/i,
  digital_asset_context: /asset/i,
  webhook_event: /webhook|event/i,
};

/** Our record fields without `kind`. */
export const classifyKindless: FamilyClassifier = (o, ctx) => {
  if (o.kind !== undefined) return null;
  const candidates = KINDS.filter((k) => readRecord(k, o).record);
  if (!candidates.length) return null;
  const name = ctx.fileName ?? '';
  const ranked = [...candidates].sort(
    (a, b) =>
      fieldsPresent(b, o) - fieldsPresent(a, o) ||
      Number(NAME_HINTS[b].test(name)) - Number(NAME_HINTS[a].test(name)) ||
      KINDS.indexOf(a) - KINDS.indexOf(b),
  );
  const kind = ranked[0];
  return readAs(kind, o, `tokenops_${kind}`, `TokenOps ${kind} fields`);
};
