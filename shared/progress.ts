/** Progress of long work (hashing, export, verify), reported by services and shown by the CLI and the app. */
export interface Progress {
  phase: string;
  done: number;
  total: number;
  unit: 'bytes' | 'files' | 'entries';
  detail?: string;
}

export type ProgressListener = (p: Progress) => void;

/** Cooperative cancellation without DOM's AbortSignal typing leaking into shared/. */
export interface CancelToken {
  readonly cancelled: boolean;
}
