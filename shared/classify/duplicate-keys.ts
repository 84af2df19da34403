/**
 * Duplicate keys in one JSON object. RFC 8259 §4 says names "SHOULD be unique" and leaves the meaning of
 * duplicates to the parser: `JSON.parse` silently keeps the last, so `{"status":"failed",…,"status":"settled"}`
 * would read as settled. Evidence must not be ambiguous, so a record with a repeated key is refused.
 *
 * One linear pass over text that `JSON.parse` already accepted (so the scanner need not validate):
 * a stack of open containers, and for objects the keys seen so far.
 */
export interface DuplicateKey {
  key: string;
  /** Offset of the second occurrence's opening quote. */
  offset: number;
}

export function findDuplicateKey(text: string): DuplicateKey | null {
  const stack: Array<{ keys: Set<string> | null; expectKey: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) stack.push({ keys: new Set(), expectKey: true });
    else if (c === 0x5b /* [ */) stack.push({ keys: null, expectKey: false });
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    } else if (c === 0x22 /* " */) {
      const start = i;
      i = closingQuote(text, i);
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        // Compare decoded names: "st\u0061tus" and "status" are the same key.
        const raw = text.slice(start + 1, i);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) return { key, offset: start };
        top.keys.add(key);
        top.expectKey = false;
      }
    }
  }
  return null;
}

/** Offset of the quote that closes the string opened at `open` (indexOf jumps over the string's body). */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}
