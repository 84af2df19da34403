/**
 * Spreadsheet exports in the encodings Excel writes are read as text: UTF-16LE with a BOM ("Unicode
 * Text"), UTF-8 with a BOM ("CSV UTF-8") and Windows-1252 ("CSV" on a western Windows). Their rows are
 * read, and the secret scan sees their text instead of calling them binary.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvRecords } from '../../electron/services/intake/csv-records';
import { scanBytes, scanFile } from '../../electron/services/intake/secret-scan';
import { detectTextEncoding } from '../../electron/services/intake/text-encoding';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenops-encodings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LEDGER =
  'credit_entitlement_id,type,amount,balance_after,description\ncred_1,top_up,10,10,Prépayé 10 €\ncred_1,usage,-1,9,Résumé “agent”\n';
const KEY = 'sk_' + 'live_' + 'Zq8mR2vT5wY9bC3dF6gH1jK4lN7pQ0sU';

const encodings: Array<[string, Buffer, string]> = [
  ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(LEDGER, 'utf-16le')]), 'utf-16le'],
  ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(LEDGER, 'utf-16be')]), 'utf-16be'],
  ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LEDGER)]), 'utf-8'],
  ['Windows-1252', iconv.encode(LEDGER, 'windows-1252'), 'windows-1252'],
];

describe('text encodings of exports', () => {
  for (const [what, bytes, encoding] of encodings) {
    it(`${what}: detected, its rows read, and scanned as text`, async () => {
      expect(detectTextEncoding(bytes, true)).toBe(encoding);
      const path = join(dir, `${encoding}.csv`);
      await writeFile(path, bytes);
      const rows = [];
      for await (const r of readCsvRecords(path, `${encoding}.csv`)) rows.push(r);
      expect(rows.map((r) => r.problem)).toEqual([undefined, undefined]);
      expect(rows.map((r) => r.record)).toMatchObject([
        { kind: 'credit_ledger_entry', entry_type: 'grant', credits: 10, balance: 10 },
        { kind: 'credit_ledger_entry', entry_type: 'debit', credits: 1, balance: 9 },
      ]);
      expect((await scanFile(path, `${encoding}.csv`)).status).toBe('clean');
      expect((await scanBytes(bytes, `${encoding}.csv`)).status).toBe('clean');
    });
  }

  it('a key in a UTF-16 text file is found, not hidden behind "binary"', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`notes\nSTRIPE=${KEY}\n`, 'utf-16le')]);
    const path = join(dir, 'notes.txt');
    await writeFile(path, bytes);
    for (const r of [await scanFile(path, 'notes.txt'), await scanBytes(bytes, 'notes.txt')]) {
      expect(r.status).toBe('findings');
      expect(r.findings).toMatchObject([{ rule: 'tokenops/stripe-api-key', line: 2 }]);
    }
  });

  it('binary stays binary', () => {
    expect(
      detectTextEncoding(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3, 4, 5, 6, 7, 8, 9]), true),
    ).toBeUndefined();
    expect(detectTextEncoding(Buffer.from([0x01, 0x02, 0x03, 0xff, 0xfe, 0x00, 0x10, 0x11]), true)).toBeUndefined();
  });
});
