/**
 * Public-safe check: is there a secret in an evidence file?
 * secretlint's recommended preset (cloud/API tokens) plus TokenOps' own rules (JWT, bearer token,
 * private key, card number, IBAN, Stripe keys and client secrets, Google API keys, credentials in
 * config lines and in HTTP archives' headers and cookies), all run through one `lintSource` call per piece of text; base64 runs that decode to
 * text are scanned again. A piece in which no rule's anchor occurs (secret-rules/anchors.ts) skips both.
 */
import './secretlint-profiler-off';
import { lintSource, type SecretLintSourceOptions } from '@secretlint/core';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { TokenOpsError } from '../../../shared/errors';
import type { CancelToken } from '../../../shared/progress';
import { readFileHead, toReadError } from './file-hash';
import { GENERIC_RULE_IDS, TOKENOPS_RULES, maskSecret } from './secret-rules/index';
import { base64Runs } from './base64-runs';
import { mayHoldBase64, mayHoldSecret } from './secret-rules/anchors';
import { PrintableStrings, type PrintableString } from './printable-strings';
import { archiveKind, scanArchive } from './scan-archive';
import { chunkDecoder, decodeText, detectTextEncoding, type TextEncodingName } from './text-encoding';
import { labelFromSecretlintMessage, type SecretFinding } from './secret-rules/finding';

export { describeFinding, type SecretFinding } from './secret-rules/finding';

// Rules of secretlint's recommended preset we do not run:
// - filter-comments: evidence comes from third parties, and a `secretlint-disable` comment inside a
//   file must not be able to hide a secret from this check;
// - privatekey: tokenops/private-key covers every PEM label it does and more (ENCRYPTED, PKCS#8,
//   truncated keys); two findings for one key would only be noise;
// - gcp: its JSON check (JSON.parse of every .json file, a third of the scan's time on small JSON)
//   looks for a service account's PEM "private_key", which tokenops/private-key finds JSON-escaped;
//   its .p12 check reads the file from disk by path, which we never allow (noPhysicFilePath).
// The preset's rules are registered one by one because secretlint 13 ignores `disabled` on rules
// configured inside a preset (RunningEvents.registerRule never reads it).
const LEFT_OUT = new Set([
  '@secretlint/secretlint-rule-filter-comments',
  '@secretlint/secretlint-rule-privatekey',
  '@secretlint/secretlint-rule-gcp',
]);

// The aws rule runs with its defaults: secret access keys. Its access key id and account id scan
// (`enableIDScanRule`) is replaced by tokenops/aws-access-key-id (see there why).
const RULE_SETTINGS: Record<string, { options?: object; allowMessageIds?: string[] }> = {};

const CONFIG: SecretLintSourceOptions['options']['config'] = {
  rules: [
    ...recommendedRules
      .filter((rule) => !LEFT_OUT.has(rule.meta.id))
      .map((rule) => ({ id: rule.meta.id, rule, ...RULE_SETTINGS[rule.meta.id] })),
    ...TOKENOPS_RULES.map((rule) => ({ id: rule.meta.id, rule })),
  ],
};

/**
 * Scan a whole text held in memory. Line and column are 1-based. `everyText` runs the rules on text the
 * prefilter rules out too: the reference the prefilter is tested against.
 */
export async function scanText(fileName: string, text: string, everyText = false): Promise<SecretFinding[]> {
  // A BOM is invisible in editors; dropping it keeps columns on line 1 as the operator sees them.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return scanPiece(fileName, body, { line: 1, column: 0 }, everyText);
}

/** Where a piece of a larger text starts: 1-based line, 0-based column (non-zero only after a mid-line split). */
interface PieceOrigin {
  line: number;
  column: number;
}

/** Each lint gets its own synthetic path: secretlint keys performance marks by path, so two scans of one
 * name at once, or a name with a newline, made it throw from inside its timing code. */
let lintSeq = 0;

/** One finding before it has a position: a UTF-16 range of the scanned text. */
interface Hit {
  start: number;
  end: number;
  rule: string;
  message: string;
  excerpt: string;
}

/** Base64 is decoded and scanned again this many layers deep (a secret in base64 in base64 is found). */
const MAX_BASE64_DEPTH = 2;

