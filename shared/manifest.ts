/**
 * The TokenOps tool manifest: what an agent reads to learn what TokenOps accepts, what it needs for a
 * sufficient run (and how that is scored), what it returns, the workflow, and where to call it.
 * Built from the same tables evaluation and the IPC contract use, so it cannot drift from them.
 */
import { SCHEMAS, SEED_ACCEPTED_INPUTS, SEED_OUTPUTS, type SchemaName } from './schemas';
import {
  DOCUMENTS,
  DOCUMENT_NAMES,
  documentId,
  documentSchema,
  isDocumentName,
  type DocumentName,
} from './schemas/documents';
import { CHECK_DEFINITIONS, STEP_DEFINITIONS } from './evaluation/catalog';
import { SCORING_RULES, SCORE_MAX } from './evaluation/scoring';
import { WORKFLOW_STATES, WORKFLOW_STATE_DESCRIPTIONS, WORKFLOW_TRANSITIONS } from './workflow';
import { IPC_CONTRACT, type IpcChannel } from './ipc/contract';

type EntryPointInput = string | { name: string; description?: string };

/** A CLI command as the manifest lists it (from electron/services/cli-commands.ts). */
export interface CliEntryInput {
  name: string;
  description: string;
  usage: string;
  arguments: string[];
  flags: Array<{ name: string; type: 'string' | 'boolean'; multiple: boolean }>;
  document: DocumentName;
}

export interface ToolManifestInput {
  ipcChannels: readonly EntryPointInput[];
  cliCommands: readonly CliEntryInput[];
}

type SchemaRef = SchemaName | DocumentName;

interface Described {
  name: string;
  description: string;
  schema: SchemaRef | null;
  schema_id: string | null;
  /** The commands and MCP tools that produce this output. */
  produced_by?: string[];
}

export interface ToolManifest {
  tool_id: 'tokenops';
  name: string;
  version: string;
  description: string;
  accepted_inputs: string[];
  outputs: string[];
  input_details: Described[];
  output_details: Described[];
  evidence_requirements: Array<{
    step: string;
    number: number;
    title: string;
    satisfied_by: string;
    schema: SchemaName;
    schema_id: string;
    must_line_up_with: Array<{ check_id: string; title: string; description: string }>;
    rules: Array<{ rule_id: string; title: string; weight: number }>;
  }>;
  evidence_status: Record<'missing' | 'partial' | 'sufficient', string>;
  scoring_rules: Array<{ rule_id: string; title: string; weight: number; description: string }>;
  score_max: number;
  output_modes: Array<{ mode: string; description: string }>;
  workflow_states: Array<{ state: string; description: string; transitions: string[] }>;
  entry_points: {
    cli: Array<{
      command: string;
      description: string;
      usage: string;
      arguments: string[];
      flags: Array<{ name: string; type: 'string' | 'boolean'; multiple: boolean }>;
      output_schema: string;
    }>;
    ipc: Array<{ channel: string; description: string }>;
  };
  /** Every schema with its body: the records TokenOps reads and writes, and the documents it prints. */
  schemas: Array<{
    name: string;
    kind: 'record' | 'document';
    schema_id: string;
    version: number | null;
    schema: Record<string, unknown>;
  }>;
}

const MANIFEST_VERSION = '1';

