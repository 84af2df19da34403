/**
 * Bundle export/verify benchmark.
 *
 *   npx tsx bench/bundle.bench.ts [--big-mib 1024] [--small 2000]     export vs sha256sum+zip, then verify
 *   npx tsx bench/bundle.bench.ts --zip64-entries 70000                 ZIP64 by entry count, checked by zipinfo/unzip
 *   npx tsx bench/bundle.bench.ts --zip64-gib 4.5                       ZIP64 by size: one entry over 4 GiB (sparse file)
 *
 * The export runs in a child process so its peak RSS is its own (process.resourceUsage().maxRSS),
 * not the benchmark's. The baseline is what the export replaces: `sha256sum` over every file
 * plus `zip -0 -r` of the same folder, run here on the same (page-cached) files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeBundle, verifyBundle, type BundlePayloadItem } from '../electron/services/bundle';
import { loadOrCreateSigner } from '../electron/services/keys';

const MiB = 1 << 20;
const HERE = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(HERE), '..');

export interface BundleBenchResult {
  exportSeconds: number;
  exportPeakRssMiB: number;
  baselineSeconds: number;
  ratio: number;
  verifySeconds: number;
  verifyMiBps: number;
  zipBytes: number;
  /** user+system CPU of each side: steadier than wall time on a shared machine */
  exportCpuSeconds: number;
  baselineCpuSeconds: number;
}

export async function benchBundle(
  opts: { bigFileBytes: number; smallFiles: number } = { bigFileBytes: 1024 * MiB, smallFiles: 2000 },
): Promise<BundleBenchResult> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-bench-'));
  try {
    const evidence = path.join(tmp, 'evidence');
    await makeEvidence(evidence, opts.bigFileBytes, opts.smallFiles);

    // `times` prints the CPU used by the shell's children: the baseline's own CPU cost.
    const t0 = performance.now();
    const times = execFileSync(
      'bash',
      [
        '-c',
        `find evidence -type f -print0 | xargs -0 sha256sum > /dev/null && zip -0 -r -q baseline.zip evidence && times`,
      ],
      { cwd: tmp, encoding: 'utf8' },
    );
    const baselineSeconds = (performance.now() - t0) / 1000;
    const baselineCpuSeconds = [
      ...times
        .trim()
        .split('\n')
        .pop()!
        .matchAll(/(\d+)m([\d.]+)s/g),
    ].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
    await fs.rm(path.join(tmp, 'baseline.zip'));

    const out = path.join(tmp, 'bundle.zip');
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', HERE, '--child', JSON.stringify({ evidence, out, home: path.join(tmp, 'home') })],
      {
        cwd: REPO,
        encoding: 'utf8',
        maxBuffer: 16 * MiB,
      },
    );
    if (child.status !== 0) throw new Error(`export child failed (${child.status}): ${child.stderr}`);
    const exported = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      exportSeconds: number;
      cpuSeconds: number;
      peakRssMiB: number;
      zipBytes: number;
    };

    const v0 = performance.now();
    const report = await verifyBundle(out);
    const verifySeconds = (performance.now() - v0) / 1000;
    if (!report.ok) throw new Error(`bundle did not verify: ${JSON.stringify(report.checks)}`);

    return {
      exportSeconds: round(exported.exportSeconds),
      exportPeakRssMiB: round(exported.peakRssMiB),
      baselineSeconds: round(baselineSeconds),
      ratio: round(exported.exportSeconds / baselineSeconds),
      verifySeconds: round(verifySeconds),
      verifyMiBps: round(exported.zipBytes / MiB / verifySeconds),
      zipBytes: exported.zipBytes,
      exportCpuSeconds: round(exported.cpuSeconds),
      baselineCpuSeconds: round(baselineCpuSeconds),
    };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** Writes one big file of random-ish content (a random block re-stamped per MiB) plus small files. */
async function makeEvidence(dir: string, bigBytes: number, smallFiles: number): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const block = randomBytes(16 * MiB);
  const fh = await fs.open(path.join(dir, 'big.bin'), 'w');
  try {
    for (let off = 0; off < bigBytes; off += block.length) {
      for (let m = 0; m < block.length; m += MiB) block.writeUInt32LE((off + m) / MiB, m); // no two MiB alike
      await fh.write(block, 0, Math.min(block.length, bigBytes - off));
    }
  } finally {
    await fh.close();
  }
  for (let i = 0; i < smallFiles; i++) {
    const sub = path.join(dir, 'small', String(Math.floor(i / 500)).padStart(3, '0'));
    if (i % 500 === 0) await fs.mkdir(sub, { recursive: true });
    await fs.writeFile(path.join(sub, `f${i}.json`), randomBytes(512 + (i % 4096)));
  }
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.join(e.parentPath ?? e.path, e.name));
  }
  return out.sort();
}

