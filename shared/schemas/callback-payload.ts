import {
  JSON_SCHEMA_DIALECT,
  SHA256_PATTERN,
  evidenceStatus,
  idOrNull,
  idString,
  resultStatus,
  schemaId,
  score,
  stringList,
  timestamp,
} from './common';

/**
 * `CallbackPayload`: what the requesting agent needs to continue the workflow without guessing.
 * The seed names it without showing an example, so every field of the type is required.
 */
export const callbackPayloadSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('callback_payload'),
  title: 'TokenOps callback payload',
  description:
    'Sent to the requesting agent: run, status, result package and receipt references, bundle digest, open items and next actions.',
  type: 'object',
  additionalProperties: false,
  required: [
    'event_type',
    'operating_tool',
    'run_id',
    'evidence_status',
    'evidence_score',
    'result_status',
    'result_package',
    'usage_receipt',
    'settlement_reference',
    'bundle_sha256',
    'exception_ticket',
    'open_items',
    'next_actions',
    'generated_at',
  ],
  properties: {
    event_type: { enum: ['tokenops.result_package.ready', 'tokenops.run.exception'] },
    operating_tool: { const: 'tokenops' },
    run_id: idString,
    evidence_status: evidenceStatus,
    evidence_score: score,
    result_status: resultStatus,
    result_package: idOrNull,
    usage_receipt: idOrNull,
    settlement_reference: idOrNull,
    bundle_sha256: {
      type: ['string', 'null'],
      pattern: SHA256_PATTERN,
      description: 'SHA-256 of the result bundle, 64 lowercase hexadecimal characters.',
    },
    exception_ticket: idOrNull,
    open_items: stringList,
    next_actions: stringList,
    generated_at: timestamp,
  },
} as const;
