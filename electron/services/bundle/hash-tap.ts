import { Transform, type TransformCallback } from 'node:stream';
import { createHash, type Hash } from 'node:crypto';
import { TokenOpsError } from '../../../shared/errors';
import type { CancelToken } from '../../../shared/progress';

export interface HashTapOptions {
  /** Bytes the source must deliver (from stat, or the buffer's length). */
  size: number;
  expectedSha256?: string;
  /**
   * Take `expectedSha256` as the digest without computing it: the caller reads the written entry back
   * against it (the writer's self-verify), which catches a source that changed. Size is still checked.
   */
  readBackLater?: boolean;
  cancel?: CancelToken;
  onBytes(n: number): void;
  /** Builds the error for a source that no longer matches what was planned. */
  changed(detail: string): TokenOpsError;
}

export function cancelledError(): TokenOpsError {
  return new TokenOpsError('cancelled', 'Export cancelled; no bundle was written.');
}

/**
 * Sits between a payload source and its zip entry so each byte is read once and feeds both the
 * SHA-256 and the zip. Checks for cancellation between chunks, and that the source still has the
 * size and digest it was planned with (the digest, unless it is read back later: readBackLater).
 */
export class HashTap extends Transform {
  private readonly hash?: Hash;
  private bytes = 0;
  sha256 = '';

  constructor(private readonly opts: HashTapOptions) {
    super();
    if (!(opts.readBackLater && opts.expectedSha256)) this.hash = createHash('sha256');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.opts.cancel?.cancelled) return cb(cancelledError());
    this.bytes += chunk.length;
    if (this.bytes > this.opts.size)
      return cb(this.opts.changed(`it now has more than the ${this.opts.size} bytes planned`));
    this.hash?.update(chunk);
    this.opts.onBytes(chunk.length);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.bytes !== this.opts.size)
      return cb(this.opts.changed(`it now has ${this.bytes} bytes, not the ${this.opts.size} planned`));
    const expected = this.opts.expectedSha256?.toLowerCase();
    this.sha256 = this.hash ? this.hash.digest('hex') : expected!;
    if (expected && expected !== this.sha256)
      return cb(this.opts.changed(`its SHA-256 is now ${this.sha256}, not ${expected}`));
    cb();
  }
}
