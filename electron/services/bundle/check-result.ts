/** Outcome of one verification check; `message` is written for a person. */
export interface CheckOutcome {
  ok: boolean;
  message: string;
}

/** Lists at most a few items so a message stays readable on a huge bundle. */
export function listSome(items: string[], max = 3): string {
  const shown = items
    .slice(0, max)
    .map((s) => JSON.stringify(s))
    .join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