/** Inputs: the seed's five first (agent_task_run is the Work Order and its task run), then ours. */
const INPUTS: ReadonlyArray<{ name: string; schema: SchemaRef | null; description: string }> = [
  { name: 'settlement_reference', schema: 'settlement_reference', description: 'Step 1: why the paid run exists.' },
  {
    name: 'payment_request',
    schema: 'payment_request',
    description: 'Step 2: payment request tied to the settlement path.',
  },
  {
    name: 'usage_receipt',
    schema: 'usage_receipt_record',
    description: 'Step 5: usage receipt with credits debited and remaining.',
  },
  { name: 'agent_task_run', schema: 'work_order', description: 'Step 4: the Work Order and paid agent task run.' },
  {
    name: 'digital_asset_context',
    schema: 'digital_asset_context',
    description: 'Optional: tokenized asset, distribution evidence, lifecycle events, exceptions.',
  },
  {
    name: 'credit_ledger_entry',
    schema: 'credit_ledger_entry',
    description: 'Step 3: funded entitlement, balance, metered debit or credit account.',
  },
  { name: 'work_order', schema: 'work_order', description: 'Step 4 by its record name (same as agent_task_run).' },
  {
    name: 'file_manifest',
    schema: 'file_manifest',
    description: 'Step 6: files described by name, size, SHA-256 and media type.',
  },
  {
    name: 'files',
    schema: null,
    description: 'Step 6: public-safe files, JSON records and CSV exports; JSON and CSV are read as records.',
  },
  {
    name: 'webhook_event',
    schema: 'webhook_event',
    description: 'Optional: provider webhook events kept as settlement evidence.',
  },
  { name: 'pre_run', schema: 'pre_run', description: 'Trust, quote, credit: set before the agent runs.' },
  {
    name: 'provider_export',
    schema: null,
    description:
      "Payment processors' objects, HTTP-402 payment payloads and settlement responses, agent-payment mandates: recognised and mapped to records.",
  },
];

const OUTPUTS: ReadonlyArray<{ name: string; schema: SchemaRef | null; description: string; produced_by?: string[] }> =
  [
    {
      name: 'tokenops_review',
      schema: 'tokenops_review',
      description:
        'The evaluation: evidence status, score with its rule trace, per-step status, cross-checks, open items and next actions.',
      produced_by: ['tokenops evaluate', 'mcp tool evaluate', 'mcp resource tokenops://runs/{run_id}/review'],
    },
    {
      name: 'evidence_summary',
      schema: 'evidence_summary',
      description: 'Every record and file of the run, where it came from and where it lies in the bundle.',
      produced_by: ['tokenops summary', 'mcp tool evidence_summary'],
    },
    {
      name: 'operating_record',
      schema: 'operating_record',
      description:
        'What packaging did: the debit, the usage receipt and the signed result bundle (a BagIt bag in a zip, DSSE-signed; check it with tokenops verify), or the exception ticket and replay package.',
      produced_by: ['tokenops package', 'tokenops pack', 'tokenops replay', 'mcp tool package'],
    },
    {
      name: 'result_package',
      schema: 'result_package',
      description:
        'Delivery-ready result: status, score, settlement trail, payment request, receipt, callback readiness, open items, next actions.',
    },
    {
      name: 'usage_receipt',
      schema: 'usage_receipt',
      description: 'Credits debited and remaining, evidence status and result location; hash-chained receipt ledger.',
    },
    {
      name: 'callback_payload',
      schema: 'callback_payload',
      description: 'Sent to the requesting agent so it can continue without guessing.',
    },
    {
      name: 'exception_ticket',
      schema: 'exception_ticket',
      description: 'What is missing or does not line up, whether replay is safe, and the recovery path.',
    },
    {
      name: 'replay_package',
      schema: 'replay_package',
      description: 'Known state plus missing items; replay resumes from it and never debits twice.',
    },
    {
      name: 'evidence_manifest',
      schema: 'evidence_manifest',
      description: 'Packaged records and files with digests (inside the bundle).',
    },
  ];

const OUTPUT_MODES = [
  { mode: 'json', description: 'One JSON document: every CLI command with --json, every IPC call.' },
  {
    mode: 'signed_bundle',
    description:
      'A zip holding a BagIt 1.0 bag, signed with Ed25519 (DSSE over an in-toto Statement); check with tokenops verify.',
  },
  {
    mode: 'callback',
    description:
      'The callback payload POSTed to the requesting agent with Standard Webhooks headers; at-least-once delivery.',
  },
];

