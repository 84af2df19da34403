import { JSON_SCHEMA_DIALECT, evidenceTimestamp, idString, schemaId, stringList, text } from './common';

/** Optional input (`DigitalAssetContextRecord`): tokenized asset, distribution, lifecycle events, exceptions. */
export const digitalAssetContextRecord = {
  title: 'Digital asset context',
  description: 'Optional input: tokenized asset context, distribution evidence, lifecycle events, and exceptions.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'asset_id'],
  properties: {
    kind: { const: 'digital_asset_context' },
    asset_id: idString,
    asset_type: text,
    network: text,
    distribution: { description: 'Distribution evidence, kept as given.' },
    lifecycle_events: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['event'],
        properties: { event: text, at: evidenceTimestamp, detail: text },
      },
    },
    exceptions: stringList,
  },
} as const;

export const digitalAssetContextSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('digital_asset_context'),
  ...digitalAssetContextRecord,
} as const;
