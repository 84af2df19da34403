import { createHash } from 'node:crypto';
import type { CsvColumnMapping } from '../../../shared/domain/csv-mapping';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { EvidenceItem, EvidenceRecord } from '../../../shared/domain/evidence';
import type { PreRun, Run } from '../../../shared/domain/run';
import { classifyJson, parseEvidenceText } from '../../../shared/classify';
import { TokenOpsError } from '../../../shared/errors';
import type { CsvPreview, IntakeReport, RunView } from '../../../shared/ipc/contract';
import type { CancelToken } from '../../../shared/progress';
import { supersede } from '../../../shared/evaluation/supersede';
import { assertValid } from '../../../shared/validate';
import type { ServiceContext } from '../context';
import { fileEvidenceItem, intakePaths, type IntakeResult } from '../intake/add-files';
import { summariseProblems } from '../intake/examine-file';
import { mapColumns } from '../intake/csv-columns';
import {
  MAPPING_LAYOUTS,
  loadCsvMappings,
  mappingFor,
  normaliseHeader,
  parseCsvMapping,
  rememberCsvMappings,
} from '../intake/csv-mapping';
import { readCsvPreview, readCsvRecords } from '../intake/csv-records';
import { hashFile, toReadError } from '../intake/file-hash';
import { redactSecrets } from '../intake/secret-scan';
import { readStoredCopy, storedCopy } from '../intake/stored-copy';
import { beginIntake } from '../intake/intake-marker';
import { assertEditable, refreshState } from './refresh-state';
import { viewOf } from './run-view';
import { append } from '../../../shared/append';

/** Every change to a run's evidence goes through here: edit, re-evaluate, move the state, persist. */
async function change(ctx: ServiceContext, runId: string, reason: string, edit: (run: Run) => void): Promise<Run> {
  const current = await ctx.store.get(runId);
  if (!current.outputs) {
    // A run file restored from a backup older than its packaging looks editable; the ledger says otherwise.
    const receipt = await ctx.receiptFor?.(runId);
    if (receipt) {
      throw new TokenOpsError(
        'conflict',
        `Run ${runId} is packaged: the receipt ledger holds its usage receipt ${receipt}, although its run file (restored from a backup) does not show it. ` +
          'Its evidence stays as it was; run `tokenops package ' +
          runId +
          '` to write its bundle again from that evidence, or start a new run.',
      );
    }
  }
  return ctx.store.update(runId, (run) => {
    assertEditable(run);
    edit(run);
    refreshState(run, reason, ctx.now());
  });
}

function fillPreRun(run: Run, preRun: Partial<PreRun>, overwrite: boolean): void {
  for (const [k, v] of Object.entries(preRun) as Array<[keyof PreRun, string | undefined]>) {
    if (typeof v !== 'string' || !v) continue;
    if (overwrite || !run.pre_run[k]) run.pre_run[k] = v;
  }
}

export async function setPreRun(ctx: ServiceContext, runId: string, input: Partial<PreRun>): Promise<RunView> {
  // A cleared form field means "not set", not an empty id.
  const preRun = Object.fromEntries(
    Object.entries(input).filter(([, v]) => typeof v === 'string' && v.trim()),
  ) as Partial<PreRun>;
  assertValid(
    'pre_run',
    { requested_tool: 'tokenops', requested_capability: 'tokenops_result_package', ...preRun },
    'Trust, quote and credit',
  );
  return viewOf(await change(ctx, runId, 'trust, quote and credit updated', (run) => fillPreRun(run, preRun, true)));
}

function evidenceItem(
  ctx: ServiceContext,
  record: EvidenceRecord,
  source: EvidenceItem['source'],
  format: string,
): EvidenceItem {
  return { evidence_id: ctx.newId('ev'), kind: record.kind, source, received_at: ctx.now(), format, record };
}

