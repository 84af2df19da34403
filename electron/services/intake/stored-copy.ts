import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunFile } from '../../../shared/domain/run';
import { readRange } from '../fs/read-range';

/** Where a run file's stored bytes are: a file of its own, or a range of an intake pack (intake-pack.ts). */
export interface StoredCopy {
  path: string;
  /** Set for a copy inside a pack: its bytes are [offset, offset + size) of `path`. */
  offset?: number;
  size: number;
}

export function storedCopy(home: string, f: Pick<RunFile, 'stored_path' | 'stored_offset' | 'size'>): StoredCopy {
  return {
    path: join(home, f.stored_path),
    ...(f.stored_offset !== undefined ? { offset: f.stored_offset } : {}),
    size: f.size,
  };
}

/**
 * A stored copy's bytes. For a copy in a pack, exactly its range: a pack cut short gives fewer bytes, and
 * the caller's size or digest check says so.
 */
export function readStoredCopy(copy: StoredCopy): Promise<Buffer> {
  return copy.offset === undefined ? readFile(copy.path) : readRange(copy.path, copy.offset, copy.offset + copy.size);
}
