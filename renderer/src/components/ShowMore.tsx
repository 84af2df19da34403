import { useState, type ReactNode } from 'react';
import { sentenceCut } from '../../../shared/sentence-cut';

/**
 * A long list shown a page at a time. A run can hold 100,000 rows of one CSV export, and a check can fail
 * on each: rendered whole, that is millions of elements and the window stops answering. The first
 * `first` items are shown, then a button that shows `step` more and says how many are left.
 */
export function useShowMore<T>(
  items: readonly T[],
  what: string,
  first = 50,
  step = 500,
): { shown: readonly T[]; more: ReactNode } {
  const [limit, setLimit] = useState(first);
  if (items.length <= limit) return { shown: items, more: null };
  const hidden = items.length - limit;
  const next = Math.min(step, hidden);
  return {
    shown: items.slice(0, limit),
    more: (
      <button type="button" className="btn btn-sm btn-ghost show-more" onClick={() => setLimit(limit + next)}>
        Show {next.toLocaleString('en-US')} more {what} ({hidden.toLocaleString('en-US')} not shown)
      </button>
    ),
  };
}

/** A long text (a check failing on every row of an export) cut at a sentence, with a button for the rest. */
export function LongText({ text, max = 1200 }: { text: string; max?: number }) {
  const [whole, setWhole] = useState(false);
  const cut = sentenceCut(text, max);
  if (whole || cut === text.length) return <>{text}</>;
  return (
    <>
      {text.slice(0, cut)}{' '}
      <button type="button" className="btn btn-sm btn-ghost show-more" onClick={() => setWhole(true)}>
        Show the rest ({(text.length - cut).toLocaleString('en-US')} characters)
      </button>
    </>
  );
}
