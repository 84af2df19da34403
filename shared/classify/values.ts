/**
 * Small, pure readers for untrusted JSON values. Mappers use these instead of casts so a provider
 * object with an unexpected type yields "no such field" rather than a wrong record.
 */
import type { Money } from '../domain/evidence';
import type { ClassifiedRecord, ClassifyResult } from './types';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function obj(v: unknown): Obj | undefined {
  return isObj(v) ? v : undefined;
}

/** A whole number >= 0 (credits are whole units), from a number or a digit string. */
export function wholeCount(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) {
    const n = Number(v.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** A Stripe-style expandable field: either the id string or the expanded object's id. */
export function idOf(v: unknown): string | undefined {
  return str(v) ?? str(obj(v)?.id);
}

/** Copies only the defined values, so optional fields are absent rather than `undefined` (schemas are strict). */
export function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Unix seconds (Stripe timestamps) as an RFC 3339 string. */
export function unixToIso(v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const d = new Date(v * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A JSON number as a plain decimal string (never exponent notation: the schema's decimal pattern forbids it). */
function numberToDecimal(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(s);
  if (!m) return s;
  // Shift the decimal point of JS's shortest round-trip digits: exact, no binary noise from toFixed.
  const [, sign, int, frac = '', expText] = m;
  const digits = int + frac;
  const point = int.length + Number(expText);
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  out = out.replace(/^0+(?=\d)/, '');
  if (out.includes('.')) out = out.replace(/\.?0+$/, '');
  return sign + out;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A decimal amount from a number or a decimal string; undefined when it is neither. */
export function decimal(v: unknown): string | undefined {
  if (typeof v === 'number') return numberToDecimal(v);
  if (typeof v === 'string' && DECIMAL.test(v.trim())) return v.trim();
  return undefined;
}

/**
 * Stripe amounts are integers in the currency's minor unit. Exponents from Stripe's currency guide
 * (docs.stripe.com/currencies): zero-decimal and three-decimal currencies; every other currency has 2.
 */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

function currencyExponent(currency: string): number {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** Integer minor units -> decimal string with the currency's exponent, by string arithmetic (no float rounding). */
export function minorUnitsToDecimal(minor: unknown, currency: string): string | undefined {
  let digits: string;
  if (typeof minor === 'number' && Number.isSafeInteger(minor)) digits = String(minor);
  else if (typeof minor === 'string' && /^-?\d+$/.test(minor.trim())) digits = minor.trim();
  else return undefined;
  const negative = digits.startsWith('-');
  if (negative) digits = digits.slice(1);
  const exp = currencyExponent(currency);
  if (exp > 0) {
    digits = digits.padStart(exp + 1, '0');
    digits = `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
  }
  digits = digits.replace(/^0+(?=\d)/, '');
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

/** Stripe money (`amount` in minor units + lowercase `currency`) as our Money. */
export function stripeMoney(amount: unknown, currency: unknown): Money | undefined {
  const cur = str(currency);
  if (!cur) return undefined;
  const value = minorUnitsToDecimal(amount, cur);
  return value === undefined ? undefined : { value, currency: cur.toUpperCase() };
}

/**
 * A short deterministic identifier for objects that carry none (x402 requirements):
 * cyrb53, a 53-bit string hash, as 14 hex digits. Not for security, only for lining records up.
 */
export function shortHash(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** "keys a, b, c" for messages, capped so a huge object does not flood the open items. */
function describeKeys(o: Obj, max = 12): string {
  const keys = Object.keys(o);
  if (keys.length === 0) return 'no keys';
  const shown = keys.slice(0, max).join(', ');
  return `keys ${shown}${keys.length > max ? ` and ${keys.length - max} more` : ''}`;
}

export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `JSON array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (isObj(v)) return `JSON object with ${describeKeys(v)}`;
  if (v === null) return 'JSON null';
  return `JSON ${typeof v}`;
}

export function recognised(records: ClassifiedRecord[], extra: Partial<ClassifyResult> = {}): ClassifyResult {
  return { records, unrecognised: null, ...extra };
}

export function notEvidence(reason: string): ClassifyResult {
  return { records: [], unrecognised: reason };
}
