/**
 * `npm run bench`: the numbers that matter to an operator, measured on this machine.
 * - export of 1 GiB + 2,000 small files vs `sha256sum` + `zip -0` of the same folder (ratio, peak RSS)
 * - verify throughput
 * - run store at 10,000 runs (update p50/p95, list)
 * - evaluation of a run with 10,000 records (goal < 50 ms)
 * - intake: `tokenops pack` of the sample evidence + 1,000 and + 4,000 JSON files of 50 KiB vs
 *   `sha256sum` + `zip -0 -r` of the same folder (ratios, growth per file, peak RSS)
 * Flags: --big-mib N (default 1024), --small N (default 2000), --runs N (default 10000),
 *        --intake-files A,B (default 1000,4000).
 * Results are printed and written to out/bench/results.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { benchBundle } from './bundle.bench';
import { benchStore } from './store.bench';
import { benchEvaluate } from './evaluate.bench';
import { benchIntake } from './intake.bench';

const MiB = 1024 * 1024;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const bigMiB = flag('--big-mib', 1024);
const small = flag('--small', 2000);
const runs = flag('--runs', 10_000);
const intakeAt = process.argv.indexOf('--intake-files');
const intakeFiles = intakeAt >= 0 ? process.argv[intakeAt + 1].split(',').map(Number) : [1000, 4000];

console.error('evaluate: 10,000 records …');
const evaluation = benchEvaluate(10_000);
console.error(`export: ${bigMiB} MiB + ${small} small files …`);
const bundle = await benchBundle({ bigFileBytes: bigMiB * MiB, smallFiles: small });
console.error(`store: ${runs} runs …`);
const store = await benchStore({ runs });
console.error(`intake: sample evidence + ${intakeFiles.join(' / ')} JSON files of 50 KiB …`);
const intake = await benchIntake(intakeFiles);

const goals = {
  export_ratio_le_1: bundle.ratio <= 1.0,
  export_peak_rss_le_200MiB: bundle.exportPeakRssMiB <= 200,
  store_update_p95_lt_5ms: store.updateMsP95 < 5,
  store_list_lt_300ms: store.listMs < 300,
  evaluate_10k_records_lt_50ms: Math.max(evaluation.ledgerMs, evaluation.linkedMs) < 50,
  intake_ratio_le_2: intake.sizes.every((s) => s.ratio <= 2),
  intake_growth_le_1_3: intake.growth <= 1.3,
  intake_peak_rss_le_200MiB: intake.sizes.every((s) => s.peakRssMiB <= 200),
};
const results = { at: new Date().toISOString(), node: process.version, bundle, store, evaluation, intake, goals };
await mkdir('out/bench', { recursive: true });
await writeFile('out/bench/results.json', `${JSON.stringify(results, null, 2)}\n`);

const rows: Array<[string, string, string]> = [
  ['export (TokenOps)', `${bundle.exportSeconds.toFixed(2)} s`, `peak RSS ${bundle.exportPeakRssMiB.toFixed(0)} MiB`],
  ['sha256sum + zip -0', `${bundle.baselineSeconds.toFixed(2)} s`, ''],
  ['ratio export/baseline', bundle.ratio.toFixed(2), goals.export_ratio_le_1 ? 'goal ≤ 1.0 met' : 'goal ≤ 1.0 MISSED'],
  ['verify', `${bundle.verifySeconds.toFixed(2)} s`, `${bundle.verifyMiBps.toFixed(0)} MiB/s`],
  [
    `store update (${store.runs} runs)`,
    `p50 ${store.updateMsP50.toFixed(2)} ms`,
    `p95 ${store.updateMsP95.toFixed(2)} ms`,
  ],
  [`store list (${store.runs} runs)`, `${store.listMs.toFixed(1)} ms`, `open ${store.openMs.toFixed(0)} ms`],
  [
    `evaluate (${evaluation.records} records)`,
    `ledger ${evaluation.ledgerMs.toFixed(1)} ms`,
    `linked ${evaluation.linkedMs.toFixed(1)} ms`,
  ],
  ...intake.sizes.map((s): [string, string, string] => [
    `pack +${s.files} files`,
    `${s.packSeconds.toFixed(2)} s (floor ${s.floorSeconds.toFixed(2)} s)`,
    `ratio ${s.ratio.toFixed(2)}, ${s.msPerFile.toFixed(2)} ms/file, peak RSS ${s.peakRssMiB.toFixed(0)} MiB`,
  ]),
  [
    'intake growth per file',
    intake.growth.toFixed(2),
    goals.intake_growth_le_1_3 ? 'goal ≤ 1.3 met' : 'goal ≤ 1.3 MISSED',
  ],
];
for (const [a, b, c] of rows) console.log(`${a.padEnd(30)} ${b.padEnd(16)} ${c}`);
console.log(
  `goals: ${Object.entries(goals)
    .map(([k, v]) => `${k}=${v ? 'met' : 'MISSED'}`)
    .join(' ')}`,
);
