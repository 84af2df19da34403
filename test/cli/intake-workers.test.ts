/**
 * Intake on worker threads gives exactly what intake on the main thread gives: the same files, scan
 * verdicts, findings, problems and records, in the same order. (Machines with spare cores use workers
 * by default; this runs both ways on any machine through TOKENOPS_INTAKE_WORKERS.)
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemps, runCli, SAMPLE_EVIDENCE, tempDir, writeFiles } from './helpers';

afterAll(cleanupTemps);

const KEY = 'rk_' + 'live_' + 'Zq8mR2vT5wY9bC3dF6gH1jK4lN7pQ0sU';

async function intakeWith(workers: string, dir: string) {
  const home = await tempDir();
  const env = { TOKENOPS_INTAKE_WORKERS: workers };
  const runId: string = (await runCli(['run', 'create', '--json'], { home, env })).json.run.run_id;
  const r = await runCli(['evidence', 'add', runId, dir, '--json'], { home, env });
  expect(r.code, r.stderr).toBe(0);
  const run = (await runCli(['run', 'show', runId, '--json'], { home, env })).json.run;
  return {
    files: run.files.map((f: any) => ({
      name: f.name,
      sha256: f.sha256,
      scan: f.scan,
      classified_as: f.classified_as,
      problem: f.problem,
    })),
    records: run.evidence.map((e: any) => ({ kind: e.kind, format: e.format, row: e.row, record: e.record })),
  };
}

describe('intake workers', () => {
  it('one worker, two workers and none give the same run', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    await fs.cp(SAMPLE_EVIDENCE, dir, { recursive: true });
    await writeFiles(dir, {
      'ledger.csv':
        'entry_id,credit_entitlement_id,entry_type,credits,balance\nle_1,ent_1,grant,10,10\nle_2,ent_1,debit,1,9\n',
      'leaky/.env': `STRIPE_KEY=${KEY}\n`,
      'broken.json': '{"kind": "usage_receipt", ',
      // Past the 4 MiB of a small copy: examined by path, streamed, on a worker when there is one.
      'big/notes.txt': 'a plain note line\n'.repeat(300_000) + `key=${KEY}\n`,
      'shot.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), randomBytes(4000)]),
      ...Object.fromEntries(
        Array.from({ length: 30 }, (_, i) => [
          `logs/log-${i}.json`,
          JSON.stringify({ events: Array.from({ length: 800 }, (_, j) => ({ i, j })) }), // ~12 KiB: past WORKER_FROM_BYTES
        ]),
      ),
    });
    const inProcess = await intakeWith('0', dir);
    // With workers, the main thread still examines the files it reads while every worker has its next
    // ones, and a worker gets the bytes the main thread read: both paths run here.
    expect(await intakeWith('1', dir)).toEqual(inProcess);
    expect(await intakeWith('2', dir)).toEqual(inProcess);
    expect(inProcess.files.find((f: any) => f.name === 'leaky/.env').scan.status).toBe('findings');
    expect(inProcess.files.find((f: any) => f.name === 'big/notes.txt').scan.status).toBe('findings');
    expect(inProcess.records.filter((r: any) => r.format === 'csv_credit_ledger')).toHaveLength(2);
  });
});
