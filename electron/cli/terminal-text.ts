/**
 * Text for a person's terminal. File names, CSV cells and provider messages come from evidence, and a
 * control character in one is an instruction to the terminal: an escape sequence recolours or rewrites
 * the screen, a carriage return overwrites the line, a bidirectional override (U+202E) shows
 * `gpj.exe` as `exe.jpg`. Each is printed as its escape (`\x1b`, `\u202e`); line breaks and tabs stay.
 * `--json` needs none of this: JSON.stringify escapes control characters, and a program reads it.
 */
// C0 and C1 controls but \t and \n, DEL, and the bidirectional embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function forTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
