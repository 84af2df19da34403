import {
  JSON_SCHEMA_DIALECT,
  callbackStatus,
  count,
  evidenceStatus,
  idOrNull,
  idString,
  money,
  schemaId,
  score,
  stringList,
  text,
  timestamp,
} from './common';
import { preRunObject } from './pre-run';

/** One scoring rule's contribution (`RuleResult`). */
const ruleResult = {
  type: 'object',
  additionalProperties: false,
  required: ['rule_id', 'title', 'weight', 'earned', 'reason'],
  properties: {
    rule_id: idString,
    title: text,
    weight: { type: 'number', minimum: 0 },
    earned: { type: 'number', minimum: 0 },
    reason: { type: 'string' },
    counted: {
      type: 'boolean',
      description: 'False when the rule does not apply to the run and is left out of the total.',
    },
  },
} as const;

/**
 * `ResultPackage`. The fields the seed shows are required, with the seed's names and value types;
 * TokenOps' additions are optional, so the seed's own example validates as well as a full package.
 */
export const resultPackageSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('result_package'),
  title: 'TokenOps result package',
  description:
    'Delivery-ready TokenOps output: evidence status, score, settlement trail, payment request, usage receipt, callback readiness, open items, and next actions.',
  type: 'object',
  additionalProperties: false,
  required: [
    'package_type',
    'operating_tool',
    'evidence_status',
    'evidence_score',
    'received_inputs',
    'uploaded_files',
    'settlement_reference',
    'usage_receipt',
    'callback_delivery',
    'client_deliverable',
  ],
  properties: {
    package_type: { const: 'tokenops_result_package' },
    operating_tool: { const: 'tokenops' },
    evidence_status: evidenceStatus,
    evidence_score: score,
    received_inputs: { ...count, description: 'How many evidence records the run received.' },
    uploaded_files: { type: 'array', items: text, description: "File names of the run's packaged files." },
    settlement_reference: idOrNull,
    usage_receipt: { ...idOrNull, description: "The usage receipt's receipt_id." },
    callback_delivery: callbackStatus,
    client_deliverable: text,
    // additions
    package_id: idString,
    run_id: idString,
    generated_at: timestamp,
    settlement_trail: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['step', 'reference'],
        properties: { step: text, reference: idString, provider: text, detail: text },
      },
    },
    payment_request: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['payment_request_id'],
      properties: { payment_request_id: idString, provider: text, amount: money },
    },
    callback_readiness: {
      type: 'object',
      additionalProperties: false,
      required: ['status', 'reason'],
      properties: { status: callbackStatus, destination: text, reason: { type: 'string' } },
    },
    open_items: stringList,
    next_actions: stringList,
    rule_trace: { type: 'array', items: ruleResult },
    trust: preRunObject,
  },
} as const;
