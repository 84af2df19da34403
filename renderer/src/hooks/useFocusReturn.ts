import { useEffect, useRef } from 'react';

/**
 * Keeps the operator's place across a busy phase. While `busy`, the button they pressed is disabled or
 * replaced (Add files…, Package & sign), and the browser drops focus to <body>: 14 Tabs to get back.
 * When the phase ends, focus returns to that element if it is still there and enabled, else to
 * `fallback()` (e.g. the panel that now shows the result), unless the operator has moved on meanwhile.
 */
export function useFocusReturn(busy: boolean, fallback: () => HTMLElement | null): void {
  const saved = useRef<HTMLElement | null>(null);
  const dropped = useDroppedFocus();
  const fallbackRef = useRef(fallback);
  fallbackRef.current = fallback;
  useEffect(() => {
    if (busy) {
      const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      // Chromium blurs a focused button as it is disabled, before this effect runs: then the element
      // that just lost focus to nothing, and is disabled now, is the one pressed. Focus on <body> is
      // kept too: the phase's end then moves it to `fallback()`.
      const pressed = dropped.current?.matches(':disabled') ? dropped.current : null;
      saved.current = active && active !== document.body ? active : (pressed ?? active);
      return;
    }
    const before = saved.current;
    saved.current = null;
    if (!before) return;
    const frame = requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active && active !== document.body && active !== before) return;
      const usable = before.isConnected && !before.matches(':disabled') && before !== document.body;
      (usable ? before : fallbackRef.current())?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [busy, dropped]);
}

/** The last element that lost focus to nothing (focus went to <body>). */
function useDroppedFocus() {
  const dropped = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const onFocusOut = (e: FocusEvent) => {
      if (e.target instanceof HTMLElement) dropped.current = e.relatedTarget ? null : e.target;
    };
    document.addEventListener('focusout', onFocusOut);
    return () => document.removeEventListener('focusout', onFocusOut);
  }, []);
  return dropped;
}
