import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvRecords, type CsvRecordRow } from '../../electron/services/intake/csv-records';
import { validate } from '../../shared/validate';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenops-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(name: string, text: string): Promise<CsvRecordRow[]> {
  const path = join(dir, name);
  await writeFile(path, text);
  const out: CsvRecordRow[] = [];
  for await (const r of readCsvRecords(path, name)) out.push(r);
  for (const r of out)
    if (r.record) expect(validate('evidence_record', r.record), JSON.stringify(r.record)).toEqual({ ok: true });
  return out;
}

const SHA_A = 'a'.repeat(64);
const SHA_B = '0123456789abcdef'.repeat(4);

describe('readCsvRecords', () => {
  it('credit ledger export -> credit_ledger_entry per row', async () => {
    const rows = await readAll(
      'ledger.csv',
      '\uFEFFEntry ID,credit_entitlement_id,entry_type,credits,balance,recorded_at\r\n' +
        'led_0001,cred_demo_tokenops_001,grant,10,10,2026-06-02T08:00:00Z\r\n' +
        '\r\n' +
        'led_0002,cred_demo_tokenops_001,debit,1,10,\r\n',
    );
    expect(rows).toEqual([
      {
        row: 1,
        format: 'csv_credit_ledger',
        record: {
          kind: 'credit_ledger_entry',
          entry_id: 'led_0001',
          credit_entitlement_id: 'cred_demo_tokenops_001',
          entry_type: 'grant',
          credits: 10,
          balance: 10,
          recorded_at: '2026-06-02T08:00:00Z',
        },
      },
      {
        row: 2,
        format: 'csv_credit_ledger',
        record: {
          kind: 'credit_ledger_entry',
          entry_id: 'led_0002',
          credit_entitlement_id: 'cred_demo_tokenops_001',
          entry_type: 'debit',
          credits: 1,
          balance: 10,
        },
      },
    ]);
  });

  it('Stripe credit balance transactions (flattened) -> credit_ledger_entry, monetary amounts as funding', async () => {
    const rows = await readAll(
      'stripe-credit-balance-transactions.csv',
      'id,type,credit_grant,debit.amount.monetary.value,currency,effective_at,invoice\n' +
        'cbtxn_test_0001,debit,credgr_test_0001,100,usd,1780390800,in_1Demo0001\n',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      row: 1,
      format: 'csv_stripe_credit_balance_transactions',
      record: {
        kind: 'credit_ledger_entry',
        entry_id: 'cbtxn_test_0001',
        credit_entitlement_id: 'credgr_test_0001',
        entry_type: 'debit',
        // Stripe billing credits are monetary: 100 minor units are 1.00 USD, not 100 credits.
        funding: { value: '1.00', currency: 'USD' },
        provider: 'stripe',
        provider_reference: 'in_1Demo0001',
        recorded_at: '2026-06-02T09:00:00.000Z',
      },
    });
    // Stripe does not state a debit's remaining balance: none is invented.
    expect(rows[0].record).not.toHaveProperty('balance');
    expect(rows[0].note).toMatch(/does not state the remaining balance/);
  });

  it('usage export -> usage_receipt per row', async () => {
    const rows = await readAll(
      'usage.csv',
      'receipt_id,work_order_id,credit_entitlement_id,credits_debited,remaining_credits,result_url\n' +
        'usage_demo_20260602_001,wo_demo_001,cred_demo_tokenops_001,1,9,https://results.example.test/r/1\n',
    );
    expect(rows).toEqual([
      {
        row: 1,
        format: 'csv_usage_receipts',
        record: {
          kind: 'usage_receipt',
          receipt_id: 'usage_demo_20260602_001',
          work_order_id: 'wo_demo_001',
          credit_entitlement_id: 'cred_demo_tokenops_001',
          credits_debited: 1,
          remaining_credits: 9,
          result_url: 'https://results.example.test/r/1',
        },
      },
    ]);
  });

  it('file manifest -> ONE files record', async () => {
    const rows = await readAll(
      'manifest.csv',
      `name,size,sha256,media_type\nsettlement.json,1200,${SHA_A},application/json\n"usage, June.csv",88,${SHA_B.toUpperCase()},text/csv\n`,
    );
    expect(rows).toEqual([
      {
        format: 'csv_file_manifest',
        record: {
          kind: 'files',
          manifest_id: 'csv_manifest:manifest.csv',
          files: [
            { name: 'settlement.json', size: 1200, sha256: SHA_A, media_type: 'application/json' },
            { name: 'usage, June.csv', size: 88, sha256: SHA_B, media_type: 'text/csv' },
          ],
        },
      },
    ]);
  });

  it('bad rows are reported with row number and column, never dropped', async () => {
    const rows = await readAll(
      'ledger-bad.csv',
      'entry_id,credit_entitlement_id,entry_type,credits,balance\n' +
        'led_1,cred_1,grant,10,10\n' +
        'led_2,cred_1,debit,abc,10\n' +
        'led_3,,grant,5,5\n' +
        'led_4,cred_1,refund,1,1\n' +
        'led_5,cred_1,grant,1,1,surplus\n',
    );
    expect(rows.map((r) => (r.record ? `ok ${r.row}` : r.problem))).toEqual([
      'ok 1',
      'row 2: column credits has "abc", which is not a whole number of at least 0',
      'row 3: column credit_entitlement_id is empty',
      'row 4: column entry_type has "refund", which is not one of grant, balance, debit, account',
      'row 5: has 6 fields but the header names 5',
    ]);
    const manifest = await readAll(
      'manifest-bad.csv',
      `name,size,sha256,media_type\na.json,12,${SHA_A},application/json\nb.json,-1,nothex,text/plain\n`,
    );
    expect(manifest[0]).toMatchObject({
      row: 2,
      problem:
        'row 2: column size has "-1", which is not a whole number of bytes; column sha256 has "nothex", which is not 64 hexadecimal characters',
    });
    expect(manifest[1].record).toMatchObject({ kind: 'files', files: [{ name: 'a.json' }] });
  });

  it('unknown headers -> a single problem naming found and expected headers', async () => {
    const rows = await readAll('other.csv', 'date,description,amount\n2026-06-01,coffee,3.50\n2026-06-02,tea,2.00\n');
    expect(rows).toHaveLength(1);
    expect(rows[0].row).toBeUndefined();
    expect(rows[0].problem).toMatch(
      /^CSV headers not recognised: found date, description, amount; expected one of: credit ledger export \(credit_entitlement_id, entry_type, credits, balance; or a synonym of each, e\.g\. entitlement_id, type, credit_amount, balance_after\)/,
    );
    expect(rows[0].problem).toMatch(
      /usage export \(receipt_id, credits_debited, remaining_credits; or a synonym of each/,
    );
    expect(rows[0].problem).toMatch(/file manifest \(name, size, sha256, media_type\)/);
  });

  it('a ledger export in the names billing systems use is read: type and amount, balance_after, reference, no entry id', async () => {
    const rows = await readAll(
      'credits-export.csv',
      'recorded_at,credit_entitlement_id,entry_type,credits,balance_after,reference\n' +
        '2026-06-01T10:00:00Z,cred_e2e_001,top_up,10,10,inv_001\n' +
        '2026-06-01T10:05:00Z,cred_e2e_001,usage,-1,9,run_42\n',
    );
    expect(rows.map((r) => r.problem)).toEqual([undefined, undefined]);
    expect(rows.map((r) => r.record)).toEqual([
      {
        kind: 'credit_ledger_entry',
        entry_id: 'credits-export.csv#1',
        credit_entitlement_id: 'cred_e2e_001',
        entry_type: 'grant',
        credits: 10,
        balance: 10,
        provider_reference: 'inv_001',
        recorded_at: '2026-06-01T10:00:00Z',
      },
      {
        kind: 'credit_ledger_entry',
        entry_id: 'credits-export.csv#2',
        credit_entitlement_id: 'cred_e2e_001',
        entry_type: 'debit',
        credits: 1,
        balance: 9,
        provider_reference: 'run_42',
        recorded_at: '2026-06-01T10:05:00Z',
      },
    ]);
    const usage = await readAll('usage.csv', 'Usage ID,Credits Used,Credits Remaining,Work Order\nu_1,1,9,wo_1\n');
    expect(usage[0].record).toMatchObject({
      kind: 'usage_receipt',
      receipt_id: 'u_1',
      credits_debited: 1,
      remaining_credits: 9,
      work_order_id: 'wo_1',
    });
  });

  it("reads semicolon exports, with or without Excel's sep= line", async () => {
    for (const text of [
      'sep=;\r\nreceipt_id;credits_debited;remaining_credits\r\nr1;1;9\r\n',
      'receipt_id;credits_debited;remaining_credits\nr1;1;9\n',
    ]) {
      const rows = await readAll('semi.csv', text);
      expect(rows.map((r) => r.record)).toEqual([
        { kind: 'usage_receipt', receipt_id: 'r1', credits_debited: 1, remaining_credits: 9 },
      ]);
    }
  });

  it('a problem names the column as the export spells it', async () => {
    const rows = await readAll('bad.csv', 'credit_entitlement_id,type,amount,balance_after\ncred_1,debit,lots,9\n');
    expect(rows[0].problem).toMatch(/row 1: column amount has "lots", which is not/);
  });

  it('a near miss says which columns are lacking; empty and header-only files are named', async () => {
    const near = await readAll('near.csv', 'receipt_id,credits_debited\nr1,1\n');
    expect(near[0].problem).toMatch(/closest to a usage export but lacks remaining_credits/);
    expect((await readAll('empty.csv', ''))[0].problem).toMatch(/is empty/);
    expect((await readAll('header-only.csv', 'receipt_id,credits_debited,remaining_credits\n'))[0].problem).toMatch(
      /usage export header but no rows/,
    );
  });

  it('streams a generated 200k-row ledger CSV', async () => {
    const path = join(dir, 'big-ledger.csv');
    const out = createWriteStream(path);
    out.write('entry_id,credit_entitlement_id,entry_type,credits,balance\n');
    const ROWS = 200_000;
    for (let i = 1; i <= ROWS; i++) {
      if (!out.write(`led_${i},cred_demo_tokenops_001,debit,1,${ROWS - i + 1}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    let records = 0;
    let problems = 0;
    let lastRow = 0;
    for await (const r of readCsvRecords(path, 'big-ledger.csv')) {
      if (r.record) records++;
      if (r.problem) problems++;
      lastRow = r.row ?? lastRow;
    }
    expect({ records, problems, lastRow }).toEqual({ records: ROWS, problems: 0, lastRow: ROWS });
  });

  it('keeps multi-byte characters intact across read boundaries', async () => {
    // The file is read in 1 MiB pieces: place a 3-byte character across the first boundary.
    const header = 'receipt_id,credits_debited,remaining_credits\n';
    const filler = `r${'x'.repeat(1024 * 1024 - 1 - header.length - 1 - ',1,1\n'.length)},1,1\n`;
    const rows = await readAll('unicode.csv', `${header}${filler}€€€ receipt,1,2\nr3,1,3\n`);
    expect(Buffer.byteLength(header + filler)).toBe(1024 * 1024 - 1);
    expect(
      rows.map((r) => (r.record?.kind === 'usage_receipt' ? r.record.receipt_id.slice(0, 12) : r.problem)),
    ).toEqual(['rxxxxxxxxxxx', '€€€ receipt', 'r3']);
  });

  it('stopping early releases the file', async () => {
    const path = join(dir, 'stop.csv');
    await writeFile(
      path,
      'receipt_id,credits_debited,remaining_credits\n' + Array.from({ length: 1000 }, (_, i) => `r${i},1,1`).join('\n'),
    );
    for await (const r of readCsvRecords(path, 'stop.csv')) {
      expect(r.row).toBe(1);
      break;
    }
  });

  it('a missing file is not_found', async () => {
    const it = readCsvRecords(join(dir, 'nope.csv'), 'nope.csv');
    await expect(it.next()).rejects.toMatchObject({ code: 'not_found' });
  });
});
