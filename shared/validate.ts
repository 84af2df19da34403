/**
 * Validation facade over the precompiled validators (shared/generated/validators.js, generated from
 * shared/schemas and the IPC contract by scripts/gen-validators.ts). Nothing is compiled at run time,
 * so this module is safe in the renderer under a strict CSP, in main, and in the CLI.
 *
 * Errors are written for a person: `/evidence_score must be <= 100`, `missing required field "receipt_id"`,
 * `unknown field "reciept_id" (did you mean "receipt_id"?)`.
 */
import { editDistance } from './edit-distance';
import * as generated from './generated/validators';
import type { CompiledValidator, ValidatorError } from './generated/validators';
import { PATTERN_HINTS, SCHEMAS, isSchemaName, type SchemaName } from './schemas/index';
import { IPC_CONTRACT, type IpcChannel, type IpcInput } from './ipc/contract';
import { TokenOpsError } from './errors';
import type {
  CreditLedgerEntryRecord,
  DigitalAssetContextRecord,
  EvidenceRecord,
  FileManifestRecord,
  PaymentRequestRecord,
  SettlementReferenceRecord,
  UsageReceiptRecord,
  WebhookEventRecord,
  WorkOrderRecord,
} from './domain/evidence';
import type { PreRun } from './domain/run';
import type {
  CallbackPayload,
  EvidenceManifest,
  ExceptionTicket,
  ReplayPackage,
  ResultPackage,
  UsageReceipt,
} from './domain/outputs';

export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

/** A seed-shaped output: the seed's fields are required, TokenOps' additions may be absent. */
type SeedShaped<T, K extends keyof T> = Pick<T, K> & Partial<Omit<T, K>>;

/** What a value is known to be once it passed a schema. */
export interface SchemaValues {
  settlement_reference: SettlementReferenceRecord;
  payment_request: PaymentRequestRecord;
  credit_ledger_entry: CreditLedgerEntryRecord;
  work_order: WorkOrderRecord;
  usage_receipt_record: UsageReceiptRecord;
  file_manifest: FileManifestRecord;
  digital_asset_context: DigitalAssetContextRecord;
  webhook_event: WebhookEventRecord;
  evidence_record: EvidenceRecord;
  pre_run: PreRun;
  result_package: SeedShaped<
    ResultPackage,
    | 'package_type'
    | 'operating_tool'
    | 'evidence_status'
    | 'evidence_score'
    | 'received_inputs'
    | 'uploaded_files'
    | 'settlement_reference'
    | 'usage_receipt'
    | 'callback_delivery'
    | 'client_deliverable'
  >;
  usage_receipt: SeedShaped<
    UsageReceipt,
    | 'receipt_id'
    | 'receipt_type'
    | 'operating_tool'
    | 'credits_debited'
    | 'remaining_credits'
    | 'evidence_status'
    | 'result_status'
    | 'callback_status'
  >;
  callback_payload: CallbackPayload;
  exception_ticket: SeedShaped<
    ExceptionTicket,
    'object_type' | 'requested_tool' | 'exception_type' | 'status' | 'missing_items' | 'safe_to_replay'
  >;
  replay_package: ReplayPackage;
  evidence_manifest: EvidenceManifest;
  tool_manifest: { tool_id: 'tokenops'; accepted_inputs: string[]; outputs: string[]; [field: string]: unknown };
}

const VALIDATORS: Readonly<Record<SchemaName, CompiledValidator>> = {
  settlement_reference: generated.settlement_reference,
  payment_request: generated.payment_request,
  credit_ledger_entry: generated.credit_ledger_entry,
  work_order: generated.work_order,
  usage_receipt_record: generated.usage_receipt_record,
  file_manifest: generated.file_manifest,
  digital_asset_context: generated.digital_asset_context,
  webhook_event: generated.webhook_event,
  evidence_record: generated.evidence_record,
  pre_run: generated.pre_run,
  result_package: generated.result_package,
  usage_receipt: generated.usage_receipt,
  callback_payload: generated.callback_payload,
  exception_ticket: generated.exception_ticket,
  replay_package: generated.replay_package,
  evidence_manifest: generated.evidence_manifest,
  tool_manifest: generated.tool_manifest,
};

