/**
 * The IPC contract: every call the renderer can make, written once.
 * electron/main registers one handler per channel from this table (validating input against `input`),
 * electron/preload builds `window.tokenops` from the channel list, and the end-to-end test bridge does the same.
 */
import type { CsvColumnMapping } from '../domain/csv-mapping';
import type { Run, RunSummary, PreRun, RunFile } from '../domain/run';
import type { Evaluation } from '../domain/evaluation';
import type { EvidenceRecord, EvidenceItem } from '../domain/evidence';
import type { ExceptionTicket, ReplayPackage, ResultPackage, UsageReceipt, CallbackPayload } from '../domain/outputs';
import type { Progress } from '../progress';
import type { IpcErrorCode } from '../errors';

type JsonSchema = Record<string, unknown>;

export interface RunView {
  run: Run;
  evaluation: Evaluation;
  /** Set when this run's file was damaged and restored from its backup in this session: never silent. */
  recovered_from_backup?: {
    from: string;
    reason: string;
    /** The receipt the ledger holds for this run although the restored copy is not packaged (a stale backup). */
    receipt_in_ledger?: string;
  };
}

/** A stored CSV file as the column-mapping step shows it (files.csvPreview). */
export interface CsvPreview {
  /** The header row as written in the file. */
  headers: string[];
  /** The first data rows (at most 5), one cell per header. */
  rows: string[][];
  /** The fields a mapping can name, per layout, and those a row cannot do without. */
  fields: Record<CsvColumnMapping['layout'], string[]>;
  required: Record<CsvColumnMapping['layout'], string[]>;
  /** The mapping remembered for these headers, or one guessed from them; null when nothing fits. */
  suggestion: CsvColumnMapping | null;
}

export interface IntakeReport {
  added_files: Array<
    Pick<RunFile, 'file_id' | 'name' | 'size' | 'sha256' | 'classified_as' | 'problem'> & { scan_status: string }
  >;
  added_records: number;
  skipped: Array<{ path: string; reason: string }>;
}

export interface PackageOutcome {
  run_id: string;
  packaged: boolean;
  evidence_status: Evaluation['evidence_status'];
  evidence_score: number;
  result_package: ResultPackage | null;
  usage_receipt: UsageReceipt | null;
  callback_payload: CallbackPayload | null;
  bundle: { path: string; sha256: string; bytes: number; signer_fingerprint: string } | null;
  exception_ticket: ExceptionTicket | null;
  replay_package: ReplayPackage | null;
  credits: { debited: number; already_debited: boolean; remaining: number } | null;
  /** Why the run was not packaged, in words. */
  blockers: string[];
}

interface VerifyCheckView {
  id: string;
  ok: boolean;
  message: string;
}

export interface VerifyView {
  ok: boolean;
  file: string;
  checks: VerifyCheckView[];
  signer_fingerprint?: string;
  /** The signer's fingerprint (same as signer_fingerprint) and whether it is the home's key or in its trust keyring. */
  signer?: string;
  signer_trusted?: boolean;
  run_id?: string;
  payload_files?: number;
}

export interface LedgerView {
  receipts: Array<Record<string, unknown>>;
  verify: { ok: boolean; entries: number; problems: string[] };
  balances: Array<{ credit_entitlement_id: string; granted: number; debited: number; balance: number }>;
  credit_events: Array<{
    at: string;
    credit_entitlement_id: string;
    type: 'grant' | 'debit';
    credits: number;
    run_id?: string;
    balance_after: number;
  }>;
}

export interface SettingsView {
  home: string;
  signer_fingerprint: string;
  signer_key_id: string;
  key_protection: 'safeStorage' | 'file-0600';
  destinations: Array<{
    destination_id: string;
    url: string;
    secret_hint: string;
    created_at: string;
    disabled?: { at: string; reason: string };
  }>;
}

export interface CallbackView {
  message_id: string;
  state: string;
  attempts: Array<{ at: string; status?: number; error?: string }>;
  /** While pending: when the next attempt is due (the receiver's Retry-After, or backoff). */
  next_attempt_at?: string;
}

export interface ReplayOutcome {
  run_id: string;
  ticket_id: string | null;
  resumed_from: string | null;
  view: RunView;
  package: PackageOutcome | null;
}

/**
 * What the services take (the CLI, MCP, and Electron main once it has resolved the renderer's grants):
 * channel → input and output types, with real file paths.
 */
