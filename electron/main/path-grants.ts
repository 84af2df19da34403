/**
 * Paths the operator chose in this session, behind opaque tokens.
 *
 * The renderer is the least trusted part of the app: a page that was made to run foreign script must not be
 * able to copy `/proc/self/environ` into the data folder, walk `/`, or write a bundle over the signing key.
 * So main never takes a path from the renderer. Its own dialogs and the preload's drop handler hand paths to
 * `issue`, the renderer gets back a random token, and every channel that touches the disk resolves tokens
 * here. A token names one path with one access (a save-dialog grant may be written, an open-dialog or drop
 * grant only read), lives as long as the window's session, and cannot be guessed (128 random bits).
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, resolve, sep } from 'node:path';
import { TokenOpsError } from '../../shared/errors';
import type { PathGrant } from '../../shared/ipc/contract';

type Access = 'read' | 'write';

/** Enough for any session (each pick or drop adds a few); the oldest grants go first. */
const MAX_GRANTS = 20_000;

export class PathGrants {
  private readonly table = new Map<string, { path: string; access: Access }>();

  /** Grants `access` to `path` (made absolute) and returns what the renderer may hold. */
  issue(path: string, access: Access): PathGrant {
    const absolute = resolve(path);
    const token = `pg_${randomBytes(16).toString('base64url')}`;
    this.table.set(token, { path: absolute, access });
    if (this.table.size > MAX_GRANTS) this.table.delete(this.table.keys().next().value as string);
    return { token, name: basename(absolute) || absolute, display: displayPath(absolute) };
  }

  /**
   * The path behind `token`, or a refusal a person can act on. A write grant also reads (the saved
   * bundle can be shown in its folder); a read grant never writes.
   */
  resolve(token: string, access: Access): string {
    const grant = this.table.get(token);
    if (!grant) {
      throw new TokenOpsError(
        'usage',
        'Refused: that file was not chosen in this window. Choose it again with the file dialog or drop it on the window.',
      );
    }
    if (access === 'write' && grant.access !== 'write') {
      throw new TokenOpsError(
        'usage',
        `Refused: ${grant.path} was chosen to be read, not written. Choose where to save with the save dialog.`,
      );
    }
    return grant.path;
  }
}

/** The path with the home folder shown as ~, which is how operators read their own paths. */
function displayPath(absolute: string): string {
  const home = homedir();
  return home && (absolute === home || absolute.startsWith(home + sep)) ? '~' + absolute.slice(home.length) : absolute;
}
