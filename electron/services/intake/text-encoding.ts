/**
 * Which text encoding a file is in, from its first bytes, so a spreadsheet's export is read as text
 * rather than refused as binary. Excel writes "Unicode Text" as UTF-16LE with a BOM, "CSV UTF-8" with a
 * UTF-8 BOM and plain "CSV" in the Windows code page (Windows-1252 in the west). Decoding uses the
 * decoders below; nothing is guessed past these three families.
 */
import iconv from 'iconv-lite';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** The encoding of text content, or undefined for binary content. `whole`: the head is the entire file. */
export function detectTextEncoding(head: Uint8Array, whole: boolean): TextEncodingName | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const utf16 = bomlessUtf16(head);
  if (utf16) return utf16;
  if (head.includes(0)) return undefined;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !whole });
    return 'utf-8';
  } catch {
    // Not UTF-8: legacy single-byte text has no control characters but tab, newlines and form feed.
    for (const b of head)
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) return undefined;
    return 'windows-1252';
  }
}

/** ASCII-range text in UTF-16 without a BOM: every other byte is zero, on one side only. */
function bomlessUtf16(head: Uint8Array): TextEncodingName | undefined {
  const pairs = Math.floor(head.length / 2);
  if (pairs < 8) return undefined;
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) zeroEven++;
    if (head[i + 1] === 0) zeroOdd++;
  }
  if (zeroOdd > pairs * 0.9 && zeroEven === 0) return 'utf-16le';
  if (zeroEven > pairs * 0.9 && zeroOdd === 0) return 'utf-16be';
  return undefined;
}

/** A streaming decoder for one encoding: chunks in, text out, a character split across chunks kept whole. */
export interface ChunkDecoder {
  write(chunk: Uint8Array): string;
  end(): string;
}

/**
 * UTF-8 through the WHATWG TextDecoder (not fatal: a stray bad byte becomes U+FFFD, never hides the rest);
 * the others through iconv-lite, because Node's TextDecoder reads windows-1252 as Latin-1 (0x80 is not €).
 * A BOM is dropped either way, as an editor does.
 */
export function chunkDecoder(encoding: TextEncodingName): ChunkDecoder {
  if (encoding === 'utf-8') {
    const d = new TextDecoder('utf-8');
    return { write: (c) => d.decode(c, { stream: true }), end: () => d.decode() };
  }
  const d = iconv.getDecoder(encoding, { stripBOM: true });
  return { write: (c) => d.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength)), end: () => d.end() ?? '' };
}

export function decodeText(bytes: Uint8Array, encoding: TextEncodingName): string {
  const d = chunkDecoder(encoding);
  return d.write(bytes) + d.end();
}
