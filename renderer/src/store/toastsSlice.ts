import { errorMessage, errorTitle } from '../api';
import type { SliceCreator } from './types';

type ToastKind = 'error' | 'success' | 'info';

interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message?: string;
}

export interface ToastsSlice {
  toasts: Toast[];
  pushToast(t: Omit<Toast, 'id'>): number;
  dismissToast(id: number): void;
  /** Shows a failed action to the person: what was being done and the service's own words. */
  reportError(action: string, e: unknown): void;
}

let nextId = 1;
const AUTO_DISMISS_MS = 4500;
/** Long enough to read an error and act on it; the cause stays shown inline beside the control that failed. */
const ERROR_DISMISS_MS = 20_000;
const MAX_TOASTS = 3;

export const createToastsSlice: SliceCreator<ToastsSlice> = (set, get) => ({
  toasts: [],
  pushToast(t) {
    const id = nextId++;
    // A later success means the earlier failures were dealt with: a stale error must not sit over it.
    const kept = t.kind === 'success' ? get().toasts.filter((x) => x.kind !== 'error') : get().toasts;
    set({ toasts: [...kept, { ...t, id }].slice(-MAX_TOASTS) });
    setTimeout(() => get().dismissToast(id), t.kind === 'error' ? ERROR_DISMISS_MS : AUTO_DISMISS_MS);
    return id;
  },
  dismissToast(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
  reportError(action, e) {
    const title = errorTitle(e);
    get().pushToast({
      kind: 'error',
      title: action,
      message: title ? `${title}: ${errorMessage(e)}` : errorMessage(e),
    });
  },
});
