/**
 * Encoding, hashing and line-by-line checking of the JSON Lines file.
 * Every line must be exactly the canonical JSON of its own content, so any byte changed in a
 * line is caught even where it would not change the parsed value.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';
import { GENESIS_HASH, type LedgerLine } from './ledger-types';

const HEX64 = /^[0-9a-f]{64}$/;
const LINE_KEYS = 'at,entry,hash,prev_hash,seq';
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function lineHash(seq: number, at: string, prevHash: string, entry: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ seq, at, prev_hash: prevHash, entry }))
    .digest('hex');
}

/** Build the next line. The entry goes through canonical JSON, so memory holds what the file holds. */
export function nextLine<E>(prev: LedgerLine<E> | undefined, at: string, entry: E): LedgerLine<E> {
  const stored = JSON.parse(canonicalJson(entry)) as E;
  const seq = (prev?.seq ?? 0) + 1;
  const prevHash = prev?.hash ?? GENESIS_HASH;
  return { seq, at, prev_hash: prevHash, hash: lineHash(seq, at, prevHash, stored), entry: stored };
}

export function encodeLine(line: LedgerLine<unknown>): Buffer {
  return Buffer.from(`${canonicalJson(line)}\n`, 'utf8');
}

interface ScannedLine {
  /** 1-based line number in the file. */
  lineNo: number;
  /** Byte offset just after this line's newline. */
  end: number;
  /** Parsed line when its shape is right (even if its hash or links are wrong). */
  line: LedgerLine<unknown> | null;
  problems: string[];
}

export interface Scan {
  lines: ScannedLine[];
  /** Bytes after the last newline: a torn (interrupted) last write, or a cut file. */
  tornBytes: number;
}

/** Where a scan starts when it continues an already-checked prefix. */
export interface ScanStart {
  seq: number;
  hash: string;
  offset: number;
}

export function scanLines(bytes: Buffer, start: ScanStart = { seq: 0, hash: GENESIS_HASH, offset: 0 }): Scan {
  const lines: ScannedLine[] = [];
  let expectedPrev: string | null = start.hash;
  let pos = 0;
  let lineNo = start.seq;
  for (;;) {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) break;
    lineNo++;
    const scanned = checkLine(bytes.subarray(pos, nl), lineNo, expectedPrev);
    scanned.end = start.offset + nl + 1;
    lines.push(scanned);
    // Chain on from what this line claims, so one edited line is one problem, not a cascade.
    expectedPrev = scanned.line?.hash ?? null;
    pos = nl + 1;
  }
  return { lines, tornBytes: bytes.length - pos };
}

function checkLine(raw: Buffer, lineNo: number, expectedPrev: string | null): ScannedLine {
  const result: ScannedLine = { lineNo, end: 0, line: null, problems: [] };
  const bad = (what: string): ScannedLine => {
    result.problems.push(`line ${lineNo}: ${what}`);
    return result;
  };
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return bad('is not valid UTF-8; the file was damaged or edited.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return bad(`is not valid JSON (${(e as Error).message}); the line was damaged or edited.`);
  }
  const shapeProblem = describeShape(value);
  if (shapeProblem) return bad(`${shapeProblem}; the line was edited or is not a ledger line.`);
  const line = value as LedgerLine<unknown>;
  let canonical: string;
  try {
    canonical = canonicalJson(line);
  } catch (e) {
    // e.g. a number too large for a double: JSON.parse made it Infinity.
    return bad(`cannot be re-encoded (${(e as Error).message}); the line was edited.`);
  }
  result.line = line;
  if (canonical !== text) {
    bad('is not in canonical form (whitespace, key order or escapes changed); it was rewritten outside the ledger.');
  }
  if (line.seq !== lineNo) {
    bad(`seq is ${line.seq}, expected ${lineNo}: entries were reordered, removed or inserted.`);
  }
  if (expectedPrev !== null && line.prev_hash !== expectedPrev) {
    bad(
      lineNo === 1
        ? 'prev_hash is not the genesis hash (64 zeros): entries before it were removed, or lines were reordered.'
        : `prev_hash does not match the hash of line ${lineNo - 1}: the chain is broken (an entry was removed, inserted or reordered).`,
    );
  }
  const computed = lineHash(line.seq, line.at, line.prev_hash, line.entry);
  if (computed !== line.hash) {
    bad(
      `hash mismatch (stored ${short(line.hash)}, computed ${short(computed)}): the entry was edited after it was written.`,
    );
  }
  return result;
}

function describeShape(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v).sort().join(',');
  if (keys !== LINE_KEYS) return `has fields [${keys}], expected [${LINE_KEYS}]`;
  if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 1) return 'has a seq that is not a positive integer';
  if (typeof v.at !== 'string') return 'has an `at` that is not a string';
  if (typeof v.prev_hash !== 'string' || !HEX64.test(v.prev_hash))
    return 'has a prev_hash that is not 64 lowercase hex digits';
  if (typeof v.hash !== 'string' || !HEX64.test(v.hash)) return 'has a hash that is not 64 lowercase hex digits';
  return null;
}

export function short(hash: string): string {
  return typeof hash === 'string' ? `${hash.slice(0, 12)}…` : String(hash);
}
