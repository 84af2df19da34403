import { JSON_SCHEMA_DIALECT, idString, schemaId } from './common';

/** `PreRun`: set before the agent runs ("Trust, quote, credit"); the seed's names. */
export const preRunObject = {
  type: 'object',
  additionalProperties: false,
  required: ['requested_tool', 'requested_capability'],
  properties: {
    trust_profile_id: idString,
    quote_id: idString,
    credit_entitlement_id: idString,
    requested_tool: idString,
    requested_capability: idString,
  },
} as const;

export const preRunSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('pre_run'),
  title: 'Trust, quote, credit',
  description:
    'Ties a run, before it begins, to a trust profile, a quote, an active credit entitlement, and the requested tool and capability.',
  ...preRunObject,
} as const;
