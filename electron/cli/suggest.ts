import { editDistance } from '../../shared/edit-distance';

/** "did you mean pack?": the closest name within two edits. */
export function closest(word: string, names: readonly string[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const name of names) {
    const d = editDistance(word, name);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name ?? null;
}
