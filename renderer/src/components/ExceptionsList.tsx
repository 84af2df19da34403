import type { ExceptionTicket } from '../../../shared/domain/outputs';
import { TableWrap } from './TableWrap';
import { formatDateTime, humanize } from '../format';
import { Badge } from './Badge';

/** Every exception ticket the run has had, newest first. */
export function ExceptionsList({ tickets }: { tickets: ExceptionTicket[] }) {
  if (!tickets.length) return null;
  const sorted = [...tickets].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  return (
    <section className="section" aria-labelledby="exceptions-title">
      <div className="section-title">
        <h2 id="exceptions-title">Exception tickets</h2>
        <span className="subtle">{tickets.length} for this run</span>
      </div>
      <div className="card">
        <TableWrap label="Exception tickets">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Missing items</th>
                <th scope="col">Opened</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((t) => (
                <tr key={t.ticket_id}>
                  <td className="mono break">{t.ticket_id}</td>
                  <td>{humanize(t.exception_type)}</td>
                  <td>
                    <Badge tone={t.status === 'resolved' ? 'ok' : 'bad'}>{humanize(t.status)}</Badge>
                  </td>
                  <td>{t.missing_items.length ? t.missing_items.join('; ') : <span className="subtle">none</span>}</td>
                  <td className="nowrap subtle">{formatDateTime(t.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </div>
    </section>
  );
}