export function buildToolManifest(input: ToolManifestInput): ToolManifest {
  return {
    tool_id: 'tokenops',
    name: 'TokenOps',
    version: MANIFEST_VERSION,
    description:
      'Token operations for the agent-to-agent economy: settlement evidence, agent-paid usage records, digital-asset workflow evidence, usage receipts, callback delivery and result packages.',
    accepted_inputs: unique([...SEED_ACCEPTED_INPUTS, ...INPUTS.map((i) => i.name)]),
    outputs: unique([...SEED_OUTPUTS, ...OUTPUTS.map((o) => o.name)]),
    input_details: INPUTS.map(described),
    output_details: OUTPUTS.map(described),
    evidence_requirements: STEP_DEFINITIONS.map((d) => ({
      step: d.step,
      number: d.number,
      title: d.title,
      satisfied_by: d.satisfied_by,
      schema: d.schema,
      schema_id: schemaIdOf(d.schema),
      must_line_up_with: CHECK_DEFINITIONS.filter((c) => c.steps.includes(d.step)).map((c) => ({
        check_id: c.check_id,
        title: c.title,
        description: c.description,
      })),
      rules: SCORING_RULES.filter((r) => concerns(r.applies_to, d.step)).map((r) => ({
        rule_id: r.rule_id,
        title: r.title,
        weight: r.weight,
      })),
    })),
    evidence_status: {
      missing: 'No evidence step is satisfied.',
      partial: 'Enough to start, not enough to return a delivery-ready result package.',
      sufficient:
        'All six steps satisfied, no cross-check failing, no secret or unattested file, no blocking exception.',
    },
    scoring_rules: SCORING_RULES.map(({ rule_id, title, weight, description }) => ({
      rule_id,
      title,
      weight,
      description,
    })),
    score_max: SCORE_MAX,
    output_modes: OUTPUT_MODES.map((m) => ({ ...m })),
    workflow_states: WORKFLOW_STATES.map((state) => ({
      state,
      description: WORKFLOW_STATE_DESCRIPTIONS[state],
      transitions: [...WORKFLOW_TRANSITIONS[state]],
    })),
    entry_points: {
      cli: input.cliCommands.map((c) => ({
        command: `tokenops ${c.name}`,
        description: c.description,
        usage: `tokenops ${c.usage}`,
        arguments: c.arguments,
        flags: c.flags,
        output_schema: documentId(c.document),
      })),
      ipc: input.ipcChannels.map((c) => {
        const { name, description } = entry(c);
        return { channel: name, description: description ?? IPC_CONTRACT[name as IpcChannel]?.description ?? '' };
      }),
    },
    schemas: [
      ...(Object.keys(SCHEMAS) as SchemaName[]).map((name) => ({
        name,
        kind: 'record' as const,
        schema_id: schemaIdOf(name),
        version: null,
        schema: SCHEMAS[name] as Record<string, unknown>,
      })),
      ...DOCUMENT_NAMES.map((name) => ({
        name,
        kind: 'document' as const,
        schema_id: documentId(name),
        version: DOCUMENTS[name].version as number,
        schema: documentSchema(name),
      })),
    ],
  };
}

function described(d: {
  name: string;
  schema: SchemaRef | null;
  description: string;
  produced_by?: string[];
}): Described {
  return {
    name: d.name,
    description: d.description,
    schema: d.schema,
    schema_id: d.schema === null ? null : isDocumentName(d.schema) ? documentId(d.schema) : schemaIdOf(d.schema),
    ...(d.produced_by ? { produced_by: d.produced_by } : {}),
  };
}

function schemaIdOf(name: SchemaName): string {
  return (SCHEMAS[name] as { $id: string }).$id;
}

/** A rule concerns a step when it scores the step or a check that links the step. */
function concerns(appliesTo: (typeof SCORING_RULES)[number]['applies_to'], step: string): boolean {
  if ('step' in appliesTo) return appliesTo.step === step;
  return CHECK_DEFINITIONS.some((c) => c.check_id === appliesTo.check_id && (c.steps as string[]).includes(step));
}

function entry(e: EntryPointInput): { name: string; description?: string } {
  return typeof e === 'string' ? { name: e } : e;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
