/**
 * The app's background callback delivery: every `intervalMs` the due callbacks get their attempt, so a
 * receiver that answered 503 with Retry-After gets its retry while the operator keeps working (the CLI's
 * `callback send` returns pending instead of sleeping). One round at a time; a round that fails is
 * reported and the next one runs as usual.
 */
import type { CallbackView } from '../../shared/ipc/contract';

export interface BackgroundDelivery {
  /** Runs one round now (also what the timer calls); resolves when it is done. */
  tick(): Promise<void>;
  stop(): void;
}

export function startBackgroundDelivery(
  deliver: () => Promise<CallbackView[]>,
  options: { intervalMs?: number; onRound?: (processed: CallbackView[]) => void; onError?: (e: unknown) => void } = {},
): BackgroundDelivery {
  let running: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    running ??= deliver()
      .then((processed) => options.onRound?.(processed))
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 30_000);
  // Never the reason the process stays alive.
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
