/**
 * The operator's column mapping for a CSV export whose headers TokenOps does not recognise: which
 * column holds each field of a credit ledger or a usage export. Given once (`--csv-map FILE.json`),
 * it is remembered in the data folder under the export's header signature, so the next export from
 * the same system is read without asking again.
 *
 * A mapping file:
 *   { "layout": "credit_ledger", "columns": { "credits": "Menge", "balance": "Saldo nach Buchung", … } }
 * `layout`: `credit_ledger` or `usage_receipts`; `columns`: field → the header as it appears in the file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CsvColumnMapping } from '../../../shared/domain/csv-mapping';
import { TokenOpsError } from '../../../shared/errors';
import { durableWriteFile } from '../fs/durable-write';
import { LEDGER_COLUMNS, LEDGER_NEEDS, USAGE_COLUMNS, USAGE_NEEDS } from './csv-columns';

export type { CsvColumnMapping };
type CsvLayoutName = CsvColumnMapping['layout'];

/** What intake may apply: mappings remembered by header signature, and the one given for this intake. */
export interface CsvMappings {
  remembered: Record<string, CsvColumnMapping>;
  given?: CsvColumnMapping;
}

/**
 * Each layout a mapping can name: its fields with their header synonyms, and the fields a row needs
 * (a ledger's entry id is not among them: intake names a row by its file and row number).
 */
export const MAPPING_LAYOUTS: Record<
  CsvLayoutName,
  { columns: Readonly<Record<string, readonly string[]>>; needs: readonly string[] }
> = {
  credit_ledger: { columns: LEDGER_COLUMNS, needs: LEDGER_NEEDS },
  usage_receipts: { columns: USAGE_COLUMNS, needs: USAGE_NEEDS },
};

/** Headers as intake compares them: trimmed, lower case, spaces, dots and dashes as `_`. */
export function normaliseHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s.-]+/g, '_');
}

/** One export system's header row, whatever the column order: its normalised headers, sorted. */
function headerSignature(headers: readonly string[]): string {
  return [...new Set(headers.map(normaliseHeader))].sort().join(',');
}

/** A mapping read from JSON, checked field by field; every problem named in one message. */
export function parseCsvMapping(value: unknown, source: string): CsvColumnMapping {
  const fail = (why: string) =>
    new TokenOpsError(
      'input_invalid',
      `CSV column mapping ${source} ${why}. Expected {"layout": "credit_ledger" | "usage_receipts", "columns": {"<field>": "<header in the file>", …}}.`,
    );
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('is not a JSON object');
  const { layout, columns } = value as Record<string, unknown>;
  if (layout !== 'credit_ledger' && layout !== 'usage_receipts')
    throw fail(`has layout ${JSON.stringify(layout)}, not credit_ledger or usage_receipts`);
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) throw fail('has no "columns" object');
  const fields = Object.keys(MAPPING_LAYOUTS[layout].columns);
  const { needs } = MAPPING_LAYOUTS[layout];
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const [field, header] of Object.entries(columns)) {
    if (!fields.includes(field)) problems.push(`${field} is not a field of ${layout} (fields: ${fields.join(', ')})`);
    else if (typeof header !== 'string' || header.trim() === '') problems.push(`${field} names no header`);
    else out[field] = header;
  }
  const missing = needs.filter((f) => !out[f]);
  if (missing.length) problems.push(`maps no column to ${missing.join(', ')}`);
  const headers = Object.values(out).map(normaliseHeader);
  const twice = headers.filter((h, i) => headers.indexOf(h) !== i);
  if (twice.length) problems.push(`maps column ${[...new Set(twice)].join(', ')} to two fields`);
  if (problems.length) throw fail(`is not usable: ${problems.join('; ')}`);
  return { layout, columns: out };
}

/** Reads a mapping file the operator wrote (`--csv-map FILE.json`). */
export async function readCsvMappingFile(path: string): Promise<CsvColumnMapping> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new TokenOpsError(
      e.code === 'ENOENT' ? 'not_found' : 'input_invalid',
      `CSV column mapping ${path} could not be read: ${e.code === 'ENOENT' ? 'no such file' : e.message}.`,
    );
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TokenOpsError(
      'input_invalid',
      `CSV column mapping ${path} is not JSON: ${e instanceof Error ? e.message : String(e)}.`,
    );
  }
  return parseCsvMapping(value, path);
}

/**
 * The mapping for an export with these headers: the one remembered for its signature, else the given
 * one when every header it names is there. `remember` says the given one was used and should be kept.
 */
export function mappingFor(
  headers: readonly string[],
  mappings: CsvMappings | undefined,
): { mapping: CsvColumnMapping; signature: string; remember: boolean } | undefined {
  if (!mappings) return undefined;
  const signature = headerSignature(headers);
  const found = new Set(headers.map(normaliseHeader));
  const fits = (m: CsvColumnMapping) => Object.values(m.columns).every((h) => found.has(normaliseHeader(h)));
  const given = mappings.given;
  if (given && fits(given)) return { mapping: given, signature, remember: true };
  const remembered = mappings.remembered[signature];
  if (remembered && fits(remembered)) return { mapping: remembered, signature, remember: false };
  return undefined;
}

const FILE = 'csv-mappings.json';

/** The remembered mappings of a data folder; none when the file does not exist yet. */
export async function loadCsvMappings(home: string): Promise<Record<string, CsvColumnMapping>> {
  const text = await readFile(join(home, FILE), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (text === null) return {};
  const out: Record<string, CsvColumnMapping> = {};
  try {
    const stored = (JSON.parse(text) as { mappings?: Record<string, unknown> }).mappings ?? {};
    for (const [signature, m] of Object.entries(stored)) out[signature] = parseCsvMapping(m, `${FILE} (${signature})`);
  } catch (e) {
    throw new TokenOpsError(
      'input_invalid',
      `The remembered CSV column mappings (${join(home, FILE)}) are damaged: ${e instanceof Error ? e.message : String(e)}. Move the file away to start afresh.`,
    );
  }
  return out;
}

/** Adds mappings under their signatures (a newer one for a signature replaces the older). */
export async function rememberCsvMappings(
  home: string,
  added: ReadonlyArray<{ signature: string; mapping: CsvColumnMapping }>,
): Promise<void> {
  if (!added.length) return;
  const mappings = await loadCsvMappings(home);
  for (const a of added) mappings[a.signature] = a.mapping;
  await durableWriteFile(join(home, FILE), `${JSON.stringify({ version: 1, mappings }, null, 2)}\n`);
}
