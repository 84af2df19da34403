import { formatDateTime, humanize } from '../format';
import { TableWrap } from './TableWrap';
import { Badge } from './Badge';
import { EmptyState } from './EmptyState';

const COLS = [
  'receipt_id',
  'run_id',
  'credits_debited',
  'remaining_credits',
  'evidence_status',
  'result_status',
  'issued_at',
] as const;

function cell(k: (typeof COLS)[number], v: unknown) {
  if (v === undefined || v === null || v === '') return <span className="subtle">—</span>;
  if (k === 'issued_at') return <span className="nowrap">{formatDateTime(String(v))}</span>;
  if (k === 'evidence_status')
    return <Badge tone={v === 'sufficient' ? 'ok' : v === 'partial' ? 'warn' : 'bad'}>{humanize(String(v))}</Badge>;
  if (k === 'result_status')
    return <Badge tone={v === 'ready' ? 'ok' : v === 'blocked' ? 'bad' : 'neutral'}>{humanize(String(v))}</Badge>;
  if (k === 'receipt_id' || k === 'run_id') return <span className="mono break">{String(v)}</span>;
  return <span className="num">{String(v)}</span>;
}

/** The append-only receipt ledger, newest first. */
export function ReceiptsTable({ receipts }: { receipts: Array<Record<string, unknown>> }) {
  if (!receipts.length)
    return (
      <EmptyState icon="ledger" title="No receipts yet" compact>
        <span>A usage receipt is written each time a run is packaged.</span>
      </EmptyState>
    );
  const rows = [...receipts].reverse();
  return (
    <TableWrap label="Usage receipts">
      <table className="table">
        <caption className="visually-hidden">Usage receipts</caption>
        <thead>
          <tr>
            {COLS.map((c) => (
              <th
                key={c}
                scope="col"
                className={c === 'credits_debited' || c === 'remaining_credits' ? 'right' : undefined}
              >
                {c === 'credits_debited' ? 'Debited' : c === 'remaining_credits' ? 'Remaining' : humanize(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={String(r.receipt_id ?? i)}>
              {COLS.map((c) => (
                <td key={c} className={c === 'credits_debited' || c === 'remaining_credits' ? 'right' : undefined}>
                  {cell(c, r[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
