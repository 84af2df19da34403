/**
 * `target.push(...items)` passes every item as an argument, and V8 runs out of stack near 120,000 of them
 * (a CSV export of 200,000 ledger rows crashed intake). This appends any number.
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
