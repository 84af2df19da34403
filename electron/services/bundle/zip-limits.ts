/**
 * Caps that keep verification bounded on hostile input. Counted on the bytes actually
 * decompressed while streaming, not only on the sizes the headers declare.
 */
export interface ZipLimits {
  /** Entries in the central directory (directories included). */
  maxEntries: number;
  /** Sum of decompressed bytes over all entries. */
  maxTotalBytes: number;
  /** Decompressed bytes of any single entry. */
  maxEntryBytes: number;
  /** Decompressed / compressed size, enforced for entries past `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Tag files (manifests, envelope) are parsed in memory, so they get their own cap. */
  maxTagFileBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

// Sized for real bundles: 200k manifest lines is ~25 MiB of manifest, evidence is mostly
// already-compressed media (ratio near 1), and 64 GiB is far above any run we expect.
export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntries: 200_000,
  maxTotalBytes: 64 * GiB,
  maxEntryBytes: 32 * GiB,
  maxRatio: 200,
  ratioFloorBytes: 1 * MiB,
  maxTagFileBytes: 128 * MiB,
});

export function resolveLimits(limits?: Partial<ZipLimits>): ZipLimits {
  const out = { ...DEFAULT_ZIP_LIMITS };
  for (const [k, v] of Object.entries(limits ?? {})) {
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) (out as Record<string, number>)[k] = v;
  }
  return out;
}
