/**
 * A CSV export is read as records up to 100,000 rows; a larger one is kept as a file with a note that
 * says what to add instead, and none of its rows become records (bounded memory, whatever the export).
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examineFile } from '../../electron/services/intake/examine-file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenops-csv-limit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function examineLedger(rows: number) {
  const path = join(dir, `ledger-${rows}.csv`);
  const lines = Array.from({ length: rows }, (_, i) => `cle_${i},cred_demo_tokenops_001,debit,1,${10_000_000 - i}`);
  await writeFile(path, `entry_id,credit_entitlement_id,entry_type,credits,balance\n${lines.join('\n')}\n`);
  return examineFile({ path, size: (await stat(path)).size }, `ledger-${rows}.csv`);
}

describe('CSV exports and the record limit', () => {
  it('100,000 rows are 100,000 records', async () => {
    const { reading } = await examineLedger(100_000);
    expect(reading.records).toHaveLength(100_000);
    expect(reading.classified_as).toMatchObject({ kind: 'credit_ledger_entry', records: 100_000 });
    expect(reading.problem).toBeUndefined();
  });

  it('100,001 rows: kept as a file, no records, and a note saying what to add instead', async () => {
    const { reading, scan } = await examineLedger(100_001);
    expect(reading.records).toHaveLength(0);
    expect(reading.classified_as).toBeNull();
    expect(reading.problem).toBe(
      'CSV export of more than 100,000 rows: kept as a file, not read as records. Export the rows of this run only (for example those of its credit entitlement) and add that file.',
    );
    expect(scan.status).toBe('clean'); // the file is still scanned whole
  });
});
