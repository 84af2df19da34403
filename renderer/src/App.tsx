import { useEffect, useRef } from 'react';
import { useStore } from './store';
import { useWindowDrop } from './hooks/useWindowDrop';
import { useHashRoute } from './hooks/useHashRoute';
import { useShortcuts } from './hooks/useShortcuts';
import { Sidebar } from './components/Sidebar';
import { TopBar } from './components/TopBar';
import { Toasts } from './components/Toasts';
import { DropOverlay } from './components/DropOverlay';
import { RunsScreen } from './screens/RunsScreen';
import { RunScreen } from './screens/RunScreen';
import { VerifyScreen } from './screens/VerifyScreen';
import { LedgerScreen } from './screens/LedgerScreen';
import { SettingsScreen } from './screens/SettingsScreen';

/** Where a drop goes on the current screen, in words for the overlay. */
function useDropTarget() {
  const screen = useStore((s) => s.screen);
  const view = useStore((s) => s.view);
  if (screen.name === 'verify')
    return {
      kind: 'verify' as const,
      title: 'Drop a bundle to verify it',
      detail: 'Zip structure, manifests, signature and subjects are checked.',
    };
  // Anywhere but an open run, a drop starts one: the natural first move of a new operator.
  if (screen.name !== 'run' || !view)
    return {
      kind: 'start' as const,
      title: 'Drop to start a run with this evidence',
      detail: 'A new run is opened, and each file is hashed, scanned for secrets and filed under its step.',
    };
  if (view.run.state === 'packaged' || view.run.state === 'delivered')
    return {
      kind: 'frozen' as const,
      title: 'This run is packaged',
      detail: 'A signed run is frozen; start a new run for new evidence.',
    };
  return {
    kind: 'run' as const,
    title: `Drop to add evidence to “${view.run.title}”`,
    detail: 'Files and folders are hashed, scanned for secrets and filed under their steps.',
  };
}

export function App() {
  const screen = useStore((s) => s.screen);
  const navCount = useStore((s) => s.navCount);
  const viewRunId = useStore((s) => s.view?.run.run_id);
  const listenForProgress = useStore((s) => s.listenForProgress);
  const loadSettings = useStore((s) => s.loadSettings);
  const addDroppedFiles = useStore((s) => s.addDroppedFiles);
  const startRunWithDrop = useStore((s) => s.startRunWithDrop);
  const verifyDropped = useStore((s) => s.verifyDropped);
  const pushToast = useStore((s) => s.pushToast);
  const target = useDropTarget();
  const mainRef = useRef<HTMLElement>(null);
  useHashRoute();
  useShortcuts();

  useEffect(() => listenForProgress(), [listenForProgress]);
  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  // Move focus to the new screen's heading after navigation (and once a run finishes loading).
  useEffect(() => {
    if (navCount === 0) return;
    const id = requestAnimationFrame(() => {
      const h = mainRef.current?.querySelector<HTMLElement>('[data-screen-heading]');
      const active = document.activeElement;
      const lost = !active || active === document.body || !mainRef.current?.contains(active);
      if (h && (lost || active?.closest('.nav-item, .runlist-scroll, .topbar, .dialog, .crumbs'))) h.focus();
    });
    return () => cancelAnimationFrame(id);
  }, [navCount, viewRunId]);

  const dragging = useWindowDrop((files) => {
    if (target.kind === 'verify') void verifyDropped(files);
    else if (target.kind === 'run') void addDroppedFiles(files);
    else if (target.kind === 'start') void startRunWithDrop(files);
    else pushToast({ kind: 'info', title: target.title, message: target.detail });
  });

  return (
    <div className="app">
      <a
        href="#main"
        className="skip-link"
        onClick={(e) => {
          e.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to content
      </a>
      <Sidebar />
      <TopBar />
      <main id="main" ref={mainRef} tabIndex={-1} className={`main${screen.name === 'runs' ? ' main-fill' : ''}`}>
        {screen.name === 'runs' && <RunsScreen />}
        {screen.name === 'run' && <RunScreen runId={screen.runId} />}
        {screen.name === 'verify' && <VerifyScreen />}
        {screen.name === 'ledger' && <LedgerScreen />}
        {screen.name === 'settings' && <SettingsScreen />}
      </main>
      <Toasts />
      {dragging && <DropOverlay title={target.title} detail={target.detail} refuse={target.kind === 'frozen'} />}
    </div>
  );
}
