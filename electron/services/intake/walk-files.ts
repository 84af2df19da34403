/**
 * Expand the files and folders an operator dropped (or passed to the CLI) into a sorted list of
 * regular files. Nothing is dropped silently: every entry left out is in `skipped` with a reason.
 *
 * Decisions:
 * - Names: a dropped file is named by its base name; a dropped folder's files are named relative
 *   to that folder, always with `/` (so `tokenops pack DIR` gives the names the operator sees in DIR).
 *   Two inputs producing the same name: the first wins, the second is reported.
 * - Symbolic links inside a folder are never followed (no cycles, no escaping the folder, no file
 *   counted twice); each is reported, saying whether it points outside, inside, or nowhere.
 *   A symbolic link dropped directly is followed: the operator chose it explicitly.
 * - Hidden files are kept (".env" is exactly what the secret scan must see). Only known
 *   operating-system litter (.DS_Store, ._*, Thumbs.db, __MACOSX, …) and version-control folders
 *   are skipped, and reported.
 * - Empty files are kept, flagged `empty: true`: an empty evidence file is usually a failed export.
 * - TokenOps' own data folder is never evidence: inside a folder it is skipped and reported; named
 *   directly (or a file in it), it is refused. Its run documents, lock and intake files would be
 *   packaged and signed as the run's evidence, and its signing key copied into the run.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { TokenOpsError } from '../../../shared/errors';
import type { CancelToken, ProgressListener } from '../../../shared/progress';
import { fileSizes } from './file-sizes';
import { toReadError } from './file-hash';

export interface WalkedFile {
  absPath: string;
  /** Name inside the evidence set, `/`-separated. */
  relPath: string;
  size: number;
  empty: boolean;
}

interface SkippedEntry {
  path: string;
  reason: string;
}

export interface WalkResult {
  files: WalkedFile[];
  skipped: SkippedEntry[];
}

export interface WalkOptions {
  cancel?: CancelToken;
  /** Files found so far (total is unknown while walking, reported as equal to done). */
  onProgress?: ProgressListener;
  /** The data folder (TOKENOPS_HOME), left out of every walk. */
  dataFolder?: string;
}

const OS_LITTER_FILES = new Set(['.ds_store', 'thumbs.db', 'ehthumbs.db', 'desktop.ini', 'icon\r', '.localized']);
const OS_LITTER_DIRS = new Set([
  '__macosx',
  '.spotlight-v100',
  '.trashes',
  '.fseventsd',
  '.temporaryitems',
  '.documentrevisions-v100',
]);
const VCS_DIRS = new Set(['.git', '.svn', '.hg']);

/** Why a name is not evidence, or undefined if it may be. */
function litterReason(name: string, isDir: boolean): string | undefined {
  const lower = name.toLowerCase();
  if (isDir) {
    if (OS_LITTER_DIRS.has(lower)) return 'operating-system metadata folder, not evidence';
    if (VCS_DIRS.has(lower))
      return 'version-control folder, not evidence; add the files you mean explicitly if they belong in the bundle';
    return undefined;
  }
  if (OS_LITTER_FILES.has(lower)) return 'operating-system metadata file, not evidence';
  if (name.startsWith('._')) return 'macOS resource-fork file (AppleDouble), not evidence';
  return undefined;
}

export async function walkFiles(paths: readonly string[], opts: WalkOptions = {}): Promise<WalkResult> {
  const byName = new Map<string, WalkedFile>();
  const skipped: SkippedEntry[] = [];
  const own = opts.dataFolder ? await realpath(opts.dataFolder).catch(() => resolve(opts.dataFolder!)) : undefined;

  const add = (absPath: string, relPath: string, size: number) => {
    const existing = byName.get(relPath);
    if (existing) {
      skipped.push({
        path: absPath,
        reason:
          existing.absPath === absPath
            ? `listed twice; kept once as ${relPath}`
            : `same name "${relPath}" as ${existing.absPath}; rename one of them and add it again`,
      });
      return;
    }
    byName.set(relPath, { absPath, relPath, size, empty: size === 0 });
    opts.onProgress?.({ phase: 'walk', done: byName.size, total: byName.size, unit: 'files', detail: relPath });
  };

  for (const input of paths) {
    throwIfCancelled(opts.cancel);
    const abs = resolve(input);
    let st;
    try {
      // Follows a dropped symlink on purpose (see the header).
      st = await stat(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && (await isLink(abs))) {
        skipped.push({ path: abs, reason: 'broken symbolic link (its target does not exist)' });
        continue;
      }
      throw toReadError(e, abs);
    }
    const name = basename(abs);
    const real = await realpath(abs);
    if (own && (real === own || real.startsWith(own + sep)))
      throw new TokenOpsError(
        'input_invalid',
        `${abs} is in TokenOps' data folder (${own}): its runs, keys and ledgers are never evidence. Give the evidence from outside it.`,
      );
    if (st.isDirectory()) {
      const why = litterReason(name, true);
      if (why) skipped.push({ path: abs, reason: why });
      else await walkDir(abs, real, '', add, skipped, opts.cancel, own);
    } else if (st.isFile()) {
      const why = litterReason(name, false);
      if (why) skipped.push({ path: abs, reason: why });
      else add(abs, name, st.size);
    } else {
      // Named on purpose, yet not a file: reading a pipe or a device would hang or never end. Refuse at once.
      throw new TokenOpsError(
        'input_invalid',
        `${abs} is ${specialFileReason(st)}. Give the file itself, or a folder of files.`,
      );
    }
  }

  const files = [...byName.values()].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { files, skipped };
}

