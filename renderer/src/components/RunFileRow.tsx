import { useEffect, useRef, useState } from 'react';
import type { RunFile } from '../../../shared/domain/run';
import { formatBytes, humanize, shortHash } from '../format';
import { Badge } from './Badge';
import { CsvMappingDialog } from './CsvMappingDialog';
import { Icon } from './Icon';

const SCAN: Record<RunFile['scan']['status'], { tone: 'ok' | 'bad' | 'warn' | 'info'; label: string }> = {
  clean: { tone: 'ok', label: 'No secrets' },
  findings: { tone: 'bad', label: 'Secret found' },
  unscannable: { tone: 'warn', label: 'Not scannable' },
  attested: { tone: 'info', label: 'Attested' },
};

/** The problem intake gives a CSV export whose headers no layout recognises (csv-records.ts). */
const UNKNOWN_HEADERS = 'CSV headers not recognised';

/**
 * A file the run holds: size, hash, secret scan, and what it was read as. `editable`: the run takes
 * changes, so a CSV whose headers were not recognised offers "Map columns…".
 */
export function RunFileRow({ file, editable = false }: { file: RunFile; editable?: boolean }) {
  const rowRef = useRef<HTMLLIElement>(null);
  const [mapping, setMapping] = useState(false);
  const mappable = editable && !file.excluded && Boolean(file.problem?.startsWith(UNKNOWN_HEADERS));
  // Saved, the button is gone with the problem: focus goes to the file's row. When the files step
  // became satisfied and folds away with the row (EvidenceWalk), to that step's header instead. The
  // intent is set when the dialog opens: a background refresh of the run can fold the step while the
  // save is still answering, and the row (dialog and all) is gone before closeMapping would run.
  const refocus = useRef(false);
  const openMapping = () => {
    refocus.current = true;
    setMapping(true);
  };
  const closeMapping = (saved: boolean) => {
    setMapping(false);
    refocus.current = saved;
    if (saved) rowRef.current?.focus();
  };
  useEffect(
    () => () => {
      const lost = !document.activeElement || document.activeElement === document.body;
      if (refocus.current && lost) document.querySelector<HTMLButtonElement>('#step-head-files button')?.focus();
    },
    [],
  );
  const scan = file.excluded
    ? { tone: 'neutral' as const, label: 'Excluded' }
    : (SCAN[file.scan.status] ?? { tone: 'neutral' as const, label: file.scan.status });
  return (
    <li
      ref={rowRef}
      tabIndex={-1}
      onBlur={() => (refocus.current = false)}
      className={`file-row${file.excluded ? ' excluded' : ''}`}
    >
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
        {mappable && (
          <div className="file-actions">
            <button type="button" className="btn btn-sm" onClick={openMapping}>
              Map columns…
            </button>
            <CsvMappingDialog file={file} open={mapping} onClose={closeMapping} />
          </div>
        )}
        {file.excluded && <div className="subtle">Excluded: {file.excluded.reason}</div>}
        {file.scan.attested_by && <div className="subtle">Attested by {file.scan.attested_by}</div>}
      </div>
    </li>
  );
}
