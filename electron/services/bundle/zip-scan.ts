import type yauzl from 'yauzl';
import { StructureError } from './structure-error';
import { collisionKey, printable, unsafeNameReason } from './entry-name';
import { entryName, fileType, isEncrypted } from './entry-meta';
import { structureFromYauzl } from './zip-open';
import type { ZipLimits } from './zip-limits';

export interface ScanResult {
  bagName: string;
  entryCount: number;
  /** Sum of declared uncompressed sizes; the content pass enforces the real figure. */
  declaredBytes: number;
}

/**
 * Pass 1: judges every central-directory record before any file data is read, so a hostile
 * archive is refused without inflating a byte. Throws StructureError with the first reason.
 */
export async function scanCentralDirectory(zip: yauzl.ZipFile, limits: ZipLimits): Promise<ScanResult> {
  if (zip.entryCount > limits.maxEntries) {
    throw new StructureError(
      `The archive has ${zip.entryCount} entries; the limit is ${limits.maxEntries}. Raise limits.maxEntries only if you expect such a bundle.`,
    );
  }
  if (zip.entryCount === 0) throw new StructureError('The zip archive is empty: it holds no bag.');

  let bagName: string | undefined;
  let declaredBytes = 0;
  const names = new Map<string, string>(); // collision key -> first name
  const files = new Set<string>(); // collision keys of file entries
  const dirs = new Map<string, string>(); // collision keys of folders (explicit or implied) -> name
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entryName(entry);
      const isDir = name.endsWith('/');
      const reason = unsafeNameReason(name);
      if (reason) throw new StructureError(`Entry ${printable(name)} ${reason}.`);

      const parts = name.split('/');
      const top = parts[0];
      bagName ??= top;
      if (top !== bagName) {
        throw new StructureError(
          `Entry ${printable(name)} is outside the bag folder ${printable(bagName)}; a bundle holds exactly one top-level folder.`,
        );
      }
      if (!isDir && parts.length < 2) {
        throw new StructureError(
          `Entry ${printable(name)} is a file at the top level; a bundle holds everything inside one bag folder.`,
        );
      }

      const key = collisionKey(name);
      const clash = names.get(key);
      if (clash !== undefined) {
        throw new StructureError(
          clash === name
            ? `Entry ${printable(name)} appears twice; readers disagree on which copy counts.`
            : `Entries ${printable(clash)} and ${printable(name)} would be the same file on macOS or Windows (they differ only in letter case, Unicode form or trailing dots).`,
        );
      }
      names.set(key, name);
      if (isDir) dirs.set(key.slice(0, -1), name);
      else files.add(key);
      const keyParts = key.split('/');
      for (let i = 1; i < keyParts.length - 1; i++) {
        const prefix = keyParts.slice(0, i + 1).join('/');
        if (!dirs.has(prefix)) dirs.set(prefix, parts.slice(0, i + 1).join('/'));
      }

      if (isEncrypted(entry))
        throw new StructureError(
          `Entry ${printable(name)} is encrypted; bundles are never encrypted, so it is refused.`,
        );
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw new StructureError(
          `Entry ${printable(name)} uses compression method ${entry.compressionMethod}; bundles use only stored (0) or deflate (8).`,
        );
      }
      const type = fileType(entry);
      if (type === 'symlink')
        throw new StructureError(
          `Entry ${printable(name)} is a symbolic link; links could point outside the folder, so they are refused.`,
        );
      if (type === 'special')
        throw new StructureError(`Entry ${printable(name)} is a device, pipe or socket, not a file.`);
      if ((type === 'dir') !== isDir && type !== 'unknown') {
        throw new StructureError(
          `Entry ${printable(name)} is marked as a ${type === 'dir' ? 'folder' : 'file'} but named like a ${isDir ? 'folder' : 'file'}.`,
        );
      }
      if (isDir && (entry.uncompressedSize !== 0 || entry.compressedSize !== 0)) {
        throw new StructureError(`Folder entry ${printable(name)} carries data; the archive is malformed.`);
      }

      if (entry.uncompressedSize > limits.maxEntryBytes) {
        throw new StructureError(
          `Entry ${printable(name)} declares ${entry.uncompressedSize} bytes; the single-entry limit is ${limits.maxEntryBytes}.`,
        );
      }
      declaredBytes += entry.uncompressedSize;
      if (declaredBytes > limits.maxTotalBytes) {
        throw new StructureError(
          `The archive declares more than ${limits.maxTotalBytes} bytes in total (the limit); refused before extracting anything.`,
        );
      }
      if (
        entry.uncompressedSize > limits.ratioFloorBytes &&
        entry.uncompressedSize > limits.maxRatio * entry.compressedSize
      ) {
        throw new StructureError(bombMessage(name, entry.uncompressedSize, entry.compressedSize, limits));
      }
    }
  } catch (e) {
    throw structureFromYauzl(e);
  }

  for (const key of files) {
    const dir = dirs.get(key);
    if (dir !== undefined) throw new StructureError(`${printable(dir)} is both a file and a folder in this archive.`);
  }
  return { bagName: bagName!, entryCount: zip.entryCount, declaredBytes };
}

export function bombMessage(name: string, out: number, compressed: number, limits: ZipLimits): string {
  const ratio = compressed > 0 ? Math.round(out / compressed) : Infinity;
  return `Entry ${printable(name)} expands ${ratio}× (${compressed} bytes to ${out}+); the limit is ${limits.maxRatio}× for entries over ${limits.ratioFloorBytes} bytes. This looks like a zip bomb.`;
}
