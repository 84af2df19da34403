/**
 * Our own secret detectors are plain functions over text so they can be reasoned about and
 * tested on their own; `as-secretlint-rule.ts` plugs them into secretlint beside its preset.
 */
export interface DetectorHit {
  /** UTF-16 offsets into the scanned text, end exclusive. */
  start: number;
  end: number;
}

export interface SecretDetector {
  /** Stable rule id, shown to the operator (e.g. `tokenops/jwt`). */
  id: string;
  /** What was found, for a person ("JSON Web Token"). Never contains the secret. */
  label: string;
  detect(text: string): Iterable<DetectorHit>;
}