async function walkDir(
  dir: string,
  rootReal: string,
  rel: string,
  add: (absPath: string, relPath: string, size: number) => void,
  skipped: SkippedEntry[],
  cancel: CancelToken | undefined,
  own: string | undefined,
): Promise<void> {
  throwIfCancelled(cancel);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    skipped.push({
      path: dir,
      reason:
        undecodableName(basename(dir), e) ??
        `folder could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); check its permissions and add it again`,
    });
    return;
  }
  const sizes = await fileSizes(
    dir,
    entries.filter((e) => e.isFile() && !litterReason(e.name, false)).map((e) => e.name),
  );
  for (const entry of entries) {
    const abs = join(dir, entry.name);
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) {
      skipped.push({ path: abs, reason: await symlinkReason(abs, rootReal) });
    } else if (entry.isDirectory()) {
      // Links are not followed below the root, so a folder's real path is the root's and its own name.
      const why =
        own === join(rootReal, childRel)
          ? "TokenOps' data folder (runs, keys, ledgers), never evidence"
          : litterReason(entry.name, true);
      if (why) skipped.push({ path: abs, reason: why });
      else await walkDir(abs, rootReal, childRel, add, skipped, cancel, own);
    } else if (entry.isFile()) {
      const why = litterReason(entry.name, false);
      if (why) {
        skipped.push({ path: abs, reason: why });
        continue;
      }
      const size = sizes.get(entry.name);
      if (typeof size === 'number') add(abs, childRel, size);
      else
        skipped.push({
          path: abs,
          reason:
            undecodableName(entry.name, size) ??
            `file could not be read (${(size as NodeJS.ErrnoException | undefined)?.code ?? 'error'}); check it and add it again`,
        });
    } else {
      skipped.push({
        path: abs,
        reason: 'not a regular file (socket, pipe or device); only regular files can be evidence',
      });
    }
  }
}

async function symlinkReason(link: string, rootReal: string): Promise<string> {
  let target: string;
  try {
    target = await realpath(link);
  } catch {
    return 'broken symbolic link (its target does not exist)';
  }
  if (target === rootReal || target.startsWith(rootReal + sep)) {
    return `symbolic link to ${relative(rootReal, target) || '.'} inside the same folder; links are not followed, the target is listed under its own name`;
  }
  return `symbolic link to ${target}, outside the folder you added; links are not followed, copy the file in if it belongs to the evidence`;
}

/**
 * Node reads a folder's names as UTF-8: a name in another encoding (Latin-1 `März.json` from an old
 * Windows zip) comes back with U+FFFD in place of its bytes, and no file has that name. Say so, and how
 * to fix it, rather than "could not be read (ENOENT)".
 */
function undecodableName(name: string, e: unknown): string | undefined {
  if (!name.includes('\uFFFD') || (e as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') return undefined;
  return 'its name is not valid UTF-8 (an export from a system that writes Latin-1 or another code page), so it cannot be opened by that name; rename it (convmv -f latin1 -t utf8 --notest, or in a file manager) and add it again';
}

function specialFileReason(st: { isSocket(): boolean; isFIFO(): boolean }): string {
  const kind = st.isSocket() ? 'a socket' : st.isFIFO() ? 'a pipe' : 'a device';
  return `${kind}, not a regular file; only regular files can be evidence`;
}

async function isLink(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

function throwIfCancelled(cancel: CancelToken | undefined): void {
  if (cancel?.cancelled)
    throw new TokenOpsError('cancelled', 'Listing the files was cancelled. Add them again to continue.');
}