/** Child side: export the folder and report time and this process's peak RSS. */
async function child(spec: { evidence: string; out: string; home: string }): Promise<void> {
  const signer = await loadOrCreateSigner(spec.home);
  const payload: BundlePayloadItem[] = (await listFiles(spec.evidence)).map((f) => ({
    path: 'files/' + path.relative(spec.evidence, f).split(path.sep).join('/'),
    source: { kind: 'file', path: f },
  }));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await writeBundle({
    outPath: spec.out,
    bagName: 'tokenops-bench',
    bagInfo: {},
    payload,
    predicateType: 'https://tokenops.dev/bench/v1',
    predicate: {},
    signer,
  });
  const exportSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  console.log(
    JSON.stringify({
      exportSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      zipBytes: r.bytes,
    }),
  );
}

/** ZIP64 by entry count: more than 65,535 entries, accepted by zipinfo and unzip -t. */
export async function benchZip64Entries(entries: number): Promise<{
  entries: number;
  exportSeconds: number;
  verifySeconds: number;
  zipinfoOk: boolean;
  unzipOk: boolean;
  zip64EndRecord: boolean;
  verified: boolean;
}> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-zip64-'));
  try {
    const signer = await loadOrCreateSigner(path.join(tmp, 'home'));
    const payload: BundlePayloadItem[] = Array.from({ length: entries }, (_, i) => ({
      path: `e/${Math.floor(i / 1000)}/${i}.txt`,
      source: { kind: 'bytes', data: Buffer.from(`entry ${i}\n`) },
    }));
    const out = path.join(tmp, 'many.zip');
    const t0 = performance.now();
    await writeBundle({
      outPath: out,
      bagName: 'tokenops-zip64',
      bagInfo: {},
      payload,
      predicateType: 'https://tokenops.dev/bench/v1',
      predicate: {},
      signer,
    });
    const exportSeconds = (performance.now() - t0) / 1000;
    const zipinfo = spawnSync('zipinfo', ['-t', out], { encoding: 'utf8' });
    const unzip = spawnSync('unzip', ['-tq', out], { encoding: 'utf8', maxBuffer: 64 * MiB });
    const tail = (await fs.readFile(out)).subarray(-200);
    const v0 = performance.now();
    const report = await verifyBundle(out);
    return {
      entries: entries + 6,
      exportSeconds: round(exportSeconds),
      verifySeconds: round((performance.now() - v0) / 1000),
      zipinfoOk: zipinfo.status === 0 && zipinfo.stdout.includes(`${entries + 6} files`),
      unzipOk: unzip.status === 0 && /No errors detected/.test(unzip.stdout),
      zip64EndRecord:
        tail.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])) && tail.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07])),
      verified: report.ok,
    };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** ZIP64 by size: one entry past 4 GiB (a sparse file, so it is cheap to make), checked by zipinfo/unzip. */
export async function benchZip64Size(bytes: number): Promise<{
  entryBytes: number;
  exportSeconds: number;
  exportPeakRssMiB: number;
  verifySeconds: number;
  zipinfoSize: boolean;
  unzipOk: boolean;
  verified: boolean;
}> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-zip64-size-'));
  try {
    const evidence = path.join(tmp, 'evidence');
    await fs.mkdir(evidence);
    const fh = await fs.open(path.join(evidence, 'huge.bin'), 'w');
    await fh.write(Buffer.from('start'), 0, 5, 0);
    await fh.truncate(bytes - 3);
    await fh.write(Buffer.from('end'), 0, 3, bytes - 3);
    await fh.close();
    const out = path.join(tmp, 'bundle.zip');
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', HERE, '--child', JSON.stringify({ evidence, out, home: path.join(tmp, 'home') })],
      { cwd: REPO, encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`export child failed (${child.status}): ${child.stderr}`);
    const exported = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      exportSeconds: number;
      peakRssMiB: number;
    };
    const zipinfo = spawnSync('zipinfo', ['-l', out], { encoding: 'utf8' });
    const unzip = spawnSync('unzip', ['-tq', out], { encoding: 'utf8' });
    const v0 = performance.now();
    const report = await verifyBundle(out);
    return {
      entryBytes: bytes,
      exportSeconds: round(exported.exportSeconds),
      exportPeakRssMiB: round(exported.peakRssMiB),
      verifySeconds: round((performance.now() - v0) / 1000),
      zipinfoSize: zipinfo.status === 0 && new RegExp(`\\s${bytes}\\s`).test(zipinfo.stdout),
      unzipOk: unzip.status === 0 && /No errors detected/.test(unzip.stdout),
      verified: report.ok,
    };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const childSpec = arg('--child');
  const zip64 = arg('--zip64-entries');
  const zip64Gib = arg('--zip64-gib');
  const main = childSpec
    ? child(JSON.parse(childSpec))
    : zip64
      ? benchZip64Entries(Number(zip64)).then((r) => console.log(JSON.stringify(r)))
      : zip64Gib
        ? benchZip64Size(Math.round(Number(zip64Gib) * 1024 * MiB)).then((r) => console.log(JSON.stringify(r)))
        : benchBundle({
            bigFileBytes: Number(arg('--big-mib') ?? 1024) * MiB,
            smallFiles: Number(arg('--small') ?? 2000),
          }).then((r) => console.log(JSON.stringify(r)));
  main.catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
