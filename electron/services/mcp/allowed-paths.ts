/**
 * Paths an agent passes to `tokenops mcp` are confined to the folders the operator allowed with
 * `--allow DIR`, and never the data folder. Symlinks are resolved before the check, so a link inside
 * an allowed folder cannot point the server elsewhere.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { TokenOpsError } from '../../../shared/errors';
import { isInside } from '../fs/path-inside';

export class AllowedPaths {
  private constructor(
    private readonly dirs: string[],
    private readonly home: string,
  ) {}

  static async of(dirs: string[], home: string): Promise<AllowedPaths> {
    const real = await Promise.all(
      dirs.map((d) =>
        realpath(d).catch(() => {
          throw new TokenOpsError('usage', `--allow ${d}: no such folder.`);
        }),
      ),
    );
    const realHome = await realpath(home).catch(() => path.resolve(home));
    for (const d of real) {
      if (isInside(realHome, d) || isInside(d, realHome))
        throw new TokenOpsError(
          'usage',
          `--allow ${d} holds or is inside the data folder ${realHome}; allow a folder of evidence instead.`,
        );
    }
    return new AllowedPaths(real, realHome);
  }

  /** An existing file or folder to read. */
  async existing(p: string): Promise<string> {
    const real = await realpath(path.resolve(p)).catch(() => {
      throw new TokenOpsError('not_found', `No file or folder at ${p}.`);
    });
    return this.check(p, real);
  }

  /** A file to write: its folder must exist and be allowed. */
  async target(p: string): Promise<string> {
    const abs = path.resolve(p);
    const dir = await realpath(path.dirname(abs)).catch(() => {
      throw new TokenOpsError('not_found', `No folder ${path.dirname(abs)} to write ${path.basename(abs)} into.`);
    });
    return this.check(p, path.join(dir, path.basename(abs)));
  }

  private check(asked: string, real: string): string {
    if (isInside(real, this.home))
      throw new TokenOpsError(
        'input_invalid',
        `${asked} is inside the TokenOps data folder; agents may not read or write there.`,
      );
    if (!this.dirs.some((d) => isInside(real, d))) {
      throw new TokenOpsError(
        'input_invalid',
        this.dirs.length
          ? `${asked} is outside the folders this server may use (${this.dirs.join(', ')}). Ask the operator to restart tokenops mcp with --allow for its folder.`
          : `This server may not use any path: the operator starts tokenops mcp with --allow DIR for the folders an agent may use.`,
      );
    }
    return real;
  }
}
