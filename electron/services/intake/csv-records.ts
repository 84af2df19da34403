/**
 * A CSV export -> evidence records, row by row, streamed: papaparse reads a file stream chunk by chunk
 * and the file stream is paused while the consumer is behind, so a 100 MB export is never loaded whole.
 *
 * Recognised by header (names compared trimmed, lowercased, with spaces, dots and dashes as `_`):
 *   credit ledger   entry_id, credit_entitlement_id, entry_type, credits, balance       -> credit_ledger_entry per row
 *   usage export    receipt_id, credits_debited, remaining_credits                      -> usage_receipt per row
 *   file manifest   name, size, sha256, media_type                                      -> ONE files record
 *   Stripe credit balance transactions, flattened from the API object (Stripe publishes no CSV of them):
 *                   id, type, credit_grant and an amount column (amount, value, debit.amount.monetary.value, …)
 *                   -> credit_ledger_entry per row, mapped exactly as the JSON object is (shared/classify/stripe-billing.ts).
 * `row` is the 1-based data row (the header is not counted, blank lines are skipped); whole-file results
 * (the manifest record, a header problem) carry no row. A row that cannot be read is reported as a
 * `problem` naming the row and column, never dropped silently.
 */
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { readFileHead } from './file-hash';
import { mappingFor, normaliseHeader, type CsvColumnMapping, type CsvMappings } from './csv-mapping';
import { chunkDecoder, decodeText, detectTextEncoding, type TextEncodingName } from './text-encoding';
import Papa from 'papaparse';
import type { EvidenceKind, EvidenceRecord, FileManifestEntry } from '../../../shared/domain/evidence';
import { TokenOpsError } from '../../../shared/errors';
import { readManifestEntry, readRecord } from '../../../shared/classify/record-fields';
import { creditBalanceTransaction } from '../../../shared/classify/stripe-billing';
import {
  LEDGER_COLUMNS,
  LEDGER_NEEDS,
  USAGE_COLUMNS,
  USAGE_NEEDS,
  canonicalCells,
  mapColumns,
  type ColumnMap,
} from './csv-columns';

export interface CsvRecordRow {
  /** 1-based data row; absent for whole-file results. */
  row?: number;
  record?: EvidenceRecord;
  format: string;
  problem?: string;
  /** What the mapping assumed, in words (e.g. a balance Stripe does not state). */
  note?: string;
}

type Row = Record<string, string | undefined>;

interface Layout {
  format: string;
  label: string;
  required: string[];
}

const AMOUNT_COLUMNS = [
  'amount',
  'amount_value',
  'value',
  'amount_monetary_value',
  'credit_amount_monetary_value',
  'debit_amount_monetary_value',
];
const CURRENCY_COLUMNS = [
  'currency',
  'amount_currency',
  'amount_monetary_currency',
  'credit_amount_monetary_currency',
  'debit_amount_monetary_currency',
];

const LEDGER: Layout = {
  format: 'csv_credit_ledger',
  label: 'credit ledger export',
  required: ['credit_entitlement_id', 'entry_type', 'credits', 'balance'],
};
const USAGE: Layout = {
  format: 'csv_usage_receipts',
  label: 'usage export',
  required: ['receipt_id', 'credits_debited', 'remaining_credits'],
};
const MANIFEST: Layout = {
  format: 'csv_file_manifest',
  label: 'file manifest',
  required: ['name', 'size', 'sha256', 'media_type'],
};
const STRIPE_CBT: Layout = {
  format: 'csv_stripe_credit_balance_transactions',
  label: 'Stripe credit balance transactions',
  required: ['id', 'type', 'credit_grant', 'amount'],
};
// Stripe's columns are generic (`id`, `type`), so it is tried last.
const LAYOUTS = [LEDGER, USAGE, MANIFEST, STRIPE_CBT];

