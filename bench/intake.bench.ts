/**
 * Intake benchmark: `tokenops pack` of the sample evidence plus N JSON files of 50 KiB each, against the
 * command-line floor for the same folder in the same run (`sha256sum` of every file, then `zip -0 -r`).
 *
 *   npx tsx bench/intake.bench.ts [--files 1000,4000]
 *
 * `pack` runs as the built CLI in its own process (`npm run build` first), so its peak RSS is its own:
 * a preload writes `process.resourceUsage().maxRSS` when it exits. Growth is time per file at the
 * largest size ÷ time per file at the smallest: 1.0 is linear.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const FILE_BYTES = 50 * 1024;

/** One agent runtime log of FILE_BYTES: usage events, no secret (the bulk an operator's evidence folder holds). */
export function runtimeLog(i: number): string {
  const events: object[] = [];
  let bytes = 0;
  for (let j = 0; bytes < FILE_BYTES - 200; j++) {
    const event = {
      event_id: `evt_${i}_${j}`,
      at: new Date(Date.UTC(2026, 11, 1) + j * 1000).toISOString(),
      tool: 'summarise',
      tokens_in: 1000 + j,
      tokens_out: 200 + (j % 97),
      note: 'usage event from the agent runtime log',
    };
    bytes += JSON.stringify(event).length + 1;
    events.push(event);
  }
  return JSON.stringify({ events });
}

export interface IntakeSize {
  files: number;
  packSeconds: number;
  floorSeconds: number;
  ratio: number;
  msPerFile: number;
  peakRssMiB: number;
}

export interface IntakeBenchResult {
  sizes: IntakeSize[];
  /** ms per file at the largest size ÷ at the smallest */
  growth: number;
}

export async function benchIntake(fileCounts: number[] = [1000, 4000]): Promise<IntakeBenchResult> {
  const sizes: IntakeSize[] = [];
  for (const files of fileCounts) {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-intake-'));
    try {
      const evidence = path.join(tmp, 'evidence');
      await makeEvidence(evidence, files);
      const t0 = performance.now();
      execFileSync(
        'bash',
        ['-c', 'find evidence -type f -print0 | xargs -0 sha256sum > /dev/null && zip -0 -r -q floor.zip evidence'],
        { cwd: tmp },
      );
      const floorSeconds = (performance.now() - t0) / 1000;

      const rssFile = path.join(tmp, 'rss');
      const p0 = performance.now();
      const pack = spawnSync(
        process.execPath,
        [
          '--import',
          path.join(HERE, 'report-rss.mjs'),
          path.join(REPO, 'bin', 'tokenops.js'),
          'pack',
          evidence,
          '--home',
          path.join(tmp, 'home'),
          '--out',
          path.join(tmp, 'bundle.zip'),
          '--json',
        ],
        { encoding: 'utf8', env: { ...process.env, TOKENOPS_BENCH_RSS_FILE: rssFile }, maxBuffer: 256 * 1024 * 1024 },
      );
      const packSeconds = (performance.now() - p0) / 1000;
      if (pack.status !== 0) throw new Error(`pack exited ${pack.status}: ${pack.stderr.slice(0, 2000)}`);
      const peakRssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
      sizes.push({
        files,
        packSeconds: round(packSeconds),
        floorSeconds: round(floorSeconds),
        ratio: round(packSeconds / floorSeconds),
        msPerFile: round((packSeconds * 1000) / files),
        peakRssMiB: round(peakRssMiB),
      });
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  return { sizes, growth: round(last.msPerFile / first.msPerFile) };
}

/** The demo's sample evidence beside N runtime logs of 50 KiB: what an operator's export folder holds. */
async function makeEvidence(dir: string, files: number): Promise<void> {
  await fs.cp(path.join(REPO, 'resources', 'sample-evidence'), dir, { recursive: true });
  const logs = path.join(dir, 'runtime-logs');
  await fs.mkdir(logs);
  for (let i = 0; i < files; i++) {
    await fs.writeFile(path.join(logs, `log-${String(i).padStart(5, '0')}.json`), runtimeLog(i));
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--files');
  const counts = i >= 0 ? process.argv[i + 1].split(',').map(Number) : [1000, 4000];
  console.log(JSON.stringify(await benchIntake(counts), null, 2));
}
