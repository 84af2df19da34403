import { JSON_SCHEMA_DIALECT, evidenceTimestamp, idString, schemaId, text } from './common';

/** Step 4 (`WorkOrderRecord`): the Work Order and its paid agent task run. */
export const workOrderRecord = {
  title: 'Work Order and task run',
  description:
    'Evidence step 4: the Work Order, paid agent task run, requested tool, requested capability, and operating goal.',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'work_order_id', 'task_run_id', 'requested_tool', 'requested_capability', 'operating_goal'],
  properties: {
    kind: { const: 'work_order' },
    work_order_id: idString,
    task_run_id: idString,
    requested_tool: idString,
    requested_capability: idString,
    operating_goal: text,
    requesting_agent: idString,
    performing_agent: idString,
    status: text,
    started_at: {
      ...evidenceTimestamp,
      description: 'When the paid task run started (RFC 3339); a receipt cannot be issued before it.',
    },
  },
} as const;

export const workOrderSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaId('work_order'),
  ...workOrderRecord,
} as const;