/** Our two row layouts are recognised by what their columns mean (csv-columns.ts), the others by name. */
const MAPPED: ReadonlyMap<Layout, { columns: Readonly<Record<string, readonly string[]>>; needs: string[] }> = new Map([
  [LEDGER, { columns: LEDGER_COLUMNS, needs: LEDGER_NEEDS }],
  [USAGE, { columns: USAGE_COLUMNS, needs: USAGE_NEEDS }],
]);

function missingColumns(layout: Layout, headers: Set<string>): string[] {
  const mapped = MAPPED.get(layout);
  if (mapped) {
    const { missing } = mapColumns(mapped.columns, headers);
    return mapped.needs.filter((f) => missing.includes(f));
  }
  return layout.required.filter((c) =>
    c === 'amount' && layout === STRIPE_CBT ? !AMOUNT_COLUMNS.some((a) => headers.has(a)) : !headers.has(c),
  );
}

function unknownHeaders(found: string[]): string {
  const expected = LAYOUTS.map(
    (l) =>
      `${l.label} (${l.required.join(', ')}${MAPPED.has(l) ? `; or a synonym of each, e.g. ${synonymExamples(l)}` : ''})`,
  ).join('; ');
  const near = LAYOUTS.map((l) => ({ l, missing: missingColumns(l, new Set(found)) })).sort(
    (a, b) => a.missing.length - b.missing.length,
  )[0];
  const hint =
    near && near.missing.length < near.l.required.length
      ? ` It looks closest to a ${near.l.label} but lacks ${near.missing.join(', ')}.`
      : '';
  // Not sure is not a refusal: the operator can say which column is which, once per export system.
  const ask =
    ' If it is a credit ledger or usage export, map its columns: tokenops pack/evidence add … --csv-map MAPPING.json ({"layout": "credit_ledger", "columns": {"credits": "<your column>", …}}); the mapping is remembered for exports with these headers.';
  return `CSV headers not recognised: found ${found.length ? found.join(', ') : 'no headers'}; expected one of: ${expected}.${hint}${ask}`;
}

function synonymExamples(layout: Layout): string {
  const columns = MAPPED.get(layout)!.columns;
  return layout.required
    .map((f) => columns[f]?.[1])
    .filter(Boolean)
    .join(', ');
}

/** Empty cells count as absent, so a blank required cell reads as "empty" rather than "invalid". */
function cleaned(row: Row): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === '__parsed_extra' || typeof v !== 'string') continue;
    const t = v.trim();
    if (t !== '') out[k] = t;
  }
  return out;
}

function quote(v: string | undefined): string {
  if (v === undefined) return '';
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}

/** `columns` names the header each field came from, so a problem names the column the operator sees. */
function readOurRecord(
  kind: EvidenceKind,
  cells: Record<string, string>,
  row: number,
  layout: Layout,
  columns: ColumnMap,
): CsvRecordRow {
  const r = readRecord(kind, cells);
  if (!r.record) {
    const what = r.problems
      .map((p) =>
        p.present
          ? `column ${columns[p.field] ?? p.field} has ${quote(cells[p.field])}, which is not ${p.expected}`
          : `column ${columns[p.field] ?? p.field} is empty`,
      )
      .join('; ');
    return { row, format: layout.format, problem: `row ${row}: ${what}` };
  }
  return {
    row,
    record: r.record,
    format: layout.format,
    ...(r.dropped.length ? { note: `ignored ${r.dropped.join(', ')}` } : {}),
  };
}

