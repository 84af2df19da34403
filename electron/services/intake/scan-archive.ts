/**
 * Evidence that arrives as an archive (zip, tar, tar.gz, or one gzipped file) is opened and each entry
 * scanned like a file, so a `.env` inside `export.zip` is found. The bundles' bomb limits apply, counted
 * on bytes actually decompressed: too many entries, too many bytes, or an entry that expands more than
 * `maxRatio` times makes the archive unscannable (the operator must look at it), never a hung intake.
 * Entries that are themselves archives are not opened again; their printable strings are scanned.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline as chain, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import yauzl from 'yauzl';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../bundle/zip-limits';
import type { ScanResult } from './secret-scan';

export type ArchiveKind = 'zip' | 'tar' | 'gzip';

/** By magic bytes, not by name: a renamed archive is still opened. */
export function archiveKind(head: Uint8Array): ArchiveKind | undefined {
  if (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 0x03 || head[2] === 0x05) &&
    (head[3] === 0x04 || head[3] === 0x06)
  )
    return 'zip';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 262 && Buffer.from(head.subarray(257, 262)).toString('latin1') === 'ustar') return 'tar';
  return undefined;
}

export type ScanEntry = (chunks: AsyncIterable<Buffer>, entry: string) => Promise<ScanResult>;
/** `compressed`: the entry's stored size, when the format records it (zip), for the ratio check. */
type CountedScan = (chunks: AsyncIterable<Buffer>, entry: string, compressed?: number) => Promise<ScanResult>;

/** Why an archive could not be looked into: its scan ends, and the file needs the operator's eyes. */
class ArchiveLimit extends Error {}

export async function scanArchive(
  absPath: string,
  relName: string,
  kind: ArchiveKind,
  scanEntry: ScanEntry,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ScanResult> {
  const results: Array<{ entry: string; result: ScanResult }> = [];
  const budget = new Budget(limits);
  const scan: CountedScan = async (chunks, entry, compressed) => {
    budget.entry(entry);
    const result = await scanEntry(budget.count(chunks, entry, compressed), entry);
    results.push({ entry, result });
    return result;
  };
  try {
    if (kind === 'zip') await eachZipEntry(absPath, scan);
    else await eachTarEntry(absPath, kind === 'gzip', relName, scan, budget);
  } catch (e) {
    if (!(e instanceof ArchiveLimit)) throw e;
    return {
      ...summarise(relName, results),
      status: 'unscannable',
      reason: `${relName}: ${e.message}. TokenOps stopped reading it; open it yourself and confirm it holds no secret before it is shared.`,
    };
  }
  return summarise(relName, results);
}

function summarise(relName: string, results: Array<{ entry: string; result: ScanResult }>): ScanResult {
  const findings = results.flatMap((r) => r.result.findings);
  if (findings.length) return { status: 'findings', findings };
  const unread = results.filter((r) => r.result.status === 'unscannable').map((r) => r.entry);
  if (unread.length === 0) return { status: 'clean', findings: [] };
  const named = unread.slice(0, 3).join(', ') + (unread.length > 3 ? ` and ${unread.length - 3} more` : '');
  return {
    status: 'unscannable',
    findings: [],
    reason: `${relName}: ${unread.length} of ${results.length} archive entries are binary (${named}) and were checked only for printable secrets. Open them yourself and confirm they hold none before the archive is shared.`,
  };
}

/** Counts entries and decompressed bytes against the limits, on what is actually read. */
class Budget {
  private entries = 0;
  private total = 0;
  constructor(private readonly limits: ZipLimits) {}

  entry(name: string): void {
    if (++this.entries > this.limits.maxEntries)
      throw new ArchiveLimit(`it has more than ${this.limits.maxEntries} entries (at ${name})`);
  }

  async *count(chunks: AsyncIterable<Buffer>, name: string, compressed?: number): AsyncIterable<Buffer> {
    let size = 0;
    for await (const chunk of chunks) {
      size += chunk.length;
      this.total += chunk.length;
      if (size > this.limits.maxEntryBytes)
        throw new ArchiveLimit(`entry ${name} expands past ${this.limits.maxEntryBytes} bytes`);
      if (this.total > this.limits.maxTotalBytes)
        throw new ArchiveLimit(`its entries expand past ${this.limits.maxTotalBytes} bytes in all`);
      if (compressed !== undefined && size > this.limits.ratioFloorBytes && size > compressed * this.limits.maxRatio) {
        throw new ArchiveLimit(`entry ${name} expands more than ${this.limits.maxRatio} times (a zip bomb?)`);
      }
      yield chunk;
    }
  }

  /** The whole gzip stream's ratio, checked as it is inflated. */
  ratioGuard(compressed: number): Transform {
    let out = 0;
    const limits = this.limits;
    return new Transform({
      transform(chunk: Buffer, _enc, done) {
        out += chunk.length;
        if (out > limits.ratioFloorBytes && out > compressed * limits.maxRatio)
          return done(new ArchiveLimit(`it expands more than ${limits.maxRatio} times (a gzip bomb?)`));
        done(null, chunk);
      },
    });
  }
}

async function eachZipEntry(absPath: string, scan: CountedScan): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    // decodeStrings off: yauzl's name check (no `../`, no absolute path) guards extraction, and it ends the
    // whole listing; nothing here is extracted, so an entry named ../../.env is scanned like any other and
    // its name decoded by yauzl's own decoder (CP437, UTF-8, or the Info-ZIP Unicode path field).
    yauzl.open(absPath, { lazyEntries: true, validateEntrySizes: true, decodeStrings: false }, (err, z) =>
      err ? reject(new ArchiveLimit(`it is not a readable zip (${err.message})`)) : resolve(z),
    ),
  );
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        zip.once('entry', resolve);
        zip.once('end', () => resolve(null));
        zip.once('error', (e: Error) => reject(new ArchiveLimit(`its entries cannot be read (${e.message})`)));
        zip.readEntry();
      });
      zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
      if (!entry) return;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      if (name.endsWith('/')) continue;
      if ((entry.generalPurposeBitFlag & 1) !== 0) throw new ArchiveLimit(`entry ${name} is encrypted`);
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (err, s) =>
          err ? reject(new ArchiveLimit(`entry ${name} cannot be read (${err.message})`)) : resolve(s),
        ),
      );
      try {
        await scan(stream as AsyncIterable<Buffer>, name, entry.compressedSize);
      } finally {
        stream.destroy();
      }
    }
  } finally {
    zip.close();
  }
}