export async function addRecord(
  ctx: ServiceContext,
  runId: string,
  record: EvidenceRecord,
  source: 'form' | 'paste',
): Promise<RunView> {
  assertValid('evidence_record', record, `The ${String((record as { kind?: unknown }).kind ?? 'evidence')} record`);
  const run = await change(ctx, runId, `${record.kind} added by ${source}`, (r) => {
    const item = evidenceItem(ctx, record, source, 'tokenops');
    r.evidence.push(item);
    supersede(r.evidence, [item], ctx.now());
  });
  return viewOf(run);
}

/** Pasted text: one of our records, an array of them, or a provider object (x402, AP2, Stripe…). */
export async function paste(
  ctx: ServiceContext,
  runId: string,
  text: string,
): Promise<{ view: RunView; added: EvidenceItem[] }> {
  if (!text.trim())
    throw new TokenOpsError('input_invalid', 'Nothing was pasted: paste a JSON evidence record or a provider object.');
  const classified = classifyJson(parseEvidenceText(text, 'pasted text'), { fileName: 'pasted text' });
  if (!classified.records.length && !classified.pre_run) {
    throw new TokenOpsError(
      'input_invalid',
      `The pasted JSON is not evidence TokenOps recognises: ${classified.unrecognised ?? 'unknown shape'}.`,
    );
  }
  for (const r of classified.records) assertValid('evidence_record', r.record, `Pasted ${r.record.kind}`);
  const added = classified.records.map((r) => evidenceItem(ctx, r.record, 'paste', r.format));
  const run = await change(ctx, runId, `${added.length} record(s) pasted`, (r) => {
    append(r.evidence, added);
    supersede(r.evidence, added, ctx.now());
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
  csvMapping?: CsvColumnMapping,
): Promise<{ view: RunView; report: IntakeReport }> {
  const before = await ctx.store.get(runId);
  assertEditable(before);
  // From here until the run names the copies (or they are removed), the intake is marked live, so a
  // concurrent one does not take its copies for a dead intake's leftovers (intake-marker.ts).
  const marker = await beginIntake(ctx.layout.home, runId, () => ctx.store.get(runId));
  try {
    // Copy, hash, scan and classify outside the store's write lock; then commit in one update.
    const result = await intakePaths(before, paths, {
      layout: ctx.layout,
      csvMapping,
      now: ctx.now,
      newId: ctx.newId,
      cancel,
      onProgress: (p) => ctx.onProgress?.({ ...p, run_id: runId }),
    });
    try {
      const run = await change(ctx, runId, `${result.files.length} file(s) added`, (r) => {
        append(r.files, result.files);
        append(r.evidence, result.evidence);
        supersede(r.evidence, result.evidence, ctx.now());
        fillPreRun(r, result.preRun, false);
      });
      return { view: viewOf(run), report: reportOf(result) };
    } catch (e) {
      // Nothing refers to the copies: remove them so a failed commit leaves no orphans behind.
      // Copies in one pack share its path: each is removed once.
      const stored = new Set(result.files.map((f) => f.stored_path));
      await Promise.all([...stored].map((p) => rm(join(ctx.layout.home, p), { force: true })));
      throw e;
    }
  } finally {
    await marker.end();
  }
}

export async function removeEvidence(ctx: ServiceContext, runId: string, evidenceId: string): Promise<RunView> {
  const run = await change(ctx, runId, 'evidence removed', (r) => {
    const i = r.evidence.findIndex((e) => e.evidence_id === evidenceId);
    if (i < 0) throw new TokenOpsError('not_found', `Run ${runId} has no evidence ${evidenceId}.`);
    r.evidence.splice(i, 1);
    // The record it had corrected counts again.
    for (const e of r.evidence) {
      if (e.superseded_by !== evidenceId) continue;
      delete e.superseded_by;
      delete e.superseded_at;
    }
  });
  return viewOf(run);
}

function fileOf(run: Run, fileId: string) {
  const f = run.files.find((x) => x.file_id === fileId);
  if (!f) throw new TokenOpsError('not_found', `Run ${run.run_id} has no file ${fileId}.`);
  return f;
}

/** Excluded files stay on disk (nothing is lost) but are neither evaluated nor packaged. */
export async function excludeFile(
  ctx: ServiceContext,
  runId: string,
  fileId: string,
  reason: string,
): Promise<RunView> {
  const run = await change(ctx, runId, `file excluded: ${reason}`, (r) => {
    fileOf(r, fileId).excluded = { at: ctx.now(), reason };
  });
  return viewOf(run);
}

export async function attestFile(
  ctx: ServiceContext,
  runId: string,
  fileId: string,
  attestedBy: string,
): Promise<RunView> {
  const run = await change(ctx, runId, `file attested by ${attestedBy}`, (r) => {
    const f = fileOf(r, fileId);
    if (f.scan.status !== 'unscannable') {
      throw new TokenOpsError(
        'conflict',
        `${f.name} was scanned (${f.scan.status}); only files that cannot be scanned take an attestation.`,
      );
    }
    f.scan = { ...f.scan, status: 'attested', attested_by: attestedBy };
  });
  return viewOf(run);
}

/** Attest every unscannable file of the run at once (one confirmation for a folder of images and PDFs). */
export async function attestUnscannable(
  ctx: ServiceContext,
  runId: string,
  attestedBy: string,
): Promise<{ view: RunView; attested: string[] }> {
  const attested: string[] = [];
  const run = await change(ctx, runId, `unscannable files attested by ${attestedBy}`, (r) => {
    for (const f of r.files) {
      if (f.excluded || f.scan.status !== 'unscannable') continue;
      f.scan = { ...f.scan, status: 'attested', attested_by: attestedBy };
      attested.push(f.name);
    }
    if (!attested.length) throw new TokenOpsError('conflict', `Run ${runId} has no unscannable file to attest.`);
  });
  return { view: viewOf(run), attested };
}

/** Text files larger than this are not redacted in place: replace them with a clean copy instead. */
const MAX_REDACT_BYTES = 64 * 1024 * 1024;

/**
 * Redact = a copy of the file with every finding masked becomes the evidence; the original is excluded
 * (kept in the data folder for the audit trail, never packaged). Only text can be redacted: in a binary
 * or an archive a masked byte range would corrupt the file, so those are excluded or replaced.
 */
export async function redactFile(
  ctx: ServiceContext,
  runId: string,
  fileId: string,
): Promise<{ view: RunView; report: IntakeReport; masked: number }> {
  const f = fileOf(await ctx.store.get(runId), fileId);
  if (f.excluded) throw new TokenOpsError('conflict', `${f.name} is excluded already; nothing to redact.`);
  if (f.scan.status !== 'findings')
    throw new TokenOpsError(
      'conflict',
      `${f.name} has no secret finding (scan ${f.scan.status}); only a file with findings is redacted.`,
    );
  if (f.scan.findings.some((x) => x.entry !== undefined || x.offset !== undefined)) {
    throw new TokenOpsError(
      'conflict',
      `${f.name} is ${f.scan.findings.some((x) => x.entry) ? 'an archive' : 'binary'}: masking bytes inside it would corrupt it. Exclude it, or replace it with a clean copy (tokenops file replace).`,
    );
  }
  if (f.size > MAX_REDACT_BYTES)
    throw new TokenOpsError(
      'conflict',
      `${f.name} is larger than ${MAX_REDACT_BYTES / 1024 / 1024} MiB: replace it with a clean copy instead (tokenops file replace).`,
    );
  const stored = await readStoredCopy(storedCopy(ctx.layout.home, f));
  // The redacted copy becomes the evidence: it must be made from the bytes the run took in.
  if (stored.length !== f.size || createHash('sha256').update(stored).digest('hex') !== f.sha256)
    throw new TokenOpsError(
      'conflict',
      `The stored copy of ${f.name} changed since it was added to the run (it is ${stored.length} bytes, or its SHA-256 differs), so it cannot be redacted. Exclude it and add the original again.`,
    );
  const original = stored.toString('utf8');
  const { text, masked, complete } = await redactSecrets(f.name, original);
  // Known before the copy is added, so a redaction that cannot finish leaves the run as it was.
  if (!complete)
    throw new TokenOpsError(
      'secret_found',
      `${f.name} still holds secrets after ${masked.toLocaleString('en-US')} were masked (redaction masks up to 5,000 of one kind): replace it with a clean copy or exclude it. The run is unchanged.`,
    );
  // Written under the file's own (already masked) name, so the redacted copy reads as the same evidence.
  const tmp = await mkdtemp(join(tmpdir(), 'tokenops-redact-'));
  try {
    const copy = join(tmp, basename(f.name));
    await writeFile(copy, text, { flag: 'wx' });
    const added = await addFiles(ctx, runId, [copy]);
    const redacted = added.report.added_files[0];
    if (!redacted || redacted.scan_status === 'findings') {
      throw new TokenOpsError(
        'secret_found',
        `The redacted copy of ${f.name} still scans as holding a secret; exclude the file or replace it with a clean copy.`,
      );
    }
    const view = await excludeFile(
      ctx,
      runId,
      fileId,
      `redacted: ${masked} finding${masked === 1 ? '' : 's'} masked in ${redacted.file_id}`,
    );
    return { view, report: added.report, masked };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Replace = add the corrected copy, then exclude the old one; the old copy is kept for the audit trail. */
export async function replaceFile(
  ctx: ServiceContext,
  runId: string,
  fileId: string,
  path: string,
): Promise<{ view: RunView; report: IntakeReport }> {
  const old = fileOf(await ctx.store.get(runId), fileId);
  // A replacement is one file that differs from the original; anything else would exclude the original
  // and add nothing (or a copy of it), which is never what the operator meant.
  const st = await stat(path).catch((e) => {
    throw toReadError(e, path);
  });
  if (!st.isFile())
    throw new TokenOpsError(
      'usage',
      `${path} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}: a file is replaced by one corrected file. ${old.name} is kept as it is.`,
    );
  if ((await hashFile(path)).sha256 === old.sha256) {
    throw new TokenOpsError(
      'usage',
      `${path} is identical to ${old.name} (same SHA-256), so it would change nothing. ${old.name} is kept as it is; give the corrected copy.`,
    );
  }
  const added = await addFiles(ctx, runId, [path]);
  if (added.report.added_files.length === 0) {
    throw new TokenOpsError(
      'conflict',
      `${path} was not added (${added.report.skipped.map((s) => s.reason).join('; ') || 'nothing to add'}). ${old.name} is kept as it is.`,
    );
  }
  const view = await excludeFile(
    ctx,
    runId,
    fileId,
    `replaced by ${added.report.added_files.map((f) => f.name).join(', ') || path}`,
  );
  return { view, report: added.report };
}

/** The CSV file a column mapping is for: in the run, not excluded, scanned clean, and a .csv. */
function mappableCsv(run: Run, fileId: string) {
  const f = fileOf(run, fileId);
  if (extname(f.name).toLowerCase() !== '.csv')
    throw new TokenOpsError('usage', `${f.name} is not a CSV file: only a CSV export takes a column mapping.`);
  if (f.excluded) throw new TokenOpsError('conflict', `${f.name} is excluded; a column mapping would change nothing.`);
  if (f.scan.status === 'findings')
    throw new TokenOpsError(
      'conflict',
      `${f.name} holds a secret finding: its rows are not read until it is redacted, replaced or excluded.`,
    );
  return f;
}

/** A guess from the headers: the layout whose synonyms name the most of them, each field to the header as written. */
function guessMapping(headers: string[]): CsvColumnMapping | null {
  const byNormal = new Map(headers.map((h) => [normaliseHeader(h), h]));
  let best: CsvColumnMapping | null = null;
  let bestCount = 0;
  for (const layout of ['credit_ledger', 'usage_receipts'] as const) {
    const { map } = mapColumns(MAPPING_LAYOUTS[layout].columns, new Set(byNormal.keys()));
    const columns = Object.fromEntries(Object.entries(map).map(([field, h]) => [field, byNormal.get(h) ?? h]));
    const count = Object.keys(columns).length;
    if (count > bestCount) [best, bestCount] = [{ layout, columns }, count];
  }
  return best;
}

/** A stored CSV's headers and first rows, the fields a mapping names, and a suggested mapping. */
export async function csvPreview(ctx: ServiceContext, runId: string, fileId: string): Promise<CsvPreview> {
  const f = mappableCsv(await ctx.store.get(runId), fileId);
  const { headers, rows } = await readCsvPreview(join(ctx.layout.home, f.stored_path), f.name);
  const remembered = mappingFor(headers, { remembered: await loadCsvMappings(ctx.layout.home) });
  return {
    headers,
    rows,
    fields: {
      credit_ledger: Object.keys(MAPPING_LAYOUTS.credit_ledger.columns),
      usage_receipts: Object.keys(MAPPING_LAYOUTS.usage_receipts.columns),
    },
    required: {
      credit_ledger: [...MAPPING_LAYOUTS.credit_ledger.needs],
      usage_receipts: [...MAPPING_LAYOUTS.usage_receipts.needs],
    },
    suggestion: remembered?.mapping ?? guessMapping(headers),
  };
}

/**
 * Reads a stored CSV again with the operator's column mapping: its records replace the file's, its
 * problem and classification are read anew, and the mapping is remembered for exports with these
 * headers. A mapping that reads no record changes nothing and says why.
 */
export async function mapCsvColumns(
  ctx: ServiceContext,
  runId: string,
  fileId: string,
  input: CsvColumnMapping,
): Promise<RunView> {
  const before = await ctx.store.get(runId);
  assertEditable(before);
  const f = mappableCsv(before, fileId);
  const mapping = parseCsvMapping(input, `for ${f.name}`);
  const stored = join(ctx.layout.home, f.stored_path);
  const { headers } = await readCsvPreview(stored, f.name);
  const found = new Set(headers.map(normaliseHeader));
  const absent = Object.entries(mapping.columns).filter(([, h]) => !found.has(normaliseHeader(h)));
  if (absent.length)
    throw new TokenOpsError(
      'input_invalid',
      `CSV column mapping for ${f.name} names ${absent.map(([field, h]) => `${JSON.stringify(h)} (${field})`).join(', ')}, which ${absent.length === 1 ? 'is not a column' : 'are not columns'} of the file (columns: ${headers.join(', ')}).`,
    );

  const records: Array<{ record: EvidenceRecord; format: string; row?: number }> = [];
  const problems: string[] = [];
  let signature: string | undefined;
  for await (const row of readCsvRecords(stored, f.name, { remembered: {}, given: mapping }, (used) => {
    signature = used.signature;
  })) {
    if (row.problem) problems.push(row.problem);
    if (row.record) records.push({ record: row.record, format: row.format, row: row.row });
  }
  if (!records.length)
    throw new TokenOpsError(
      'input_invalid',
      `With this mapping ${f.name} reads as no ${mapping.layout === 'credit_ledger' ? 'credit ledger' : 'usage export'} row: ${summariseProblems(problems) || 'it has no data rows'}. Nothing was changed; check which column holds each field.`,
    );

  const added = records.map((r) => fileEvidenceItem(r.record, r.format, fileId, ctx, r.row));
  const run = await change(ctx, runId, `columns of ${f.name} mapped as ${mapping.layout}`, (r) => {
    const file = fileOf(r, fileId);
    const dropped = new Set(r.evidence.filter((e) => e.file_id === fileId).map((e) => e.evidence_id));
    r.evidence = r.evidence.filter((e) => !dropped.has(e.evidence_id));
    // Records the file's earlier reading had corrected count again until the new ones supersede them.
    for (const e of r.evidence) {
      if (!e.superseded_by || !dropped.has(e.superseded_by)) continue;
      delete e.superseded_by;
      delete e.superseded_at;
    }
    append(r.evidence, added);
    supersede(r.evidence, added, ctx.now());
    const first = added[0];
    file.classified_as = { kind: first.kind, format: first.format, records: added.length };
    if (problems.length) file.problem = summariseProblems(problems);
    else delete file.problem;
  });
  if (signature) await rememberCsvMappings(ctx.layout.home, [{ signature, mapping }]);
  return viewOf(run);
}
