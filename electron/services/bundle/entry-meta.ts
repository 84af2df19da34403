import yauzl from 'yauzl';
import { StructureError } from './structure-error';

const UTF8_FLAG = 0x800;
const UNICODE_PATH_FIELD = 0x7075; // Info-ZIP: a second, UTF-8 copy of the name
const ENCRYPTED_FLAGS = 0x1 | 0x40;
const UNIX_HOSTS = new Set([3 /* unix */, 19 /* OS X */]);
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/**
 * Decodes an entry name from its raw bytes, refusing names whose meaning depends on the reader:
 * invalid UTF-8, non-ASCII names without the UTF-8 flag (CP437 or locale?), and names that
 * disagree with an Info-ZIP Unicode Path field.
 */
export function entryName(entry: yauzl.Entry): string {
  const raw = entry.fileNameRaw;
  const shown = JSON.stringify(raw.toString('latin1'));
  let name: string;
  if (entry.generalPurposeBitFlag & UTF8_FLAG) {
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new StructureError(`Entry ${shown} has a file name that is not valid UTF-8.`);
    }
  } else if (raw.every((b) => b < 0x80)) {
    name = raw.toString('latin1');
  } else {
    throw new StructureError(
      `Entry ${shown} has a non-ASCII file name without the UTF-8 flag, so different tools would read different names.`,
    );
  }
  const hasUnicodeField = entry.extraFields.some((f) => f.id === UNICODE_PATH_FIELD);
  const viaUnicodeField = hasUnicodeField
    ? yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true)
    : name;
  if (viaUnicodeField !== name) {
    throw new StructureError(
      `Entry ${JSON.stringify(name)} also carries the different name ${JSON.stringify(viaUnicodeField)} in a Unicode Path field; tools disagree on which to use.`,
    );
  }
  return name;
}

export function isEncrypted(entry: yauzl.Entry): boolean {
  return (entry.generalPurposeBitFlag & ENCRYPTED_FLAGS) !== 0;
}

const DOS_REPARSE_POINT = 0x400; // how Windows archivers mark symlinks and junctions

/** The file type recorded in the external attributes (Unix mode, or DOS attributes elsewhere). */
export function fileType(entry: yauzl.Entry): 'file' | 'dir' | 'symlink' | 'special' | 'unknown' {
  if (!UNIX_HOSTS.has(entry.versionMadeBy >>> 8))
    return entry.externalFileAttributes & DOS_REPARSE_POINT ? 'symlink' : 'unknown';
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type === 0) return 'unknown';
  if (type === S_IFREG) return 'file';
  if (type === S_IFDIR) return 'dir';
  if (type === S_IFLNK) return 'symlink';
  return 'special';
}
