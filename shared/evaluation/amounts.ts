/**
 * Amounts with units. An amount is a decimal string and a unit (an ISO 4217 currency, a token asset, or
 * x402 atomic units of the payment's asset). Two amounts are compared only when their units are the
 * same; amounts of different units are never equal, and nothing is converted without a stated rate.
 * Comparison is exact decimal arithmetic on BigInt, never floating point.
 */
import type { Money } from '../domain/evidence';

/**
 * x402's SettlementResponse carries no asset: by the spec (coinbase/x402 specs/x402-specification-v2.md,
 * "SettlementResponse") its amount is in the atomic units of the asset of the requirements it settles.
 * The classifier writes that unit as this marker plus the network, so it compares only with an x402
 * request on the same network.
 */
export const X402_ATOMIC_PREFIX = 'x402-atomic@';

/** Normalised unit: currency codes and asset addresses compared case-insensitively. */
function unitKey(currency: string): string {
  return currency.trim().toLowerCase();
}

/** Parses `12`, `0.05`, `-3.10` into an integer and a scale; null for anything else. */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function parseDecimal(value: string): { int: bigint; scale: number } | null {
  const m = DECIMAL.exec(value.trim());
  if (!m) return null;
  const frac = m[3] ?? '';
  const int = BigInt(`${m[1]}${m[2]}${frac}`);
  return { int, scale: frac.length };
}

/** -1, 0, 1 when both parse; null when either is not a decimal. Units are the caller's business. */
export function compareDecimal(a: string, b: string): number | null {
  // The common case, amounts that agree as written, needs no big-integer arithmetic.
  if (a === b) return DECIMAL.test(a.trim()) ? 0 : null;
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return null;
  const scale = Math.max(x.scale, y.scale);
  const xi = x.int * 10n ** BigInt(scale - x.scale);
  const yi = y.int * 10n ** BigInt(scale - y.scale);
  return xi < yi ? -1 : xi > yi ? 1 : 0;
}

/**
 * The unit both amounts are in, when they are in one: the same currency or asset, or an x402
 * settlement's atomic units against an x402 request on that network (whatever its asset). Else null.
 */
export function commonUnit(
  request: Money & { network?: string },
  settled: Money & { network?: string },
): string | null {
  const a = unitKey(request.currency);
  const b = unitKey(settled.currency);
  if (a === b) return request.currency;
  if (
    b.startsWith(X402_ATOMIC_PREFIX.toLowerCase()) &&
    request.network &&
    b === unitKey(`${X402_ATOMIC_PREFIX}${request.network}`)
  ) {
    return `atomic units of ${request.currency}`;
  }
  return null;
}

export function formatMoney(m: Money): string {
  return `${m.value} ${m.currency}`;
}
