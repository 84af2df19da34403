import { JSON_SCHEMA_DIALECT, evidenceTimestamp, idString, money, schemaId, text } from './common';

/** Step 1 (`SettlementReferenceRecord`): why the paid run exists. */
export const settlementReferenceRecord = {
  title: 'Settlement reference',
  description:
    'Evidence step 1: settlement intent, provider reference, invoice token, or another public-safe record showing why the paid run exists.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'settlement_reference'],
  properties: {
    kind: { const: 'settlement_reference' },
    settlement_reference: idString,
    provider: text,
    provider_reference: idString,
    invoice_token: idString,
    amount: money,
    network: text,
    transaction: idString,
    payer: idString,
    status: { enum: ['settled', 'pending', 'failed'] },
    status_reason: { ...text, description: "The provider's reason for a failed settlement (x402 errorReason)." },
    settled_at: evidenceTimestamp,
  },
} as const;

export const settlementReferenceSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('settlement_reference'),
  ...settlementReferenceRecord,
} as const;
