import { app, Menu, type BrowserWindow } from 'electron';
import { openExternalSafely } from './security';

/** Native menus; the renderer listens for the menu's navigation via its own keyboard shortcuts too. */
export function installMenu(win: () => BrowserWindow | null): void {
  const go = (hash: string) => () =>
    void win()?.webContents.executeJavaScript(`location.hash = ${JSON.stringify(hash)}`);
  const isMac = process.platform === 'darwin';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(isMac ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          { label: 'Runs', accelerator: 'CmdOrCtrl+1', click: go('#/runs') },
          { label: 'Verify a bundle…', accelerator: 'CmdOrCtrl+2', click: go('#/verify') },
          { label: 'Ledger', accelerator: 'CmdOrCtrl+3', click: go('#/ledger') },
          { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: go('#/settings') },
          { type: 'separator' },
          isMac ? { role: 'close' as const } : { role: 'quit' as const },
        ],
      },
      { role: 'editMenu' },
      // No DevTools entry in a packaged app: nothing in it helps an operator, and it opens the renderer to anyone at the keyboard.
      {
        label: 'View',
        submenu: [
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
          ...(app.isPackaged ? [] : [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }]),
        ],
      },
      { role: 'windowMenu' },
      {
        role: 'help',
        submenu: [
          { label: 'BagIt (RFC 8493)', click: () => openExternalSafely('https://www.rfc-editor.org/rfc/rfc8493') },
        ],
      },
    ]),
  );
}
