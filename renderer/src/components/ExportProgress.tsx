import type { ProgressEvent } from '../store/exportSlice';
import { formatBytes, formatNumber, humanize } from '../format';

/** The export's progress bar (<progress>, no inline styles) with its phase in words. */
export function ExportProgress({
  progress,
  cancelling,
  onCancel,
}: {
  progress: ProgressEvent | null;
  cancelling: boolean;
  onCancel(): void;
}) {
  const known = progress && progress.total > 0;
  const pct = known ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  const amount = (n: number) => (progress?.unit === 'bytes' ? formatBytes(n) : formatNumber(n));
  return (
    <div className="export-progress">
      <div className="row export-progress-head">
        <span className="strong">{progress ? humanize(progress.phase) : 'Starting'}</span>
        <span className="subtle num">{pct !== null ? `${pct}%` : '…'}</span>
      </div>
      {known ? (
        <progress max={progress.total} value={progress.done} aria-label="Packaging progress" />
      ) : (
        <progress aria-label="Packaging progress" />
      )}
      <div className="row export-progress-foot">
        <span className="subtle break">
          {progress && known
            ? `${amount(progress.done)} of ${amount(progress.total)} ${progress.unit === 'bytes' ? '' : progress.unit}`
            : 'Preparing the bundle'}
          {progress?.detail ? ` · ${progress.detail}` : ''}
        </span>
        <button type="button" className="btn btn-sm" onClick={onCancel} disabled={cancelling}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
