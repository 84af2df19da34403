/**
 * Run store benchmark: 10,000 runs of ~3 KiB in a temp directory (real disk, real fsync).
 * Targets (ARCHITECTURE.md): update < 5 ms, list < 300 ms at 10,000 runs.
 *
 *   npx tsx bench/store.bench.ts      prints one JSON line
 *
 * Measures: update latency (sequential updates of random runs, each durable before it resolves),
 * list() in the writer, a cold run list as the CLI does it (read-only open + list), a clean writer
 * open, and the index rebuild a writer does at open after a crash (index.json deleted). A bare
 * durableWriteFile is timed on the same disk as a baseline: an update cannot be faster than its fsync,
 * and on a busy machine the fsync dominates the tail.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { durableWriteFile } from '../electron/services/fs/durable-write';
import { openRunStore } from '../electron/services/store';

interface BenchRun {
  run_id: string;
  title: string;
  created_at: string;
  updated_at: string;
  state: string;
  state_history: Array<{ from: string | null; to: string; at: string; reason: string }>;
  pre_run: Record<string, string>;
  callback: { url: string; secret_ref: string };
  evidence: Array<{ step: string; source: string; sha256: string; record: Record<string, unknown> }>;
  files: Array<{ name: string; size: number; sha256: string; media_type: string }>;
  exceptions: unknown[];
  evidence_score: number;
}

interface BenchSummary {
  run_id: string;
  title: string;
  state: string;
  evidence_score: number;
  steps_satisfied: string[];
  updated_at: string;
  created_at: string;
  open_exceptions: number;
}

export interface StoreBenchResult {
  runs: number;
  updateMsP50: number;
  updateMsP95: number;
  updateMsP99: number;
  updateMsMax: number;
  listMs: number;
  openMs: number;
  /** Read-only open + list(), as `tokenops run list` does while the app runs. */
  coldListMs: number;
  /** Writer open when index.json is gone and must be rebuilt from every run file. */
  rebuildOpenMs: number;
  docBytes: number;
  /** Baseline, interleaved with the updates: one bare durableWriteFile of a run-sized document (the fsync floor). */
  durableWriteMsP50: number;
  durableWriteMsP95: number;
}

const STEPS = [
  'settlement_reference',
  'payment_request',
  'credit_ledger_entry',
  'work_order',
  'usage_receipt',
  'files',
];
const hex = (n: number, seed: number) =>
  (seed.toString(16).padStart(8, '0') + 'a1b2c3d4e5f60718').repeat(8).slice(0, n);

function makeRun(i: number): BenchRun {
  const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
  return {
    run_id: `run_${String(i).padStart(6, '0')}`,
    title: `Paid agent task ${i}: quarterly distribution evidence`,
    created_at: at,
    updated_at: at,
    state: 'collecting',
    state_history: [
      { from: null, to: 'draft', at, reason: 'created' },
      { from: 'draft', to: 'collecting', at, reason: 'evidence added' },
    ],
    pre_run: {
      trust_profile_id: `tp_${i}`,
      quote_id: `q_${i}`,
      credit_entitlement_id: `ce_${i}`,
      requested_tool: 'tokenops',
      requested_capability: 'tokenops_result_package',
    },
    callback: { url: `https://agent.example.com/callbacks/${i}`, secret_ref: `whsec_ref_${i}` },
    evidence: STEPS.slice(0, 4).map((step, k) => ({
      step,
      source: `${step}_${i}.json`,
      sha256: hex(64, i * 10 + k),
      record: {
        id: `${step}_${i}`,
        provider: 'test-provider',
        amount: 1200 + k,
        currency: 'USD',
        reference: `ref_${i}_${k}`,
        note: 'public-safe record',
      },
    })),
    files: Array.from({ length: 5 }, (_, k) => ({
      name: `export_${i}_${k}.csv`,
      size: 10_000 + k,
      sha256: hex(64, i * 100 + k),
      media_type: 'text/csv',
    })),
    exceptions: [],
    evidence_score: 40,
  };
}

