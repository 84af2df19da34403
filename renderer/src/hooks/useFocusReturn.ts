import { useEffect, useRef } from 'react';

/**
 * Keeps the operator's place across a busy phase. While `busy`, the button they pressed is disabled or
 * replaced (Add files…, Package & sign), and the browser drops focus to <body>: 14 Tabs to get back.
 * When the phase ends, focus returns to that element if it is still there and enabled, else to
 * `fallback()` (e.g. the panel that now shows the result), unless the operator has moved on meanwhile.
 */
export function useFocusReturn(busy: boolean, fallback: () => HTMLElement | null): void {
  const saved = useRef<HTMLElement | null>(null);
  const fallbackRef = useRef(fallback);
  fallbackRef.current = fallback;
  useEffect(() => {
    if (busy) {
      saved.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
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
  }, [busy]);
}
