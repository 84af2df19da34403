/**
 * What intake learns from one stored copy: the secret scan, and for a file that may be shared, the
 * records it holds. It needs only the copy's path, so it runs on a scan worker (scan-pool.ts) while
 * the main thread copies the next files. Records come back without ids; the run assigns those.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { EvidenceItem } from '../../../shared/domain/evidence';
import type { PreRun, RunFile } from '../../../shared/domain/run';
import type { CancelToken } from '../../../shared/progress';
import { checkDuplicateKeys, classifyJson, parseEvidenceText } from '../../../shared/classify';
import { classifyAp2SdJwt, looksLikeCompactJwt } from '../../../shared/classify/ap2-v02';
import { x402HeadersIn } from '../../../shared/classify/http-capture';
import { isTokenOpsError } from '../../../shared/errors';
import { SMALL_FILE_BYTES } from './copy-and-hash';
import { readCsvRecords } from './csv-records';
import type { CsvColumnMapping, CsvMappings } from './csv-mapping';
import { mediaTypeOf } from './media-type';
import { scanBytesAndText, scanFile, type ScanResult } from './secret-scan';
import { decodeText, detectTextEncoding } from './text-encoding';
import { readStoredCopy, type StoredCopy } from './stored-copy';

/** JSON evidence larger than this is kept as a file but not parsed into records (provider objects are small). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
/**
 * A CSV export with more rows than this is kept as a file but not read as records: one run's evidence is a
 * few rows of it, and every record is held and stored with the run (a pack of 200,000 rows peaked at
 * 1.5 GB; one of 3,000,000 rows passed 4 GB before it was stopped).
 */
const MAX_CSV_RECORDS = 100_000;
/** Text files that may be an HTTP capture holding x402 headers (shared/classify/http-capture.ts). */
const CAPTURE_EXTENSIONS = new Set(['.txt', '.http', '.log']);
/** Text files that may hold one compact JWT / SD-JWT: an AP2 v0.2 mandate (chain) or a signed receipt. */
const TOKEN_EXTENSIONS = new Set(['.jwt', '.sdjwt', '.txt']);
/** A mandate chain is a few KiB; a text file larger than this is not read as one. */
const MAX_TOKEN_BYTES = 1024 * 1024;

interface FileRecord {
  record: EvidenceItem['record'];
  format: string;
  row?: number;
}

interface FileReading {
  /** A column mapping the operator gave for this intake, applied here: intake remembers it. */
  csvMapping?: { signature: string; mapping: CsvColumnMapping };
  records: FileRecord[];
  preRun: Partial<PreRun>;
  classified_as: RunFile['classified_as'];
  problem?: string;
}

export interface Examined {
  scan: ScanResult;
  reading: FileReading;
}

/**
 * `copied`: the stored copy's bytes when the caller still holds them (a small file examined on the
 * thread that copied it), so they are not read back from disk.
 */
export async function examineFile(
  copy: StoredCopy,
  name: string,
  cancel?: CancelToken,
  copied?: Buffer,
  csv?: CsvMappings,
): Promise<Examined> {
  const { path: stored, size } = copy;
  // A small file is read once for the scan and the parser, and decoded once for both. 4 MiB pieces
  // for a large one: about as fast as 32 MiB and half the peak memory (measured on a 151 MB text file).
  // Only small copies share a pack (intake-pack.ts), and never an archive, which is scanned by path.
  const inMemory = size <= SMALL_FILE_BYTES || copy.offset !== undefined;
  const bytes = inMemory ? (copied ?? (await readStoredCopy(copy))) : undefined;
  const { scan, text } = bytes
    ? await scanBytesAndText(bytes, name, copy.offset === undefined ? stored : undefined)
    : { scan: await scanFile(stored, name, { maxTextBytes: 4 * 1024 * 1024, cancel }), text: undefined };
  const shownName = scan.masked_name ?? name;
  const reading: FileReading = { records: [], preRun: {}, classified_as: null };
  if (size === 0) reading.problem = 'The file is empty: it is kept but holds no evidence.';
  else if (scan.status === 'findings') {
    // A blocked file's records would carry the secret's raw value into the run file, its backup and
    // every --json output. They are not read: the resolutions (exclude, redact, replace with a clean
    // copy) bring evidence in only from a file that scans clean.
    reading.problem = `Holds ${scan.findings.length} secret finding${scan.findings.length === 1 ? '' : 's'}: its records are not read until it is redacted, replaced by a clean copy or excluded.`;
  } else await readRecords(stored, shownName, size, reading, bytes, text, csv);
  return { scan, reading };
}

/**
 * The records of a file that may be shared; `bytes` is its content when already read, `scanned` the
 * text the scan decoded from it (when it was text).
 */
