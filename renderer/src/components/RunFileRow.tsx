import type { RunFile } from '../../../shared/domain/run';
import { formatBytes, humanize, shortHash } from '../format';
import { Badge } from './Badge';
import { Icon } from './Icon';

const SCAN: Record<RunFile['scan']['status'], { tone: 'ok' | 'bad' | 'warn' | 'info'; label: string }> = {
  clean: { tone: 'ok', label: 'No secrets' },
  findings: { tone: 'bad', label: 'Secret found' },
  unscannable: { tone: 'warn', label: 'Not scannable' },
  attested: { tone: 'info', label: 'Attested' },
};

/** A file the run holds: size, hash, secret scan, and what it was read as. */
export function RunFileRow({ file }: { file: RunFile }) {
  const scan = file.excluded
    ? { tone: 'neutral' as const, label: 'Excluded' }
    : (SCAN[file.scan.status] ?? { tone: 'neutral' as const, label: file.scan.status });
  return (
    <li className={`file-row${file.excluded ? ' excluded' : ''}`}>
      <span className="file-icon">
        <Icon name="file" />
      </span>
      <div className="file-main">
        <div className="row">
          <span className="file-name break">{file.name}</span>
          <Badge tone={scan.tone}>{scan.label}</Badge>
          {file.classified_as ? (
            <span className="chip">
              Read as {humanize(file.classified_as.kind).toLowerCase()}
              {file.classified_as.records > 1 ? ` ×${file.classified_as.records}` : ''}
            </span>
          ) : (
            <span className="chip">Kept as a file</span>
          )}
        </div>
        <div className="subtle">
          {formatBytes(file.size)} · {file.media_type} ·{' '}
          <span className="mono" title={file.sha256}>
            sha256 {shortHash(file.sha256)}
          </span>
        </div>
        {file.problem && <div className="file-problem">{file.problem}</div>}
        {file.excluded && <div className="subtle">Excluded: {file.excluded.reason}</div>}
        {file.scan.attested_by && <div className="subtle">Attested by {file.scan.attested_by}</div>}
      </div>
    </li>
  );
}