function readStripeRow(cells: Record<string, string>, row: number): CsvRecordRow {
  const amountCol = AMOUNT_COLUMNS.find((c) => cells[c] !== undefined);
  const currency = CURRENCY_COLUMNS.map((c) => cells[c]).find((v) => v !== undefined);
  const type = cells.type;
  const problems: string[] = [];
  for (const c of ['id', 'type', 'credit_grant']) if (cells[c] === undefined) problems.push(`column ${c} is empty`);
  if (type !== undefined && type !== 'credit' && type !== 'debit')
    problems.push(`column type has ${quote(type)}, which is not credit or debit`);
  if (!amountCol) problems.push(`column ${AMOUNT_COLUMNS.find((c) => c in cells) ?? 'amount'} is empty`);
  else if (!/^\d+$/.test(cells[amountCol]))
    problems.push(`column ${amountCol} has ${quote(cells[amountCol])}, which is not a whole number of minor units`);
  if (problems.length) return { row, format: STRIPE_CBT.format, problem: `row ${row}: ${problems.join('; ')}` };

  const effective = cells.effective_at ?? cells.created;
  const unix = effective !== undefined && /^\d+$/.test(effective) ? Number(effective) : undefined;
  const object = {
    object: 'billing.credit_balance_transaction',
    id: cells.id,
    type,
    credit_grant: cells.credit_grant,
    effective_at: unix,
    [type as string]: {
      amount: {
        type: 'monetary',
        monetary: { currency: currency ?? 'usd', value: Number(cells[amountCol as string]) },
      },
      ...(cells.invoice ? { credits_applied: { invoice: cells.invoice } } : {}),
    },
  };
  const mapped = creditBalanceTransaction(object).records[0];
  if (!mapped)
    return { row, format: STRIPE_CBT.format, problem: `row ${row}: could not be read as a credit balance transaction` };
  if (unix === undefined && effective !== undefined && mapped.record.kind === 'credit_ledger_entry')
    mapped.record.recorded_at = effective;
  const note = [mapped.note, currency ? '' : 'no currency column: USD assumed'].filter(Boolean).join('; ');
  return { row, record: mapped.record, format: STRIPE_CBT.format, ...(note ? { note } : {}) };
}

function manifestProblem(cells: Record<string, string>, row: number): string {
  const problems: string[] = [];
  for (const c of MANIFEST.required) if (cells[c] === undefined) problems.push(`column ${c} is empty`);
  if (cells.size !== undefined && !/^\d+$/.test(cells.size))
    problems.push(`column size has ${quote(cells.size)}, which is not a whole number of bytes`);
  if (cells.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(cells.sha256))
    problems.push(`column sha256 has ${quote(cells.sha256)}, which is not 64 hexadecimal characters`);
  return `row ${row}: ${problems.join('; ') || 'unreadable'}`;
}

/** Rows kept ahead of the consumer before the file stream is paused: bounded memory at any file size. */
const HIGH_WATER_ROWS = 20_000;
/**
 * Longest line read as CSV. Papa holds a line until it ends, so a file of one endless line (a log
 * dumped with a .csv name, a corrupt export) once grew past V8's string limit and crashed the intake.
 * No export row is near this long; past it the file is kept, not read, with this reason.
 */
const MAX_CSV_LINE_CHARS = 16 * 1024 * 1024;

class LineTooLong extends Error {}

async function headEncoding(absPath: string): Promise<TextEncodingName | undefined> {
  // An unreadable file is left to the stream, which reports it in the intake's words.
  const head = await readFileHead(absPath, 8192).catch(() => null);
  return head ? detectTextEncoding(head.bytes, head.bytes.length >= head.size) : undefined;
}

/** Bytes in, text out in `encoding`, a character split across chunks kept whole. */
function decoding(encoding: TextEncodingName): Transform {
  const decoder = chunkDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    encoding: 'utf8',
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.write(chunk));
    },
    flush(done) {
      done(null, decoder.end());
    },
  });
}

/** Passes text through, and fails as soon as a line runs past `max` characters. */
function lineLengthGuard(max: number): Transform {
  let sinceNewline = 0;
  return new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string, _enc, done) {
      const nl = chunk.lastIndexOf('\n');
      sinceNewline = nl === -1 ? sinceNewline + chunk.length : chunk.length - nl - 1;
      if (nl !== -1 && sinceNewline <= max) {
        // A long line can also sit between two newlines of one chunk.
        for (let at = 0, next = chunk.indexOf('\n'); next !== -1; at = next + 1, next = chunk.indexOf('\n', at)) {
          if (next - at > max) return done(new LineTooLong());
        }
      }
      if (sinceNewline > max) return done(new LineTooLong());
      done(null, chunk);
    },
  });
}

