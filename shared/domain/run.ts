import type { EvidenceItem, EvidenceStep } from './evidence';
import type { WorkflowState } from '../workflow';
import type { ExceptionTicket, ResultPackage, UsageReceipt, CallbackPayload } from './outputs';

/** Set before the agent runs ("trust, quote, credit"); seed names. */
export interface PreRun {
  trust_profile_id?: string;
  quote_id?: string;
  credit_entitlement_id?: string;
  requested_tool: string;
  requested_capability: string;
}

export const DEFAULT_PRE_RUN: PreRun = {
  requested_tool: 'tokenops',
  requested_capability: 'tokenops_result_package',
};

/** Outcome of the public-safe check for one file. */
export interface SecretFinding {
  file: string;
  rule: string;
  line: number;
  column: number;
  message: string;
  /** Masked: never the secret itself. */
  excerpt: string;
  /** The finding is in the file's own name (line 0; column within the name). */
  in_name?: boolean;
  /** Inside an archive: the entry's path (line and column are within that entry). */
  entry?: string;
  /** In binary content: the byte offset of the secret (line 0). */
  offset?: number;
}

/** Where a finding is, in words: "line 3", "the file name", "byte 4096", "entry creds/.env line 2". */
export function findingPlace(f: SecretFinding): string {
  const at = f.in_name ? 'the file name' : f.offset !== undefined ? `byte ${f.offset}` : `line ${f.line}`;
  return f.entry ? `entry ${f.entry} ${at}` : at;
}

type ScanStatus = 'clean' | 'findings' | 'unscannable' | 'attested';

/** A file added to a run: a stored copy under the data directory, hashed on intake. */
export interface RunFile {
  file_id: string;
  name: string;
  size: number;
  sha256: string;
  media_type: string;
  /** Where the copy lives, relative to the data directory. */
  stored_path: string;
  /**
   * Set when `stored_path` is an intake pack that small copies share: the copy is the `size` bytes from
   * this offset. Absent: the copy is the whole file.
   */
  stored_offset?: number;
  added_at: string;
  scan: { status: ScanStatus; findings: SecretFinding[]; reason?: string; attested_by?: string };
  /** What the file was read as; null when it could not be classified (it is still kept and named in open items). */
  classified_as: { kind: EvidenceItem['kind']; format: string; records: number } | null;
  /** Excluded by the operator: kept on disk but not packaged or evaluated. */
  excluded?: { at: string; reason: string };
  /** Problem reading the file as evidence (malformed JSON, empty file…), in words. */
  problem?: string;
}

export interface CallbackDestinationRef {
  destination_id: string;
  url: string;
}

export interface BundleRecord {
  path: string;
  sha256: string;
  bytes: number;
  signer_key_id: string;
  signer_fingerprint: string;
  created_at: string;
}

/** One paid agent task whose evidence is being assembled. */
export interface Run {
  run_id: string;
  title: string;
  created_at: string;
  updated_at: string;
  state: WorkflowState;
  state_history: Array<{ from: WorkflowState | null; to: WorkflowState; at: string; reason: string }>;
  pre_run: PreRun;
  callback?: CallbackDestinationRef;
  evidence: EvidenceItem[];
  files: RunFile[];
  exceptions: ExceptionTicket[];
  outputs?: {
    result_package: ResultPackage;
    usage_receipt: UsageReceipt;
    callback_payload: CallbackPayload;
    bundle?: BundleRecord;
  };
}

/** What the run list shows; kept in the store's index so 10,000 runs list fast. */
export interface RunSummary {
  run_id: string;
  title: string;
  state: WorkflowState;
  evidence_status: 'missing' | 'partial' | 'sufficient';
  evidence_score: number;
  steps_satisfied: EvidenceStep[];
  updated_at: string;
  created_at: string;
  open_exceptions: number;
}
