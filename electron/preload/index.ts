/**
 * The preload: exposes `window.tokenops`, built from the contract's channel list and nothing else.
 * Runs sandboxed (contextIsolation + sandbox), so it may only use contextBridge, ipcRenderer and webUtils.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  DROP_GRANT_CHANNEL,
  IPC_CHANNELS,
  IPC_PREFIX,
  PROGRESS_EVENT,
  type IpcEvents,
} from '../../shared/ipc/contract';

const api: Record<string, unknown> = {};
for (const channel of IPC_CHANNELS) {
  api[channel] = (input: unknown) => ipcRenderer.invoke(IPC_PREFIX + channel, input ?? {});
}
// A dropped File carries no path in the page; only the preload can resolve it (Electron ≥ 32). The page
// gets a grant token, never the ability to name a path: a File made by script resolves to '' and is refused.
api.grantForFile = async (file: File) => {
  const path = webUtils.getPathForFile(file);
  if (!path) {
    return {
      ok: false,
      error: {
        code: 'no_path',
        message: `"${file.name}" has no path on disk (was it dragged from another application?).`,
      },
    };
  }
  return ipcRenderer.invoke(DROP_GRANT_CHANNEL, path);
};
api.onProgress = (listener: (p: IpcEvents['progress']) => void) => {
  const handler = (_event: unknown, p: IpcEvents['progress']) => listener(p);
  ipcRenderer.on(PROGRESS_EVENT, handler);
  return () => ipcRenderer.removeListener(PROGRESS_EVENT, handler);
};

contextBridge.exposeInMainWorld('tokenops', Object.freeze(api));