/** Bytes of a CSV read for its preview: far more than a header and a few rows of any export. */
const PREVIEW_BYTES = 256 * 1024;

/**
 * A CSV's header row as written and its first `rows` data rows, read as intake reads the file (its
 * encoding, an Excel `sep=` line, the detected delimiter), for the column-mapping step. Only the
 * file's first bytes are read, so a large export is previewed at once.
 */
export async function readCsvPreview(
  absPath: string,
  fileName: string,
  rows = 5,
): Promise<{ headers: string[]; rows: string[][] }> {
  const head = await readFileHead(absPath, PREVIEW_BYTES).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new TokenOpsError('not_found', `CSV file ${fileName} was not found.`);
    throw new TokenOpsError('input_invalid', `CSV file ${fileName} could not be read: ${e.message}`);
  });
  const whole = head.bytes.length >= head.size;
  const encoding = detectTextEncoding(head.bytes, whole) ?? 'utf-8';
  const text = decodeText(head.bytes, encoding)
    .replace(/^\uFEFF/, '')
    .replace(/^sep=.\r?\n/i, '');
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: 'greedy', preview: rows + 2 });
  const lines = parsed.data.filter((r) => Array.isArray(r));
  // A row cut off by the end of what was read is not shown as if it were the file's.
  if (!whole && lines.length < rows + 2) lines.pop();
  const [headers = [], ...data] = lines;
  const shown = headers.map((h) => h.trim());
  return {
    headers: shown,
    rows: data.slice(0, rows).map((r) => shown.map((_, i) => (r[i] ?? '').trim())),
  };
}

/**
 * Papa's Node duplex pauses and re-scans its chunk every 16 rows (measured ~2 MB/s), so the file stream
 * is fed to Papa's stream reader with a `chunk` callback instead, and backpressure is applied to the
 * file stream itself. The stream decodes UTF-8, so a character split across reads is never mangled.
 */
