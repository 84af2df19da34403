/**
 * Every TokenOps JSON Schema (draft 2020-12), by name. These names are what `validate()`
 * (shared/validate.ts) takes and what scripts/gen-validators.ts exports a compiled validator under.
 */
import { settlementReferenceSchema } from './settlement-reference';
import { paymentRequestSchema } from './payment-request';
import { creditLedgerEntrySchema } from './credit-ledger-entry';
import { workOrderSchema } from './work-order';
import { usageReceiptRecordSchema } from './usage-receipt-record';
import { fileManifestSchema } from './file-manifest';
import { digitalAssetContextSchema } from './digital-asset-context';
import { webhookEventSchema } from './webhook-event';
import { evidenceRecordSchema } from './evidence-record';
import { preRunSchema } from './pre-run';
import { resultPackageSchema } from './result-package';
import { usageReceiptSchema } from './usage-receipt';
import { callbackPayloadSchema } from './callback-payload';
import { exceptionTicketSchema } from './exception-ticket';
import { replayPackageSchema } from './replay-package';
import { evidenceManifestSchema } from './evidence-manifest';
import { toolManifestSchema } from './tool-manifest';

/** Spelled out (not `keyof typeof SCHEMAS`) so the document schema generator can read types that use it. */
export type SchemaName =
  | 'settlement_reference'
  | 'payment_request'
  | 'credit_ledger_entry'
  | 'work_order'
  | 'usage_receipt_record'
  | 'file_manifest'
  | 'digital_asset_context'
  | 'webhook_event'
  | 'evidence_record'
  | 'pre_run'
  | 'result_package'
  | 'usage_receipt'
  | 'callback_payload'
  | 'exception_ticket'
  | 'replay_package'
  | 'evidence_manifest'
  | 'tool_manifest';

export const SCHEMAS = {
  settlement_reference: settlementReferenceSchema,
  payment_request: paymentRequestSchema,
  credit_ledger_entry: creditLedgerEntrySchema,
  work_order: workOrderSchema,
  usage_receipt_record: usageReceiptRecordSchema,
  file_manifest: fileManifestSchema,
  digital_asset_context: digitalAssetContextSchema,
  webhook_event: webhookEventSchema,
  evidence_record: evidenceRecordSchema,
  pre_run: preRunSchema,
  result_package: resultPackageSchema,
  usage_receipt: usageReceiptSchema,
  callback_payload: callbackPayloadSchema,
  exception_ticket: exceptionTicketSchema,
  replay_package: replayPackageSchema,
  evidence_manifest: evidenceManifestSchema,
  tool_manifest: toolManifestSchema,
} as const satisfies Record<SchemaName, unknown>;

export const SCHEMA_NAMES = Object.keys(SCHEMAS) as SchemaName[];

export function isSchemaName(name: unknown): name is SchemaName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SCHEMAS, name);
}

/** Schema name of each evidence record kind (the kind `usage_receipt` is the `usage_receipt_record` schema). */
export const EVIDENCE_KIND_SCHEMA = {
  settlement_reference: 'settlement_reference',
  payment_request: 'payment_request',
  credit_ledger_entry: 'credit_ledger_entry',
  work_order: 'work_order',
  usage_receipt: 'usage_receipt_record',
  files: 'file_manifest',
  digital_asset_context: 'digital_asset_context',
  webhook_event: 'webhook_event',
} as const satisfies Record<string, SchemaName>;

export { PATTERN_HINTS } from './common';
export { SEED_ACCEPTED_INPUTS, SEED_OUTPUTS } from './tool-manifest';
