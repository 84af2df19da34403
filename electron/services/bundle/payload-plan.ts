import { promises as fs, type Stats } from 'node:fs';
import { TokenOpsError } from '../../../shared/errors';
import type { BundlePayloadItem } from './bundle-types';
import { collisionKey, printable, unsafeNameReason } from './entry-name';
import { DEFAULT_ZIP_LIMITS } from './zip-limits';
import { PAYLOAD_DIR } from './bag-layout';

export interface PlannedItem {
  item: BundlePayloadItem;
  /** Path inside the bag, e.g. "data/files/a.pdf". */
  bagPath: string;
  size: number;
}

/** Room left for the tag files the writer adds beside the payload. */
const TAG_ENTRIES = 8;

/**
 * Checks names and sizes before a byte is written, so the writer never produces a bundle its own
 * verifier would refuse under default limits. Files are stat'ed one by one, never opened here.
 */
export async function planPayload(
  bagName: string,
  payload: BundlePayloadItem[],
): Promise<{ items: PlannedItem[]; totalBytes: number }> {
  const bagReason = bagName.includes('/') ? 'contains a /' : unsafeNameReason(bagName);
  if (bagReason)
    throw new TokenOpsError(
      'input_invalid',
      `Bundle folder name ${printable(bagName)} ${bagReason}; use a single plain name such as "tokenops-<run id>".`,
    );
  if (payload.length === 0) throw new TokenOpsError('input_invalid', 'Nothing to export: the bundle payload is empty.');
  if (payload.length + TAG_ENTRIES > DEFAULT_ZIP_LIMITS.maxEntries) {
    throw new TokenOpsError(
      'input_invalid',
      `${payload.length} payload files exceed what a bundle may hold (${DEFAULT_ZIP_LIMITS.maxEntries - TAG_ENTRIES}); split the evidence across runs.`,
    );
  }

  const seen = new Map<string, string>();
  const items: PlannedItem[] = [];
  // Copies in one intake pack share a file: it is stat'ed once, not once per copy.
  const stats = new Map<string, Promise<Stats>>();
  let totalBytes = 0;
  for (const item of payload) {
    const reason = item.path.endsWith('/') ? 'ends with /' : unsafeNameReason(item.path);
    if (reason)
      throw new TokenOpsError(
        'input_invalid',
        `Payload path ${printable(item.path)} ${reason}; give the file a plain relative name.`,
      );
    const key = collisionKey(item.path);
    const clash = seen.get(key);
    if (clash !== undefined) {
      throw new TokenOpsError(
        'input_invalid',
        `Payload paths ${printable(clash)} and ${printable(item.path)} would be the same file on macOS or Windows (they differ only in letter case, Unicode form or trailing dots); rename one of them.`,
      );
    }
    seen.set(key, item.path);

    const size = item.source.kind === 'bytes' ? item.source.data.byteLength : await statFile(item, stats);
    if (size > DEFAULT_ZIP_LIMITS.maxEntryBytes) {
      throw new TokenOpsError(
        'input_invalid',
        `Payload file ${printable(item.path)} is ${size} bytes; a bundle entry may be at most ${DEFAULT_ZIP_LIMITS.maxEntryBytes} bytes.`,
      );
    }
    totalBytes += size;
    items.push({ item, bagPath: PAYLOAD_DIR + item.path, size });
  }
  if (totalBytes > DEFAULT_ZIP_LIMITS.maxTotalBytes) {
    throw new TokenOpsError(
      'input_invalid',
      `The payload totals ${totalBytes} bytes; a bundle may hold at most ${DEFAULT_ZIP_LIMITS.maxTotalBytes}. Split the evidence across runs.`,
    );
  }
  return { items, totalBytes };
}

async function statFile(item: BundlePayloadItem, stats: Map<string, Promise<Stats>>): Promise<number> {
  if (item.source.kind !== 'file') throw new Error('unreachable');
  const src = item.source;
  let st;
  try {
    let stat = stats.get(src.path);
    if (!stat) {
      stat = fs.stat(src.path);
      stats.set(src.path, stat);
    }
    st = await stat;
  } catch (e) {
    throw sourceError(item, e);
  }
  if (!st.isFile())
    throw new TokenOpsError(
      'input_invalid',
      `Evidence ${printable(src.path)} (for ${printable(item.path)}) is not a regular file.`,
    );
  if (src.offset !== undefined) {
    // A copy inside an intake pack: the pack must still reach the copy's end.
    const size = src.expectedSize ?? 0;
    if (st.size < src.offset + size)
      throw new TokenOpsError(
        'conflict',
        `File ${printable(item.path)} changed since it was added to the run: the pack ${printable(src.path)} that holds its ${size} bytes at offset ${src.offset} is now only ${st.size} bytes. Exclude the file from the run (tokenops file exclude), add the original again, then export.`,
      );
    return size;
  }
  if (src.expectedSize !== undefined && st.size !== src.expectedSize) {
    throw new TokenOpsError(
      'conflict',
      `File ${printable(src.path)} changed since it was added to the run: it is now ${st.size} bytes, not ${src.expectedSize}. Restore the original or add the file to the run again, then export.`,
    );
  }
  return st.size;
}

/** Turns an fs error on an evidence file into a message naming the file and the fix. */
export function sourceError(item: BundlePayloadItem, e: unknown): TokenOpsError {
  if (e instanceof TokenOpsError) return e;
  const src = item.source.kind === 'file' ? item.source.path : item.path;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new TokenOpsError(
      'not_found',
      `Evidence file ${printable(src)} no longer exists. Restore it or remove it from the run, then export again.`,
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new TokenOpsError('input_invalid', `Evidence file ${printable(src)} cannot be read: permission denied.`);
  return new TokenOpsError('input_invalid', `Evidence file ${printable(src)} cannot be read: ${(e as Error).message}`);
}
