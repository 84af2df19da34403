/**
 * The fields of each of our evidence records (shared/domain/evidence.ts, schemas in shared/schemas/),
 * and a reader that keeps exactly those fields. The record schemas forbid extra properties, so an
 * incoming object is copied field by field rather than passed through.
 */
import type { EvidenceKind, EvidenceRecord, FileManifestEntry } from '../domain/evidence';
import { compact, decimal, isObj, obj, str, wholeCount, type Obj } from './values';

type FieldType =
  | 'id'
  | 'text'
  | 'count'
  | 'money'
  | 'timestamp'
  | 'any'
  | 'ids'
  | 'texts'
  | 'manifest_entries'
  | 'lifecycle_events'
  | { enum: readonly string[] };

interface KindSpec {
  required: Record<string, FieldType>;
  optional: Record<string, FieldType>;
}

export const KIND_SPECS: Record<EvidenceKind, KindSpec> = {
  settlement_reference: {
    required: { settlement_reference: 'id' },
    optional: {
      provider: 'text',
      provider_reference: 'id',
      invoice_token: 'id',
      amount: 'money',
      network: 'text',
      transaction: 'id',
      payer: 'id',
      status: { enum: ['settled', 'pending', 'failed'] },
      settled_at: 'timestamp',
    },
  },
  payment_request: {
    required: { payment_request_id: 'id' },
    optional: {
      settlement_reference: 'id',
      provider: 'text',
      provider_id: 'id',
      amount: 'money',
      pay_to: 'id',
      network: 'text',
      scheme: 'text',
      resource: 'text',
    },
  },
  credit_ledger_entry: {
    required: {
      entry_id: 'id',
      credit_entitlement_id: 'id',
      entry_type: { enum: ['grant', 'balance', 'debit', 'account'] },
      credits: 'count',
    },
    optional: { balance: 'count', provider: 'text', provider_reference: 'id', recorded_at: 'timestamp' },
  },
  work_order: {
    required: {
      work_order_id: 'id',
      task_run_id: 'id',
      requested_tool: 'id',
      requested_capability: 'id',
      operating_goal: 'text',
    },
    optional: { requesting_agent: 'id', performing_agent: 'id', status: 'text', started_at: 'timestamp' },
  },
  usage_receipt: {
    required: { receipt_id: 'id', credits_debited: 'count', remaining_credits: 'count' },
    optional: {
      work_order_id: 'id',
      credit_entitlement_id: 'id',
      result_url: 'text',
      receipt_reference: 'id',
      issued_at: 'timestamp',
    },
  },
  files: {
    required: { manifest_id: 'id', files: 'manifest_entries' },
    optional: {},
  },
  digital_asset_context: {
    required: { asset_id: 'id' },
    optional: {
      asset_type: 'text',
      network: 'text',
      distribution: 'any',
      lifecycle_events: 'lifecycle_events',
      exceptions: 'texts',
    },
  },
  webhook_event: {
    required: { event_id: 'id', event_type: 'text' },
    optional: { provider: 'text', created_at: 'timestamp', refers_to: 'ids' },
  },
};

const FIELD_WORDS: Record<string, string> = {
  id: 'a non-empty string',
  text: 'a non-empty string',
  timestamp: 'a non-empty string',
  count: 'a whole number of at least 0',
  money: 'an object { value: decimal string, currency }',
  ids: 'a list of non-empty strings',
  texts: 'a list of non-empty strings',
  manifest_entries: 'a list of { name, size, sha256 (64 lowercase hex), media_type }',
  lifecycle_events: 'a list of { event, at?, detail? }',
};

function words(t: FieldType): string {
  return typeof t === 'string' ? (FIELD_WORDS[t] ?? 'present') : `one of ${t.enum.join(', ')}`;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function readManifestEntry(v: unknown): FileManifestEntry | undefined {
  if (!isObj(v)) return undefined;
  const name = str(v.name);
  const size = wholeCount(v.size);
  const sha = typeof v.sha256 === 'string' ? v.sha256.trim().toLowerCase() : undefined;
  const media = str(v.media_type);
  if (!name || size === undefined || !sha || !SHA256.test(sha) || !media) return undefined;
  return { name, size, sha256: sha, media_type: media };
}

/** Reads one field; `undefined` = absent or invalid (the caller tells which by `v === undefined`). */
function readField(t: FieldType, v: unknown): unknown {
  if (typeof t === 'object') return typeof v === 'string' && t.enum.includes(v) ? v : undefined;
  switch (t) {
    case 'id':
    case 'text':
    case 'timestamp':
      return str(v);
    case 'count':
      return wholeCount(v);
    case 'money': {
      const m = obj(v);
      const value = decimal(m?.value);
      const currency = str(m?.currency);
      return value !== undefined && currency ? { value, currency } : undefined;
    }
    case 'any':
      return v;
    case 'ids':
    case 'texts':
      return Array.isArray(v) && v.every((x) => str(x)) ? [...(v as string[])] : undefined;
    case 'manifest_entries': {
      if (!Array.isArray(v)) return undefined;
      const entries = v.map(readManifestEntry);
      return entries.every((e) => e) ? entries : undefined;
    }
    case 'lifecycle_events': {
      if (!Array.isArray(v)) return undefined;
      const events = v.map((e) =>
        isObj(e) && str(e.event)
          ? compact({ event: str(e.event) as string, at: str(e.at), detail: str(e.detail) })
          : undefined,
      );
      return events.every((e) => e) ? events : undefined;
    }
  }
}

interface FieldProblem {
  field: string;
  /** False when the field is absent (or null / empty), true when present but unusable. */
  present: boolean;
  /** What the field must be, in words. */
  expected: string;
}

export interface ReadOutcome {
  record?: EvidenceRecord;
  /** Required fields missing or invalid, in words. */
  missing: string[];
  /** The same, structured, for callers that word their own messages (CSV rows). */
  problems: FieldProblem[];
  /** Optional fields present but unusable, dropped. */
  dropped: string[];
}

/** Copies the fields of `kind` from `o`; a record only when every required field is usable. */
export function readRecord(kind: EvidenceKind, o: Obj): ReadOutcome {
  const spec = KIND_SPECS[kind];
  const out: Record<string, unknown> = { kind };
  const missing: string[] = [];
  const problems: FieldProblem[] = [];
  const dropped: string[] = [];
  for (const [name, t] of Object.entries(spec.required)) {
    const v = readField(t, o[name]);
    if (v !== undefined) {
      out[name] = v;
      continue;
    }
    const present = o[name] !== undefined && o[name] !== null && o[name] !== '';
    missing.push(`${name} (${present ? `must be ${words(t)}` : 'missing'})`);
    problems.push({ field: name, present, expected: words(t) });
  }
  for (const [name, t] of Object.entries(spec.optional)) {
    if (o[name] === undefined || o[name] === null || o[name] === '') continue;
    const v = readField(t, o[name]);
    if (v === undefined) dropped.push(`${name} (not ${words(t)})`);
    else out[name] = v;
  }
  return missing.length
    ? { missing, problems, dropped }
    : { record: out as unknown as EvidenceRecord, missing, problems, dropped };
}

/** How many of the kind's fields the object carries: used to pick the best kind for an object without `kind`. */
export function fieldsPresent(kind: EvidenceKind, o: Obj): number {
  const spec = KIND_SPECS[kind];
  return [...Object.keys(spec.required), ...Object.keys(spec.optional)].filter(
    (k) => o[k] !== undefined && o[k] !== null,
  ).length;
}
