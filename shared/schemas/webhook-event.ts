import { JSON_SCHEMA_DIALECT, evidenceTimestamp, idString, schemaId, text } from './common';

/** Optional input (`WebhookEventRecord`): a provider webhook event kept as settlement evidence. */
export const webhookEventRecord = {
  title: 'Provider webhook event',
  description: 'Optional input: a provider webhook event kept as settlement evidence.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'event_id', 'event_type'],
  properties: {
    kind: { const: 'webhook_event' },
    event_id: idString,
    event_type: text,
    provider: text,
    created_at: evidenceTimestamp,
    refers_to: {
      type: 'array',
      items: idString,
      description: 'Identifiers the event points at (e.g. a payment intent, an invoice).',
    },
  },
} as const;

export const webhookEventSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('webhook_event'),
  ...webhookEventRecord,
} as const;
