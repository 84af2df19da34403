import { errorMessage, errorTitle } from '../api';
import type { SliceCreator } from './types';

export type ToastKind = 'error' | 'success' | 'info';

export interface Toast {
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
const MAX_TOASTS = 3;

export const createToastsSlice: SliceCreator<ToastsSlice> = (set, get) => ({
  toasts: [],
  pushToast(t) {
    const id = nextId++;
    set({ toasts: [...get().toasts, { ...t, id }].slice(-MAX_TOASTS) });
    // Errors stay until dismissed: a person must be able to read them.
    if (t.kind !== 'error') setTimeout(() => get().dismissToast(id), AUTO_DISMISS_MS);
    return id;
  },
  dismissToast(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
  reportError(action, e) {
    const title = errorTitle(e);
    get().pushToast({ kind: 'error', title: action, message: title ? `${title}: ${errorMessage(e)}` : errorMessage(e) });
  },
});