/** Validates `value` against the named TokenOps schema. */
export function validate(name: SchemaName, value: unknown): ValidationResult {
  if (!isSchemaName(name)) {
    throw new TokenOpsError('usage', `There is no TokenOps schema named "${String(name)}".`);
  }
  return run(VALIDATORS[name], SCHEMAS[name], value);
}

/** Type guard form of `validate`. */
export function isValid<N extends SchemaName>(name: N, value: unknown): value is SchemaValues[N] {
  return validate(name, value).ok;
}

/**
 * Throws `TokenOpsError('input_invalid')` naming every problem when `value` does not satisfy the schema.
 * `what` names the value for the reader, e.g. `"usage receipt"` or `"evidence file receipt.json"`.
 */
export function assertValid<N extends SchemaName>(
  name: N,
  value: unknown,
  what: string,
): asserts value is SchemaValues[N] {
  const result = validate(name, value);
  if (!result.ok) throw invalid(what, result.errors, { schema: name });
}

/** Validates the input of an IPC call against its channel's schema in the IPC contract. */
export function validateIpcInput(channel: IpcChannel, input: unknown): ValidationResult {
  const validator = (generated.ipcInputValidators as Record<string, CompiledValidator | undefined>)[channel];
  const contract = Object.prototype.hasOwnProperty.call(IPC_CONTRACT, channel) ? IPC_CONTRACT[channel] : undefined;
  if (!validator || !contract) {
    throw new TokenOpsError('usage', `There is no IPC channel named "${String(channel)}".`);
  }
  return run(validator, contract.input, input);
}

/** Throws `TokenOpsError('input_invalid')` when an IPC input does not satisfy its channel's schema. */
export function assertValidIpcInput<C extends IpcChannel>(channel: C, input: unknown): asserts input is IpcInput<C> {
  const result = validateIpcInput(channel, input);
  if (!result.ok) throw invalid(`input of "${channel}"`, result.errors, { channel });
}

function invalid(what: string, errors: string[], details: Record<string, unknown>): TokenOpsError {
  const shown = errors.slice(0, MAX_LISTED);
  const more = errors.length - shown.length;
  const subject = what.charAt(0).toUpperCase() + what.slice(1);
  const message =
    `${subject} is not valid: ${shown.join('; ')}` +
    (more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : '') +
    '.';
  return new TokenOpsError('input_invalid', message, { ...details, errors });
}

const MAX_LISTED = 20;

function run(validator: CompiledValidator, schema: unknown, value: unknown): ValidationResult {
  if (validator(value)) return { ok: true };
  return { ok: false, errors: formatErrors(validator.errors ?? [], schema, value) };
}

// ---------------------------------------------------------------------------------------------
// Errors in words

/** Patterns used by the IPC contract, in words. */
const EXTRA_PATTERN_HINTS: Readonly<Record<string, string>> = {
  '^[A-Za-z0-9_-]{1,80}$': 'must be an id of 1 to 80 letters, digits, "_" or "-"',
};

/** Turns ajv errors into sentences, one per problem, without duplicates. */
function formatErrors(errors: readonly ValidatorError[], schema: unknown, value: unknown): string[] {
  const out: string[] = [];
  for (const e of errors) {
    // The per-item failures behind a failed `contains` only repeat it less clearly.
    if (/\/contains\/./.test(e.schemaPath)) continue;
    const line = formatError(e, schema, value);
    if (!out.includes(line)) out.push(line);
  }
  if (out.length === 0) out.push('the value is not valid');
  return out;
}

