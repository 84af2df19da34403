import {
  JSON_SCHEMA_DIALECT,
  count,
  credits,
  evidenceStatus,
  idString,
  schemaId,
  score,
  sha256,
  stringList,
  text,
  timestamp,
} from './common';

/**
 * `ReplayPackage`: the run's known state plus what is missing, so supplying the missing evidence
 * resumes the run where it stopped. Not shown by the seed, so every field of the type is required.
 */
export const replayPackageSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('replay_package'),
  title: 'TokenOps replay package',
  description: "A run's known state and missing items; replay resumes from it and never debits credits twice.",
  type: 'object',
  additionalProperties: false,
  required: [
    'object_type',
    'replay_package_id',
    'ticket_id',
    'run_id',
    'created_at',
    'resume_from_state',
    'pre_run',
    'known_evidence',
    'known_files',
    'missing_items',
    'evidence_score',
    'evidence_status',
    'credits_already_debited',
    'idempotency_key',
    'how_to_resume',
  ],
  properties: {
    object_type: { const: 'tokenops_replay_package' },
    replay_package_id: idString,
    ticket_id: idString,
    run_id: idString,
    created_at: timestamp,
    resume_from_state: text,
    pre_run: { type: 'object' },
    known_evidence: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['evidence_id', 'kind', 'record_sha256'],
        properties: { evidence_id: idString, kind: idString, record_sha256: sha256 },
      },
    },
    known_files: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'sha256', 'size'],
        properties: { name: text, sha256, size: count },
      },
    },
    missing_items: stringList,
    evidence_score: score,
    evidence_status: evidenceStatus,
    credits_already_debited: { ...credits, description: 'Credits already debited for the run (0 if none).' },
    idempotency_key: idString,
    how_to_resume: stringList,
  },
} as const;
