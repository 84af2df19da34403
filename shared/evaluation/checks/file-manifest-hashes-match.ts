/**
 * (g) A file manifest describes files without exposing them; when a described file is also in the run,
 * its SHA-256 and size must be the manifest's. Entries for files not in the run are not checked.
 */
import type { FileManifestEntry } from '../../domain/evidence';
import type { RunFile } from '../../domain/run';
import type { RunContext } from '../context';
import { type CheckOutcome, type Issue, label, notApplicable, passOrFail, plural } from './types';

const ID = 'file_manifest_hashes_match';

export function checkFileManifestHashesMatch(ctx: RunContext): CheckOutcome {
  const manifests = ctx.of('files');
  if (manifests.length === 0) return notApplicable(ID, 'No file manifest received.');

  const byName = filesByName(ctx.files);
  const issues: Issue[] = [];
  let compared = 0;
  for (const m of manifests) {
    const manifestId = label(m.record.manifest_id, m.evidence_id);
    for (const entry of Array.isArray(m.record.files) ? m.record.files : []) {
      const sameName =
        typeof entry?.name === 'string' ? (byName.get(entry.name) ?? byName.get(baseName(entry.name)) ?? []) : [];
      if (sameName.length === 0) continue;
      compared++;
      if (sameName.some((f) => sameHash(entry, f) && entry.size === f.size)) continue;
      const file = sameName[0];
      issues.push(mismatch(manifestId, entry, file));
    }
  }
  if (compared === 0) return notApplicable(ID, 'No file-manifest entry names a file that is in the run.');
  return passOrFail(
    ID,
    issues,
    `${compared} file-manifest ${plural(compared, 'entry matches', 'entries match')} the run's files by SHA-256 and size.`,
  );
}

/** Run files by name; a manifest entry may carry a path (`data/x.json`) where run files carry a bare name. */
function filesByName(files: readonly RunFile[]): Map<string, RunFile[]> {
  const map = new Map<string, RunFile[]>();
  for (const f of files) {
    const same = map.get(f.name);
    if (same) same.push(f);
    else map.set(f.name, [f]);
  }
  return map;
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

function sameHash(entry: FileManifestEntry, file: RunFile): boolean {
  return typeof entry.sha256 === 'string' && entry.sha256.toLowerCase() === String(file.sha256).toLowerCase();
}

function mismatch(manifestId: string, entry: FileManifestEntry, file: RunFile): Issue {
  const hashDiffers = !sameHash(entry, file);
  const sizeDiffers = entry.size !== file.size;
  const listed = [hashDiffers ? `SHA-256 ${entry.sha256}` : '', sizeDiffers ? `${entry.size} bytes` : '']
    .filter(Boolean)
    .join(' and ');
  const actual = [hashDiffers ? `SHA-256 ${file.sha256}` : '', sizeDiffers ? `${file.size} bytes` : '']
    .filter(Boolean)
    .join(' and ');
  return {
    open_item: `File manifest ${manifestId} lists ${entry.name} with ${listed}, but the run's file ${file.name} has ${actual}.`,
    action: `Correct the entry for ${entry.name} in file manifest ${manifestId} (the run's file has ${actual}), or replace ${file.name} with the file the manifest describes.`,
  };
}
