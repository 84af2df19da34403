/**
 * End-to-end harness: the built renderer (out/renderer) served from 127.0.0.1, opened in Debian Chromium
 * through playwright-core, and bridged to the REAL TokenOps services the way Electron does it:
 * `window.tokenops` is built from the contract's channel list, every call goes through the same dispatcher
 * and the same handler table as Electron main (input validated against the contract, paths only as grants
 * from path-grants.ts, errors returned as data), and the shell's dialogs are answered from a queue the test
 * fills. A drop stages the file's bytes and takes a grant, as the preload does. Each test gets a fresh data folder.
 */
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { IPC_CHANNELS, type IpcChannel, type IpcEvents } from '../../shared/ipc/contract';
import { openTokenOps, type TokenOps } from '../../electron/services/tokenops';
import { createDispatcher } from '../../shared/ipc/dispatch';
import { ipcHandlers } from '../../electron/main/ipc-handlers';
import { PathGrants } from '../../electron/main/path-grants';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RENDERER_DIR = join(ROOT, 'out/renderer');
/**
 * Every run takes the screenshots (a failure to render fails the test), but only `npm run screenshots`
 * (TOKENOPS_SCREENSHOTS=docs) refreshes the committed ones in docs/; otherwise they go to test-results/.
 */
export const SCREENSHOT_DIR = join(
  ROOT,
  process.env.TOKENOPS_SCREENSHOTS === 'docs' ? 'docs/screenshots' : 'test-results/screenshots',
);
const CHROMIUM = '/usr/bin/chromium';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Fails with a clear message when the renderer was not built. */
export function assertRendererBuilt(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(
      `The end-to-end tests need the built renderer, but ${join(RENDERER_DIR, 'index.html')} does not exist. ` +
        'Run `npm run build` first (`npm test` does it for you).',
    );
  }
}

