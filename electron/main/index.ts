/**
 * The Electron shell: lifecycle, one secure window, menus, dialogs and IPC registration. All logic lives
 * in electron/services (shared with the CLI) and shared/; this file only wires them to the desktop.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, safeStorage } from 'electron';
import { PROGRESS_EVENT } from '../../shared/ipc/contract';
import { resolveHome } from '../services/home';
import { openTokenOps, type TokenOps } from '../services/tokenops';
import { startBackgroundDelivery, type BackgroundDelivery } from '../services/background-delivery';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { hardenApp } from './security';

const rendererIndex = join(__dirname, '../renderer/index.html');
const appUrl = pathToFileURL(rendererIndex).toString();
const isAppUrl = (url: string) => url.split('#')[0] === appUrl;

let win: BrowserWindow | null = null;
let tokenops: TokenOps | null = null;
let delivery: BackgroundDelivery | null = null;

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'TokenOps',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  w.once('ready-to-show', () => w.show());
  void w.loadFile(rendererIndex);
  return w;
}

if (!app.requestSingleInstanceLock()) {
  // Another TokenOps owns this data folder: one writer per home. Hand over and leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.whenReady().then(async () => {
    hardenApp(isAppUrl);
    tokenops = await openTokenOps({
      home: resolveHome(undefined),
      // The private key is wrapped by the OS keychain where it offers one (safeStorage); otherwise a 0600 file.
      keyProtector: {
        available: () => safeStorage.isEncryptionAvailable(),
        encrypt: (buf) => safeStorage.encryptString(buf.toString('utf8')),
        decrypt: (buf) => Buffer.from(safeStorage.decryptString(buf), 'utf8'),
      },
      onProgress: (p) => win?.webContents.send(PROGRESS_EVENT, p),
    });
    registerIpc(tokenops, () => win, isAppUrl);
    const services = tokenops;
    delivery = startBackgroundDelivery(() => services.deliverDueCallbacks(), {
      onError: (e) => console.error('TokenOps: background callback delivery failed:', e),
    });
    installMenu(() => win);
    win = createWindow();
    win.on('closed', () => (win = null));
  });
  app.on('window-all-closed', async () => {
    delivery?.stop();
    await tokenops?.close();
    app.quit();
  });
}
