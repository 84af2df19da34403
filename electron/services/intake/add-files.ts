import { mkdir, rm } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import type { EvidenceItem } from '../../../shared/domain/evidence';
import type { PreRun, Run, RunFile } from '../../../shared/domain/run';
import type { CancelToken, ProgressListener } from '../../../shared/progress';
import { TokenOpsError } from '../../../shared/errors';
import type { HomeLayout } from '../home';
import { DeferredSyncs } from '../fs/deferred-syncs';
import { eachConcurrently } from '../fs/each-concurrently';
import { copyAndHash, SMALL_FILE_BYTES } from './copy-and-hash';
import { IntakePack } from './intake-pack';
import { archiveKind } from './scan-archive';
import { mediaTypeOf } from './media-type';
import { examineAnywhere, holdExaminers } from './examine-pool';
import { loadCsvMappings, rememberCsvMappings, type CsvColumnMapping, type CsvMappings } from './csv-mapping';
import { walkFiles, type WalkedFile } from './walk-files';
import { append } from '../../../shared/append';

export interface IntakeResult {
  files: RunFile[];
  evidence: EvidenceItem[];
  preRun: Partial<PreRun>;
  skipped: Array<{ path: string; reason: string }>;
}

export interface IntakeContext {
  layout: HomeLayout;
  now: () => string;
  newId: (prefix: string) => string;
  onProgress?: ProgressListener;
  cancel?: CancelToken;
  /** A column mapping the operator gave for CSV exports of this intake (`--csv-map`). */
  csvMapping?: CsvColumnMapping;
}

/** Files taken in side by side: enough to hide disk latency, few enough to keep memory small (4 MiB each at most). */
const CONCURRENCY = 8;
/** An intake of fewer small files than this is over before a worker would have started. */
const WORKERS_FROM_FILES = 32;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One file's intake, decided before the run is touched. */
interface Taken {
  file?: RunFile;
  evidence: EvidenceItem[];
  preRun: Partial<PreRun>;
  skipped?: { path: string; reason: string };
  csvMapping?: { signature: string; mapping: CsvColumnMapping };
}

/**
 * Adds files and folders to a run: copy + hash in one pass, public-safe scan, classification into evidence.
 * Files are taken in side by side; results keep the walk's order. A small file is read once for all of it.
 * Nothing is half-done: if any file fails or the operator cancels, every copy made here is removed.
 */
export async function intakePaths(run: Run, paths: string[], ctx: IntakeContext): Promise<IntakeResult> {
  const walked = await walkFiles(paths, { cancel: ctx.cancel, dataFolder: ctx.layout.home });
  const totalBytes = walked.files.reduce((n, f) => n + f.size, 0);
  const known = new Set(run.files.filter((f) => !f.excluded).map((f) => `${f.name}\u0000${f.sha256}`));
  const copies: string[] = [];
  const taken: Taken[] = new Array(walked.files.length);
  let doneBytes = 0;
  let doneFiles = 0;
  const csv: CsvMappings = { remembered: await loadCsvMappings(ctx.layout.home), given: ctx.csvMapping };
  const syncs = new DeferredSyncs();
  const runDir = join(ctx.layout.home, 'files', run.run_id);
  const pack = new IntakePack(join(runDir, `${ctx.newId('file')}.pack`), (p) => copies.push(p));
  // Two phases run side by side: copying (bytes, on this thread) and scanning + reading (files, on workers).
  const copied = (detail: string) =>
    ctx.onProgress?.({ phase: 'copying', done: doneBytes, total: totalBytes, unit: 'bytes', detail });
  const examined = (detail: string) =>
    ctx.onProgress?.({ phase: 'scanning', done: doneFiles, total: walked.files.length, unit: 'files', detail });

  const workers =
    walked.files.length >= WORKERS_FROM_FILES || walked.files.some((f) => f.size > SMALL_FILE_BYTES)
      ? await holdExaminers()
      : undefined;
  try {
    if (walked.files.length) await mkdir(runDir, { recursive: true });
    await eachConcurrently(walked.files, CONCURRENCY, async (entry, index) => {
      taken[index] = await takeIn(entry, run, ctx, { known, copies, csv, syncs, pack }, (n) => {
        doneBytes += n;
        copied(entry.relPath);
      });
      doneFiles++;
      examined(entry.relPath);
      // A small file is taken in without waiting on I/O, so the lanes would run back to back as microtasks:
      // let the event loop in between (the app's cancel, progress and IPC; replies from the workers).
      await yieldToEventLoop();
    });
    const kept = taken.filter((t) => t.file).length;
    ctx.onProgress?.({ phase: 'saving', done: 0, total: kept, unit: 'files' });
    // The run names its files only once their copies (and the folder's new names) are on disk.
    await pack.seal();
    await syncs.settle([runDir, join(ctx.layout.home, 'files')]);
    ctx.onProgress?.({ phase: 'saving', done: kept, total: kept, unit: 'files' });
  } catch (e) {
    pack.abandon();
    await Promise.all(copies.map((c) => rm(c, { force: true })));
    throw e;
  } finally {
    await workers?.();
  }

  // The mapping the operator gave is kept for every export it read, so the next one is read unasked.
  await rememberCsvMappings(
    ctx.layout.home,
    taken.flatMap((t) => (t.csvMapping ? [t.csvMapping] : [])),
  );
  const result: IntakeResult = { files: [], evidence: [], preRun: {}, skipped: [...walked.skipped] };
  for (const t of taken) {
    if (t.skipped) result.skipped.push(t.skipped);
    if (t.file) result.files.push(t.file);
    append(result.evidence, t.evidence);
    Object.assign(result.preRun, t.preRun);
  }
  return result;
}

