import { JSON_SCHEMA_DIALECT, credits, evidenceTimestamp, idString, money, schemaId, text } from './common';

/** Step 3 (`CreditLedgerEntryRecord`): the funded entitlement that authorises the run. */
export const creditLedgerEntryRecord = {
  title: 'Credit ledger entry',
  description:
    'Evidence step 3: funded entitlement, credit balance, metered debit, or credit account record that authorizes the paid agent run.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'entry_id', 'credit_entitlement_id', 'entry_type'],
  properties: {
    kind: { const: 'credit_ledger_entry' },
    entry_id: idString,
    credit_entitlement_id: idString,
    entry_type: { enum: ['grant', 'balance', 'debit', 'account'] },
    credits: { ...credits, description: 'Credits granted, debited or held by this entry.' },
    balance: { ...credits, description: "Credits available on the entitlement before this run's usage." },
    funding: {
      ...money,
      description: 'Money that funds the entitlement (a monetary grant); never read as credits without a stated rate.',
    },
    customer: {
      ...idString,
      description:
        "The provider's customer the entry belongs to; links entries that name no entitlement to the customer's grant.",
    },
    grant_id: {
      ...idString,
      description: 'The provider grant this entry is or belongs to; entries sharing it fund once.',
    },
    provider: text,
    provider_reference: idString,
    recorded_at: evidenceTimestamp,
    status: {
      enum: ['active', 'voided'],
      description: 'Whether the funding still stands: a voided grant funds nothing (absent means active).',
    },
    status_reason: { ...text, description: "The provider's words for a voided grant." },
    expires_at: {
      ...evidenceTimestamp,
      description: "When the grant's credits expire; usage after it is not funded by this entry.",
    },
  },
} as const;

export const creditLedgerEntrySchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('credit_ledger_entry'),
  ...creditLedgerEntryRecord,
} as const;
