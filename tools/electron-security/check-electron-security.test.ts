/**
 * The Electron security check (tools/electron-security/check-electron-security.ts):
 *  - passes on this repository's shell with no HIGH finding;
 *  - passes on a small secure fixture app;
 *  - and, for every HIGH rule, flags at least one insecure variant of that fixture, so the check cannot
 *    silently pass (a HIGH rule with no case here fails the coverage test).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES, checkElectronSecurity, formatTable, type RuleId } from './check-electron-security';

const REPO = resolve(__dirname, '../..');
const SCRIPT = join(REPO, 'tools/electron-security/check-electron-security.ts');
const TSX = join(REPO, 'node_modules/.bin/tsx');

type Files = Record<string, string>;

const MAIN = 'electron/main/index.ts';
const PRELOAD = 'electron/preload/index.ts';
const HTML = 'renderer/index.html';

/** A minimal shell that meets every requirement. */
function secureApp(): Files {
  return {
    [MAIN]: `import { app, BrowserWindow, ipcMain, session, shell } from 'electron';

const ALLOW = new Set(['example.com']);
export const CSP = "default-src 'none'; script-src 'self'";

function openSafely(url: string): void {
  const u = new URL(url);
  if (u.protocol === 'https:' && ALLOW.has(u.hostname)) void shell.openExternal(u.toString());
}

function validate(input: unknown): unknown {
  return input;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    app.on('web-contents-created', (_event, contents) => {
      contents.on('will-navigate', (event) => event.preventDefault());
      contents.setWindowOpenHandler(({ url }) => {
        openSafely(url);
        return { action: 'deny' };
      });
    });
    ipcMain.handle('app:ping', async (event, input: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || frame.url !== 'file:///app/index.html') return { ok: false };
      return validate(input);
    });
    const win = new BrowserWindow({
      webPreferences: {
        preload: '/app/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      },
    });
    void win.loadFile('/app/index.html');
  });
}
`,
    [PRELOAD]: `import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, IPC_PREFIX, PROGRESS_EVENT } from '../../shared/ipc/contract';

const api: Record<string, unknown> = {};
for (const channel of IPC_CHANNELS) {
  api[channel] = (input: unknown) => ipcRenderer.invoke(IPC_PREFIX + channel, input ?? {});
}
api.onProgress = (listener: (p: unknown) => void) => {
  const handler = (_event: unknown, p: unknown) => listener(p);
  ipcRenderer.on(PROGRESS_EVENT, handler);
  return () => ipcRenderer.removeListener(PROGRESS_EVENT, handler);
};
contextBridge.exposeInMainWorld('app', Object.freeze(api));
`,
    'shared/ipc/contract.ts': `export const IPC_CONTRACT = { ping: { input: {} } } as const;
export const IPC_CHANNELS = Object.keys(IPC_CONTRACT);
export const IPC_PREFIX = 'app:';
export const PROGRESS_EVENT = 'app:progress';
`,
    [HTML]: `<!doctype html>
<html>
  <head>
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'" />
  </head>
  <body><div id="root"></div><script type="module" src="./main.js"></script></body>
</html>
`,
  };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function writeApp(files: Files): string {
  const root = mkdtempSync(join(tmpdir(), 'tokenops-electron-sec-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

/** Replace exactly one occurrence, so a fixture drifting away from a mutation fails loudly instead of testing nothing. */
function sub(files: Files, path: string, from: string, to: string): void {
  const text = files[path];
  if (text === undefined) throw new Error(`fixture has no ${path}`);
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one "${from}" in ${path}`);
  files[path] = text.slice(0, at) + to + text.slice(at + from.length);
}

const afterImports = (files: Files, code: string) =>
  sub(
    files,
    MAIN,
    "import { app, BrowserWindow, ipcMain, session, shell } from 'electron';\n",
    `import { app, BrowserWindow, ipcMain, session, shell } from 'electron';\n${code}\n`,
  );
const prefs = (files: Files, add: string) => sub(files, MAIN, 'sandbox: true,\n', `sandbox: true,\n        ${add},\n`);
const preloadAdd = (files: Files, code: string) =>
  sub(files, PRELOAD, "contextBridge.exposeInMainWorld('app'", `${code}\ncontextBridge.exposeInMainWorld('app'`);

interface Case {
  rule: RuleId;
  name: string;
  mutate: (f: Files) => void;
}

const CASES: Case[] = [
  { rule: 'no-sources', name: 'no preload at all', mutate: (f) => void delete f[PRELOAD] },
  {
    rule: 'parse-error',
    name: 'a main file that does not parse',
    mutate: (f) => void (f['electron/main/broken.ts'] = 'export const x = {;\n'),
  },
  {
    rule: 'single-instance-lock',
    name: 'no lock',
    mutate: (f) => sub(f, MAIN, 'if (!app.requestSingleInstanceLock()) {\n  app.quit();\n} else {', '{'),
  },
  {
    rule: 'single-instance-lock',
    name: 'lock result ignored',
    mutate: (f) =>
      sub(
        f,
        MAIN,
        'if (!app.requestSingleInstanceLock()) {\n  app.quit();\n} else {',
        'app.requestSingleInstanceLock();\n{',
      ),
  },
  {
    rule: 'window-context-isolation',
    name: 'contextIsolation: false',
    mutate: (f) => sub(f, MAIN, 'contextIsolation: true', 'contextIsolation: false'),
  },
  {
    rule: 'window-context-isolation',
    name: 'contextIsolation not set',
    mutate: (f) => sub(f, MAIN, 'contextIsolation: true,\n', ''),
  },
  {
    rule: 'window-context-isolation',
    name: 'a second window without webPreferences',
    mutate: (f) =>
      sub(
        f,
        MAIN,
        '    void win.loadFile',
        '    const about = new BrowserWindow({ width: 400 });\n    void about;\n    void win.loadFile',
      ),
  },
  { rule: 'window-sandbox', name: 'sandbox: false', mutate: (f) => sub(f, MAIN, 'sandbox: true', 'sandbox: false') },
  {
    rule: 'window-node-integration',
    name: 'nodeIntegration: true',
    mutate: (f) => sub(f, MAIN, 'nodeIntegration: false', 'nodeIntegration: true'),
  },
  {
    rule: 'window-node-integration',
    name: 'nodeIntegration from a variable',
    mutate: (f) => sub(f, MAIN, 'nodeIntegration: false', 'nodeIntegration: process.env.DEBUG === "1"'),
  },
  {
    rule: 'window-node-integration-in-worker',
    name: 'nodeIntegrationInWorker: true',
    mutate: (f) => prefs(f, 'nodeIntegrationInWorker: true'),
  },
  {
    rule: 'window-node-integration-in-subframes',
    name: 'nodeIntegrationInSubFrames: true',
    mutate: (f) => prefs(f, 'nodeIntegrationInSubFrames: true'),
  },
  { rule: 'window-web-security', name: 'webSecurity: false', mutate: (f) => prefs(f, 'webSecurity: false') },
  {
    rule: 'window-insecure-content',
    name: 'allowRunningInsecureContent: true',
    mutate: (f) => prefs(f, 'allowRunningInsecureContent: true'),
  },
  {
    rule: 'window-experimental-features',
    name: 'experimentalFeatures: true',
    mutate: (f) => prefs(f, 'experimentalFeatures: true'),
  },
  {
    rule: 'window-blink-features',
    name: 'enableBlinkFeatures',
    mutate: (f) => prefs(f, "enableBlinkFeatures: 'CSSVariables'"),
  },
  { rule: 'window-webview-tag', name: 'webviewTag: true', mutate: (f) => prefs(f, 'webviewTag: true') },
  { rule: 'window-options-unverifiable', name: 'a spread in webPreferences', mutate: (f) => prefs(f, '...extraPrefs') },
  {
    rule: 'window-options-unverifiable',
    name: 'options from a call',
    mutate: (f) =>
      sub(
        f,
        MAIN,
        'const win = new BrowserWindow({',
        'const win = new BrowserWindow(makeOptions());\n    const unused = ({',
      ),
  },
  {
    rule: 'window-open-deny',
    name: 'handler allows',
    mutate: (f) => sub(f, MAIN, "return { action: 'deny' };", "return { action: 'allow' };"),
  },
  {
    rule: 'window-open-deny',
    name: 'handler allows on one path',
    mutate: (f) =>
      sub(
        f,
        MAIN,
        '        openSafely(url);\n',
        "        if (url.startsWith('https://example.com/')) return { action: 'allow' } as const;\n",
      ),
  },
  {
    rule: 'window-open-deny',
    name: 'no handler',
    mutate: (f) =>
      sub(
        f,
        MAIN,
        "      contents.setWindowOpenHandler(({ url }) => {\n        openSafely(url);\n        return { action: 'deny' };\n      });\n",
        '',
      ),
  },
  {
    rule: 'navigation-guard',
    name: 'no will-navigate handler',
    mutate: (f) => sub(f, MAIN, "      contents.on('will-navigate', (event) => event.preventDefault());\n", ''),
  },
  {
    rule: 'navigation-guard',
    name: 'will-navigate handler that lets it happen',
    mutate: (f) => sub(f, MAIN, '(event) => event.preventDefault()', '(_event, url) => console.log(url)'),
  },
  {
    rule: 'permission-request-handler',
    name: 'no permission handler',
    mutate: (f) =>
      sub(
        f,
        MAIN,
        '    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));\n',
        '',
      ),
  },
  {
    rule: 'permission-request-handler',
    name: 'permission handler reset to null',
    mutate: (f) =>
      sub(
        f,
        MAIN,
        'setPermissionRequestHandler((_wc, _permission, callback) => callback(false))',
        'setPermissionRequestHandler(null)',
      ),
  },
  {
    rule: 'open-external-unchecked',
    name: 'openExternal of any string',
    mutate: (f) => afterImports(f, 'export function openAnything(url: string) { void shell.openExternal(url); }'),
  },
  {
    rule: 'open-external-unchecked',
    name: 'openExternal checked for https only',
    mutate: (f) =>
      afterImports(
        f,
        "export function openHttps(url: string) { if (url.startsWith('https://')) void shell.openExternal(url); }",
      ),
  },
  {
    rule: 'open-external-unchecked',
    name: 'openExternal of a renderer-supplied URL',
    mutate: (f) =>
      afterImports(
        f,
        "ipcMain.on('app:open', (event, url: string) => { if (event.senderFrame) void shell.openExternal(url); });",
      ),
  },
  {
    rule: 'ipc-sender-unchecked',
    name: 'no senderFrame check',
    mutate: (f) =>
      sub(
        f,
        MAIN,
        "      if (!frame || frame.parent !== null || frame.url !== 'file:///app/index.html') return { ok: false };\n",
        '',
      ),
  },
  {
    rule: 'ipc-sender-unchecked',
    name: 'handler passed by a name the checker cannot see',
    mutate: (f) =>
      sub(
        f,
        MAIN,
        "ipcMain.handle('app:ping', async (event, input: unknown) => {",
        "ipcMain.handle('app:ping', importedHandler);\n    void (async (event: any, input: unknown) => {",
      ),
  },
  {
    rule: 'ipc-input-unvalidated',
    name: 'input used directly',
    mutate: (f) => sub(f, MAIN, 'return validate(input);', 'return readFileSync(input as string);'),
  },
  {
    rule: 'ipc-input-unvalidated',
    name: 'input destructured before validation',
    mutate: (f) => sub(f, MAIN, 'async (event, input: unknown) =>', 'async (event, { path }: { path: string }) =>'),
  },
  {
    rule: 'preload-exposes-ipcrenderer',
    name: 'ipcRenderer itself',
    mutate: (f) =>
      sub(
        f,
        PRELOAD,
        "contextBridge.exposeInMainWorld('app', Object.freeze(api));",
        "contextBridge.exposeInMainWorld('ipc', ipcRenderer);",
      ),
  },
  {
    rule: 'preload-exposes-ipcrenderer',
    name: 'an unbound ipcRenderer method',
    mutate: (f) => preloadAdd(f, 'api.send = ipcRenderer.send;'),
  },
  {
    rule: 'preload-exposes-ipcrenderer',
    name: 'a bound ipcRenderer method',
    mutate: (f) => preloadAdd(f, 'api.invoke = ipcRenderer.invoke.bind(ipcRenderer);'),
  },
  {
    rule: 'preload-exposes-ipcrenderer',
    name: 'ipcRenderer through a namespace import',
    mutate: (f) => preloadAdd(f, "import * as electron from 'electron';\napi.ipc = electron.ipcRenderer;"),
  },
  {
    rule: 'preload-exposes-electron-api',
    name: 'webUtils as a value',
    mutate: (f) => {
      sub(
        f,
        PRELOAD,
        "import { contextBridge, ipcRenderer } from 'electron';",
        "import { contextBridge, ipcRenderer, webUtils } from 'electron';",
      );
      preloadAdd(f, 'api.utils = { webUtils };');
    },
  },
  {
    rule: 'preload-channel-from-renderer',
    name: 'a generic invoke',
    mutate: (f) =>
      preloadAdd(f, 'api.invoke = (channel: string, input: unknown) => ipcRenderer.invoke(channel, input);'),
  },
  {
    rule: 'preload-channel-from-renderer',
    name: 'a channel derived from the page',
    mutate: (f) =>
      preloadAdd(f, "api.call = (name: string) => { const full = 'app:' + name; return ipcRenderer.invoke(full); };"),
  },
  {
    rule: 'preload-channel-not-in-contract',
    name: 'a literal channel outside the contract',
    mutate: (f) => preloadAdd(f, "api.readFile = (p: string) => ipcRenderer.invoke('app:readAnyFile', p);"),
  },
  {
    rule: 'preload-forwards-ipc-event',
    name: 'page callback given the raw event',
    mutate: (f) => preloadAdd(f, 'api.onAny = (cb: (...a: unknown[]) => void) => ipcRenderer.on(PROGRESS_EVENT, cb);'),
  },
  {
    rule: 'preload-no-context-bridge',
    name: 'assigning window.app',
    mutate: (f) =>
      sub(f, PRELOAD, "contextBridge.exposeInMainWorld('app', Object.freeze(api));", '(window as any).app = api;'),
  },
  {
    rule: 'remote-module',
    name: '@electron/remote in the preload',
    mutate: (f) =>
      sub(
        f,
        PRELOAD,
        "import { contextBridge, ipcRenderer } from 'electron';",
        "import { contextBridge, ipcRenderer } from 'electron';\nimport { getCurrentWindow } from '@electron/remote';\nvoid getCurrentWindow;",
      ),
  },
  {
    rule: 'remote-module',
    name: "require('electron').remote",
    mutate: (f) => afterImports(f, "const remoteWindow = require('electron').remote.BrowserWindow;"),
  },
  {
    rule: 'remote-module',
    name: "import { remote } from 'electron'",
    mutate: (f) =>
      sub(
        f,
        MAIN,
        'import { app, BrowserWindow, ipcMain, session, shell }',
        'import { app, BrowserWindow, ipcMain, remote, session, shell }',
      ),
  },
  { rule: 'remote-module', name: 'enableRemoteModule: true', mutate: (f) => prefs(f, 'enableRemoteModule: true') },
  {
    rule: 'webview-element',
    name: '<webview> in the HTML',
    mutate: (f) =>
      sub(f, HTML, '<div id="root"></div>', '<div id="root"></div><webview src="https://example.com"></webview>'),
  },
  {
    rule: 'csp-missing',
    name: 'no CSP meta',
    mutate: (f) =>
      sub(
        f,
        HTML,
        `    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'" />\n`,
        '',
      ),
  },
  {
    rule: 'csp-missing',
    name: 'CSP meta only inside a comment',
    mutate: (f) =>
      sub(
        f,
        HTML,
        `    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'" />`,
        `    <!-- <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'" /> -->`,
      ),
  },
  {
    rule: 'csp-default-src',
    name: "default-src 'self'",
    mutate: (f) => sub(f, HTML, `content="default-src 'none';`, `content="default-src 'self';`),
  },
  {
    rule: 'csp-default-src',
    name: 'no default-src in the header CSP',
    mutate: (f) =>
      sub(
        f,
        MAIN,
        `export const CSP = "default-src 'none'; script-src 'self'";`,
        `export const CSP = "script-src 'self'";`,
      ),
  },
  {
    rule: 'csp-script-src-unsafe',
    name: "'unsafe-inline' scripts",
    mutate: (f) => sub(f, HTML, `script-src 'self'"`, `script-src 'self' 'unsafe-inline'"`),
  },
  {
    rule: 'csp-script-src-unsafe',
    name: "'unsafe-eval' in the header CSP",
    mutate: (f) => sub(f, MAIN, `script-src 'self'";`, `script-src 'self' 'unsafe-eval'";`),
  },
  {
    rule: 'csp-script-src-unsafe',
    name: 'wildcard scripts via default-src',
    mutate: (f) => sub(f, HTML, `content="default-src 'none'; script-src 'self'"`, `content="default-src *"`),
  },
  {
    rule: 'electron-outside-shell',
    name: 'a service importing electron',
    mutate: (f) =>
      void (f['electron/services/opener.ts'] =
        "import { shell } from 'electron';\nexport const open = (u: string) => shell.openExternal(u);\n"),
  },
  {
    rule: 'dangerous-switch',
    name: 'ignore-certificate-errors',
    mutate: (f) => afterImports(f, "app.commandLine.appendSwitch('ignore-certificate-errors');"),
  },
  {
    rule: 'dangerous-switch',
    name: '--no-sandbox',
    mutate: (f) => afterImports(f, "app.commandLine.appendArgument('--no-sandbox');"),
  },
  {
    rule: 'tls-verification-disabled',
    name: 'NODE_TLS_REJECT_UNAUTHORIZED=0',
    mutate: (f) => afterImports(f, "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';"),
  },
  {
    rule: 'tls-verification-disabled',
    name: 'certificate-error accepted',
    mutate: (f) =>
      afterImports(
        f,
        "app.on('certificate-error', (event, _wc, _url, _err, _cert, callback) => { event.preventDefault(); callback(true); });",
      ),
  },
  {
    rule: 'load-insecure-url',
    name: 'loadURL over http',
    mutate: (f) => sub(f, MAIN, "void win.loadFile('/app/index.html');", "void win.loadURL('http://example.com/');"),
  },
];

describe('Electron security check', () => {
  it('passes on this repository with no HIGH finding', () => {
    const report = checkElectronSecurity(REPO);
    const high = report.findings.filter((f) => f.severity === 'HIGH');
    expect(high, formatTable(high)).toEqual([]);
    // It really looked at the shell (a wrong root would be a 'no-sources' HIGH, but be explicit).
    for (const f of [
      'electron/main/index.ts',
      'electron/main/security.ts',
      'electron/main/ipc.ts',
      'electron/main/menu.ts',
      'electron/preload/index.ts',
      'renderer/index.html',
      'shared/ipc/contract.ts',
    ]) {
      expect(report.scanned).toContain(f);
    }
  });

  it('passes on the secure fixture with no HIGH finding', () => {
    const report = checkElectronSecurity(writeApp(secureApp()));
    const high = report.findings.filter((f) => f.severity === 'HIGH');
    expect(high, formatTable(high)).toEqual([]);
  });

  it('accepts a preload-only channel the contract exports as *_CHANNEL, handled with sender and input checks', () => {
    const files = secureApp();
    files['shared/ipc/contract.ts'] += "export const GRANT_CHANNEL = 'app-preload:grant';\n";
    sub(
      files,
      PRELOAD,
      "import { IPC_CHANNELS, IPC_PREFIX, PROGRESS_EVENT } from '../../shared/ipc/contract';",
      "import { GRANT_CHANNEL, IPC_CHANNELS, IPC_PREFIX, PROGRESS_EVENT } from '../../shared/ipc/contract';",
    );
    preloadAdd(files, 'api.grant = (p: string) => ipcRenderer.invoke(GRANT_CHANNEL, p);');
    const clean = checkElectronSecurity(writeApp(files));
    expect(
      clean.findings.filter((f) => f.severity === 'HIGH'),
      formatTable(clean.findings),
    ).toEqual([]);
    // The same call to a name the contract does not export is still refused.
    sub(files, PRELOAD, 'ipcRenderer.invoke(GRANT_CHANNEL, p)', "ipcRenderer.invoke('app-preload:other', p)");
    const dirty = checkElectronSecurity(writeApp(files));
    expect(dirty.findings.some((f) => f.rule === 'preload-channel-not-in-contract')).toBe(true);
  });

  it('has an insecure case for every HIGH rule', () => {
    const highRules = Object.entries(RULES)
      .filter(([, r]) => r.severity === 'HIGH')
      .map(([id]) => id);
    const covered = new Set(CASES.map((c) => c.rule));
    expect(highRules.filter((r) => !covered.has(r as RuleId))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.rule, c.name, c] as const))('%s: flags %s', (_rule, _name, c) => {
    const files = secureApp();
    c.mutate(files);
    const report = checkElectronSecurity(writeApp(files));
    const hits = report.findings.filter((f) => f.rule === c.rule);
    expect(hits.length, `expected ${c.rule}; got:\n${formatTable(report.findings)}`).toBeGreaterThan(0);
    expect(hits.every((h) => h.severity === 'HIGH')).toBe(true);
    expect(report.high).toBeGreaterThan(0);
  });

  it('does not flag insecure settings that only appear in comments', () => {
    const files = secureApp();
    sub(
      files,
      MAIN,
      'sandbox: true,\n',
      'sandbox: true,\n        // nodeIntegration: true, webSecurity: false, contextIsolation: false\n',
    );
    const report = checkElectronSecurity(writeApp(files));
    expect(report.high).toBe(0);
  });

  it('command line: table and exit 0 on this repository, exit 1 on an insecure app', () => {
    const ok = spawnSync(TSX, [SCRIPT, '--root', REPO], { encoding: 'utf8' });
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/OK: no HIGH finding/);

    const files = secureApp();
    sub(files, MAIN, 'sandbox: true', 'sandbox: false');
    const bad = spawnSync(TSX, [SCRIPT, '--root', writeApp(files)], { encoding: 'utf8' });
    expect(bad.status, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/^rule\s+severity\s+file:line\s+message$/m);
    expect(bad.stdout).toMatch(/window-sandbox\s+HIGH\s+electron\/main\/index\.ts:\d+/);
  });
});