async function readRecords(
  stored: string,
  name: string,
  size: number,
  out: FileReading,
  bytes?: Buffer,
  scanned?: string,
  csv?: CsvMappings,
): Promise<void> {
  // Decoded as the scan decoded it (its encoding, a BOM dropped, a stray bad byte replaced), only when a parser needs it.
  const text = async () => {
    if (scanned !== undefined) return scanned;
    const content = bytes ?? (await readFile(stored));
    return decodeText(content, detectTextEncoding(content.subarray(0, 8192), content.length <= 8192) ?? 'utf-8');
  };
  const ext = extname(name).toLowerCase();
  const mediaType = mediaTypeOf(name);
  if (ext === '.csv') {
    const problems: string[] = [];
    try {
      const onMapping = (used: { signature: string; mapping: CsvColumnMapping; remember: boolean }) => {
        if (used.remember) out.csvMapping = { signature: used.signature, mapping: used.mapping };
      };
      for await (const row of readCsvRecords(stored, name, csv, onMapping)) {
        if (row.problem) problems.push(row.problem);
        if (!row.record) continue;
        if (out.records.length === MAX_CSV_RECORDS) {
          out.records.length = 0;
          out.classified_as = null;
          problems.length = 0;
          problems.push(
            `CSV export of more than ${MAX_CSV_RECORDS.toLocaleString('en-US')} rows: kept as a file, not read as records. Export the rows of this run only (for example those of its credit entitlement) and add that file.`,
          );
          break;
        }
        out.records.push({ record: row.record, format: row.format, row: row.row });
        out.classified_as = { kind: row.record.kind, format: row.format, records: out.records.length };
      }
    } catch (e) {
      // An unreadable CSV is still evidence as a file; its rows read so far are dropped with it.
      if (!isTokenOpsError(e)) throw e;
      out.records.length = 0;
      out.classified_as = null;
      problems.push(e.message);
    }
    if (problems.length) out.problem = summariseProblems(problems);
    return;
  }
  if (TOKEN_EXTENSIONS.has(ext) && size <= MAX_TOKEN_BYTES && readSignedToken(await text(), mediaType, out)) return;
  if (CAPTURE_EXTENSIONS.has(ext) && size <= MAX_JSON_BYTES && (await readCapture(name, await text(), out))) return;
  if (ext !== '.json' && mediaType !== 'application/json') {
    // A document, image or archive: evidence as a file (step 6), not as records.
    out.classified_as = { kind: 'files', format: mediaType, records: 0 };
    return;
  }
  if (size > MAX_JSON_BYTES) {
    out.problem = `JSON file larger than ${MAX_JSON_BYTES / 1024 / 1024} MiB: kept as a file, not read as records.`;
    return;
  }
  try {
    const json = await text();
    const classified = classifyJson(parseEvidenceText(json, name, { duplicateKeys: 'caller' }), { fileName: name });
    // A duplicate key makes a record ambiguous; in a file that holds none, it changes nothing.
    if (classified.records.length || classified.pre_run) checkDuplicateKeys(json, name);
    if (classified.pre_run) Object.assign(out.preRun, classified.pre_run);
    out.records.push(
      ...classified.records.map((r) => ({
        record: r.record,
        format: r.format,
        ...(r.row !== undefined ? { row: r.row } : {}),
      })),
    );
    const first = classified.records[0];
    if (first)
      out.classified_as = { kind: first.record.kind, format: first.format, records: classified.records.length };
    else if (classified.pre_run) out.classified_as = { kind: 'files', format: 'tokenops_pre_run', records: 0 };
    if (classified.unrecognised && !classified.records.length && !classified.pre_run)
      out.problem = classified.unrecognised;
  } catch (e) {
    if (!isTokenOpsError(e)) throw e;
    out.problem = e.message;
  }
}

/**
 * Records from a file whose whole trimmed content is one compact JWT / SD-JWT (shared/classify/ap2-v02.ts);
 * false when it is not one (then the file is read as any other text). Signatures are not verified.
 */
function readSignedToken(text: string, mediaType: string, out: FileReading): boolean {
  if (!looksLikeCompactJwt(text)) return false;
  const classified = classifyAp2SdJwt(text);
  for (const r of classified.records) out.records.push({ record: r.record, format: r.format });
  const first = classified.records[0];
  out.classified_as = first
    ? { kind: first.record.kind, format: first.format, records: classified.records.length }
    : { kind: 'files', format: mediaType, records: 0 };
  if (classified.unrecognised && !first) out.problem = classified.unrecognised;
  return true;
}

/** Records from the x402 headers of a text capture; false when the text holds none (then it is a plain file). */
async function readCapture(name: string, text: string, out: FileReading): Promise<boolean> {
  const headers = x402HeadersIn(text);
  if (!headers.length) return false;
  const problems: string[] = [];
  let first: RunFile['classified_as'] = null;
  for (const h of headers) {
    if (h.value === undefined) {
      problems.push(`line ${h.line}: the ${h.header} header value is not base64-encoded JSON`);
      continue;
    }
    const classified = classifyJson(h.value, { fileName: name });
    for (const r of classified.records) {
      first ??= { kind: r.record.kind, format: `http_capture/${r.format}`, records: 0 };
      out.records.push({ record: r.record, format: r.format, row: h.line });
    }
    if (classified.unrecognised) problems.push(`line ${h.line} (${h.header}): ${classified.unrecognised}`);
  }
  out.classified_as = first ? { ...first, records: out.records.length } : null;
  if (problems.length) out.problem = summariseProblems(problems);
  return true;
}

/** A file's row problems in one line: the first three, and how many more. */
export function summariseProblems(problems: string[]): string {
  const shown = problems.slice(0, 3).join('; ');
  return problems.length > 3 ? `${shown}; and ${problems.length - 3} more` : shown;
}
