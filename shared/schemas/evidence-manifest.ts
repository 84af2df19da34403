import { JSON_SCHEMA_DIALECT, count, idString, schemaId, sha256, text, timestamp } from './common';

/** `EvidenceManifest`: describes every packaged file and record; lives in the bundle's payload. */
export const evidenceManifestSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('evidence_manifest'),
  title: 'TokenOps evidence manifest',
  description: 'Every record and file packaged in a result bundle, with where it came from and where it lies.',
  type: 'object',
  additionalProperties: false,
  required: ['manifest_type', 'run_id', 'generated_at', 'pre_run', 'records', 'files'],
  properties: {
    manifest_type: { const: 'tokenops_evidence_manifest' },
    run_id: idString,
    generated_at: timestamp,
    pre_run: { type: 'object' },
    records: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['evidence_id', 'kind', 'format', 'source', 'path'],
        properties: {
          evidence_id: idString,
          kind: idString,
          format: idString,
          source: idString,
          file: text,
          row: { type: 'integer', minimum: 1 },
          path: text,
        },
      },
    },
    files: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'size', 'sha256', 'media_type', 'path', 'scan_status'],
        properties: {
          name: text,
          size: count,
          sha256,
          media_type: text,
          path: text,
          scan_status: idString,
        },
      },
    },
  },
} as const;
