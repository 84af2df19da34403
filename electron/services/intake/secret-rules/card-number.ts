import type { DetectorHit, SecretDetector } from './detector';

/**
 * Payment card numbers (PAN). A 13–19 digit Luhn-valid number is common by chance (1 in 10), so we
 * also require a known issuer prefix with that issuer's lengths, and we refuse digit runs glued to
 * letters, dots or dashes of a longer token (hex digests, UUIDs, decimals, version strings, ids).
 * Unseparated runs must be 13–16 digits: 17–19 digit cards are printed in groups, while 17–19 digit
 * bare numbers in evidence are token amounts in base units (wei) or snowflake ids, not cards.
 */
const MAX_BARE_DIGITS = 16;

// Digit groups separated by one space or dash. Boundaries are checked in code (see isolated()).
const DIGIT_RUN = /\d+(?:[ -]\d+)*/g;

interface Issuer {
  /** Inclusive prefix ranges, compared on the same number of leading digits. */
  ranges: Array<[string, string]>;
  lengths: number[];
}

// Public IIN ranges of the major networks (ISO/IEC 7812; network documentation).
const ISSUERS: Issuer[] = [
  { ranges: [['4', '4']], lengths: [13, 16, 19] }, // Visa
  {
    ranges: [
      ['51', '55'],
      ['2221', '2720'],
    ],
    lengths: [16],
  }, // Mastercard
  {
    ranges: [
      ['34', '34'],
      ['37', '37'],
    ],
    lengths: [15],
  }, // American Express
  {
    ranges: [
      ['6011', '6011'],
      ['644', '649'],
      ['65', '65'],
    ],
    lengths: [16, 17, 18, 19],
  }, // Discover
  {
    ranges: [
      ['300', '305'],
      ['36', '36'],
      ['38', '39'],
    ],
    lengths: [14, 15, 16, 17, 18, 19],
  }, // Diners Club
  { ranges: [['3528', '3589']], lengths: [16, 17, 18, 19] }, // JCB
  { ranges: [['62', '62']], lengths: [16, 17, 18, 19] }, // UnionPay
  {
    ranges: [
      ['5018', '5018'],
      ['5020', '5020'],
      ['5038', '5038'],
      ['6304', '6304'],
      ['6759', '6759'],
      ['6761', '6763'],
    ],
    lengths: [13, 14, 15, 16, 17, 18, 19],
  }, // Maestro
];

function hasKnownIssuer(pan: string): boolean {
  return ISSUERS.some(
    (issuer) =>
      issuer.lengths.includes(pan.length) &&
      issuer.ranges.some(([lo, hi]) => {
        const prefix = pan.slice(0, lo.length);
        return prefix >= lo && prefix <= hi;
      }),
  );
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Printed layouts: 4-4-4-4(-1..3) and the like, or Amex/Diners 4-6-5 / 4-6-4. */
function plausibleGrouping(groups: string[]): boolean {
  if (groups.length === 1) return true;
  const lens = groups.map((g) => g.length);
  if (lens.slice(0, -1).every((n) => n === 4) && lens[lens.length - 1] <= 4) return true;
  return lens.length === 3 && lens[0] === 4 && lens[1] === 6 && (lens[2] === 5 || lens[2] === 4);
}

const WORD = /[0-9A-Za-z_]/;

/** The run is not part of a longer token: no word character, and no `-`/`.` leading into one. */
function isolated(text: string, start: number, end: number): boolean {
  const before = text[start - 1] ?? '';
  const after = text[end] ?? '';
  if (WORD.test(before) || WORD.test(after)) return false;
  if ((before === '-' || before === '.') && WORD.test(text[start - 2] ?? '')) return false;
  if ((after === '-' || after === '.') && WORD.test(text[end + 1] ?? '')) return false;
  return true;
}

export const cardNumberDetector: SecretDetector = {
  id: 'tokenops/card-number',
  label: 'payment card number',
  *detect(text: string): Iterable<DetectorHit> {
    for (const m of text.matchAll(DIGIT_RUN)) {
      const runStart = m.index ?? 0;
      const run = m[0];
      if (run.length < 13) continue;
      if (!isolated(text, runStart, runStart + run.length)) continue;
      // Split into groups with their offsets, so "Ref 2024 4111 1111 1111 1111" still finds the card.
      const groups: Array<{ digits: string; at: number; sep: string }> = [];
      for (const g of run.matchAll(/(\d+)([ -]?)/g))
        groups.push({ digits: g[1], at: runStart + (g.index ?? 0), sep: g[2] });
      let i = 0;
      while (i < groups.length) {
        const hit = longestCardFrom(groups, i);
        if (hit) {
          yield hit.range;
          i = hit.next;
        } else i++;
      }
    }
  },
};

function longestCardFrom(
  groups: Array<{ digits: string; at: number; sep: string }>,
  i: number,
): { range: DetectorHit; next: number } | undefined {
  let digits = '';
  let found: { range: DetectorHit; next: number } | undefined;
  for (let j = i; j < groups.length; j++) {
    // One card uses one kind of separator.
    if (j > i && groups[j - 1].sep !== groups[i].sep) break;
    digits += groups[j].digits;
    if (digits.length > 19) break;
    if (digits.length < 13) continue;
    const slice = groups.slice(i, j + 1).map((g) => g.digits);
    if (slice.length === 1 && digits.length > MAX_BARE_DIGITS) break;
    if (plausibleGrouping(slice) && passesLuhn(digits) && hasKnownIssuer(digits)) {
      found = { range: { start: groups[i].at, end: groups[j].at + groups[j].digits.length }, next: j + 1 };
    }
  }
  return found;
}
