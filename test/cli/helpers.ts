/**
 * Helpers for the CLI end-to-end tests: spawn the BUILT `tokenops` command (node bin/tokenops.js) with a
 * fresh data folder, write evidence folders, and patch zip bytes. No mocks: real processes, files and zips.
 *
 * Build first: `npm run build` (makes out/cli/tokenops.js).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'tokenops.js');
const BUILT_CLI = path.join(ROOT, 'out', 'cli', 'tokenops.js');
export const SAMPLE_EVIDENCE = path.join(ROOT, 'resources', 'sample-evidence');

export const SAMPLE = {
  creditLedgerEntry: 'tokenops-demo-credit-ledger-entry.json',
  deliverable: 'tokenops-demo-deliverable.md',
  paymentRequest: 'tokenops-demo-payment-request.json',
  settlementReference: 'tokenops-demo-settlement-reference.json',
  trustQuoteCredit: 'tokenops-demo-trust-quote-credit.json',
  usageReceipt: 'tokenops-demo-usage-receipt.json',
  workOrder: 'tokenops-demo-work-order.json',
} as const;

/** Throws a readable error when the CLI bundle has not been built. */
export function assertCliBuilt(): void {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(
      `The CLI bundle ${path.relative(ROOT, BUILT_CLI)} is missing. Run \`npm run build\` in ${ROOT} before \`npx vitest run test/cli\`.`,
    );
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when the command was given --json and printed valid JSON. */
  json?: any;
}

export interface CliOptions {
  /** Data folder. Appended as `--home DIR` unless the args already carry `--home`; pass null to leave it out. */
  home: string | null;
  /** Written to stdin, then stdin is closed. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

function cliArgs(args: string[], home: string | null): string[] {
  return home !== null && !args.includes('--home') ? [...args, '--home', home] : [...args];
}

function cliEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // Never let the developer's own TOKENOPS_HOME leak into a test.
  const { TOKENOPS_HOME: _ignored, ...base } = process.env;
  return { ...base, NO_COLOR: '1', ...extra };
}

/** Starts the CLI without waiting; `done` settles when it exits. */
export function startCli(args: string[], opts: CliOptions): { child: ChildProcess; done: Promise<CliResult> } {
  assertCliBuilt();
  const child = spawn(process.execPath, [BIN, ...cliArgs(args, opts.home)], {
    cwd: opts.cwd ?? ROOT,
    env: cliEnv(opts.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin!.on('error', () => {}); // the CLI may exit before reading stdin
  child.stdin!.end(opts.input ?? '');
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result: CliResult = { code, signal, stdout, stderr };
      if (args.includes('--json') && stdout.trim()) {
        try {
          result.json = JSON.parse(stdout);
        } catch {
          /* left undefined: the test asserts on it */
        }
      }
      resolve(result);
    });
  });
  return { child, done };
}

/** Runs the built CLI to completion. */
export function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** Runs any other program (unzip…) to completion. */
export function runProgram(
  cmd: string,
  args: string[],
  cwd = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A short, human-readable dump of a CLI result for assertion messages. */
export function describeResult(r: CliResult): string {
  return `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}\n--- stdout ---\n${r.stdout.slice(0, 4000)}\n--- stderr ---\n${r.stderr.slice(0, 4000)}`;
}

// ---------- temp folders and fixture writers ----------

const temps: string[] = [];

/** A fresh folder under the OS temp dir; removed by `cleanupTemps()`. */
export async function tempDir(prefix = 'tokenops-cli-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export async function cleanupTemps(): Promise<void> {
  await Promise.all(temps.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
}

/** Copies resources/sample-evidence into `dest` (created), leaving out the named files. */
export async function copySampleEvidence(dest: string, opts: { omit?: string[] } = {}): Promise<string> {
  await fs.mkdir(dest, { recursive: true });
  for (const name of await fs.readdir(SAMPLE_EVIDENCE)) {
    if (opts.omit?.includes(name)) continue;
    await fs.copyFile(path.join(SAMPLE_EVIDENCE, name), path.join(dest, name));
  }
  return dest;
}

/** Writes `files` (name → content) into `dir`, creating it. */
export async function writeFiles(dir: string, files: Record<string, string | Buffer>): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** A sparse file of `bytes` zero bytes: instant to create, real bytes to read. */
export async function writeSparseFile(file: string, bytes: number): Promise<void> {
  const h = await fs.open(file, 'w');
  try {
    await h.truncate(bytes);
  } finally {
    await h.close();
  }
}

export async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

// ---------- zip byte surgery (for tamper tests) ----------

export interface ZipEntryLocation {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  /** Offset of the entry's central directory header. */
  centralOffset: number;
  /** Offset of the entry's local file header. */
  localOffset: number;
  /** Offset of the first byte of the entry's (stored) data. */
  dataOffset: number;
}

/** Reads the central directory of a zip held in memory (ZIP64 sizes and offsets understood). */
function zipEntries(buf: Buffer): ZipEntryLocation[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end-of-central-directory record');
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || count === 0xffff) {
    const locator = eocd - 20;
    if (buf.readUInt32LE(locator) !== 0x07064b50) throw new Error('ZIP64 locator missing');
    const z64 = Number(buf.readBigUInt64LE(locator + 8));
    count = Number(buf.readBigUInt64LE(z64 + 32));
    cdOffset = Number(buf.readBigUInt64LE(z64 + 48));
  }
  const out: ZipEntryLocation[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory header at ${p}`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    // ZIP64 extended information: present fields in order uncompressed, compressed, offset.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const size = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff) {
          uncompressedSize = Number(buf.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(buf.readBigUInt64LE(q));
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(buf.readBigUInt64LE(q));
      }
      e += 4 + size;
    }
    if (buf.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const dataOffset = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    out.push({ name, flags, method, compressedSize, centralOffset: p, localOffset, dataOffset });
    p = extraEnd + commentLen;
  }
  return out;
}

export function findEntry(buf: Buffer, suffix: string): ZipEntryLocation {
  const hit = zipEntries(buf).filter((e) => e.name.endsWith(suffix));
  if (hit.length !== 1) throw new Error(`expected exactly one entry ending in ${suffix}, found ${hit.length}`);
  return hit[0]!;
}

/**
 * Changes a stored entry's bytes in place (same length). With `fixCrc`, the CRC-32 is rewritten in the
 * central directory, the local header and the data descriptor, so only the bag / signature checks can
 * notice; without it the zip's own CRC no longer matches.
 */
export function patchStoredEntry(
  buf: Buffer,
  entry: ZipEntryLocation,
  mutate: (data: Buffer) => void,
  fixCrc: boolean,
): void {
  if (entry.method !== 0)
    throw new Error(`${entry.name} is compressed (method ${entry.method}); the tamper helper handles STORE only`);
  const data = buf.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  mutate(data);
  if (!fixCrc) return;
  const crc = zlib.crc32(data) >>> 0;
  buf.writeUInt32LE(crc, entry.centralOffset + 16);
  if (entry.flags & 0x8) {
    // Data descriptor right after the data, with or without its signature.
    let d = entry.dataOffset + entry.compressedSize;
    if (buf.readUInt32LE(d) === 0x08074b50) d += 4;
    buf.writeUInt32LE(crc, d);
    if (buf.readUInt32LE(entry.localOffset + 14) !== 0) buf.writeUInt32LE(crc, entry.localOffset + 14);
  } else {
    buf.writeUInt32LE(crc, entry.localOffset + 14);
  }
}

/** Reads a stored entry's bytes. */
export function entryData(buf: Buffer, entry: ZipEntryLocation): Buffer {
  return buf.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
}
