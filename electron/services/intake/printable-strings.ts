/**
 * The printable strings of binary content, as `strings -n 8` finds them: a key compiled into a binary,
 * pasted into a PDF's uncompressed text or left in a SQLite file is plain ASCII among other bytes.
 * Chunks arrive in order; a string cut by a chunk boundary is carried over, so none is split (a string
 * longer than MAX_STRING is cut into overlapping parts, which keeps memory bounded).
 */
const MIN_STRING = 8;
const MAX_STRING = 1024 * 1024;
const CUT_OVERLAP = 4096;

export interface PrintableString {
  /** Byte offset of the string's first character in the whole content. */
  offset: number;
  text: string;
}

const isPrintable = (b: number) => (b >= 0x20 && b <= 0x7e) || b === 0x09;

export class PrintableStrings {
  private carry: Buffer = Buffer.alloc(0);
  private carryStart = 0;
  private offset = 0;

  /** The strings this chunk completes. */
  push(chunk: Uint8Array): PrintableString[] {
    const out: PrintableString[] = [];
    let start = this.carry.length > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      if (isPrintable(chunk[i])) {
        if (start < 0) {
          start = i;
          this.carryStart = this.offset + i;
        }
      } else if (start >= 0) {
        this.emit(out, Buffer.concat([this.carry, chunk.subarray(start, i)]));
        this.carry = Buffer.alloc(0);
        start = -1;
      }
    }
    if (start >= 0) {
      this.carry = Buffer.concat([this.carry, chunk.subarray(start)]);
      while (this.carry.length > MAX_STRING) {
        this.emit(out, this.carry.subarray(0, MAX_STRING));
        this.carryStart += MAX_STRING - CUT_OVERLAP;
        this.carry = Buffer.from(this.carry.subarray(MAX_STRING - CUT_OVERLAP));
      }
    }
    this.offset += chunk.length;
    return out;
  }

  /** The last string, at the end of the content. */
  end(): PrintableString[] {
    const out: PrintableString[] = [];
    if (this.carry.length) this.emit(out, this.carry);
    this.carry = Buffer.alloc(0);
    return out;
  }

  private emit(out: PrintableString[], bytes: Buffer): void {
    if (bytes.length >= MIN_STRING) out.push({ offset: this.carryStart, text: bytes.toString('latin1') });
  }
}