/** The rules' hits in `text`; the prefilter (secret-rules/anchors.ts) skips texts where none can occur. */
async function hitsIn(fileName: string, text: string, depth: number, everyText = false): Promise<Hit[]> {
  const hits = everyText || mayHoldSecret(text) ? await lintHits(fileName, text) : [];
  if (depth < MAX_BASE64_DEPTH && (everyText || mayHoldBase64(text))) {
    for (const run of base64Runs(text)) {
      if (hits.some((h) => h.start < run.end && run.start < h.end)) continue; // already named (a JWT, a key)
      for (const inner of await hitsIn('decoded.txt', run.decoded, depth + 1, everyText)) {
        hits.push({
          start: run.start,
          end: run.end,
          rule: inner.rule,
          message: `${inner.message} (base64-encoded)`,
          excerpt: inner.excerpt,
        });
      }
    }
  }
  return withoutGenericOverlaps(hits);
}

async function lintHits(fileName: string, text: string): Promise<Hit[]> {
  const ext = extname(fileName).replace(/[^A-Za-z0-9.]/g, '');
  const result = await lintSource({
    source: { content: text, filePath: `tokenops-scan-${++lintSeq}${ext}`, ext, contentType: 'text' },
    // noPhysicFilePath: no rule may go and read `fileName` from disk; it is only a display name.
    options: { config: CONFIG, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages.map((m) => ({
    start: m.range[0],
    end: Math.max(m.range[1], m.range[0] + 1),
    rule: m.ruleId,
    message: labelFromSecretlintMessage(m.message),
    excerpt: maskSecret(text.slice(m.range[0], Math.max(m.range[1], m.range[0] + 1))),
  }));
}

/**
 * The text with every finding replaced by `[REDACTED <rule>]`, for the redact resolution. A finding inside
 * base64 masks the whole base64 run. The masks are plain ASCII, so a secret inside a JSON string leaves
 * valid JSON.
 */
export async function redactSecrets(
  fileName: string,
  text: string,
): Promise<{ text: string; masked: number; complete: boolean }> {
  let masked = 0;
  // A scan reports at most 100 hits per rule (as-secretlint-rule.ts): a file holding more is masked in
  // passes, each scanning what the last one left, until a pass finds nothing (`complete`).
  for (let pass = 0; pass < MAX_REDACT_PASSES; pass++) {
    const once = maskHits(text, await hitsIn(fileName, text, 0));
    if (once.masked === 0) return { text, masked, complete: true };
    text = once.text;
    masked += once.masked;
  }
  return { text, masked, complete: false };
}

/** Passes of redactSecrets: at 100 per rule and pass, 5,000 findings of one kind. */
const MAX_REDACT_PASSES = 50;

function maskHits(text: string, found: Hit[]): { text: string; masked: number } {
  const hits = found.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  let masked = 0;
  for (const h of hits) {
    if (h.end <= at) continue; // inside a range already masked
    out += text.slice(at, Math.max(at, h.start)) + `[REDACTED ${h.rule}]`;
    at = h.end;
    masked++;
  }
  return { text: out + text.slice(at), masked };
}

/** A config line's (or a recorded header's) credential that another rule also found is reported once, by the rule that names it. */
function withoutGenericOverlaps(hits: Hit[]): Hit[] {
  return hits.filter(
    (h) =>
      !GENERIC_RULE_IDS.has(h.rule) ||
      !hits.some((o) => !GENERIC_RULE_IDS.has(o.rule) && o.start < h.end && h.start < o.end),
  );
}

async function scanPiece(
  fileName: string,
  text: string,
  origin: PieceOrigin,
  everyText = false,
): Promise<SecretFinding[]> {
  if (text.length === 0) return [];
  // Positions are computed here from the range, with one newline convention for every rule and piece.
  const hits = (await hitsIn(fileName, text, 0, everyText)).sort((a, b) => a.start - b.start);
  const findings: SecretFinding[] = [];
  let line = origin.line;
  let lineStart = 0;
  let scanned = 0;
  for (const h of hits) {
    const at = h.start;
    for (let nl = text.indexOf('\n', scanned); nl !== -1 && nl < at; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    scanned = Math.max(scanned, at);
    const column = (line === origin.line ? origin.column : 0) + (at - lineStart) + 1;
    findings.push({ file: fileName, rule: h.rule, line, column, message: h.message, excerpt: h.excerpt });
  }
  return findings;
}

export interface ScanFileOptions {
  /**
   * Most text held and scanned at once (in decoded characters, never more than the bytes read).
   * Larger files are scanned in overlapping, line-aligned pieces of at most this size.
   */
  maxTextBytes?: number;
  cancel?: CancelToken;
}

type ScanStatus = 'clean' | 'findings' | 'unscannable';

export interface ScanResult {
  status: ScanStatus;
  findings: SecretFinding[];
  /** Why an unscannable file could not be checked; the operator must attest it instead. */
  reason?: string;
  /** Set when the file's name holds a secret: the name to keep instead, with the secret masked. */
  masked_name?: string;
}

const SNIFF_BYTES = 8 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
const MAX_OVERLAP = 64 * 1024;
const DEFAULT_PIECE_CHARS = 32 * 1024 * 1024;

/**
 * Text (and in which encoding: text-encoding.ts) or binary, from the first bytes. `whole` says the
 * buffer is the entire file (then a cut-off multi-byte character is invalid too).
 */
function sniffText(head: Uint8Array, whole: boolean): { encoding: TextEncodingName } | { binary: string } {
  const encoding = detectTextEncoding(head, whole);
  if (encoding) return { encoding };
  const nul = head.indexOf(0);
  return {
    binary:
      nul !== -1
        ? `binary content (a NUL byte at offset ${nul})`
        : 'binary content (control bytes no text encoding uses)',
  };
}

/**
 * Scan one file: its name, then its content.
 * - Text is streamed: memory stays bounded by `maxTextBytes` whatever the file size, and pieces
 *   overlap by whole lines so a secret on a boundary (even a multi-line key) is seen whole in at least
 *   one piece and reported once, at its true line.
 * - Archives (zip, tar, tar.gz) are opened and each entry scanned, under the bundles' bomb limits.
 * - Other binary content has its printable strings scanned: a key found there blocks the file. When
 *   none is found the file is still 'unscannable' (compressed or encoded parts cannot be read), so the
 *   operator must confirm it holds no secret.
 */
export async function scanFile(absPath: string, relName: string, opts: ScanFileOptions = {}): Promise<ScanResult> {
  const head = await readFileHead(absPath, SNIFF_BYTES);
  const kind = archiveKind(head.bytes);
  const content = kind
    ? await scanArchive(absPath, relName, kind, (chunks, entry) => scanChunks(chunks, relName, { ...opts, entry }))
    : await scanChunks(readChunks(absPath), relName, opts);
  return withNameFindings(content, await scanName(relName), relName);
}

/**
 * Scan a file already read whole into memory (a small file on intake): the same verdict as `scanFile`
 * on the same bytes, without reading them again. An archive is opened from `storedPath`, the copy of
 * these bytes (zip entries are found from the end of the file).
 */
export async function scanBytes(bytes: Buffer, relName: string, storedPath?: string): Promise<ScanResult> {
  return (await scanBytesAndText(bytes, relName, storedPath)).scan;
}

/**
 * `scanBytes`, also handing back the text it scanned when the bytes are text (not an archive, not
 * binary), so a parser reads the same decoded text without decoding the bytes again.
 */
export async function scanBytesAndText(
  bytes: Buffer,
  relName: string,
  storedPath?: string,
): Promise<{ scan: ScanResult; text?: string }> {
  if (storedPath && archiveKind(bytes.subarray(0, SNIFF_BYTES))) return { scan: await scanFile(storedPath, relName) };
  const names = await scanName(relName);
  const sniffed = sniffText(bytes.subarray(0, SNIFF_BYTES), bytes.length <= SNIFF_BYTES);
  if ('binary' in sniffed)
    return { scan: withNameFindings(await scanBinary(oneChunk(bytes), relName, sniffed.binary, {}), names, relName) };
  // Not fatal past the sniff, as in scanFile; the decoder drops a BOM like an editor does.
  const text = decodeText(bytes, sniffed.encoding);
  const findings = (await scanPiece(relName, text, { line: 1, column: 0 })).sort(byPosition);
  const scan = withNameFindings<ScanResult>(
    { status: findings.length > 0 ? 'findings' : 'clean', findings },
    names,
    relName,
  );
  return { scan, text };
}

/** A secret in a file's own name ("sk_live_….json") would be published by the bundle's manifest. */
interface NameScan {
  findings: SecretFinding[];
  /** The name with each secret masked, to be stored and shown instead of the real one. */
  masked?: string;
}

async function scanName(relName: string): Promise<NameScan> {
  const hits = (await hitsIn(relName, relName, 0)).sort((a, b) => a.start - b.start);
  if (hits.length === 0) return { findings: [] };
  let masked = '';
  let at = 0;
  for (const h of hits) {
    if (h.start < at) continue;
    masked += relName.slice(at, h.start) + h.excerpt;
    at = h.end;
  }
  masked += relName.slice(at);
  const findings = hits.map((h) => ({
    file: masked,
    rule: h.rule,
    line: 0,
    column: h.start + 1,
    message: h.message,
    excerpt: h.excerpt,
    in_name: true,
  }));
  return { findings, masked };
}

function withNameFindings<T extends ScanResult>(content: T, name: NameScan, relName: string): T {
  if (!name.masked) return content;
  const masked = name.masked;
  const findings = [...name.findings, ...content.findings.map((f) => ({ ...f, file: masked }))];
  return {
    ...content,
    status: 'findings',
    findings,
    masked_name: masked,
    ...(content.reason ? { reason: content.reason.replaceAll(relName, masked) } : {}),
  };
}

interface ChunkScanOptions extends ScanFileOptions {
  /** The archive entry being scanned, named in its findings. */
  entry?: string;
}

/** Text or binary, decided from the first bytes; then streamed to the matching scan. */
async function scanChunks(chunks: AsyncIterable<Buffer>, relName: string, opts: ChunkScanOptions): Promise<ScanResult> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    first.push(next.value);
    headBytes += next.value.length;
  }
  const rest: AsyncIterable<Buffer> = {
    async *[Symbol.asyncIterator]() {
      yield* first;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
  const head = Buffer.concat(first).subarray(0, SNIFF_BYTES);
  const sniffed = sniffText(head, done && headBytes <= SNIFF_BYTES);
  const label = opts.entry ? `${relName} → ${opts.entry}` : relName;
  const result =
    'binary' in sniffed
      ? await scanBinary(rest, label, sniffed.binary, opts)
      : await scanTextChunks(rest, relName, opts, sniffed.encoding);
  if (opts.entry) for (const f of result.findings) f.entry = opts.entry;
  return result;
}

/** Streams decoded text through overlapping, line-aligned pieces (see scanFile). */
async function scanTextChunks(
  chunks: AsyncIterable<Buffer>,
  relName: string,
  opts: ScanFileOptions,
  encoding: TextEncodingName,
): Promise<ScanResult> {
  const maxChars = Math.max(1024, Math.floor(opts.maxTextBytes ?? DEFAULT_PIECE_CHARS));
  const overlap = Math.min(MAX_OVERLAP, Math.floor(maxChars / 4));
  const found = new Findings();

  let pending = '';
  const origin: PieceOrigin = { line: 1, column: 0 };
  // Move the window start to `start`, keeping line/column of pending[0] right.
  const advance = (start: number) => {
    let lastNl = -1;
    for (let nl = pending.indexOf('\n'); nl !== -1 && nl < start; nl = pending.indexOf('\n', nl + 1)) {
      origin.line++;
      lastNl = nl;
    }
    origin.column = lastNl === -1 ? origin.column + start : start - lastNl - 1;
    pending = pending.slice(start);
  };
  const scanFullPieces = async () => {
    while (pending.length > maxChars) {
      throwIfCancelled(opts.cancel, relName);
      // End on a line boundary unless a single line is huge (minified JSON): then split mid-line.
      let cut = pending.lastIndexOf('\n', maxChars - 1) + 1;
      if (cut < maxChars / 2) cut = notInsidePair(pending, maxChars);
      found.keep(await scanPiece(relName, pending.slice(0, cut), { ...origin }));
      // Next piece starts at the beginning of the line `overlap` characters before the cut.
      let start = pending.lastIndexOf('\n', cut - overlap - 1) + 1;
      if (start === 0 || cut - start > 2 * overlap) start = notInsidePair(pending, cut - overlap);
      advance(start);
    }
  };

  const decoder = chunkDecoder(encoding); // not fatal past the sniff: a stray bad byte must not hide the rest
  for await (const chunk of chunks) {
    pending += decoder.write(chunk);
    await scanFullPieces();
  }
  pending += decoder.end();
  await scanFullPieces();
  found.keep(await scanPiece(relName, pending, { ...origin }));
  return found.result();
}

/**
 * The printable strings of binary content, scanned in pieces of whole strings. A finding there is
 * reported by byte offset (line 0). Clean strings do not make the file clean: it stays 'unscannable'.
 */
async function scanBinary(
  chunks: AsyncIterable<Buffer>,
  label: string,
  why: string,
  opts: ScanFileOptions,
): Promise<ScanResult> {
  const maxChars = Math.max(1024, Math.floor(opts.maxTextBytes ?? DEFAULT_PIECE_CHARS));
  const strings = new PrintableStrings();
  const found = new Findings();
  let batch: PrintableString[] = [];
  let batchChars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const lines = batch;
    batch = [];
    batchChars = 0;
    for (const f of await scanPiece(label, lines.map((l) => l.text).join('\n'), { line: 1, column: 0 })) {
      const string = lines[f.line - 1];
      found.keep([{ ...f, file: label.split(' → ')[0], line: 0, column: 0, offset: string.offset + f.column - 1 }]);
    }
  };
  const add = async (more: PrintableString[]) => {
    for (const s of more) {
      batch.push(s);
      batchChars += s.text.length + 1;
      if (batchChars >= maxChars) await flush();
    }
  };
  for await (const chunk of chunks) {
    throwIfCancelled(opts.cancel, label);
    await add(strings.push(chunk));
  }
  await add(strings.end());
  await flush();
  const result = found.result();
  if (result.status === 'findings') return result;
  return unscannable(label, why);
}

/** Findings of overlapping pieces, each kept once. */
class Findings {
  private readonly seen = new Set<string>();
  private readonly list: SecretFinding[] = [];

  keep(found: SecretFinding[]): void {
    for (const f of found) {
      const key = `${f.rule}:${f.line}:${f.column}:${f.offset ?? ''}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.list.push(f);
    }
  }

  result(): ScanResult {
    this.list.sort(byPosition);
    return { status: this.list.length > 0 ? 'findings' : 'clean', findings: this.list };
  }
}

function unscannable(relName: string, why: string): ScanResult {
  return {
    status: 'unscannable',
    findings: [],
    reason: `${relName}: ${why}. TokenOps cannot check it for secrets; open it yourself and confirm it holds none before it is shared.`,
  };
}

/** The file's chunks; a file-system error gets the intake's "could not read" wording. */
async function* readChunks(absPath: string): AsyncIterable<Buffer> {
  const stream = createReadStream(absPath, { highWaterMark: READ_CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } catch (e) {
    throw (e as NodeJS.ErrnoException | undefined)?.code ? toReadError(e, absPath) : e;
  } finally {
    stream.destroy();
  }
}

async function* oneChunk(bytes: Buffer): AsyncIterable<Buffer> {
  yield bytes;
}

function byPosition(a: SecretFinding, b: SecretFinding): number {
  return (
    (a.entry ?? '').localeCompare(b.entry ?? '') ||
    a.line - b.line ||
    (a.offset ?? 0) - (b.offset ?? 0) ||
    a.column - b.column ||
    (a.rule < b.rule ? -1 : 1)
  );
}

/** A split point that does not separate a UTF-16 surrogate pair. */
function notInsidePair(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

function throwIfCancelled(cancel: CancelToken | undefined, name: string): void {
  if (cancel?.cancelled)
    throw new TokenOpsError('cancelled', `The secret scan of ${name} was cancelled. Run it again to check the file.`);
}
