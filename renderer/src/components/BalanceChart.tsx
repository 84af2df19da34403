import { useId } from 'react';
import type { LedgerView } from '../../../shared/ipc/contract';
import { formatDateTime, formatShortDate } from '../format';

type Event = LedgerView['credit_events'][number];

const W = 560;
const H = 190;
const PAD = { left: 44, right: 16, top: 14, bottom: 30 };

function niceMax(v: number): number {
  if (v <= 5) return 5;
  const mag = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= v) return m * mag;
  return 10 * mag;
}

/**
 * The balance of one credit entitlement after each ledger event, as a step line.
 * Events are spaced evenly (the ledger's order), with the first and last dates on the axis.
 * All geometry is SVG attributes; colours come from the stylesheet.
 */
export function BalanceChart({ entitlement, events }: { entitlement: string; events: Event[] }) {
  const id = useId();
  const pts = events;
  const maxY = niceMax(
    Math.max(1, ...pts.map((e) => e.balance_after), ...pts.filter((e) => e.type === 'grant').map((e) => e.credits)),
  );
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (pts.length <= 1 ? innerW / 2 : (i / (pts.length - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - (v / maxY) * innerH;

  let d = '';
  pts.forEach((p, i) => {
    if (i === 0) d += `M ${x(0) - (pts.length <= 1 ? innerW / 2 : 0)} ${y(p.balance_after)}`;
    else d += ` H ${x(i)} V ${y(p.balance_after)}`;
  });
  if (pts.length === 1) d += ` H ${x(0) + innerW / 2}`;
  const area = pts.length ? `${d} V ${y(0)} H ${pts.length <= 1 ? PAD.left : x(0)} Z` : '';
  const ticks = [0, maxY / 2, maxY];
  // Events minutes apart would print the same date twice: number them instead.
  const sameLabel = pts.length > 1 && formatShortDate(pts[0].at) === formatShortDate(pts[pts.length - 1].at);
  const last = pts.at(-1);
  const summary = last
    ? `Balance of ${entitlement} over ${pts.length} ledger event${pts.length === 1 ? '' : 's'}: from ${pts[0].balance_after} after the first to ${last.balance_after} now.`
    : `No events for ${entitlement}.`;

  return (
    <figure className="chart-figure">
      <svg
        className="chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-t`}>Credit balance, {entitlement}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line className="chart-grid" x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text className="chart-label" x={PAD.left - 8} y={y(t)} textAnchor="end" dominantBaseline="middle">
              {Number.isInteger(t) ? t : t.toFixed(1)}
            </text>
          </g>
        ))}
        {area && <path className="chart-area" d={area} />}
        {d && <path className="chart-line" d={d} fill="none" />}
        {pts.map((p, i) => (
          <circle key={`${p.at}-${i}`} className={`chart-dot dot-${p.type}`} cx={x(i)} cy={y(p.balance_after)} r={4}>
            <title>
              {`${p.type === 'grant' ? 'Grant' : 'Debit'} of ${p.credits} · balance ${p.balance_after} · ${formatDateTime(p.at)}${p.run_id ? ` · ${p.run_id}` : ''}`}
            </title>
          </circle>
        ))}
        {pts.length > 0 && (
          <>
            <text className="chart-label" x={x(0)} y={H - 8} textAnchor={pts.length === 1 ? 'middle' : 'start'}>
              {sameLabel ? `event 1 · ${formatShortDate(pts[0].at)}` : formatShortDate(pts[0].at)}
            </text>
            {pts.length > 1 && (
              <text className="chart-label" x={x(pts.length - 1)} y={H - 8} textAnchor="end">
                {sameLabel ? `event ${pts.length}` : formatShortDate(last!.at)}
              </text>
            )}
          </>
        )}
      </svg>
      <figcaption className="chart-legend subtle">
        <span className="legend-item">
          <span className="legend-swatch dot-grant" aria-hidden="true" /> grant
        </span>
        <span className="legend-item">
          <span className="legend-swatch dot-debit" aria-hidden="true" /> debit
        </span>
      </figcaption>
    </figure>
  );
}