async function* parseRows(absPath: string, fileName: string, headers: string[]): AsyncGenerator<Row> {
  // Spreadsheets export UTF-16 ("Unicode Text") or the Windows code page as well as UTF-8 (text-encoding.ts).
  const encoding = (await headEncoding(absPath)) ?? 'utf-8';
  const file = createReadStream(absPath, { highWaterMark: 1024 * 1024 });
  const source = file.pipe(decoding(encoding)).pipe(lineLengthGuard(MAX_CSV_LINE_CHARS));
  file.on('error', (e) => source.destroy(e));
  const batches: Row[][] = [];
  let buffered = 0;
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  Papa.parse<Row>(source, {
    header: true,
    skipEmptyLines: 'greedy',
    // Excel writes `sep=;` as a first line naming the delimiter (regional settings with a decimal comma);
    // it is not a header. Without it, papaparse detects the delimiter (comma, semicolon, tab, pipe).
    beforeFirstChunk: (chunk: string) => chunk.replace(/^\uFEFF?sep=.\r?\n/i, ''),
    transformHeader: (h: string) => {
      const n = normaliseHeader(h);
      headers.push(n);
      return n;
    },
    chunk: (results: Papa.ParseResult<Row>) => {
      batches.push(results.data);
      buffered += results.data.length;
      if (buffered >= HIGH_WATER_ROWS) source.pause();
      notify();
    },
    complete: () => {
      done = true;
      notify();
    },
    error: (e: Error) => {
      failure = e;
      done = true;
      notify();
    },
  });
  try {
    for (;;) {
      const batch = batches.shift();
      if (batch) {
        buffered -= batch.length;
        if (buffered < HIGH_WATER_ROWS && source.isPaused() && !done) source.resume();
        yield* batch;
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof LineTooLong) {
      throw new TokenOpsError(
        'input_invalid',
        `CSV file ${fileName} has a line longer than ${MAX_CSV_LINE_CHARS.toLocaleString('en-US')} characters: it is not an export TokenOps can read as rows. It is kept as a file; if it is evidence, export it again as CSV with one row per line.`,
      );
    }
    if (code === 'ENOENT') throw new TokenOpsError('not_found', `CSV file ${fileName} was not found.`);
    throw new TokenOpsError(
      'input_invalid',
      `CSV file ${fileName} could not be read: ${e instanceof Error ? e.message : String(e)}`,
    );
  } finally {
    source.destroy();
    file.destroy();
  }
}

/**
 * `mappings`: the operator's column mappings (csv-mapping.ts), applied only to an export whose headers
 * no layout recognises; `onMapping` hears which one was applied, so a given one can be remembered.
 */
export async function* readCsvRecords(
  absPath: string,
  fileName: string,
  mappings?: CsvMappings,
  onMapping?: (used: { signature: string; mapping: CsvColumnMapping; remember: boolean }) => void,
): AsyncGenerator<CsvRecordRow> {
  const headers: string[] = [];
  let layout: Layout | undefined;
  let columns: ColumnMap = {};
  let row = 0;
  const manifest: FileManifestEntry[] = [];

  for await (const raw of parseRows(absPath, fileName, headers)) {
    if (layout === undefined) {
      const found = new Set(headers);
      layout = LAYOUTS.find((l) => missingColumns(l, found).length === 0);
      const mapped = layout && MAPPED.get(layout);
      if (mapped) columns = mapColumns(mapped.columns, found).map;
      if (!layout) {
        const used = mappingFor(headers, mappings);
        if (!used) {
          yield { format: 'csv', problem: unknownHeaders(headers) };
          return;
        }
        onMapping?.(used);
        layout = used.mapping.layout === 'credit_ledger' ? LEDGER : USAGE;
        columns = Object.fromEntries(
          Object.entries(used.mapping.columns).map(([field, header]) => [field, normaliseHeader(header)]),
        );
      }
    }
    row++;
    const extra = raw.__parsed_extra as unknown;
    if (Array.isArray(extra) && extra.some((v) => String(v).trim() !== '')) {
      yield {
        row,
        format: layout.format,
        problem: `row ${row}: has ${headers.length + extra.length} fields but the header names ${headers.length}`,
      };
      continue;
    }
    const cells = cleaned(raw);
    // A ledger export without an entry id column still names each row uniquely: file and row.
    if (layout === LEDGER)
      yield readOurRecord(
        'credit_ledger_entry',
        canonicalCells(cells, columns, `${fileName}#${row}`),
        row,
        layout,
        columns,
      );
    else if (layout === USAGE)
      yield readOurRecord('usage_receipt', canonicalCells(cells, columns), row, layout, columns);
    else if (layout === STRIPE_CBT) yield readStripeRow(cells, row);
    else {
      const entry = readManifestEntry(cells);
      if (entry) manifest.push(entry);
      else yield { row, format: layout.format, problem: manifestProblem(cells, row) };
    }
  }

  if (layout === undefined) {
    // No data row: either an empty file or a header alone.
    const found = new Set(headers);
    const known = LAYOUTS.find((l) => missingColumns(l, found).length === 0);
    if (!headers.length) yield { format: 'csv', problem: `CSV file ${fileName} is empty: no header and no rows.` };
    else if (!known) yield { format: 'csv', problem: unknownHeaders(headers) };
    else yield { format: known.format, problem: `CSV file ${fileName} has the ${known.label} header but no rows.` };
    return;
  }
  if (layout === MANIFEST && manifest.length) {
    yield {
      record: { kind: 'files', manifest_id: `csv_manifest:${fileName}`, files: manifest },
      format: MANIFEST.format,
    };
  }
}