interface ServiceChannels {
  'manifest.get': { input: Record<string, never>; output: Record<string, unknown> };
  'runs.list': { input: { query?: string; limit?: number }; output: { total: number; runs: RunSummary[] } };
  /** A digest of every run's id and last change: equal means the list is unchanged, so it need not travel again. */
  'runs.revision': { input: Record<string, never>; output: { revision: string; total: number } };
  'runs.create': { input: { title?: string; pre_run?: Partial<PreRun> }; output: RunView };
  'runs.get': { input: { run_id: string }; output: RunView };
  'runs.setPreRun': { input: { run_id: string; pre_run: Partial<PreRun> }; output: RunView };
  'runs.setCallback': {
    /** `allow_private`: the operator confirmed a loopback or private-network receiver. */
    input: { run_id: string; url: string; secret?: string; allow_private?: boolean };
    /** `generated_secret`: the whsec_ secret TokenOps made when none was given, shown this once only. */
    output: RunView & { generated_secret?: string };
  };
  'evidence.addRecord': {
    input: { run_id: string; record: EvidenceRecord; source: 'form' | 'paste' };
    output: RunView;
  };
  'evidence.paste': { input: { run_id: string; text: string }; output: { view: RunView; added: EvidenceItem[] } };
  'evidence.addFiles': {
    /** `csv_mapping`: the operator's column mapping for CSV exports no layout recognises (`--csv-map`). */
    input: { run_id: string; paths: string[]; csv_mapping?: CsvColumnMapping };
    output: { view: RunView; report: IntakeReport };
  };
  'evidence.remove': { input: { run_id: string; evidence_id: string }; output: RunView };
  'files.exclude': { input: { run_id: string; file_id: string; reason: string }; output: RunView };
  'files.replace': {
    input: { run_id: string; file_id: string; path: string };
    output: { view: RunView; report: IntakeReport };
  };
  'files.attest': { input: { run_id: string; file_id: string; attested_by: string }; output: RunView };
  'files.attestUnscannable': {
    input: { run_id: string; attested_by: string };
    output: { view: RunView; attested: string[] };
  };
  'files.redact': {
    input: { run_id: string; file_id: string };
    output: { view: RunView; report: IntakeReport; masked: number };
  };
  /** A stored CSV's headers and first rows, with the fields a column mapping can name, for the mapping step. */
  'files.csvPreview': { input: { run_id: string; file_id: string }; output: CsvPreview };
  /** Read a stored CSV again with the operator's column mapping; the mapping is remembered for its headers. */
  'files.mapColumns': { input: { run_id: string; file_id: string; mapping: CsvColumnMapping }; output: RunView };
  'run.package': { input: { run_id: string; out_path?: string; force?: boolean }; output: PackageOutcome };
  'run.cancelPackage': { input: { run_id: string }; output: { cancelled: boolean } };
  'run.replay': { input: { run_id: string }; output: ReplayOutcome };
  'exceptions.list': { input: { run_id?: string }; output: ExceptionTicket[] };
  'bundle.verify': { input: { path: string }; output: VerifyView };
  'bundle.verifyRun': { input: { run_id: string }; output: VerifyView };
  'trust.addSigner': {
    input: { path: string; name: string; fingerprint: string };
    output: { name: string; fingerprint: string; key_id: string; added_at: string };
  };
  'ledger.get': { input: Record<string, never>; output: LedgerView };
  'callback.send': { input: { run_id: string }; output: CallbackView };
  'settings.get': { input: Record<string, never>; output: SettingsView };
}

/**
 * A file or folder the operator chose in this session, through one of main's own dialogs or a drop.
 * The renderer only ever holds the opaque `token`; main keeps the path and resolves it (path-grants.ts),
 * so a compromised page can name no file the operator did not pick.
 */
export interface PathGrant {
  token: string;
  /** The file's own name, for display. */
  name: string;
  /** The path shortened for display (the home folder as ~). */
  display: string;
}

/** The renderer's inputs where the services take paths: grants instead, and never a write target of its own. */
interface GrantedInputs {
  'evidence.addFiles': { run_id: string; grants: string[] };
  'files.replace': { run_id: string; file_id: string; grant: string };
  /** `destination`: a grant from the save dialog; without it the bundle goes to the data folder's exports. */
  'run.package': { run_id: string; destination?: string };
  'bundle.verify': { grant: string };
  'trust.addSigner': { grant: string; name: string; fingerprint: string };
}

/** The shell's own channels: native dialogs and the file manager, which only main may open. */
interface ShellChannels {
  'dialog.pickPaths': { input: { purpose: 'evidence' | 'bundle' | 'replacement' }; output: { picks: PathGrant[] } };
  'dialog.savePath': { input: { suggested_name: string }; output: { pick: PathGrant | null } };
  'shell.revealBundle': { input: { run_id: string }; output: { shown: boolean } };
}

/** Channel → input and output types, as the renderer sees them. */
type IpcChannels = {
  [C in keyof ServiceChannels]: C extends keyof GrantedInputs
    ? { input: GrantedInputs[C]; output: ServiceChannels[C]['output'] }
    : ServiceChannels[C];
} & ShellChannels;