/** A tiny static server for out/renderer on 127.0.0.1, on a free port. */
export async function startStaticServer(dir = RENDERER_DIR): Promise<{ url: string; close(): Promise<void> }> {
  const root = resolve(dir);
  const server: Server = createServer(async (req, res) => {
    try {
      const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const rel = urlPath === '/' ? 'index.html' : urlPath.replace(/^\/+/, '');
      const file = normalize(join(root, rel));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}; the end-to-end tests need Debian's chromium package.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface AppSession {
  page: Page;
  context: BrowserContext;
  home: string;
  staging: string;
  tokenops: TokenOps;
  /** Calls a channel exactly as the page would (through the dispatcher, so paths only as grants). */
  dispatch(channel: IpcChannel, input: unknown): Promise<unknown>;
  /** What the next native open or save dialog "returns" (each call consumes one entry; empty queue = cancelled). */
  queueDialogPaths(...paths: string[]): void;
  /** Paths the app asked the file manager to show. */
  revealed: string[];
  /** Every channel the page called, in order. */
  channelCalls: string[];
  /** Console errors, page errors and failed requests seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** The page side of the bridge (serialised into an init script: it must not close over anything). */
function installBridge(channels: string[]): void {
  type Listener = (p: unknown) => void;
  const w = window as unknown as Record<string, (...a: unknown[]) => Promise<unknown>> & {
    tokenops?: unknown;
    __tokenopsProgress?: Listener;
  };
  const listeners = new Set<Listener>();
  const api: Record<string, unknown> = {};
  for (const channel of channels) api[channel] = (input: unknown) => w.__tokenopsInvoke(channel, input ?? {});
  api.grantForFile = async (file: File) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return w.__tokenopsStageFile(file.name, btoa(bin));
  };
  api.onProgress = (listener: Listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  w.__tokenopsProgress = (p: unknown) => {
    for (const l of listeners) l(p);
  };
  w.tokenops = Object.freeze(api);
}

export async function openApp(
  browser: Browser,
  baseUrl: string,
  opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<AppSession> {
  const home = await mkdtemp(join(tmpdir(), 'tokenops-e2e-home-'));
  const staging = await mkdtemp(join(tmpdir(), 'tokenops-e2e-drop-'));
  let page: Page | null = null;
  const tokenops = await openTokenOps({
    home,
    onProgress: (p: IpcEvents['progress']) => {
      page
        ?.evaluate(
          (ev) => (window as unknown as { __tokenopsProgress?: (e: unknown) => void }).__tokenopsProgress?.(ev),
          p,
        )
        .catch(() => {});
    },
  });
  const dialogQueue: string[][] = [];
  const revealed: string[] = [];
  const grants = new PathGrants();
  // The same table as Electron main (electron/main/ipc.ts); only the shell is scripted.
  const handlers = ipcHandlers(tokenops.handlers, grants, {
    pickPaths: async () => dialogQueue.shift() ?? [],
    savePath: async () => dialogQueue.shift()?.[0] ?? null,
    reveal: async (path) => {
      revealed.push(path);
    },
  });
  const problems: string[] = [];
  const dispatch = createDispatcher(handlers, (e) =>
    problems.push(`service error: ${String((e as Error)?.stack ?? e)}`),
  );

  const context = await browser.newContext({
    colorScheme: opts.colorScheme ?? 'light',
    viewport: opts.viewport ?? { width: 1440, height: 900 },
    reducedMotion: 'reduce',
  });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));

  const channelCalls: string[] = [];
  await page.exposeBinding('__tokenopsInvoke', (_src, channel: string, input: unknown) => {
    channelCalls.push(channel);
    return dispatch(channel, input);
  });
  let staged = 0;
  await page.exposeBinding('__tokenopsStageFile', async (_src, name: string, b64: string) => {
    const dir = join(staging, String(++staged));
    await mkdir(dir, { recursive: true });
    const path = join(dir, basename(name) || 'dropped');
    await writeFile(path, Buffer.from(b64, 'base64'));
    return { ok: true, value: grants.issue(path, 'read') };
  });
  await page.addInitScript(installBridge, IPC_CHANNELS as string[]);
  await page.goto(baseUrl);
  await page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();

  return {
    page,
    context,
    home,
    staging,
    tokenops,
    dispatch: async (channel, input) => {
      const r = await dispatch(channel, input);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.code}: ${r.error.message}`);
      return r.value;
    },
    queueDialogPaths: (...paths) => dialogQueue.push(paths),
    revealed,
    channelCalls,
    problems,
    async close() {
      await context.close().catch(() => {});
      page = null;
      await tokenops.close().catch(() => {});
      await rm(home, { recursive: true, force: true });
      await rm(staging, { recursive: true, force: true });
    },
  };
}

export interface DropFile {
  name: string;
  content: string | Buffer;
  type?: string;
}

/**
 * Drops files on the window the way a person does: File objects are created in the page from the
 * fixture bytes, put in a DataTransfer, and dragenter/dragover/drop events are dispatched on `selector`.
 */
export async function dropFiles(
  page: Page,
  files: DropFile[],
  selector = 'main',
  opts: { hold?: boolean } = {},
): Promise<void> {
  const payload = files.map((f) => ({
    name: f.name,
    type: f.type ?? '',
    b64: Buffer.from(f.content).toString('base64'),
  }));
  await page.evaluate(
    ({ payload, selector, hold }) => {
      const dt = new DataTransfer();
      for (const f of payload) {
        const bin = atob(f.b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      const target = document.querySelector(selector) ?? document.body;
      const fire = (type: string) =>
        target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      fire('dragenter');
      fire('dragover');
      if (hold) {
        (window as unknown as { __heldDrop?: () => void }).__heldDrop = () => fire('drop');
        return;
      }
      fire('drop');
    },
    { payload, selector, hold: !!opts.hold },
  );
}

/**
 * Saves SCREENSHOT_DIR/NAME.png. By default notifications are dismissed and the main area is scrolled
 * to the top, so the picture shows the screen itself.
 */
export async function screenshot(
  page: Page,
  name: string,
  opts: { fullHeight?: number; keepToasts?: boolean; keepScroll?: boolean } = {},
): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  const before = page.viewportSize();
  const windowScroll = await page.evaluate(
    ({ keepToasts, keepScroll }) => {
      if (!keepToasts) document.querySelectorAll<HTMLButtonElement>('.toast button').forEach((b) => b.click());
      if (!keepScroll) document.querySelector('main')?.scrollTo(0, 0);
      (document.activeElement as HTMLElement | null)?.blur?.();
      return document.scrollingElement?.scrollTop ?? 0;
    },
    { keepToasts: !!opts.keepToasts, keepScroll: !!opts.keepScroll },
  );
  // The shell never scrolls the window itself (only <main> scrolls); a scrolled window means a layout leak.
  if (windowScroll !== 0)
    throw new Error(
      `The window itself is scrolled by ${windowScroll}px on "${name}": something overflows the app shell.`,
    );
  const vp = page.viewportSize();
  if (vp) await page.mouse.move(vp.width - 2, vp.height - 2); // no hover highlight in the picture
  if (opts.fullHeight && before) await page.setViewportSize({ width: before.width, height: opts.fullHeight });
  // Let layout settle (fonts, transitions are reduced) before capturing.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  await page.screenshot({ path });
  if (opts.fullHeight && before) await page.setViewportSize(before);
  return path;
}
