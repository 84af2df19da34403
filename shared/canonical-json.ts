/**
 * Deterministic JSON: object keys sorted by UTF-16 code units, no whitespace, numbers and strings
 * as ECMAScript's JSON.stringify writes them (the same rules as RFC 8785 / JCS for JSON-safe data).
 * Hashes and signatures are taken over this text, so the same value must always give the same bytes.
 *
 * Unlike JSON.stringify it refuses what would silently change or lose data: NaN/Infinity, bigint,
 * Map/Set, cycles, and `undefined` inside arrays. `undefined` object properties are left out, as
 * JSON does, so optional fields can be passed as `undefined`.
 */
import { TokenOpsError } from './errors';

export function canonicalJson(value: unknown): string {
  const out = write(value, '$', []);
  if (out === undefined) refuse('$', 'undefined', 'the value itself is undefined');
  return out;
}

function write(value: unknown, path: string, ancestors: object[]): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) refuse(path, String(value), 'JSON has no NaN or Infinity');
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      refuse(path, 'a bigint', 'convert it to a string or a safe integer first');
  }
  const obj = value as object;
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
    return write((obj as { toJSON(key: string): unknown }).toJSON(''), path, ancestors);
  }
  if (obj instanceof Map || obj instanceof Set) {
    refuse(path, obj instanceof Map ? 'a Map' : 'a Set', 'convert it to a plain object or array first');
  }
  if (ancestors.includes(obj)) refuse(path, 'a cycle', 'the value refers to itself');
  ancestors.push(obj);
  try {
    if (Array.isArray(obj)) {
      const items = obj.map((item, i) => {
        const text = write(item, `${path}[${i}]`, ancestors);
        if (text === undefined)
          refuse(`${path}[${i}]`, typeof item, 'arrays cannot hold undefined or functions in JSON');
        return text;
      });
      return `[${items.join(',')}]`;
    }
    const record = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const text = write(record[key], `${path}.${key}`, ancestors);
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    ancestors.pop();
  }
}

function refuse(path: string, what: string, why: string): never {
  throw new TokenOpsError('input_invalid', `Cannot write ${what} at ${path} as canonical JSON: ${why}.`, { path });
}
