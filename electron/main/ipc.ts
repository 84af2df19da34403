import { type BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS, IPC_PREFIX, type IpcInput } from '../../shared/ipc/contract';
import { createDispatcher, type Handler } from '../../shared/ipc/dispatch';
import type { TokenOps } from '../services/tokenops';

/** The shell's own channels: native dialogs, answered here because only main may open them. */
function shellHandlers(win: () => BrowserWindow | null) {
  return {
    'dialog.pickPaths': async ({ purpose }: IpcInput<'dialog.pickPaths'>) => {
      const w = win();
      const options: Electron.OpenDialogOptions =
        purpose === 'bundle'
          ? {
              title: 'Verify a result bundle',
              properties: ['openFile'],
              filters: [{ name: 'Result bundles', extensions: ['zip'] }],
            }
          : purpose === 'replacement'
            ? { title: 'Choose the corrected file', properties: ['openFile'] }
            : { title: 'Add evidence', properties: ['openFile', 'openDirectory', 'multiSelections'] };
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      return { paths: r.canceled ? [] : r.filePaths };
    },
    'dialog.savePath': async ({ suggested_name }: IpcInput<'dialog.savePath'>) => {
      const w = win();
      const options: Electron.SaveDialogOptions = {
        title: 'Save the signed result bundle',
        defaultPath: suggested_name,
        filters: [{ name: 'Result bundle', extensions: ['zip'] }],
      };
      const r = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
      return { path: r.canceled || !r.filePath ? null : r.filePath };
    },
  };
}

/**
 * One handler per contract channel. Each call is checked to come from the app's own top frame
 * (never an iframe or a navigated-away page), then validated and dispatched like every other caller.
 */
export function registerIpc(
  tokenops: TokenOps,
  win: () => BrowserWindow | null,
  isAppUrl: (url: string) => boolean,
): void {
  const dispatch = createDispatcher(
    { ...(tokenops.handlers as Record<string, Handler>), ...(shellHandlers(win) as Record<string, Handler>) },
    (e) => console.error('[tokenops] handler failed', e),
  );
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(IPC_PREFIX + channel, async (event: IpcMainInvokeEvent, input: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
        return {
          ok: false,
          error: { code: 'usage', message: 'Refused: the call did not come from the TokenOps window.' },
        };
      }
      return dispatch(channel, input);
    });
  }
}
