import { JSON_SCHEMA_DIALECT, idString, money, schemaId, text } from './common';

/** Step 2 (`PaymentRequestRecord`): the payment request tied to the settlement path. */
export const paymentRequestRecord = {
  title: 'Payment request',
  description:
    'Evidence step 2: payment request artifact, provider ID, credit funding record, or test-provider artifact tied to the settlement path.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'payment_request_id'],
  properties: {
    kind: { const: 'payment_request' },
    payment_request_id: idString,
    settlement_reference: {
      ...idString,
      description: "The settlement reference this request names; must equal the run's.",
    },
    provider: text,
    provider_id: idString,
    amount: money,
    pay_to: idString,
    network: text,
    scheme: text,
    resource: text,
  },
} as const;

export const paymentRequestSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('payment_request'),
  ...paymentRequestRecord,
} as const;