const summarize = (r: BenchRun): BenchSummary => ({
  run_id: r.run_id,
  title: r.title,
  state: r.state,
  evidence_score: r.evidence_score,
  steps_satisfied: r.evidence.map((e) => e.step),
  updated_at: r.updated_at,
  created_at: r.created_at,
  open_exceptions: r.exceptions.length,
});

async function timed<R>(fn: () => Promise<R>): Promise<[R, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export async function benchStore(opts: { runs?: number; updates?: number } = {}): Promise<StoreBenchResult> {
  const runs = opts.runs ?? 10_000;
  const updates = opts.updates ?? 1_000;
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-store-bench-'));
  try {
    let store = await openRunStore<BenchRun, BenchSummary>({ home, summarize });
    for (let i = 0; i < runs; i += 64) {
      // Independent runs in parallel: seeding is setup, not what we measure.
      await Promise.all(Array.from({ length: Math.min(64, runs - i) }, (_, k) => store.create(makeRun(i + k))));
    }
    await store.close();
    const docBytes = (await fs.stat(path.join(home, 'runs', `${makeRun(0).run_id}.json`))).size;

    let openMs: number;
    [store, openMs] = await timed(() => openRunStore<BenchRun, BenchSummary>({ home, summarize }));
    const [listed, listMs] = await timed(() => store.list());
    if (listed.length !== runs) throw new Error(`bench: list() returned ${listed.length} runs, expected ${runs}`);

    const samples: number[] = [];
    const floor: number[] = [];
    const probe = path.join(home, 'probe.json');
    const probeText = JSON.stringify(makeRun(0), null, 2);
    for (let n = 0; n < updates; n++) {
      // Interleaved with the updates, so both see the same disk and CPU load.
      floor.push((await timed(() => durableWriteFile(probe, probeText)))[1]);
      const id = makeRun(Math.floor(Math.random() * runs)).run_id;
      const [, ms] = await timed(() =>
        store.update(id, (r) => {
          r.updated_at = new Date().toISOString();
          r.evidence_score = (r.evidence_score + 1) % 100;
          r.state_history.push({ from: r.state, to: r.state, at: r.updated_at, reason: 'bench' });
          if (r.state_history.length > 4) r.state_history.shift(); // keep the document ~3 KiB
        }),
      );
      samples.push(ms);
    }
    await store.close();
    samples.sort((a, b) => a - b);
    floor.sort((a, b) => a - b);

    const [coldListed, coldListMs] = await timed(async () => {
      const reader = await openRunStore<BenchRun, BenchSummary>({ home, summarize, readOnly: true });
      const all = await reader.list();
      await reader.close();
      return all;
    });
    if (coldListed.length !== runs) throw new Error(`bench: cold list returned ${coldListed.length} runs`);

    await fs.rm(path.join(home, 'runs', 'index.json'));
    const [rebuilt, rebuildOpenMs] = await timed(() => openRunStore<BenchRun, BenchSummary>({ home, summarize }));
    if ((await rebuilt.list()).length !== runs) throw new Error('bench: rebuilt index is incomplete');
    await rebuilt.close();

    return {
      runs,
      updateMsP50: round(samples[Math.floor(samples.length * 0.5)]),
      updateMsP95: round(samples[Math.floor(samples.length * 0.95)]),
      updateMsP99: round(samples[Math.floor(samples.length * 0.99)]),
      updateMsMax: round(samples[samples.length - 1]),
      listMs: round(listMs),
      openMs: round(openMs),
      coldListMs: round(coldListMs),
      rebuildOpenMs: round(rebuildOpenMs),
      docBytes,
      durableWriteMsP50: round(floor[Math.floor(floor.length * 0.5)]),
      durableWriteMsP95: round(floor[Math.floor(floor.length * 0.95)]),
    };
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  benchStore().then(
    (r) => console.log(JSON.stringify({ bench: 'store', ...r })),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
