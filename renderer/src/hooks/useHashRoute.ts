import { useEffect } from 'react';
import { useStore, type Screen } from '../store';

/** `#/runs`, `#/runs/<id>`, `#/verify`, `#/ledger`, `#/settings` ⇄ the store's screen. The native menu navigates by hash. */
function screenToHash(s: Screen): string {
  return s.name === 'run' ? `#/runs/${encodeURIComponent(s.runId)}` : `#/${s.name}`;
}

function hashToScreen(hash: string): Screen | null {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'runs' };
  if (parts[0] === 'runs') return parts[1] ? { name: 'run', runId: parts[1] } : { name: 'runs' };
  if (parts[0] === 'verify' || parts[0] === 'ledger' || parts[0] === 'settings') return { name: parts[0] };
  return null;
}

export function useHashRoute(): void {
  const screen = useStore((s) => s.screen);
  const go = useStore((s) => s.go);

  // Hash → store (menu items, reloads, history). Declared first so a reload opens where the hash points.
  useEffect(() => {
    function apply() {
      const target = hashToScreen(location.hash);
      if (!target) return;
      const current = useStore.getState().screen;
      if (screenToHash(current) !== screenToHash(target)) go(target);
    }
    apply();
    window.addEventListener('hashchange', apply);
    return () => window.removeEventListener('hashchange', apply);
  }, [go]);

  // Store → hash (so the window can be reloaded where it was).
  useEffect(() => {
    const want = screenToHash(useStore.getState().screen);
    if (location.hash !== want) location.hash = want;
  }, [screen]);
}
