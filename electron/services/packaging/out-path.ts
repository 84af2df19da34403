/**
 * Where a bundle may be written when the operator names the path (`--out`, the app's save dialog).
 * Never inside the data folder: `--out <home>/keys/signing-key.pem` once overwrote the signing key and
 * bricked the home. Never over a folder, a pipe or a device. Never over an existing file that is not a
 * TokenOps bundle unless the operator says so (`--force`): a typo must not destroy a document.
 */
import { isInside } from '../fs/path-inside';
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { TokenOpsError } from '../../../shared/errors';

export async function checkOutPath(outPath: string, home: string, opts: { force?: boolean } = {}): Promise<string> {
  const target = resolve(outPath);
  // Compare real paths, so a symlink or `..` cannot lead back into the data folder.
  const realHome = await realpath(home).catch(() => resolve(home));
  const realTarget = join(await realpath(dirname(target)).catch(() => dirname(target)), basename(target));
  if (isInside(realTarget, realHome)) {
    throw new TokenOpsError(
      'usage',
      `--out ${outPath} is inside the data folder (${realHome}), where it could overwrite TokenOps' own files. Choose a path outside it.`,
    );
  }
  const st = await stat(target).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw new TokenOpsError('input_invalid', `Cannot write the bundle to ${outPath}: ${e.code ?? e.message}.`);
  });
  if (!st) return target;
  if (st.isDirectory())
    throw new TokenOpsError(
      'usage',
      `--out ${outPath} is a folder. Give a file path for the bundle, such as ${join(outPath, 'result.tokenops.zip')}.`,
    );
  if (!st.isFile())
    throw new TokenOpsError(
      'usage',
      `--out ${outPath} is not a regular file (a pipe, socket or device). Give a file path for the bundle.`,
    );
  if (!opts.force && !(await looksLikeBundle(target))) {
    throw new TokenOpsError(
      'conflict',
      `--out ${outPath} exists and is not a TokenOps bundle; it is left as it is. Choose another path, or add --force to overwrite it.`,
    );
  }
  return target;
}

/** A zip whose first entry is a bag's `bagit.txt` or a bag folder (how writeBundle lays bundles out). */
async function looksLikeBundle(file: string): Promise<boolean> {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const head = Buffer.alloc(30 + 512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < 30 || head.readUInt32LE(0) !== 0x04034b50) return false;
    const nameLength = head.readUInt16LE(26);
    const name = head.subarray(30, Math.min(bytesRead, 30 + nameLength)).toString('utf8');
    return /^tokenops-[^/]+\//.test(name);
  } finally {
    await handle.close();
  }
}
