import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import type { ProgressListener } from '../../../shared/progress';
import { StructureError } from './structure-error';
import { printable } from './entry-name';
import { entryName } from './entry-meta';
import { structureFromYauzl } from './zip-open';
import { bombMessage, type ScanResult } from './zip-scan';
import type { ZipLimits } from './zip-limits';
import { PARSED_TAG_FILES } from './bag-layout';
import { FileReader } from './file-reader';

export interface EntryDigest {
  sha256: string;
  size: number;
}

export interface ContentResult {
  /** Every file entry, by path inside the bag (e.g. "data/a.pdf", "bagit.txt"). */
  files: Map<string, EntryDigest>;
  /** Bytes of the tag files the later checks parse. */
  tags: Map<string, Buffer>;
}

const PROGRESS_STEP = 8 << 20;

/**
 * Pass 2: streams every entry once (nothing touches the disk), counting the bytes actually
 * inflated against the limits, checking CRC-32 and the local header against the central
 * directory, and hashing with SHA-256 for the bag check.
 */
export async function readContents(
  zip: yauzl.ZipFile,
  scan: ScanResult,
  limits: ZipLimits,
  onProgress?: ProgressListener,
): Promise<ContentResult> {
  const files = new Map<string, EntryDigest>();
  const tags = new Map<string, Buffer>();
  const spans: Array<{ start: number; end: number; name: string }> = [];
  const prefix = scan.bagName + '/';
  let total = 0;
  let reported = 0;
  const report = () => onProgress?.({ phase: 'verify', done: total, total: scan.declaredBytes, unit: 'bytes' });
  report();

  try {
    for await (const entry of zip.eachEntry()) {
      const name = entryName(entry);
      if (name.endsWith('/')) continue;
      const inBag = name.slice(prefix.length);
      const lfh = await zip.readLocalFileHeaderPromise(entry);
      if (!lfh.fileName.equals(entry.fileNameRaw)) {
        throw new StructureError(
          `Entry ${printable(name)} has a different name in its local header (${printable(lfh.fileName.toString('utf8'))}); tools that read local headers would see another file.`,
        );
      }
      if (lfh.compressionMethod !== entry.compressionMethod || (lfh.generalPurposeBitFlag & 0x41) !== 0) {
        throw new StructureError(
          `Entry ${printable(name)} has a local header that disagrees with the zip directory (compression or encryption).`,
        );
      }
      spans.push({ start: entry.relativeOffsetOfLocalHeader, end: lfh.fileDataStart + entry.compressedSize, name });

      const hash = createHash('sha256');
      const keep = PARSED_TAG_FILES.has(inBag) ? ([] as Buffer[]) : undefined;
      let n = 0;
      let crc = 0;
      try {
        const data = await openData(zip, entry, lfh.fileDataStart);
        for await (const chunk of data) {
          n += chunk.length;
          total += chunk.length;
          if (n > limits.maxEntryBytes)
            throw new StructureError(
              `Entry ${printable(name)} inflates past the single-entry limit of ${limits.maxEntryBytes} bytes.`,
            );
          if (total > limits.maxTotalBytes)
            throw new StructureError(`The archive inflates past the total limit of ${limits.maxTotalBytes} bytes.`);
          if (n > limits.ratioFloorBytes && n > limits.maxRatio * entry.compressedSize)
            throw new StructureError(bombMessage(name, n, entry.compressedSize, limits));
          if (keep) {
            if (n > limits.maxTagFileBytes)
              throw new StructureError(
                `Tag file ${printable(name)} is larger than ${limits.maxTagFileBytes} bytes; refused rather than loaded into memory.`,
              );
            keep.push(chunk);
          }
          hash.update(chunk);
          crc = crc32(chunk, crc);
          if (total - reported >= PROGRESS_STEP) {
            reported = total;
            report();
          }
        }
      } catch (e) {
        throw dataError(name, entry, e);
      }
      if (crc >>> 0 !== entry.crc32 >>> 0) {
        throw new StructureError(
          `Entry ${printable(name)} is damaged: its CRC-32 does not match the zip directory. The file was corrupted or edited in place.`,
        );
      }
      files.set(inBag, { sha256: hash.digest('hex'), size: n });
      if (keep) tags.set(inBag, Buffer.concat(keep));
    }
  } catch (e) {
    throw structureFromYauzl(e);
  }
  report();

  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) {
      throw new StructureError(
        `Entries ${printable(spans[i - 1].name)} and ${printable(spans[i].name)} share bytes in the file (overlapping entries, a zip-bomb and parser-confusion trick).`,
      );
    }
  }
  return { files, tags };
}

/** Stored entries up to this size are read in one piece; others stream (and inflate) through yauzl. */
const WHOLE_ENTRY_BYTES = 1 << 20;

/**
 * An entry's data as chunks, each to be used before the next read (readContents hashes it at once; a tag
 * file's chunks are copied by Buffer.concat). A small stored entry (our bundles store, never deflate) is one read: yauzl's
 * stream per entry, with its byte counter and pipes, cost more than reading it, ~0.2 ms an entry. Every
 * check below still runs on it; yauzl has already checked that a stored entry's two sizes agree.
 */
async function openData(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  fileDataStart: number,
): Promise<AsyncIterable<Buffer> | Buffer[]> {
  const reader = (zip as unknown as { reader?: unknown }).reader;
  if (entry.compressionMethod === 0 && entry.compressedSize <= WHOLE_ENTRY_BYTES && reader instanceof FileReader)
    return [await reader.readRange(fileDataStart, entry.compressedSize)];
  return new Promise<Readable>((resolve, reject) => {
    // The low-level call reuses the local header we already read and checked.
    zip.openReadStreamLowLevel(
      fileDataStart,
      entry.compressedSize,
      0,
      entry.compressedSize,
      entry.compressionMethod === 8,
      entry.uncompressedSize,
      (err, stream) => (err ? reject(err) : resolve(stream)),
    );
  });
}

function dataError(name: string, entry: yauzl.Entry, e: unknown): StructureError {
  if (e instanceof StructureError) return e;
  const msg = (e as Error).message ?? String(e);
  if (/too many bytes/i.test(msg))
    return new StructureError(
      `Entry ${printable(name)} inflates to more than the ${entry.uncompressedSize} bytes its header declares; the archive is malformed or a zip bomb.`,
    );
  if (/not enough bytes/i.test(msg))
    return new StructureError(
      `Entry ${printable(name)} inflates to fewer than the ${entry.uncompressedSize} bytes its header declares; the archive is truncated or damaged.`,
    );
  if ((e as { errno?: number }).errno !== undefined && /^Z_/.test((e as { code?: string }).code ?? '')) {
    return new StructureError(`Entry ${printable(name)} has corrupt compressed data (${msg}).`);
  }
  if (/unexpected EOF|overflows file bounds/i.test(msg))
    return new StructureError(`Entry ${printable(name)} runs past the end of the file; the archive is truncated.`);
  return new StructureError(`Entry ${printable(name)} cannot be read: ${msg}.`);
}
