/**
 * files.csvPreview and files.mapColumns: a CSV export whose headers TokenOps does not know (a German
 * billing system's ledger) is previewed, mapped by the operator, read as credit ledger records, and
 * the mapping is remembered; a mapping that does not fit changes nothing and says why.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTokenOps } from '../../electron/services/tokenops';
import { GERMAN_LEDGER_MAPPING, germanLedgerCsv } from '../fixtures/german-ledger-export';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function temp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'tokenops-csv-map-'));
  dirs.push(d);
  return d;
}

const GERMAN = germanLedgerCsv('cred_demo_tokenops_001', [
  '2026-06-02T10:15:00Z;cred_demo_tokenops_001;debit;-1;9;stl_demo_20260602_002',
]);
const MAPPING = GERMAN_LEDGER_MAPPING;

async function withGermanLedger(
  fn: (t: Awaited<ReturnType<typeof openTokenOps>>, runId: string, fileId: string, home: string) => Promise<void>,
) {
  const home = await temp();
  const src = join(await temp(), 'kontoauszug.csv');
  await writeFile(src, `${GERMAN}\n`);
  const t = await openTokenOps({ home });
  try {
    const { run } = await t.handlers['runs.create']({ title: 'german ledger' });
    const { report } = await t.handlers['evidence.addFiles']({ run_id: run.run_id, paths: [src] });
    const file = report.added_files[0];
    expect(file.problem).toMatch(/^CSV headers not recognised/);
    await fn(t, run.run_id, file.file_id, home);
  } finally {
    await t.close();
  }
}

describe('files.csvPreview', () => {
  it('shows the headers as written, the first rows and the fields of each layout', async () => {
    await withGermanLedger(async (t, run_id, file_id) => {
      const p = await t.handlers['files.csvPreview']({ run_id, file_id });
      expect(p.headers).toEqual([
        'Buchungsdatum',
        'Berechtigung',
        'Buchungsart',
        'Menge',
        'Saldo nach Buchung',
        'Referenz',
      ]);
      expect(p.rows).toHaveLength(2);
      expect(p.rows[1]).toEqual([
        '2026-06-02T10:15:00Z',
        'cred_demo_tokenops_001',
        'debit',
        '-1',
        '9',
        'stl_demo_20260602_002',
      ]);
      expect(p.fields.credit_ledger).toContain('balance');
      expect(p.required.credit_ledger).toEqual(['credit_entitlement_id', 'entry_type', 'credits', 'balance']);
      expect(p.required.usage_receipts).toEqual(['receipt_id', 'credits_debited', 'remaining_credits']);
      // Nothing German is a synonym: no guess.
      expect(p.suggestion).toBeNull();
    });
  });
});

describe('files.mapColumns', () => {
  it('reads the file as credit ledger records with a good mapping, and remembers it', async () => {
    await withGermanLedger(async (t, run_id, file_id, home) => {
      const view = await t.handlers['files.mapColumns']({ run_id, file_id, mapping: MAPPING });
      const file = view.run.files.find((f) => f.file_id === file_id)!;
      expect(file.problem).toBeUndefined();
      expect(file.classified_as).toEqual({ kind: 'credit_ledger_entry', format: 'csv_credit_ledger', records: 2 });
      const records = view.run.evidence.filter((e) => e.file_id === file_id);
      expect(records.map((e) => e.row)).toEqual([1, 2]);
      expect(records[1].record).toMatchObject({
        kind: 'credit_ledger_entry',
        credit_entitlement_id: 'cred_demo_tokenops_001',
        entry_type: 'debit',
        credits: 1,
        balance: 9,
      });
      const remembered = JSON.parse(await readFile(join(home, 'csv-mappings.json'), 'utf8'));
      expect(Object.values(remembered.mappings)).toEqual([MAPPING]);

      // Mapped again: the file's records are replaced, not doubled.
      const again = await t.handlers['files.mapColumns']({ run_id, file_id, mapping: MAPPING });
      expect(again.run.evidence.filter((e) => e.file_id === file_id)).toHaveLength(2);
      // And the preview now suggests the remembered mapping.
      expect((await t.handlers['files.csvPreview']({ run_id, file_id })).suggestion).toEqual(MAPPING);
    });
  });

  it('refuses a mapping that is not usable with a clear error, and changes nothing', async () => {
    await withGermanLedger(async (t, run_id, file_id, home) => {
      const before = await t.handlers['runs.get']({ run_id });
      const missing = { layout: 'credit_ledger' as const, columns: { credits: 'Menge', balance: 'Menge' } };
      await expect(t.handlers['files.mapColumns']({ run_id, file_id, mapping: missing })).rejects.toMatchObject({
        code: 'input_invalid',
        message: expect.stringMatching(
          /maps no column to credit_entitlement_id, entry_type; maps column menge to two fields/,
        ),
      });
      const absent = { ...MAPPING, columns: { ...MAPPING.columns, balance: 'Kontostand' } };
      await expect(t.handlers['files.mapColumns']({ run_id, file_id, mapping: absent })).rejects.toMatchObject({
        code: 'input_invalid',
        message: expect.stringMatching(/names "Kontostand" \(balance\), which is not a column of the file/),
      });
      // Every header exists, but the amounts are in the wrong columns: no row reads.
      const swapped = {
        layout: 'credit_ledger' as const,
        columns: {
          credit_entitlement_id: 'Berechtigung',
          entry_type: 'Buchungsart',
          credits: 'Referenz',
          balance: 'Buchungsdatum',
        },
      };
      await expect(t.handlers['files.mapColumns']({ run_id, file_id, mapping: swapped })).rejects.toMatchObject({
        code: 'input_invalid',
        message: expect.stringMatching(
          /reads as no credit ledger row: row 1: column referenz has .*Nothing was changed/,
        ),
      });
      const after = await t.handlers['runs.get']({ run_id });
      expect(after.run.files).toEqual(before.run.files);
      expect(after.run.evidence).toEqual(before.run.evidence);
      await expect(readFile(join(home, 'csv-mappings.json'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
});
