/**
 * Text -> JSON value for classification: a JSON document, or an x402 header value pasted alone
 * (base64 JSON, optionally with its header name: `PAYMENT-RESPONSE: eyJ…`, `X-PAYMENT: …`).
 * Header names from coinbase/x402 specs/transports-v1/http.md and specs/transports-v2/http.md.
 * Pure: no Buffer, so it runs in the renderer and the workers alike (TextDecoder is a global in each).
 */
import { TokenOpsError } from '../errors';
import { decodeBase64Strict } from '../base64';
import { findDuplicateKey } from './duplicate-keys';

const HEADER_NAMES = ['payment-required', 'payment-signature', 'payment-response', 'x-payment-response', 'x-payment'];
const HEADER_LINE = new RegExp(`^(${HEADER_NAMES.join('|')})\\s*:\\s*(\\S+)$`, 'i');
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses evidence text; throws `input_invalid` with the file name, line and column when the JSON is malformed.
 * `duplicateKeys: 'caller'` leaves the duplicate-key check to the caller (`checkDuplicateKeys`), who runs it
 * only when the value turns out to hold records: on a 50 KiB log it costs about as much as the parse.
 */
export function parseEvidenceText(
  text: string,
  fileName?: string,
  opts: { duplicateKeys?: 'check' | 'caller' } = {},
): unknown {
  const where = fileName ?? 'the text';
  const body = text.replace(/^\uFEFF/, '').trim();
  if (!body)
    throw new TokenOpsError(
      'input_invalid',
      `${where} is empty: expected a JSON evidence record or a provider object.`,
    );

  const header = HEADER_LINE.exec(body);
  if (header) {
    const decoded = decodeBase64Json(header[2]);
    if (decoded === undefined) {
      throw new TokenOpsError('input_invalid', `${where}: the ${header[1]} header value is not base64-encoded JSON.`, {
        file: fileName,
      });
    }
    return decoded;
  }
  // A bare header value: JSON never starts with a letter other than t/f/n, and `eyJ` is base64 for `{"`.
  if (BASE64.test(body) && body.length >= 8 && !/^(true|false|null)$/.test(body)) {
    const decoded = decodeBase64Json(body);
    if (decoded !== undefined) return decoded;
  }

  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    // Locate the error against the original text (BOM excluded), so line and column match an editor.
    const original = text.replace(/^\uFEFF/, '');
    const found = locateJsonError(original);
    const pos = found?.offset ?? null;
    const { line, column } = pos === null ? { line: null, column: null } : lineColumn(original, pos);
    const what = found?.message ?? (e instanceof Error ? e.message : String(e));
    const at = line !== null ? ` at line ${line}, column ${column}` : '';
    throw new TokenOpsError(
      'input_invalid',
      `${where} is not valid JSON${at}: ${what}. Fix the file and add it again.`,
      {
        file: fileName,
        line,
        column,
      },
    );
  }
  if (opts.duplicateKeys !== 'caller') checkDuplicateKeys(text, fileName);
  return value;
}

/** Throws `input_invalid` naming the key, line and column when one object of this JSON text names a key twice. */
export function checkDuplicateKeys(text: string, fileName?: string): void {
  const original = text.replace(/^\uFEFF/, '');
  const body = original.trim();
  const dup = findDuplicateKey(body);
  if (!dup) return;
  const { line, column } = lineColumn(original, original.indexOf(body) + dup.offset);
  throw new TokenOpsError(
    'input_invalid',
    `${fileName ?? 'the text'} names the key "${dup.key}" twice in one object (second at line ${line}, column ${column}): the record is ambiguous, ` +
      `since readers disagree on which value counts. Keep one "${dup.key}" and add it again.`,
    { file: fileName, line, column },
  );
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class JsonSyntax extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A strict JSON scanner run only after JSON.parse failed: V8's messages do not always give a position
 * (e.g. `Unexpected token '}', "{"a": }" is not valid JSON`), and people need a line and column.
 */
function locateJsonError(text: string): { offset: number; message: string } | null {
  let i = 0;
  const n = text.length;
  const describe = (at: number) => (at >= n ? 'end of input' : `'${text[at] === '\n' ? '\\n' : text[at]}'`);
  const fail = (message: string): never => {
    throw new JsonSyntax(i, message);
  };
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const literal = (word: string) => {
    const start = i;
    const got = text.slice(start, start + word.length);
    if (got !== word)
      fail(`unexpected ${JSON.stringify(/^\w*/.exec(text.slice(start, start + 20))?.[0] || got)} (expected ${word})`);
    i += word.length;
  };
  const string = () => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail('control character or line break inside a string (missing closing quote?)');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i++;
            fail('invalid \\u escape in string');
          }
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          i++;
          fail(`invalid escape \\${e ?? ''} in string`);
        }
        i += 2;
        continue;
      }
      i++;
    }
    fail('unterminated string');
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(`unexpected ${describe(i)}`);
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    if (depth > 5000) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a double-quoted property name, found ${describe(i)}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ':' after property name, found ${describe(i)}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}' after a property value, found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']' after an array element, found ${describe(i)}`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail(`unexpected ${describe(i)} where a value was expected`);
  };
  try {
    value(0);
    ws();
    if (i < n) fail(`unexpected ${describe(i)} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (e instanceof JsonSyntax) return { offset: e.offset, message: e.message };
    return null; // e.g. stack exhaustion on absurd nesting: JSON.parse's own message is used instead
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decoding; undefined on any malformed sequence (then it was not text). */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A base64 header value decoded to a JSON object or array; undefined when it is anything else. */
export function decodeBase64Json(s: string): unknown {
  const bytes = decodeBase64Strict(s.trim());
  if (!bytes) return undefined;
  const text = utf8(bytes);
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}
