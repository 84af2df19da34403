import { closeSync, constants, fstat, open, promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import { TokenOpsError } from '../../../shared/errors';
import { StructureError } from './structure-error';
import { FileReader } from './file-reader';

/**
 * Opens a zip for strict reading: names stay raw bytes (we decode and judge them ourselves),
 * sizes are validated while streaming, and nothing is read until asked (lazyEntries).
 * Throws TokenOpsError for a path that cannot be read at all, StructureError for a file that
 * is there but is not an acceptable zip.
 */
export async function openZip(file: string): Promise<yauzl.ZipFile> {
  let fd: number;
  let size: number;
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new TokenOpsError('input_invalid', `${file} is a folder, not a bundle file.`);
    // Non-blocking: opening a pipe waits for a writer forever; here it returns, and fstat says what it is.
    fd = await openFd(file); // a raw fd: a FileHandle would be closed by GC behind yauzl's back
    const opened = await fstatFd(fd); // what we opened, not what the path said
    if (!opened.isFile()) {
      closeSync(fd);
      throw new TokenOpsError(
        'input_invalid',
        `${file} is not a regular file (a pipe, socket or device), so it is not a bundle. Give the bundle's .zip file.`,
      );
    }
    size = opened.size;
  } catch (e) {
    if (e instanceof TokenOpsError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new TokenOpsError('not_found', `No bundle at ${file}. Check the path.`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new TokenOpsError('input_invalid', `Cannot read ${file}: permission denied.`);
    throw new TokenOpsError('input_invalid', `Cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    if (size === 0)
      throw new StructureError(
        'The file is empty (0 bytes), so it is not a zip archive. The export or download did not complete; get the bundle again.',
      );
    return await yauzl.fromRandomAccessReaderPromise(new FileReader(fd, size), size, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
      strictFileNames: true,
      autoClose: false,
    });
  } catch (e) {
    closeSync(fd);
    if (e instanceof StructureError) throw e;
    throw new StructureError(await describeOpenError(file, (e as Error).message));
  }
}

const openFd = (file: string) =>
  new Promise<number>((resolve, reject) =>
    open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0), (err, fd) => (err ? reject(err) : resolve(fd))),
  );
const fstatFd = promisify(fstat);

async function describeOpenError(file: string, msg: string): Promise<string> {
  const looksLikeZip = (await readHead(file)).equals(Buffer.from('PK\x03\x04', 'latin1'));
  if (/end of central directory record signature not found|unexpected EOF/i.test(msg)) {
    return looksLikeZip
      ? 'The file starts like a zip archive but its end is missing: it is truncated (an interrupted copy or download). Get the bundle again.'
      : 'This is not a zip archive (no zip directory found). A TokenOps bundle is a .zip file.';
  }
  if (/comment length/i.test(msg))
    return 'The zip archive has extra bytes after its end record, or a damaged end record; it was altered or damaged after it was written.';
  if (/multi-disk/i.test(msg)) return 'This is a multi-part (split) zip archive; TokenOps bundles are single files.';
  return `The zip archive's directory is damaged: ${msg}.`;
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** yauzl reports central-directory problems as plain errors; they are structure failures. */
export function structureFromYauzl(e: unknown): StructureError | TokenOpsError {
  if (e instanceof StructureError || e instanceof TokenOpsError) return e;
  const msg = (e as Error).message;
  if (/strong encryption/i.test(msg))
    return new StructureError(
      'The archive contains an encrypted entry (strong encryption); bundles are never encrypted, so it is refused.',
    );
  if (/compressed\/uncompressed size mismatch/i.test(msg))
    return new StructureError(`An entry's declared sizes are inconsistent (${msg}); the archive is malformed.`);
  if (/unexpected EOF|overflows file bounds/i.test(msg))
    return new StructureError(
      `The archive is truncated or damaged: an entry runs past the end of the file (${msg}). Get the bundle again.`,
    );
  if (/local file header signature/i.test(msg))
    return new StructureError(
      `The archive is damaged: an entry's local header is missing where the zip directory points (${msg}).`,
    );
  return new StructureError(`The zip archive's directory is damaged: ${msg}.`);
}
