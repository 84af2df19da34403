/**
 * The TypeScript type behind each JSON document (shared/schemas/documents.ts): the source from which
 * scripts/gen-document-schemas.ts generates the document schemas. Only the generator reads this file.
 */
import type { ErrorCode } from '../../shared/errors';
import type { Evaluation } from '../../shared/domain/evaluation';
import type { EvidenceManifest, ExceptionTicket } from '../../shared/domain/outputs';
import type { CallbackDestinationRef, RunSummary } from '../../shared/domain/run';
import type { ToolManifest } from '../../shared/manifest';
import type { SchemaName } from '../../shared/schemas';
import type {
  CallbackView,
  ServiceOutput,
  LedgerView,
  PackageOutcome,
  ReplayOutcome,
  RunView,
  SettingsView,
  VerifyView,
} from '../../shared/ipc/contract';
import type { TrustedKey } from './keys/trusted-keys';
import type { PackResult } from './tokenops';

export interface DocumentTypes {
  tool_manifest: ToolManifest;
  run_view: RunView;
  run_list: { total: number; runs: RunSummary[] };
  evidence_intake: ServiceOutput<'evidence.addFiles'>;
  evidence_paste: ServiceOutput<'evidence.paste'>;
  files_attested: ServiceOutput<'files.attestUnscannable'>;
  file_redacted: ServiceOutput<'files.redact'>;
  report_written: { run_id: string; report: string; bytes: number };
  tokenops_review: Evaluation;
  evidence_summary: EvidenceManifest;
  operating_record: PackageOutcome;
  pack_result: PackResult;
  bundle_verification: VerifyView;
  trusted_key: TrustedKey;
  trusted_keys: { keys: TrustedKey[] };
  ledger: LedgerView;
  ledger_verification: LedgerView['verify'];
  /** `generated_secret`: the whsec_ secret TokenOps made, printed this once (v2). */
  callback_destination: CallbackDestinationRef & { generated_secret?: string };
  callback_delivery: CallbackView;
  exception_tickets: { exceptions: ExceptionTicket[] };
  replay_outcome: ReplayOutcome;
  settings: SettingsView;
  schema_list: { inputs: SchemaName[]; documents: string[] };
  error: { error: { code: ErrorCode; message: string; details: unknown } };
}
