/**
 * A credit ledger exported with headers TokenOps does not know (a German billing system's) is kept as a
 * file with a problem that says how to map it; `pack --csv-map MAPPING.json` reads it, and the mapping is
 * remembered in the data folder: the next export with the same headers is read without being asked.
 * The built CLI, so the CSV is read on an intake worker like a real pack.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GERMAN_LEDGER_MAPPING, germanLedgerCsv } from '../fixtures/german-ledger-export';
import { cleanupTemps, ROOT, runCli, tempDir } from './helpers';

afterAll(cleanupTemps);

const CORPUS = path.join(ROOT, 'test', 'corpus', 'csv-ledger');
const MAPPING = GERMAN_LEDGER_MAPPING;

async function evidenceFolder(): Promise<string> {
  const dir = await tempDir();
  await cp(CORPUS, dir, { recursive: true });
  await rm(path.join(dir, 'credit-ledger-export.csv'));
  await writeFile(path.join(dir, 'kontoauszug.csv'), `${germanLedgerCsv()}\n`);
  return dir;
}

describe('a CSV export with unknown headers', () => {
  it('asks for a mapping, packs with --csv-map, and is read unasked the next time', async () => {
    const home = await tempDir();
    const out = await tempDir();

    const unmapped = await runCli(['pack', await evidenceFolder(), '--out', path.join(out, 'a.zip'), '--json'], {
      home,
    });
    expect(unmapped.code).toBe(1);
    const file = unmapped.json.intake.unread.find((f: { name: string }) => f.name === 'kontoauszug.csv');
    expect(file.problem).toMatch(/CSV headers not recognised: found buchungsdatum, berechtigung/);
    expect(file.problem).toMatch(/--csv-map MAPPING\.json/);

    const mapFile = path.join(out, 'mapping.json');
    await writeFile(mapFile, JSON.stringify(MAPPING));
    const mapped = await runCli(
      ['pack', await evidenceFolder(), '--out', path.join(out, 'b.zip'), '--csv-map', mapFile, '--json'],
      { home },
    );
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(mapped.json.evidence_status).toBe('sufficient');
    expect(mapped.json.usage_receipt.remaining_credits).toBe(9);
    const remembered = JSON.parse(await readFile(path.join(home, 'csv-mappings.json'), 'utf8'));
    expect(Object.values(remembered.mappings)).toEqual([MAPPING]);

    // Another export with the same headers, into a new run (the receipt above is spent): read unasked.
    const runId: string = (await runCli(['run', 'create', '--title', 'next month', '--json'], { home })).json.run
      .run_id;
    const next = await evidenceFolder();
    const again = await runCli(['evidence', 'add', runId, path.join(next, 'kontoauszug.csv'), '--json'], { home });
    expect(again.code, again.stderr).toBe(0);
    const [read] = again.json.report.added_files;
    expect(read.problem).toBeUndefined();
    expect(read.classified_as).toEqual({ kind: 'credit_ledger_entry', format: 'csv_credit_ledger', records: 1 });
  }, 60_000);

  it('refuses a mapping that is not usable with one line naming each problem, and creates no run', async () => {
    const home = await tempDir();
    const out = await tempDir();
    const mapFile = path.join(out, 'mapping.json');
    await writeFile(
      mapFile,
      JSON.stringify({ layout: 'credit_ledger', columns: { credits: 'Menge', saldo: 'Saldo', balance: 'Menge' } }),
    );
    const r = await runCli(
      ['pack', await evidenceFolder(), '--out', path.join(out, 'b.zip'), '--csv-map', mapFile, '--json'],
      { home },
    );
    expect(r.code).toBe(2);
    expect(r.json.error.message).toMatch(/saldo is not a field of credit_ledger/);
    expect(r.json.error.message).toMatch(/maps no column to credit_entitlement_id, entry_type/);
    expect(r.json.error.message).toMatch(/maps column menge to two fields/);
    const runs = await runCli(['run', 'list', '--json'], { home });
    expect(runs.json.runs).toEqual([]);
  });
});
