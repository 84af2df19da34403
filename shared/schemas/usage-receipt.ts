import {
  JSON_SCHEMA_DIALECT,
  callbackStatus,
  credits,
  evidenceStatus,
  idOrNull,
  idString,
  resultStatus,
  schemaId,
  timestamp,
} from './common';

/**
 * `UsageReceipt` (the output, one entry of the receipt ledger). Seed fields required; additions optional.
 */
export const usageReceiptSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('usage_receipt'),
  title: 'TokenOps usage receipt',
  description: 'Records credits, evidence status and result location of a paid TokenOps run.',
  type: 'object',
  additionalProperties: false,
  required: [
    'receipt_id',
    'receipt_type',
    'operating_tool',
    'credits_debited',
    'remaining_credits',
    'evidence_status',
    'result_status',
    'callback_status',
  ],
  properties: {
    receipt_id: idString,
    receipt_type: { const: 'tokenops_usage_receipt' },
    operating_tool: { const: 'tokenops' },
    credits_debited: credits,
    remaining_credits: credits,
    evidence_status: evidenceStatus,
    result_status: resultStatus,
    callback_status: callbackStatus,
    // additions
    run_id: idString,
    credit_entitlement_id: idOrNull,
    work_order_id: idOrNull,
    result_url: idOrNull,
    receipt_reference: { ...idString, description: 'A reference that can be preserved.' },
    evidence_receipt_id: {
      type: ['string', 'null'],
      description: "The paid run's own usage receipt id, from the evidence (step 5).",
    },
    issued_at: timestamp,
  },
} as const;
