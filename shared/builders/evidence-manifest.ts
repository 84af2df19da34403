/** The evidence manifest: every packaged record and file, where it came from and where it lies in the bundle. */
import type { EvidenceItem } from '../domain/evidence';
import type { EvidenceManifest } from '../domain/outputs';
import type { PreRun, RunFile } from '../domain/run';
import { sortBy, usableEvidence, usableFiles } from '../evaluation/context';
import { compact } from './evidence-view';

export interface EvidenceManifestInput {
  run_id: string;
  now: string;
  pre_run: PreRun;
  evidence: EvidenceItem[];
  files: RunFile[];
  /** Payload paths are the bundle writer's to decide; these defaults keep ids unique. */
  recordPath?: (item: EvidenceItem) => string;
  filePath?: (file: RunFile) => string;
}

const defaultRecordPath = (item: EvidenceItem): string => `records/${item.evidence_id}.json`;
const defaultFilePath = (file: RunFile): string => `files/${file.file_id}/${file.name}`;

export function buildEvidenceManifest(input: EvidenceManifestInput): EvidenceManifest {
  const recordPath = input.recordPath ?? defaultRecordPath;
  const filePath = input.filePath ?? defaultFilePath;
  const files = sortBy(usableFiles(input.files), (f) => f.name);
  const nameOf = new Map(files.map((f) => [f.file_id, f.name]));
  return {
    manifest_type: 'tokenops_evidence_manifest',
    run_id: input.run_id,
    generated_at: input.now,
    pre_run: compact({ ...input.pre_run }),
    records: usableEvidence(input.evidence, input.files).map((e) =>
      compact({
        evidence_id: e.evidence_id,
        kind: e.record?.kind ?? e.kind,
        format: e.format,
        source: e.source,
        file: e.file_id !== undefined ? nameOf.get(e.file_id) : undefined,
        row: e.row,
        path: recordPath(e),
      }),
    ),
    files: files.map((f) => ({
      name: f.name,
      size: f.size,
      sha256: f.sha256.toLowerCase(),
      media_type: f.media_type,
      path: filePath(f),
      scan_status: f.scan.status,
    })),
  };
}
