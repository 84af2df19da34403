import { JSON_SCHEMA_DIALECT, credits, evidenceTimestamp, idString, schemaId, text } from './common';

/** Step 5 (`UsageReceiptRecord`, kind `usage_receipt`): the usage receipt of the paid run, as evidence. */
export const usageReceiptRecord = {
  title: 'Usage receipt (evidence)',
  description:
    'Evidence step 5: usage receipt, credits debited, remaining credits, result URL, and a receipt reference that can be preserved.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'receipt_id', 'credits_debited', 'remaining_credits'],
  properties: {
    kind: { const: 'usage_receipt' },
    receipt_id: idString,
    work_order_id: idString,
    credit_entitlement_id: idString,
    credits_debited: credits,
    remaining_credits: credits,
    result_url: text,
    receipt_reference: idString,
    issued_at: evidenceTimestamp,
  },
} as const;

export const usageReceiptRecordSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('usage_receipt_record'),
  ...usageReceiptRecord,
} as const;
