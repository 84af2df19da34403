import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceItem, EvidenceRecord } from '../../../shared/domain/evidence';
import type { PreRun, Run } from '../../../shared/domain/run';
import { classifyJson, parseEvidenceText } from '../../../shared/classify';
import { TokenOpsError } from '../../../shared/errors';
import type { IntakeReport, RunView } from '../../../shared/ipc/contract';
import type { CancelToken } from '../../../shared/progress';
import { assertValid } from '../../../shared/validate';
import type { ServiceContext } from '../context';
import { intakePaths, type IntakeResult } from '../intake/add-files';
import { assertEditable, refreshState } from './refresh-state';
import { viewOf } from './run-view';

/** Every change to a run's evidence goes through here: edit, re-evaluate, move the state, persist. */
async function change(ctx: ServiceContext, runId: string, reason: string, edit: (run: Run) => void): Promise<Run> {
  return ctx.store.update(runId, (run) => {
    assertEditable(run);
    edit(run);
    refreshState(run, reason, ctx.now());
  });
}

export function fillPreRun(run: Run, preRun: Partial<PreRun>, overwrite: boolean): void {
  for (const [k, v] of Object.entries(preRun) as Array<[keyof PreRun, string | undefined]>) {
    if (typeof v !== 'string' || !v) continue;
    if (overwrite || !run.pre_run[k]) run.pre_run[k] = v;
  }
}

export async function setPreRun(ctx: ServiceContext, runId: string, input: Partial<PreRun>): Promise<RunView> {
  // A cleared form field means "not set", not an empty id.
  const preRun = Object.fromEntries(Object.entries(input).filter(([, v]) => typeof v === 'string' && v.trim())) as Partial<PreRun>;
  assertValid('pre_run', { requested_tool: 'tokenops', requested_capability: 'tokenops_result_package', ...preRun }, 'Trust, quote and credit');
  return viewOf(await change(ctx, runId, 'trust, quote and credit updated', (run) => fillPreRun(run, preRun, true)));
}

function evidenceItem(ctx: ServiceContext, record: EvidenceRecord, source: EvidenceItem['source'], format: string): EvidenceItem {
  return { evidence_id: ctx.newId('ev'), kind: record.kind, source, received_at: ctx.now(), format, record };
}

export async function addRecord(ctx: ServiceContext, runId: string, record: EvidenceRecord, source: 'form' | 'paste'): Promise<RunView> {
  assertValid('evidence_record', record, `The ${String((record as { kind?: unknown }).kind ?? 'evidence')} record`);
  const run = await change(ctx, runId, `${record.kind} added by ${source}`, (r) => {
    r.evidence.push(evidenceItem(ctx, record, source, 'tokenops'));
  });
  return viewOf(run);
}

/** Pasted text: one of our records, an array of them, or a provider object (x402, AP2, Stripe…). */
export async function paste(ctx: ServiceContext, runId: string, text: string): Promise<{ view: RunView; added: EvidenceItem[] }> {
  if (!text.trim()) throw new TokenOpsError('input_invalid', 'Nothing was pasted: paste a JSON evidence record or a provider object.');
  const classified = classifyJson(parseEvidenceText(text, 'pasted text'), { fileName: 'pasted text' });
  if (!classified.records.length && !classified.pre_run) {
    throw new TokenOpsError('input_invalid', `The pasted JSON is not evidence TokenOps recognises: ${classified.unrecognised ?? 'unknown shape'}.`);
  }
  for (const r of classified.records) assertValid('evidence_record', r.record, `Pasted ${r.record.kind}`);
  const added = classified.records.map((r) => evidenceItem(ctx, r.record, 'paste', r.format));
  const run = await change(ctx, runId, `${added.length} record(s) pasted`, (r) => {
    r.evidence.push(...added);
    if (classified.pre_run) fillPreRun(r, classified.pre_run, false);
  });
  return { view: viewOf(run), added };
}

function reportOf(result: IntakeResult): IntakeReport {
  return {
    added_files: result.files.map((f) => ({
      file_id: f.file_id,
      name: f.name,
      size: f.size,
      sha256: f.sha256,
      classified_as: f.classified_as,
      ...(f.problem ? { problem: f.problem } : {}),
      scan_status: f.scan.status,
    })),
    added_records: result.evidence.length,
    skipped: result.skipped,
  };
}

export async function addFiles(
  ctx: ServiceContext,
  runId: string,
  paths: string[],
  cancel?: CancelToken,
): Promise<{ view: RunView; report: IntakeReport }> {
  const before = await ctx.store.get(runId);
  assertEditable(before);
  // Copy, hash, scan and classify outside the store's write lock; then commit in one update.
  const result = await intakePaths(before, paths, {
    layout: ctx.layout,
    now: ctx.now,
    newId: ctx.newId,
    cancel,
    onProgress: (p) => ctx.onProgress?.({ ...p, run_id: runId }),
  });
  try {
    const run = await change(ctx, runId, `${result.files.length} file(s) added`, (r) => {
      r.files.push(...result.files);
      r.evidence.push(...result.evidence);
      fillPreRun(r, result.preRun, false);
    });
    return { view: viewOf(run), report: reportOf(result) };
  } catch (e) {
    // Nothing refers to the copies: remove them so a failed commit leaves no orphans behind.
    await Promise.all(result.files.map((f) => rm(join(ctx.layout.home, f.stored_path), { force: true })));
    throw e;
  }
}

export async function removeEvidence(ctx: ServiceContext, runId: string, evidenceId: string): Promise<RunView> {
  const run = await change(ctx, runId, 'evidence removed', (r) => {
    const i = r.evidence.findIndex((e) => e.evidence_id === evidenceId);
    if (i < 0) throw new TokenOpsError('not_found', `Run ${runId} has no evidence ${evidenceId}.`);
    r.evidence.splice(i, 1);
  });
  return viewOf(run);
}

function fileOf(run: Run, fileId: string) {
  const f = run.files.find((x) => x.file_id === fileId);
  if (!f) throw new TokenOpsError('not_found', `Run ${run.run_id} has no file ${fileId}.`);
  return f;
}

/** Excluded files stay on disk (nothing is lost) but are neither evaluated nor packaged. */
export async function excludeFile(ctx: ServiceContext, runId: string, fileId: string, reason: string): Promise<RunView> {
  const run = await change(ctx, runId, `file excluded: ${reason}`, (r) => {
    fileOf(r, fileId).excluded = { at: ctx.now(), reason };
  });
  return viewOf(run);
}

export async function attestFile(ctx: ServiceContext, runId: string, fileId: string, attestedBy: string): Promise<RunView> {
  const run = await change(ctx, runId, `file attested by ${attestedBy}`, (r) => {
    const f = fileOf(r, fileId);
    if (f.scan.status !== 'unscannable') {
      throw new TokenOpsError('conflict', `${f.name} was scanned (${f.scan.status}); only files that cannot be scanned take an attestation.`);
    }
    f.scan = { ...f.scan, status: 'attested', attested_by: attestedBy };
  });
  return viewOf(run);
}

/** Replace = add the corrected copy, then exclude the old one; the old copy is kept for the audit trail. */
export async function replaceFile(
  ctx: ServiceContext,
  runId: string,
  fileId: string,
  path: string,
): Promise<{ view: RunView; report: IntakeReport }> {
  fileOf(await ctx.store.get(runId), fileId);
  const added = await addFiles(ctx, runId, [path]);
  const view = await excludeFile(ctx, runId, fileId, `replaced by ${added.report.added_files.map((f) => f.name).join(', ') || path}`);
  return { view, report: added.report };
}
