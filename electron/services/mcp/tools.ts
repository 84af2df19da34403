/**
 * The MCP tools: the whole TokenOps flow, each tool a thin call into the same facade the CLI and the
 * app use. Inputs are described by the IPC contract's JSON Schemas (or small ones here where a tool
 * has no channel), outputs by the document schemas (shared/schemas/documents), so an agent validates
 * what it receives exactly as a `--json` user would.
 */
import { IPC_CONTRACT, type IpcChannel } from '../../../shared/ipc/contract';
import type { DocumentName } from '../../../shared/schemas/documents';
import type { TokenOps } from '../tokenops';
import type { AllowedPaths } from './allowed-paths';

type Json = Record<string, unknown>;

export interface McpTool {
  name: string;
  description: string;
  inputSchema: Json;
  doc: DocumentName;
  call(t: TokenOps, input: Json, paths: AllowedPaths): Promise<object>;
}

const runId = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,80}$' };
const objectOf = (properties: Json, required: string[]): Json => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const inputOf = (channel: IpcChannel): Json => IPC_CONTRACT[channel].input;
// The app's contract takes grants for files (the renderer never names a path); an agent names paths,
// confined to its --allow folders (allowed-paths.ts).
const filePath = { type: 'string', minLength: 1, maxLength: 4096 };
const s = (v: unknown) => String(v);

export const MCP_TOOLS: McpTool[] = [
  {
    name: 'manifest',
    description: 'The TokenOps tool manifest: accepted inputs, the six evidence steps, scoring, outputs and schemas.',
    inputSchema: inputOf('manifest.get'),
    doc: 'tool_manifest',
    call: (t) => t.handlers['manifest.get']({}),
  },
  {
    name: 'run_create',
    description: 'Open a run, optionally with trust profile, quote and credit entitlement.',
    inputSchema: inputOf('runs.create'),
    doc: 'run_view',
    call: (t, i) => t.handlers['runs.create'](i as never),
  },
  {
    name: 'run_list',
    description: 'Runs, newest first, with state, evidence status and score.',
    inputSchema: inputOf('runs.list'),
    doc: 'run_list',
    call: (t, i) => t.handlers['runs.list'](i as never),
  },
  {
    name: 'run_show',
    description: 'A run with its evaluation.',
    inputSchema: inputOf('runs.get'),
    doc: 'run_view',
    call: (t, i) => t.handlers['runs.get']({ run_id: s(i.run_id) }),
  },
  {
    name: 'evidence_add',
    description: 'Add evidence files or folders by path (inside the folders the operator allowed).',
    inputSchema: objectOf({ run_id: runId, paths: { type: 'array', items: filePath, minItems: 1, maxItems: 10000 } }, [
      'run_id',
      'paths',
    ]),
    doc: 'evidence_intake',
    async call(t, i, paths) {
      const confined = await Promise.all((i.paths as string[]).map((p) => paths.existing(p)));
      return t.handlers['evidence.addFiles']({ run_id: s(i.run_id), paths: confined });
    },
  },
  {
    name: 'evidence_paste',
    description:
      'Add pasted JSON: a TokenOps record, an array of records, or a provider object (x402, AP2, Stripe, ACP).',
    inputSchema: inputOf('evidence.paste'),
    doc: 'evidence_paste',
    call: (t, i) => t.handlers['evidence.paste']({ run_id: s(i.run_id), text: s(i.text) }),
  },
  {
    name: 'evidence_remove',
    description: 'Remove one evidence record from a run.',
    inputSchema: inputOf('evidence.remove'),
    doc: 'run_view',
    call: (t, i) => t.handlers['evidence.remove']({ run_id: s(i.run_id), evidence_id: s(i.evidence_id) }),
  },
  {
    name: 'evaluate',
    description:
      'The tokenops_review: evidence status, score with its rule trace, steps, checks, open items, next actions.',
    inputSchema: objectOf({ run_id: runId }, ['run_id']),
    doc: 'tokenops_review',
    call: async (t, i) => (await t.handlers['runs.get']({ run_id: s(i.run_id) })).evaluation,
  },
  {
    name: 'evidence_summary',
    description: 'Every usable record and file of a run, where it came from and where it lies in the bundle.',
    inputSchema: objectOf({ run_id: runId }, ['run_id']),
    doc: 'evidence_summary',
    call: (t, i) => t.evidenceSummary(s(i.run_id)),
  },
  {
    name: 'package',
    description:
      'Debit once and export the signed result bundle (to out_path, inside an allowed folder, or the data folder), or issue an exception ticket.',
    inputSchema: objectOf({ run_id: runId, out_path: filePath }, ['run_id']),
    doc: 'operating_record',
    async call(t, i, paths) {
      const out = i.out_path === undefined ? {} : { out_path: await paths.target(s(i.out_path)) };
      return t.handlers['run.package']({ run_id: s(i.run_id), ...out });
    },
  },
  {
    name: 'verify',
    description: "Verify a bundle: zip structure, bag manifests, a trusted signer's signature, subjects.",
    inputSchema: objectOf({ path: filePath }, ['path']),
    doc: 'bundle_verification',
    call: async (t, i, paths) => t.verify(await paths.existing(s(i.path))),
  },
  {
    name: 'receipts',
    description: 'Usage receipts, credit balances and events, and the ledger check.',
    inputSchema: inputOf('ledger.get'),
    doc: 'ledger',
    call: (t) => t.handlers['ledger.get']({}),
  },
  {
    name: 'receipt_verify',
    description: 'Check the receipt and credit ledgers for edits, reordering and truncation.',
    inputSchema: inputOf('ledger.get'),
    doc: 'ledger_verification',
    call: async (t) => (await t.handlers['ledger.get']({})).verify,
  },
  {
    name: 'exceptions',
    description: 'Exception tickets and what each is waiting for.',
    inputSchema: inputOf('exceptions.list'),
    doc: 'exception_tickets',
    call: async (t, i) => ({
      exceptions: await t.handlers['exceptions.list'](i.run_id ? { run_id: s(i.run_id) } : {}),
    }),
  },
  {
    name: 'replay',
    description: 'Resume a run from its exception ticket once the missing evidence was added; never debits twice.',
    inputSchema: inputOf('run.replay'),
    doc: 'replay_outcome',
    call: (t, i) => t.replay(s(i.run_id)),
  },
  {
    name: 'callback_set',
    description:
      'Set the callback destination of a run. A whsec_ secret is generated when none is given and returned once as generated_secret; a loopback or private address needs allow_private.',
    inputSchema: inputOf('runs.setCallback'),
    doc: 'callback_destination',
    call: async (t, i) => {
      const v = await t.handlers['runs.setCallback'](i as never);
      return { ...v.run.callback, ...(v.generated_secret ? { generated_secret: v.generated_secret } : {}) };
    },
  },
  {
    name: 'callback_send',
    description:
      'Make the callback attempts due now (Standard Webhooks); a pending result names next_attempt_at: call again then.',
    inputSchema: inputOf('callback.send'),
    doc: 'callback_delivery',
    call: (t, i) => t.handlers['callback.send']({ run_id: s(i.run_id) }),
  },
];
