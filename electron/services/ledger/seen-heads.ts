/**
 * The ledger heads this home last saw: entry count and last hash of each ledger, kept in
 * `state/ledger-seen.json`, outside `ledger/`, so deleting or truncating the ledger files does not
 * also delete the memory of what they held. The signed head catches an edit of the chain; only this
 * catches a ledger that vanished whole (credits would silently reset to the grants).
 */
import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { durableWriteFile } from '../fs/durable-write';

export type LedgerName = 'credit ledger' | 'receipt ledger';

interface Head {
  count: number;
  hash: string | null;
  at: string;
}

type Seen = Partial<Record<LedgerName, Head>>;

export async function readSeenHeads(file: string): Promise<Seen> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Seen;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
}

/** Why `lines` cannot be the ledger last seen, or null when it is that ledger or a later one. */
export function departureFromSeen(
  name: LedgerName,
  lines: ReadonlyArray<{ hash: string }>,
  seen: Head | undefined,
): string | null {
  if (!seen || seen.count === 0) return null;
  if (lines.length < seen.count) {
    return (
      `${name} holds ${lines.length} entr${lines.length === 1 ? 'y' : 'ies'}, but ${seen.count} were seen on ${seen.at}: ` +
      'entries were deleted (or the ledger files replaced). Restore the ledger folder from a backup; until then nothing is debited or packaged.'
    );
  }
  if (lines[seen.count - 1]!.hash !== seen.hash) {
    return (
      `${name} entry ${seen.count} is not the one seen on ${seen.at}: the ledger was rewritten or replaced. ` +
      'Restore the ledger folder from a backup; until then nothing is debited or packaged.'
    );
  }
  return null;
}

export async function rememberHeads(
  file: string,
  heads: Record<LedgerName, ReadonlyArray<{ hash: string }>>,
  at: string,
): Promise<void> {
  const seen: Seen = {};
  for (const [name, lines] of Object.entries(heads) as Array<[LedgerName, ReadonlyArray<{ hash: string }>]>) {
    seen[name] = { count: lines.length, hash: lines.at(-1)?.hash ?? null, at };
  }
  await mkdir(path.dirname(file), { recursive: true });
  await durableWriteFile(file, `${JSON.stringify(seen, null, 2)}\n`);
}
