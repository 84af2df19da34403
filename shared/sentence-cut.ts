/**
 * Where to cut a long text so it ends on a whole sentence: after the last ". " within `max` characters,
 * or at `max` when no sentence ends in its last three quarters. The CLI's text and the app both cut a
 * check's detail this way (a check failing on every row of an export is one sentence per row).
 */
export function sentenceCut(text: string, max: number): number {
  if (text.length <= max) return text.length;
  const end = text.lastIndexOf('. ', max);
  return end > max / 4 ? end + 1 : max;
}