export type ServiceChannel = keyof ServiceChannels;
export type ServiceInput<C extends ServiceChannel> = ServiceChannels[C]['input'];
export type ServiceOutput<C extends ServiceChannel> = ServiceChannels[C]['output'];

/** Channels answered by the shell itself (native dialogs), not by the services. */
export const SHELL_CHANNELS = [
  'dialog.pickPaths',
  'dialog.savePath',
  'shell.revealBundle',
] as const satisfies readonly (keyof ShellChannels)[];

export type IpcChannel = keyof IpcChannels;
export type IpcInput<C extends IpcChannel> = IpcChannels[C]['input'];
export type IpcOutput<C extends IpcChannel> = IpcChannels[C]['output'];

/** What every handler returns over the wire: errors travel as data so their code and message survive. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: IpcErrorCode; message: string } };

/** Events main pushes to the renderer. */
export interface IpcEvents {
  progress: Progress & { run_id?: string };
}

const id = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,80}$' } as const;
/** A grant token issued by main (path-grants.ts): never a path. */
const grant = { type: 'string', pattern: '^pg_[A-Za-z0-9_-]{22}$' } as const;
const empty = { type: 'object', additionalProperties: false } as const;
const preRun = {
  type: 'object',
  additionalProperties: false,
  properties: {
    trust_profile_id: { type: 'string', maxLength: 200 },
    quote_id: { type: 'string', maxLength: 200 },
    credit_entitlement_id: { type: 'string', maxLength: 200 },
    requested_tool: { type: 'string', maxLength: 200 },
    requested_capability: { type: 'string', maxLength: 200 },
  },
} as const;

function obj(properties: Record<string, unknown>, required: string[]): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, required };
}

