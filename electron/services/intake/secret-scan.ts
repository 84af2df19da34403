/**
 * Public-safe check: is there a secret in an evidence file?
 * secretlint's recommended preset (cloud/API tokens) plus TokenOps' own rules (JWT, bearer token,
 * private key, card number, IBAN), all run through one `lintSource` call per piece of text.
 */
import './secretlint-profiler-off';
import { lintSource, type SecretLintSourceOptions } from '@secretlint/core';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { TokenOpsError } from '../../../shared/errors';
import type { CancelToken } from '../../../shared/progress';
import { toReadError } from './file-hash';
import { TOKENOPS_RULES, maskSecret } from './secret-rules/index';
import { labelFromSecretlintMessage, type SecretFinding } from './secret-rules/finding';

export { describeFinding, type SecretFinding } from './secret-rules/finding';

// Rules of secretlint's recommended preset we do not run:
// - filter-comments: evidence comes from third parties, and a `secretlint-disable` comment inside a
//   file must not be able to hide a secret from this check;
// - privatekey: tokenops/private-key covers every PEM label it does and more (ENCRYPTED, PKCS#8,
//   truncated keys); two findings for one key would only be noise.
// The preset's rules are registered one by one because secretlint 13 ignores `disabled` on rules
// configured inside a preset (RunningEvents.registerRule never reads it).
const LEFT_OUT = new Set(['@secretlint/secretlint-rule-filter-comments', '@secretlint/secretlint-rule-privatekey']);

const RULE_SETTINGS: Record<string, { options?: object; allowMessageIds?: string[] }> = {
  // Access key IDs (AKIA…) are off by default in secretlint; we want them. Account IDs are 12-digit
  // numbers next to the word "account", which payment records are full of.
  '@secretlint/secretlint-rule-aws': { options: { enableIDScanRule: true }, allowMessageIds: ['AWSAccountID'] },
};

const CONFIG: SecretLintSourceOptions['options']['config'] = {
  rules: [
    ...recommendedRules
      .filter((rule) => !LEFT_OUT.has(rule.meta.id))
      .map((rule) => ({ id: rule.meta.id, rule, ...RULE_SETTINGS[rule.meta.id] })),
    ...TOKENOPS_RULES.map((rule) => ({ id: rule.meta.id, rule })),
  ],
};

/** Scan a whole text held in memory. Line and column are 1-based. */
export async function scanText(fileName: string, text: string): Promise<SecretFinding[]> {
  // A BOM is invisible in editors; dropping it keeps columns on line 1 as the operator sees them.
  return scanPiece(fileName, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { line: 1, column: 0 });
}

/** Where a piece of a larger text starts: 1-based line, 0-based column (non-zero only after a mid-line split). */
interface PieceOrigin {
  line: number;
  column: number;
}

/** Each lint gets its own synthetic path: secretlint keys performance marks by path, so two scans of one
 * name at once, or a name with a newline, made it throw from inside its timing code. */
let lintSeq = 0;

async function scanPiece(fileName: string, text: string, origin: PieceOrigin): Promise<SecretFinding[]> {
  if (text.length === 0) return [];
  const ext = extname(fileName).replace(/[^A-Za-z0-9.]/g, '');
  const result = await lintSource({
    source: { content: text, filePath: `tokenops-scan-${++lintSeq}${ext}`, ext, contentType: 'text' },
    // noPhysicFilePath: no rule may go and read `fileName` from disk; it is only a display name.
    options: { config: CONFIG, maskSecrets: true, noPhysicFilePath: true },
  });
  // Positions are computed here from the range, with one newline convention for every rule and piece.
  const messages = [...result.messages].sort((a, b) => a.range[0] - b.range[0]);
  const findings: SecretFinding[] = [];
  let line = origin.line;
  let lineStart = 0;
  let scanned = 0;
  for (const m of messages) {
    const at = m.range[0];
    for (let nl = text.indexOf('\n', scanned); nl !== -1 && nl < at; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    scanned = Math.max(scanned, at);
    const column = (line === origin.line ? origin.column : 0) + (at - lineStart) + 1;
    findings.push({
      file: fileName,
      rule: m.ruleId,
      line,
      column,
      message: labelFromSecretlintMessage(m.message),
      excerpt: maskSecret(text.slice(m.range[0], Math.max(m.range[1], m.range[0] + 1))),
    });
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

export type ScanStatus = 'clean' | 'findings' | 'unscannable';

export interface ScanResult {
  status: ScanStatus;
  findings: SecretFinding[];
  /** Why an unscannable file could not be checked; the operator must attest it instead. */
  reason?: string;
}

export const SNIFF_BYTES = 8 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
const MAX_OVERLAP = 64 * 1024;

/**
 * Decide text vs binary from the first bytes: a NUL byte or invalid UTF-8 means binary.
 * `whole` says the buffer is the entire file (then a cut-off multi-byte character is invalid too).
 */
export function sniffBinary(head: Uint8Array, whole: boolean): string | undefined {
  const nul = head.indexOf(0);
  if (nul !== -1) return `binary content (a NUL byte at offset ${nul})`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !whole });
  } catch {
    return 'not UTF-8 text (binary, or a legacy encoding such as UTF-16 or Latin-1)';
  }
  return undefined;
}

