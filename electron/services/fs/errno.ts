/** True when `err` is a Node system error with one of the given `code`s (ENOENT, EEXIST, …). */
export function isCode(err: unknown, ...codes: string[]): boolean {
  return typeof err === 'object' && err !== null && codes.includes((err as NodeJS.ErrnoException).code ?? '');
}
