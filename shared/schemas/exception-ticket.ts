import { JSON_SCHEMA_DIALECT, idString, schemaId, stringList, text, timestamp } from './common';

const EXCEPTION_TYPES = [
  'evidence_gap',
  'inconsistent_evidence',
  'secret_found',
  'insufficient_credits',
  'callback_failed',
  'settlement_failed',
  'funding_failed',
] as const;
const EXCEPTION_STATUSES = ['waiting_on_requesting_agent', 'waiting_on_operator', 'resolved'] as const;

/** `ExceptionTicket`. Seed fields required; additions optional. */
export const exceptionTicketSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('exception_ticket'),
  title: 'Agent exception ticket',
  description:
    'Returned when evidence does not line up: what is missing, whether it is safe to replay, and the recovery path.',
  type: 'object',
  additionalProperties: false,
  required: ['object_type', 'requested_tool', 'exception_type', 'status', 'missing_items', 'safe_to_replay'],
  properties: {
    object_type: { const: 'agent_exception_ticket' },
    requested_tool: idString,
    exception_type: { enum: EXCEPTION_TYPES },
    status: { enum: EXCEPTION_STATUSES },
    missing_items: stringList,
    safe_to_replay: { type: 'boolean' },
    // additions
    ticket_id: idString,
    run_id: idString,
    created_at: timestamp,
    resolved_at: timestamp,
    resume_from_state: { ...text, description: 'The workflow state the run resumes from once the items are supplied.' },
    inconsistencies: stringList,
    recovery_path: stringList,
    replay_package_id: idString,
  },
} as const;
