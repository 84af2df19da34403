import type { ExceptionTicket } from '../../../shared/domain/outputs';
import { formatDateTime, humanize } from '../format';
import { Badge } from './Badge';

/** An exception ticket: what is missing or inconsistent, and the path back to a packaged run. */
export function ExceptionTicketCard({ ticket }: { ticket: ExceptionTicket }) {
  const resolved = ticket.status === 'resolved';
  return (
    <article
      className={`ticket${resolved ? ' resolved' : ''}`}
      aria-label={`Exception ticket ${ticket.ticket_id}`}
      data-testid="exception-ticket"
    >
      <div>
        <div className="ticket-head">
          <span className="eyebrow">Exception ticket</span>
          <Badge tone={resolved ? 'ok' : 'bad'}>{humanize(ticket.status)}</Badge>
        </div>
        <div className="mono break ticket-id">{ticket.ticket_id}</div>
      </div>
      <dl className="dl ticket-facts">
        <dt>Type</dt>
        <dd>{humanize(ticket.exception_type)}</dd>
        <dt>Requested tool</dt>
        <dd className="mono">{ticket.requested_tool}</dd>
        <dt>Safe to replay</dt>
        <dd>{ticket.safe_to_replay ? 'Yes' : 'Not yet — supply the missing items first'}</dd>
        <dt>Resumes from</dt>
        <dd>{humanize(ticket.resume_from_state)}</dd>
        <dt>Opened</dt>
        <dd>{formatDateTime(ticket.created_at)}</dd>
        {ticket.resolved_at && (
          <>
            <dt>Resolved</dt>
            <dd>{formatDateTime(ticket.resolved_at)}</dd>
          </>
        )}
      </dl>
      {ticket.missing_items.length > 0 && (
        <div className="ticket-block">
          <h3 className="mini-title">Missing items</h3>
          <ul className="plain-list" data-testid="missing-items">
            {ticket.missing_items.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {ticket.inconsistencies.length > 0 && (
        <div className="ticket-block">
          <h3 className="mini-title">Inconsistencies</h3>
          <ul className="plain-list">
            {ticket.inconsistencies.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {ticket.recovery_path.length > 0 && (
        <div className="ticket-block">
          <h3 className="mini-title">Recovery path</h3>
          <ol className="plain-list numbered">
            {ticket.recovery_path.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ol>
        </div>
      )}
    </article>
  );
}
