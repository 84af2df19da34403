import { JSON_SCHEMA_DIALECT, schemaId } from './common';
import { settlementReferenceRecord } from './settlement-reference';
import { paymentRequestRecord } from './payment-request';
import { creditLedgerEntryRecord } from './credit-ledger-entry';
import { workOrderRecord } from './work-order';
import { usageReceiptRecord } from './usage-receipt-record';
import { fileManifestRecord } from './file-manifest';
import { digitalAssetContextRecord } from './digital-asset-context';
import { webhookEventRecord } from './webhook-event';

/** The kinds, in the order of the evidence steps and then the optional inputs. */
const EVIDENCE_RECORD_KINDS = [
  'settlement_reference',
  'payment_request',
  'credit_ledger_entry',
  'work_order',
  'usage_receipt',
  'files',
  'digital_asset_context',
  'webhook_event',
] as const;

/**
 * Any normalised evidence record (`EvidenceRecord`), chosen by its `kind` (OpenAPI-style
 * `discriminator`, which ajv honours, so only the matching branch reports errors). The branches are
 * the record schemas inlined without their `$schema`/`$id`, so this schema is self-contained.
 */
export const evidenceRecordSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('evidence_record'),
  title: 'Evidence record',
  description: 'One normalised evidence record; `kind` says which evidence step or optional input it is.',
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: EVIDENCE_RECORD_KINDS } },
  discriminator: { propertyName: 'kind' },
  oneOf: [
    settlementReferenceRecord,
    paymentRequestRecord,
    creditLedgerEntryRecord,
    workOrderRecord,
    usageReceiptRecord,
    fileManifestRecord,
    digitalAssetContextRecord,
    webhookEventRecord,
  ],
} as const;
