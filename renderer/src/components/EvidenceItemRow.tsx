import type { EvidenceItem } from '../../../shared/domain/evidence';
import { RECORD_ID_FIELD } from '../../../shared/evaluation/supersede';
import { formatDateTime, humanize } from '../format';

function show(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'object' && v && 'value' in v && 'currency' in v)
    return `${(v as { value: string }).value} ${(v as { currency: string }).currency}`;
  if (Array.isArray(v)) return `${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** One received record: its id, where it came from, whether it corrected or was corrected, and its other fields. */
export function EvidenceItemRow({
  item,
  fileName,
  onRemove,
}: {
  item: EvidenceItem;
  fileName?: string;
  onRemove?: () => void;
}) {
  const superseded = item.superseded_by !== undefined;
  const rec = item.record as unknown as Record<string, unknown>;
  const idField = RECORD_ID_FIELD[item.kind];
  const main = typeof rec[idField] === 'string' ? (rec[idField] as string) : item.evidence_id;
  const rest = Object.entries(rec).filter(([k, v]) => k !== 'kind' && k !== idField && v !== undefined && v !== '');
  const source =
    item.source === 'file'
      ? `file ${fileName ?? item.file_id ?? ''}${item.row ? `, row ${item.row}` : ''}`
      : item.source;

  return (
    <li className={superseded ? 'evidence-item superseded' : 'evidence-item'}>
      <div className="evidence-item-head">
        <span className="mono evidence-item-id break">{main}</span>
        <span className="chip" title={`Received ${formatDateTime(item.received_at)}`}>
          {source}
        </span>
        {item.format !== 'tokenops' && <span className="chip">{humanize(item.format)}</span>}
        {item.supersedes && <span className="chip chip-good">replaces an earlier copy</span>}
        {superseded && (
          <span
            className="chip"
            title={item.superseded_at ? `Replaced ${formatDateTime(item.superseded_at)}` : undefined}
          >
            replaced by a corrected copy · not counted
          </span>
        )}
        {onRemove && (
          <button
            type="button"
            className="btn btn-sm btn-ghost evidence-remove"
            onClick={onRemove}
            aria-label={`Remove ${humanize(item.kind).toLowerCase()} ${main}`}
          >
            Remove
          </button>
        )}
      </div>
      {rest.length > 0 && (
        <dl className="evidence-fields">
          {rest.slice(0, 8).map(([k, v]) => {
            const shown = show(v);
            return (
              <div key={k} className={shown.length > 48 ? 'wide' : undefined}>
                <dt>{humanize(k)}</dt>
                <dd className="break">{shown}</dd>
              </div>
            );
          })}
        </dl>
      )}
    </li>
  );
}