async function eachTarEntry(
  absPath: string,
  gzipped: boolean,
  relName: string,
  scan: CountedScan,
  budget: Budget,
): Promise<void> {
  const extract = tar.extract();
  const source = createReadStream(absPath);
  const feeding = gzipped
    ? pipeline(source, createGunzip(), budget.ratioGuard((await stat(absPath)).size), extract)
    : pipeline(source, extract);
  let sawEntry = false;
  try {
    for await (const entry of extract) {
      sawEntry = true;
      if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      await scan(entry as AsyncIterable<Buffer>, entry.header.name);
    }
    await feeding;
  } catch (e) {
    source.destroy();
    await feeding.catch(() => undefined);
    if (e instanceof ArchiveLimit) throw e;
    // One gzipped file (report.json.gz) is not a tar: scan what it inflates to as its only entry.
    if (gzipped && !sawEntry) return scanGunzipped(absPath, relName, scan, budget);
    throw new ArchiveLimit(`it is not a readable ${gzipped ? 'tar.gz' : 'tar'} archive (${(e as Error).message})`);
  }
}

async function scanGunzipped(absPath: string, relName: string, scan: CountedScan, budget: Budget): Promise<void> {
  const { size } = await stat(absPath);
  // Chained, not piped: .pipe() does not pass a truncated file's gunzip error on, and it went unhandled
  // (the process crashed); here it ends the read of `inflated`.
  const inflated = chain(createReadStream(absPath), createGunzip(), budget.ratioGuard(size), () => undefined);
  try {
    await scan(inflated as AsyncIterable<Buffer>, relName.replace(/\.gz$/i, '') || 'content');
  } catch (e) {
    if (e instanceof ArchiveLimit) throw e;
    throw new ArchiveLimit(`it is not a readable gzip file (${(e as Error).message})`);
  } finally {
    inflated.destroy();
  }
}