/** What every file's intake shares: the files already in the run, the copies made, the mappings, the fsyncs. */
interface IntakeShared {
  known: ReadonlySet<string>;
  copies: string[];
  csv: CsvMappings;
  syncs: DeferredSyncs;
  pack: IntakePack;
}

async function takeIn(
  entry: WalkedFile,
  run: Run,
  ctx: IntakeContext,
  { known, copies, csv, syncs, pack }: IntakeShared,
  onBytes: (n: number) => void,
): Promise<Taken> {
  const fileId = ctx.newId('file');
  const stored = join(ctx.layout.home, 'files', run.run_id, `${fileId}${extname(entry.relPath).toLowerCase()}`);
  copies.push(stored);
  const copied = await copyAndHash(entry.absPath, stored, {
    expectedSize: entry.size,
    cancel: ctx.cancel,
    onBytes,
    dirReady: true,
    skipIf: (sha) => known.has(`${entry.relPath}\u0000${sha}`),
    syncs,
    pack: { into: pack, packable: (bytes) => packable(entry.relPath, bytes) },
  });
  const { sha256, size, bytes, skipped, packedAt } = copied;
  if (skipped) {
    return {
      evidence: [],
      preRun: {},
      skipped: { path: entry.absPath, reason: `already in the run with the same SHA-256 (${sha256.slice(0, 12)}…)` },
    };
  }
  if (ctx.cancel?.cancelled) throw new TokenOpsError('cancelled', 'Adding files was cancelled.');
  const copy = packedAt === undefined ? { path: stored, size } : { path: pack.path, offset: packedAt, size };
  const { scan, reading } = await examineAnywhere(copy, entry.relPath, ctx.cancel, bytes, csv);
  // A name that holds a secret is kept masked: the real one would reach the manifest of every bundle.
  const name = scan.masked_name ?? entry.relPath;
  const file: RunFile = {
    file_id: fileId,
    name,
    size,
    sha256,
    media_type: mediaTypeOf(name),
    stored_path: relative(ctx.layout.home, copy.path).split('\\').join('/'),
    ...(copy.offset !== undefined ? { stored_offset: copy.offset } : {}),
    added_at: ctx.now(),
    scan: { status: scan.status, findings: scan.findings, ...(scan.reason ? { reason: scan.reason } : {}) },
    classified_as: reading.classified_as,
    ...(reading.problem ? { problem: reading.problem } : {}),
  };
  const evidence = reading.records.map((r) => fileEvidenceItem(r.record, r.format, fileId, ctx, r.row));
  return { file, evidence, preRun: reading.preRun, csvMapping: reading.csvMapping };
}

/**
 * Whether a small copy may share the intake's pack: not when a later command reads it again by path
 * (an archive's entries are scanned from the file; a CSV export is previewed and mapped from it).
 */
function packable(relPath: string, bytes: Buffer): boolean {
  return extname(relPath).toLowerCase() !== '.csv' && !archiveKind(bytes.subarray(0, 512));
}

/** A record read from a run's file, as run evidence (also for a file read again with a column mapping). */
export function fileEvidenceItem(
  record: EvidenceItem['record'],
  format: string,
  fileId: string,
  ctx: Pick<IntakeContext, 'newId' | 'now'>,
  row?: number,
): EvidenceItem {
  return {
    evidence_id: ctx.newId('ev'),
    kind: record.kind,
    source: 'file',
    received_at: ctx.now(),
    format,
    file_id: fileId,
    ...(row !== undefined ? { row } : {}),
    record,
  };
}