/**
 * Scan one file. Binary files are 'unscannable': we cannot see inside them, so the operator must
 * confirm they hold no secret. Text is streamed: memory stays bounded by `maxTextBytes` whatever the
 * file size, and pieces overlap by whole lines so a secret on a boundary (even a multi-line key)
 * is seen whole in at least one piece and reported once, at its true line.
 */
export async function scanFile(absPath: string, relName: string, opts: ScanFileOptions = {}): Promise<ScanResult> {
  const maxChars = Math.max(1024, Math.floor(opts.maxTextBytes ?? 32 * 1024 * 1024));
  const overlap = Math.min(MAX_OVERLAP, Math.floor(maxChars / 4));

  const binary = await sniffFile(absPath);
  if (binary) return unscannable(relName, binary);

  const seen = new Set<string>();
  const findings: SecretFinding[] = [];
  const keep = (found: SecretFinding[]) => {
    for (const f of found) {
      const key = `${f.rule}:${f.line}:${f.column}`;
      if (!seen.has(key)) {
        seen.add(key);
        findings.push(f);
      }
    }
  };

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
      keep(await scanPiece(relName, pending.slice(0, cut), { ...origin }));
      // Next piece starts at the beginning of the line `overlap` characters before the cut.
      let start = pending.lastIndexOf('\n', cut - overlap - 1) + 1;
      if (start === 0 || cut - start > 2 * overlap) start = notInsidePair(pending, cut - overlap);
      advance(start);
    }
  };

  const decoder = new TextDecoder('utf-8'); // not fatal past the sniff: a stray bad byte must not hide the rest
  const stream = createReadStream(absPath, { highWaterMark: READ_CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      pending += decoder.decode(chunk, { stream: true });
      await scanFullPieces();
    }
    pending += decoder.decode();
    await scanFullPieces();
    keep(await scanPiece(relName, pending, { ...origin }));
  } catch (e) {
    // Only file-system errors get the "could not read" wording; others are ours or secretlint's.
    throw (e as NodeJS.ErrnoException | undefined)?.code ? toReadError(e, absPath) : e;
  } finally {
    stream.destroy();
  }
  findings.sort(byPosition);
  return { status: findings.length > 0 ? 'findings' : 'clean', findings };
}

/**
 * Scan a file already read whole into memory (a small file on intake): the same verdict as `scanFile`
 * on the same bytes, without reading them again.
 */
export async function scanBytes(bytes: Uint8Array, relName: string): Promise<ScanResult & { text?: string }> {
  const binary = sniffBinary(bytes.subarray(0, SNIFF_BYTES), bytes.length <= SNIFF_BYTES);
  if (binary) return unscannable(relName, binary);
  // Not fatal past the sniff, as in scanFile; the decoder drops a BOM like an editor does.
  const text = new TextDecoder('utf-8').decode(bytes);
  const findings = (await scanPiece(relName, text, { line: 1, column: 0 })).sort(byPosition);
  return { status: findings.length > 0 ? 'findings' : 'clean', findings, text };
}

function unscannable(relName: string, why: string): ScanResult {
  return {
    status: 'unscannable',
    findings: [],
    reason: `${relName}: ${why}. TokenOps cannot check it for secrets; open it yourself and confirm it holds none before it is shared.`,
  };
}

async function sniffFile(absPath: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(absPath, 'r');
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    const size = (await handle.stat()).size;
    return sniffBinary(head.subarray(0, bytesRead), bytesRead >= size);
  } catch (e) {
    throw toReadError(e, absPath);
  } finally {
    await handle?.close();
  }
}

function byPosition(a: SecretFinding, b: SecretFinding): number {
  return a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : 1);
}

/** A split point that does not separate a UTF-16 surrogate pair. */
function notInsidePair(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

function throwIfCancelled(cancel: CancelToken | undefined, name: string): void {
  if (cancel?.cancelled) throw new TokenOpsError('cancelled', `The secret scan of ${name} was cancelled. Run it again to check the file.`);
}
