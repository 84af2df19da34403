import { type BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, shell } from 'electron';
import { lstat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { DROP_GRANT_CHANNEL, IPC_CHANNELS, IPC_PREFIX, type IpcInput } from '../../shared/ipc/contract';
import { createDispatcher } from '../../shared/ipc/dispatch';
import type { TokenOps } from '../services/tokenops';
import { ipcHandlers, type Shell } from './ipc-handlers';
import { PathGrants } from './path-grants';

/** The native dialogs and the file manager: what only the desktop shell can do. */
function desktopShell(win: () => BrowserWindow | null): Shell {
  const openOptions = (purpose: IpcInput<'dialog.pickPaths'>['purpose']): Electron.OpenDialogOptions =>
    purpose === 'bundle'
      ? {
          title: 'Verify a result bundle',
          properties: ['openFile'],
          filters: [{ name: 'Result bundles', extensions: ['zip'] }],
        }
      : purpose === 'replacement'
        ? { title: 'Choose the corrected file', properties: ['openFile'] }
        : { title: 'Add evidence', properties: ['openFile', 'openDirectory', 'multiSelections'] };
  return {
    async pickPaths(purpose) {
      const w = win();
      const r = w
        ? await dialog.showOpenDialog(w, openOptions(purpose))
        : await dialog.showOpenDialog(openOptions(purpose));
      return r.canceled ? [] : r.filePaths;
    },
    async savePath(suggestedName) {
      const w = win();
      const options: Electron.SaveDialogOptions = {
        title: 'Save the signed result bundle',
        defaultPath: suggestedName,
        filters: [{ name: 'Result bundle', extensions: ['zip'] }],
      };
      const r = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async reveal(path) {
      shell.showItemInFolder(path);
    },
  };
}

/**
 * One handler per contract channel. Each call is checked to come from the app's own top frame
 * (never an iframe or a navigated-away page), then validated and dispatched like every other caller.
 * Paths only ever enter through main's dialogs and the preload's drop channel, as grants (path-grants.ts).
 */
export function registerIpc(
  tokenops: TokenOps,
  win: () => BrowserWindow | null,
  isAppUrl: (url: string) => boolean,
): void {
  const grants = new PathGrants();
  const dispatch = createDispatcher(ipcHandlers(tokenops.handlers, grants, desktopShell(win)), (e) =>
    console.error('[tokenops] handler failed', e),
  );
  const isTrustedSender = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    return Boolean(frame && frame.parent === null && isAppUrl(frame.url));
  };
  const refused = {
    ok: false,
    error: { code: 'usage', message: 'Refused: the call did not come from the TokenOps window.' },
  } as const;
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(IPC_PREFIX + channel, async (event: IpcMainInvokeEvent, input: unknown) =>
      isTrustedSender(event) ? dispatch(channel, input) : refused,
    );
  }
  // Only the preload reaches this channel (the page has no ipcRenderer), and it only sends what
  // webUtils.getPathForFile resolved for a File the operator dropped: a page cannot make such a File.
  ipcMain.handle(DROP_GRANT_CHANNEL, async (event: IpcMainInvokeEvent, input: unknown) => {
    if (!isTrustedSender(event)) return refused;
    const checked = await checkDroppedPath(input);
    return checked.ok ? { ok: true, value: grants.issue(checked.path, 'read') } : checked;
  });
}

/** A dropped item's path: a non-empty absolute path that still exists (lstat: a link is granted as itself). */
async function checkDroppedPath(
  input: unknown,
): Promise<{ ok: true; path: string } | { ok: false; error: { code: 'no_path'; message: string } }> {
  if (typeof input !== 'string' || !isAbsolute(input)) {
    return { ok: false, error: { code: 'no_path', message: 'The dropped item has no path on disk.' } };
  }
  const exists = await lstat(input).then(
    () => true,
    () => false,
  );
  return exists
    ? { ok: true, path: input }
    : { ok: false, error: { code: 'no_path', message: `${input} no longer exists.` } };
}
