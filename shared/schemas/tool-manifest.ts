import { JSON_SCHEMA_DIALECT, idString, schemaId, text } from './common';

/** What the seed's manifest lists; ours must list at least these. */
export const SEED_ACCEPTED_INPUTS = [
  'settlement_reference',
  'payment_request',
  'usage_receipt',
  'agent_task_run',
  'digital_asset_context',
] as const;
export const SEED_OUTPUTS = ['tokenops_review', 'evidence_summary', 'operating_record'] as const;

const mustInclude = (values: readonly string[]) => values.map((v) => ({ contains: { const: v } }));

/**
 * The TokenOps tool manifest an agent reads to learn accepted inputs, evidence requirements, output
 * modes, workflow states and entry points. The seed's three fields are required (and must list at
 * least the seed's values); the rest is optional. The manifest is a descriptive, extensible
 * document, so unlike records and outputs it accepts further top-level fields.
 */
export const toolManifestSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('tool_manifest'),
  title: 'TokenOps tool manifest',
  description: 'Accepted inputs, evidence requirements, output modes, workflow states, and entry points of TokenOps.',
  type: 'object',
  required: ['tool_id', 'accepted_inputs', 'outputs'],
  properties: {
    tool_id: { const: 'tokenops' },
    accepted_inputs: {
      type: 'array',
      items: idString,
      uniqueItems: true,
      allOf: mustInclude(SEED_ACCEPTED_INPUTS),
    },
    outputs: {
      type: 'array',
      items: idString,
      uniqueItems: true,
      allOf: mustInclude(SEED_OUTPUTS),
    },
    evidence_requirements: { type: ['array', 'object'] },
    scoring_rules: { type: ['array', 'object'] },
    output_modes: { type: ['array', 'object'] },
    workflow_states: { type: ['array', 'object'] },
    entry_points: { type: ['array', 'object'] },
    name: text,
    version: text,
    description: text,
  },
} as const;