function formatError(e: ValidatorError, schema: unknown, value: unknown): string {
  const path = e.instancePath;
  const at = path || 'the value';
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'required':
      return missing(path, String(p.missingProperty));
    case 'additionalProperties': {
      const field = String(p.additionalProperty);
      const parent = resolveSchemaPath(schema, parentPath(e.schemaPath)) as
        { properties?: Record<string, unknown> } | undefined;
      const known = parent && isObject(parent.properties) ? Object.keys(parent.properties) : [];
      const guess = closest(field, known);
      return (
        `unknown field "${field}"` +
        (path ? ` in ${path}` : '') +
        (guess ? ` (did you mean "${guess}"?)` : known.length ? ` (allowed: ${known.join(', ')})` : '')
      );
    }
    case 'const':
      return `${at} must be ${JSON.stringify(p.allowedValue)}`;
    case 'enum':
      return `${at} must be one of ${listValues(p.allowedValues)}`;
    case 'type':
      return `${at} must be ${typeWords(p.type)}`;
    case 'minLength':
      return Number(p.limit) === 1 ? `${at} must not be empty` : `${at} must be at least ${p.limit} characters long`;
    case 'maxLength':
      return `${at} must be at most ${p.limit} characters long`;
    case 'pattern': {
      const hint = PATTERN_HINTS[String(p.pattern)] ?? EXTRA_PATTERN_HINTS[String(p.pattern)];
      return `${at} ${hint ?? `must match the pattern ${p.pattern}`}`;
    }
    case 'format':
      return `${at} must be ${FORMAT_WORDS[String(p.format)] ?? `a valid ${p.format}`}`;
    case 'minItems':
      return Number(p.limit) === 1 ? `${at} must not be empty` : `${at} must have at least ${p.limit} items`;
    case 'maxItems':
      return `${at} must have at most ${p.limit} items`;
    case 'uniqueItems':
      return `${at} must not repeat an item (items ${p.j} and ${p.i} are the same)`;
    case 'contains': {
      const sub = resolveSchemaPath(schema, e.schemaPath) as { const?: unknown } | undefined;
      return sub && 'const' in sub
        ? `${at} must include ${JSON.stringify(sub.const)}`
        : `${at} ${e.message ?? 'is not valid'}`;
    }
    case 'discriminator': {
      const tag = String(p.tag);
      const tagValue = valueAt(value, path) as Record<string, unknown> | undefined;
      if (!isObject(tagValue) || tagValue[tag] === undefined) return missing(path, tag);
      const owner = resolveSchemaPath(schema, parentPath(e.schemaPath)) as
        { properties?: Record<string, { enum?: unknown[] }> } | undefined;
      const allowed = owner?.properties?.[tag]?.enum;
      return `${path}/${tag} must be ` + (Array.isArray(allowed) ? `one of ${listValues(allowed)}` : 'a known kind');
    }
    default:
      // minimum, maximum, multipleOf, oneOf, anyOf, not, …: ajv's wording is already readable.
      return `${at} ${e.message ?? 'is not valid'}`;
  }
}

function missing(path: string, field: string): string {
  return path ? `${path} is missing required field "${field}"` : `missing required field "${field}"`;
}

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  'date-time': 'a date and time such as "2026-06-02T10:00:00Z"',
  date: 'a date such as "2026-06-02"',
  uri: 'an absolute URI',
  email: 'an email address',
};

function typeWords(type: unknown): string {
  const names = Array.isArray(type) ? type.map(String) : String(type).split(',');
  const words = names.map(
    (t) =>
      ({
        string: 'a string',
        integer: 'an integer',
        number: 'a number',
        boolean: 'true or false',
        object: 'an object',
        array: 'an array',
        null: 'null',
      })[t] ?? t,
  );
  return words.length <= 1
    ? (words[0] ?? 'of another type')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function listValues(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : JSON.stringify(values);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parentPath(schemaPath: string): string {
  const i = schemaPath.lastIndexOf('/');
  return i <= 0 ? '#' : schemaPath.slice(0, i);
}

function unescapePointer(token: string): string {
  let decoded = token;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    // not URI-encoded
  }
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Follows an ajv `schemaPath` (`#/properties/x/items`) inside the schema that produced the error. */
function resolveSchemaPath(schema: unknown, schemaPath: string): unknown {
  if (!schemaPath.startsWith('#')) return undefined;
  let node: unknown = schema;
  for (const raw of schemaPath.slice(1).split('/').filter(Boolean)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[unescapePointer(raw)];
  }
  return node;
}

/** Follows a JSON pointer (`/files/0`) inside the validated value. */
function valueAt(value: unknown, pointer: string): unknown {
  let node = value;
  for (const raw of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** The known field closest to a typo, when it is close enough to be a likely intent. */
function closest(field: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(field.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(1, Math.floor(field.length / 4));
  return best !== undefined && bestDistance <= tolerance ? best : undefined;
}

export type { SchemaName } from './schemas/index';
