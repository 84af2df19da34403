import { useEffect } from 'react';
import { useStore, type Screen } from '../store';

/** The menu's accelerators, also handled in the page: Ctrl/⌘+1 Runs, +2 Verify, +3 Ledger, +, Settings. */
const SHORTCUTS: Record<string, Screen['name']> = { '1': 'runs', '2': 'verify', '3': 'ledger', ',': 'settings' };

export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function shortcutFor(screen: Screen['name']): string | undefined {
  return Object.entries(SHORTCUTS).find(([, s]) => s === screen)?.[0];
}

export function useShortcuts(): void {
  const go = useStore((s) => s.go);
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!(IS_MAC ? e.metaKey : e.ctrlKey) || e.altKey || e.shiftKey) return;
      const target = SHORTCUTS[e.key];
      if (!target) return;
      e.preventDefault();
      go({ name: target } as Screen);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);
}