/** The table: one row per channel, with the JSON Schema (2020-12) its input must satisfy. */
export const IPC_CONTRACT: Readonly<Record<IpcChannel, { description: string; input: JsonSchema }>> = {
  'manifest.get': { description: 'The TokenOps tool manifest.', input: empty },
  'runs.list': {
    description: 'Runs, newest first, optionally filtered.',
    input: obj(
      { query: { type: 'string', maxLength: 200 }, limit: { type: 'integer', minimum: 1, maximum: 100000 } },
      [],
    ),
  },
  'runs.revision': {
    description: "The runs list's revision: unchanged means no run was added, changed or removed.",
    input: empty,
  },
  'runs.create': {
    description: 'Open a run, optionally with trust, quote and credit.',
    input: obj({ title: { type: 'string', maxLength: 200 }, pre_run: preRun }, []),
  },
  'runs.get': { description: 'A run with its evaluation.', input: obj({ run_id: id }, ['run_id']) },
  'runs.setPreRun': {
    description: 'Set trust profile, quote, credit entitlement, requested tool and capability.',
    input: obj({ run_id: id, pre_run: preRun }, ['run_id', 'pre_run']),
  },
  'runs.setCallback': {
    description: 'Set the callback destination (URL and whsec_ secret; a private address needs allow_private).',
    input: obj(
      {
        run_id: id,
        url: { type: 'string', minLength: 1, maxLength: 2048 },
        secret: { type: 'string', maxLength: 200 },
        allow_private: { type: 'boolean' },
      },
      ['run_id', 'url'],
    ),
  },
  'evidence.addRecord': {
    description: 'Add one evidence record from a form or paste.',
    input: obj({ run_id: id, record: { type: 'object' }, source: { enum: ['form', 'paste'] } }, [
      'run_id',
      'record',
      'source',
    ]),
  },
  'evidence.paste': {
    description: 'Add pasted JSON (one record, an array, or a provider object).',
    input: obj({ run_id: id, text: { type: 'string', maxLength: 10_000_000 } }, ['run_id', 'text']),
  },
  'evidence.addFiles': {
    description: 'Add files or folders the operator chose (grants from the open dialog or a drop).',
    input: obj({ run_id: id, grants: { type: 'array', items: grant, minItems: 1, maxItems: 10000 } }, [
      'run_id',
      'grants',
    ]),
  },
  'evidence.remove': {
    description: 'Remove one evidence record.',
    input: obj({ run_id: id, evidence_id: id }, ['run_id', 'evidence_id']),
  },
  'files.exclude': {
    description: 'Exclude a file (e.g. one holding a secret) from evaluation and packaging.',
    input: obj({ run_id: id, file_id: id, reason: { type: 'string', minLength: 1, maxLength: 500 } }, [
      'run_id',
      'file_id',
      'reason',
    ]),
  },
  'files.replace': {
    description: 'Replace a file with a corrected copy the operator chose.',
    input: obj({ run_id: id, file_id: id, grant }, ['run_id', 'file_id', 'grant']),
  },
  'files.attest': {
    description: 'Attest that an unscannable (binary) file holds no secret.',
    input: obj({ run_id: id, file_id: id, attested_by: { type: 'string', minLength: 1, maxLength: 200 } }, [
      'run_id',
      'file_id',
      'attested_by',
    ]),
  },
  'files.attestUnscannable': {
    description: 'Attest every unscannable file of a run at once.',
    input: obj({ run_id: id, attested_by: { type: 'string', minLength: 1, maxLength: 200 } }, [
      'run_id',
      'attested_by',
    ]),
  },
  'files.redact': {
    description: 'Replace a text file holding secrets by a copy with each finding masked; the original is excluded.',
    input: obj({ run_id: id, file_id: id }, ['run_id', 'file_id']),
  },
  'files.csvPreview': {
    description: "A stored CSV file's headers, first rows and the fields a column mapping can name.",
    input: obj({ run_id: id, file_id: id }, ['run_id', 'file_id']),
  },
  'files.mapColumns': {
    description: 'Read a CSV file whose headers are not recognised with a column mapping, and remember the mapping.',
    input: obj(
      {
        run_id: id,
        file_id: id,
        mapping: obj(
          {
            layout: { enum: ['credit_ledger', 'usage_receipts'] },
            columns: {
              type: 'object',
              maxProperties: 50,
              additionalProperties: { type: 'string', minLength: 1, maxLength: 500 },
            },
          },
          ['layout', 'columns'],
        ),
      },
      ['run_id', 'file_id', 'mapping'],
    ),
  },
  'run.package': {
    description: 'Evaluate, debit once and export the signed result bundle (or issue an exception ticket).',
    input: obj({ run_id: id, destination: grant }, ['run_id']),
  },
  'run.cancelPackage': { description: 'Cancel an export in progress.', input: obj({ run_id: id }, ['run_id']) },
  'run.replay': {
    description: 'Resume a run from its exception ticket once evidence was supplied.',
    input: obj({ run_id: id }, ['run_id']),
  },
  'exceptions.list': { description: 'Exception tickets, optionally for one run.', input: obj({ run_id: id }, []) },
  'bundle.verify': {
    description: 'Verify a result bundle the operator chose: zip structure, bag manifests, signature, subjects.',
    input: obj({ grant }, ['grant']),
  },
  'bundle.verifyRun': {
    description: 'Verify the bundle a run exported (the path is the one TokenOps wrote).',
    input: obj({ run_id: id }, ['run_id']),
  },
  'trust.addSigner': {
    description:
      'Trust the signer of a verified bundle (its bundled public key, if it still has the fingerprint shown).',
    input: obj(
      {
        grant,
        name: { type: 'string', minLength: 1, maxLength: 200 },
        fingerprint: { type: 'string', pattern: '^SHA256:[A-Za-z0-9+/]{43}$' },
      },
      ['grant', 'name', 'fingerprint'],
    ),
  },
  'ledger.get': { description: 'Receipts, credit balances over time, and the ledger check.', input: empty },
  'callback.send': {
    description: 'Send the run callback now (retries with backoff).',
    input: obj({ run_id: id }, ['run_id']),
  },
  'settings.get': { description: 'Data folder, signing key fingerprint, callback destinations.', input: empty },
  'dialog.pickPaths': {
    description: 'Native open dialog: evidence files or folders, a bundle, or a replacement file.',
    input: obj({ purpose: { enum: ['evidence', 'bundle', 'replacement'] } }, ['purpose']),
  },
  'dialog.savePath': {
    description: 'Native save dialog for a bundle.',
    input: obj({ suggested_name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,120}$' } }, ['suggested_name']),
  },
  'shell.revealBundle': {
    description: 'Show the bundle a run exported in the file manager.',
    input: obj({ run_id: id }, ['run_id']),
  },
};

export const IPC_CHANNELS = Object.keys(IPC_CONTRACT) as IpcChannel[];
export const PROGRESS_EVENT = 'tokenops:progress';
/**
 * Preload → main only (never in `window.tokenops`): the path behind a File the operator dropped, as
 * resolved by webUtils.getPathForFile in the preload, so main can issue a grant for it.
 */
export const DROP_GRANT_CHANNEL = 'tokenops-preload:grant-dropped';
/** The prefix every channel is registered under in Electron, so no other ipc name can collide. */
export const IPC_PREFIX = 'tokenops:';

/** `window.tokenops`: one async function per channel, plus the preload-only helpers. */
export type TokenOpsApi = {
  [C in IpcChannel]: (input: IpcInput<C>) => Promise<IpcResult<IpcOutput<C>>>;
} & {
  /** A grant for a dropped File (the preload resolves its path with webUtils.getPathForFile; main issues the grant). */
  grantForFile(file: File): Promise<IpcResult<PathGrant>>;
  onProgress(listener: (p: IpcEvents['progress']) => void): () => void;
};
