import type { DetectorHit, SecretDetector } from './detector';

/**
 * IBANs (ISO 13616). A country code and two digits are everywhere ("ID12", "PO45"); what makes an
 * IBAN is the country's exact length and the ISO 7064 mod 97-10 check (1 in 97 by chance), so both
 * are required. Uppercase only, as printed by banks; electronic form or printed in groups of four.
 */

// SWIFT IBAN registry: country → total length.
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

const START = /(?<![A-Za-z0-9])([A-Z]{2})\d{2}/g;
const ALNUM = /[A-Z0-9]/;

/** ISO 7064 mod 97-10 over the rearranged IBAN (country and check digits moved to the end). */
export function ibanChecksumOk(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48; // A=10 … Z=35
    rem = (value >= 10 ? rem * 100 + value : rem * 10 + value) % 97;
  }
  return rem === 1;
}

/** Reads exactly `length` characters from `start`, compact or spaced every four; else undefined. */
function readIban(text: string, start: number, length: number): { iban: string; end: number } | undefined {
  let iban = '';
  let spaced: boolean | undefined;
  let i = start;
  while (iban.length < length) {
    if (iban.length > 0 && iban.length % 4 === 0) {
      const space = text[i] === ' ';
      if (spaced === undefined) spaced = space;
      else if (spaced !== space) return undefined;
      if (space) i++;
    }
    const ch = text[i];
    if (ch === undefined || !ALNUM.test(ch)) return undefined;
    iban += ch;
    i++;
  }
  // The IBAN must end here, not run on into a longer token.
  if (/[A-Za-z0-9]/.test(text[i] ?? '')) return undefined;
  return { iban, end: i };
}

export const ibanDetector: SecretDetector = {
  id: 'tokenops/iban',
  label: 'bank account number (IBAN)',
  *detect(text: string): Iterable<DetectorHit> {
    for (const m of text.matchAll(START)) {
      const length = IBAN_LENGTHS[m[1]];
      if (!length) continue;
      const start = m.index ?? 0;
      const found = readIban(text, start, length);
      if (found && ibanChecksumOk(found.iban)) yield { start, end: found.end };
    }
  },
};
