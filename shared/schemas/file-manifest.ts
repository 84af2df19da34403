import { JSON_SCHEMA_DIALECT, count, idString, schemaId, sha256, text } from './common';

/** One line of a file manifest (`FileManifestEntry`): describes a file without exposing it. */
const fileManifestEntry = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'size', 'sha256', 'media_type'],
  properties: {
    name: text,
    size: { ...count, description: 'Size in bytes.' },
    sha256,
    media_type: text,
  },
} as const;

/** Step 6, manifest form (`FileManifestRecord`, kind `files`). */
export const fileManifestRecord = {
  title: 'Files or file manifest',
  description:
    'Evidence step 6: public-safe files, JSON records, CSV exports, or a file manifest (name, size, SHA-256, media type) describing evidence without exposing secrets.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'manifest_id', 'files'],
  properties: {
    kind: { const: 'files' },
    manifest_id: idString,
    files: { type: 'array', items: fileManifestEntry },
  },
} as const;

export const fileManifestSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('file_manifest'),
  ...fileManifestRecord,
} as const;
