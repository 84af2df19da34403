import { isAbsolute, relative } from 'node:path';

/** Whether `path` is `dir` or lies under it (both already resolved; compare realpaths to see through links). */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
