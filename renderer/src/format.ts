/** Small pure formatting helpers for the screens. */
import type { WorkflowState } from '../../shared/workflow';
import type { EvidenceStatus, CheckStatus, StepStatus } from '../../shared/domain/evaluation';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateShort = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const num = new Intl.NumberFormat();

export function formatDateTime(iso: string | undefined | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatShortDate(iso: string | undefined | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateShort.format(d);
}

/** "3 min ago", "yesterday", or a date for older values. */
export function formatRelative(iso: string | undefined | null, now = Date.now()): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 7) return `${d} days ago`;
  return formatShortDate(iso);
}

export function formatNumber(n: number): string {
  return num.format(n);
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** First and last characters of a long hash, for tables; the full value stays in a title/tooltip. */
export function shortHash(h: string | undefined | null, head = 10, tail = 6): string {
  if (!h) return '—';
  return h.length <= head + tail + 1 ? h : `${h.slice(0, head)}…${h.slice(-tail)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

export const STATE_LABELS: Record<WorkflowState, string> = {
  draft: 'Draft',
  collecting: 'Collecting',
  partial: 'Partial',
  exception: 'Exception',
  sufficient: 'Sufficient',
  packaged: 'Packaged',
  delivered: 'Delivered',
};

export const EVIDENCE_STATUS_LABELS: Record<EvidenceStatus, string> = {
  missing: 'Missing',
  partial: 'Partial',
  sufficient: 'Sufficient',
};

export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
  satisfied: 'Satisfied',
  missing: 'Missing',
  inconsistent: 'Inconsistent',
};

export const CHECK_STATUS_LABELS: Record<CheckStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  not_applicable: 'N/A',
};

/** Tone used for colour: every status maps to one of these CSS modifiers. */
export type Tone = 'ok' | 'warn' | 'bad' | 'neutral' | 'info';

export function stateTone(s: WorkflowState): Tone {
  switch (s) {
    case 'sufficient':
    case 'packaged':
    case 'delivered':
      return 'ok';
    case 'partial':
      return 'warn';
    case 'exception':
      return 'bad';
    case 'collecting':
      return 'info';
    default:
      return 'neutral';
  }
}

export function evidenceTone(s: EvidenceStatus): Tone {
  return s === 'sufficient' ? 'ok' : s === 'partial' ? 'warn' : 'bad';
}

export function stepTone(s: StepStatus): Tone {
  return s === 'satisfied' ? 'ok' : s === 'inconsistent' ? 'bad' : 'neutral';
}

export function checkTone(s: CheckStatus): Tone {
  return s === 'pass' ? 'ok' : s === 'fail' ? 'bad' : 'neutral';
}

/** "exception_type" → "Exception type". */
export function humanize(id: string): string {
  const s = id.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
