import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The data directory: the same per-user folder for the desktop app and the CLI,
 * so an operator sees in the app what an agent did on the command line.
 * Order: explicit `--home`, then `TOKENOPS_HOME`, then the platform's per-user app-data folder.
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.TOKENOPS_HOME) return resolve(env.TOKENOPS_HOME);
  const os = platform();
  if (os === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'TokenOps');
  if (os === 'darwin') return join(homedir(), 'Library', 'Application Support', 'TokenOps');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'tokenops');
}

/** Where everything lives under the data directory. One place, so no service invents its own paths. */
export function homeLayout(home: string) {
  return {
    home,
    files: join(home, 'files'),
    runFiles: (runId: string) => join(home, 'files', runId),
    staging: join(home, 'staging'),
    exports: join(home, 'exports'),
    replays: join(home, 'replays'),
    creditLedger: join(home, 'ledger', 'credits.jsonl'),
    receiptLedger: join(home, 'ledger', 'receipts.jsonl'),
    /** What the ledgers held when last seen (outside ledger/ on purpose: see ledger/seen-heads.ts). */
    seenLedgerHeads: join(home, 'state', 'ledger-seen.json'),
  };
}
export type HomeLayout = ReturnType<typeof homeLayout>;
