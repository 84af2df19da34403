import { fsyncDirectory } from '../fs/durable-write';
import { constants as fsc, promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { TokenOpsError } from '../../../shared/errors';

/** Where a home keeps its signing key. One key per home; the `.enc` form is wrapped by a KeyProtector. */
export function keyPaths(home: string): { dir: string; pem: string; enc: string } {
  const dir = path.join(home, 'keys');
  return { dir, pem: path.join(dir, 'signing-key.pem'), enc: path.join(dir, 'signing-key.enc') };
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

// Mode bits mean nothing on Windows (ACLs govern access there), so the ssh-style check is POSIX only.
const CHECK_MODE = process.platform !== 'win32';

/**
 * Reads a private key file, refusing it (like ssh's "UNPROTECTED PRIVATE KEY FILE") when group or
 * others have any access, or when another user owns it. Stat and read use the same descriptor so
 * the file checked is the file read.
 */
export async function readKeyFile(file: string): Promise<Buffer> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      throw new TokenOpsError(
        'input_invalid',
        `Signing key ${file} is a symbolic link; replace it with the key file itself.`,
      );
    if (code === 'EACCES')
      throw new TokenOpsError(
        'input_invalid',
        `Cannot read signing key ${file}: permission denied. It must be owned and readable by the user running TokenOps.`,
      );
    throw e;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new TokenOpsError('input_invalid', `Signing key ${file} is not a regular file.`);
    if (CHECK_MODE) {
      const uid = process.getuid?.();
      if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
        throw new TokenOpsError(
          'input_invalid',
          `Signing key ${file} is owned by another user (uid ${st.uid}). Private keys must belong to you: run \`chown ${uid} '${file}'\` or use your own --home.`,
        );
      }
      if ((st.mode & 0o077) !== 0) {
        const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
        throw new TokenOpsError(
          'input_invalid',
          `Signing key ${file} has permissions ${mode}: other users can access it, so it is refused. Private keys must be readable only by you. Fix it with: chmod 600 '${file}'`,
        );
      }
    }
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/**
 * Durably creates `file` with `data` (mode 0600) unless it already exists: temp file, fsync, then a
 * hard link, which fails if another process won the race (rename would silently replace its key).
 * Returns false when the file already existed and ours was discarded.
 */
export async function createKeyFileExclusive(file: string, data: Buffer): Promise<boolean> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.chmod(0o600); // the umask can only remove bits, but be explicit
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.link(tmp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      await fs.rm(tmp, { force: true });
      return false;
    }
    // File systems without hard links: fall back to rename, guarded by an existence check.
    if (await exists(file)) {
      await fs.rm(tmp, { force: true });
      return false;
    }
    await fs.rename(tmp, file);
    await fsyncDirectory(dir);
    return true;
  }
  await fs.rm(tmp, { force: true });
  await fsyncDirectory(dir);
  return true;
}
