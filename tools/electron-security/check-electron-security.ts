/**
 * Static security check of the Electron shell (electron/main, electron/preload) and the renderer's CSP.
 *
 *   tsx tools/electron-security/check-electron-security.ts [--root DIR] [--json]
 *
 * Parses every file with the TypeScript compiler API (syntax only: no type checker, no tsconfig, so it
 * reads TS 5 syntax and runs in well under a second), applies named rules with fixed severities, prints a
 * table (rule, severity, file:line, message) and exits 1 if any HIGH finding is left, 0 otherwise, 2 on a
 * usage error. It fails closed: a file it cannot parse, options it cannot resolve to literals, or a handler
 * it cannot see are HIGH findings, never a silent pass.
 *
 * Why our own checker and not Electronegativity (@doyensec/electronegativity 1.10.3, measured on Node 20 /
 * npm 11): it installs 405 packages / 147 MB (it bundles TypeScript 4.2 and ESLint 7), fetches translations
 * and Electron's release list over the network on every run (~13 s here, offline), exits 0 even with HIGH
 * findings, skips files it cannot parse (TS 5 syntax) with only a log line, and on the 61 insecure variants
 * in test/security/electron-security.test.ts it reports a HIGH for 5 and anything at all for 21: it misses
 * nodeIntegration:true, webviewTag, ipcMain sender/input checks, exposing ipcRenderer, @electron/remote, a
 * window-open handler that allows, and rates webSecurity:false, sandbox:false and 'unsafe-inline' scripts
 * MEDIUM or LOW.
 *
 * The rules are heuristics over syntax: they prove that the secure pattern is present and that no known
 * insecure pattern is, not that the program is secure. See RULES for what each one looks for.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW';

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** Path relative to the root, with forward slashes. */
  file: string;
  line: number;
  message: string;
}

export interface CheckReport {
  root: string;
  /** Files read, relative to the root. */
  scanned: string[];
  findings: Finding[];
  high: number;
}

export const RULES = {
  'no-sources': {
    severity: 'HIGH',
    description: 'No Electron main/preload sources were found under the root: nothing was checked.',
  },
  'parse-error': { severity: 'HIGH', description: 'A source file does not parse, so it could not be checked.' },
  'single-instance-lock': {
    severity: 'HIGH',
    description: 'app.requestSingleInstanceLock() is not called with its result acted on (one writer per data folder).',
  },
  'window-context-isolation': {
    severity: 'HIGH',
    description: 'A BrowserWindow/BrowserView/WebContentsView lacks webPreferences.contextIsolation: true.',
  },
  'window-sandbox': { severity: 'HIGH', description: 'A window lacks webPreferences.sandbox: true.' },
  'window-node-integration': { severity: 'HIGH', description: 'A window lacks webPreferences.nodeIntegration: false.' },
  'window-node-integration-in-worker': {
    severity: 'HIGH',
    description: 'A window sets nodeIntegrationInWorker to anything but false.',
  },
  'window-node-integration-in-subframes': {
    severity: 'HIGH',
    description: 'A window sets nodeIntegrationInSubFrames to anything but false.',
  },
  'window-web-security': { severity: 'HIGH', description: 'A window sets webSecurity to anything but true.' },
  'window-insecure-content': {
    severity: 'HIGH',
    description: 'A window sets allowRunningInsecureContent to anything but false.',
  },
  'window-experimental-features': {
    severity: 'HIGH',
    description: 'A window sets experimentalFeatures to anything but false.',
  },
  'window-blink-features': { severity: 'HIGH', description: 'A window sets enableBlinkFeatures.' },
  'window-webview-tag': { severity: 'HIGH', description: 'A window sets webviewTag to anything but false.' },
  'window-options-unverifiable': {
    severity: 'HIGH',
    description:
      'Window options or webPreferences are not an object literal the checker can read (a call, a spread, an unknown identifier).',
  },
  'window-open-deny': {
    severity: 'HIGH',
    description: "No setWindowOpenHandler, or one that can return anything but { action: 'deny' }.",
  },
  'navigation-guard': {
    severity: 'HIGH',
    description: 'No will-navigate handler, or one that never calls event.preventDefault().',
  },
  'permission-request-handler': {
    severity: 'HIGH',
    description: 'No session setPermissionRequestHandler with a function (permissions would be granted by default).',
  },
  'open-external-unchecked': {
    severity: 'HIGH',
    description:
      'shell.openExternal is called with an argument not checked for https: and an allow-list in the same function.',
  },
  'ipc-sender-unchecked': {
    severity: 'HIGH',
    description: 'An ipcMain handler does not check event.senderFrame before acting.',
  },
  'ipc-input-unvalidated': {
    severity: 'HIGH',
    description: 'An ipcMain handler uses its input other than by passing it to a validating/dispatching function.',
  },
  'preload-exposes-ipcrenderer': {
    severity: 'HIGH',
    description: 'The preload hands ipcRenderer (or one of its methods) to the page instead of calling it.',
  },
  'preload-exposes-electron-api': {
    severity: 'HIGH',
    description:
      'The preload hands an electron module object (other than ipcRenderer) to the page instead of calling it.',
  },
  'preload-channel-from-renderer': {
    severity: 'HIGH',
    description:
      'The preload sends/listens on an IPC channel named by the page (a function parameter), not by the contract.',
  },
  'preload-channel-not-in-contract': {
    severity: 'HIGH',
    description: 'The preload uses a literal IPC channel that is not in shared/ipc/contract.ts.',
  },
  'preload-forwards-ipc-event': {
    severity: 'HIGH',
    description:
      'The preload passes a page callback straight to ipcRenderer.on, leaking the IpcRendererEvent (and its sender) to the page.',
  },
  'preload-no-context-bridge': {
    severity: 'HIGH',
    description: 'The preload assigns to window/globalThis instead of using contextBridge.exposeInMainWorld.',
  },
  'remote-module': {
    severity: 'HIGH',
    description: 'The remote module is used (@electron/remote, electron.remote, enableRemoteModule).',
  },
  'webview-element': { severity: 'HIGH', description: 'An HTML file contains a <webview> element.' },
  'csp-missing': {
    severity: 'HIGH',
    description: 'The renderer HTML has no Content-Security-Policy meta tag (or there is no CSP at all).',
  },
  'csp-default-src': { severity: 'HIGH', description: "A CSP lacks default-src 'none'." },
  'csp-script-src-unsafe': {
    severity: 'HIGH',
    description:
      "A CSP allows 'unsafe-inline', 'unsafe-eval', 'unsafe-hashes', wildcards, http: or data:/blob: for scripts.",
  },
  'electron-outside-shell': {
    severity: 'HIGH',
    description: 'A file outside electron/main and electron/preload imports electron, where this check does not look.',
  },
  'dangerous-switch': {
    severity: 'HIGH',
    description: 'A Chromium switch that disables a security feature is appended.',
  },
  'tls-verification-disabled': {
    severity: 'HIGH',
    description:
      'Certificate errors are accepted (certificate-error handler preventing default, NODE_TLS_REJECT_UNAUTHORIZED=0).',
  },
  'load-insecure-url': { severity: 'HIGH', description: 'A window loads a plain http: URL.' },
  'permission-check-handler': {
    severity: 'MEDIUM',
    description: 'No session setPermissionCheckHandler (permission checks answered by default).',
  },
  'permission-granted': {
    severity: 'MEDIUM',
    description: 'A permission request handler grants a permission: review which and for whom.',
  },
  'csp-unverifiable': {
    severity: 'MEDIUM',
    description: 'A CSP is built at run time or set from a value the checker cannot read.',
  },
  'csp-inconsistent': {
    severity: 'MEDIUM',
    description: 'The CSP set by main differs from the CSP meta tag in the HTML.',
  },
  'csp-style-unsafe-inline': { severity: 'MEDIUM', description: "A CSP allows 'unsafe-inline' styles." },
  'file-protocol': {
    severity: 'MEDIUM',
    description:
      "The renderer is loaded from file:// (Electron checklist: prefer a custom protocol); there CSP 'self' can match other local files.",
  },
  'load-url-unverified': { severity: 'MEDIUM', description: 'loadURL is called with a value the checker cannot read.' },
  'execute-javascript-dynamic': {
    severity: 'MEDIUM',
    description: 'executeJavaScript with code built from values not passed through JSON.stringify.',
  },
  'open-path-unchecked': {
    severity: 'MEDIUM',
    description:
      'shell.openPath/showItemInFolder/trashItem with a non-literal argument: review where the path comes from.',
  },
  'security-warnings-disabled': { severity: 'MEDIUM', description: 'ELECTRON_DISABLE_SECURITY_WARNINGS is set.' },
  'certificate-verify-proc': {
    severity: 'MEDIUM',
    description: 'A custom certificate verifier is installed: review it.',
  },
} as const satisfies Record<string, { severity: Severity; description: string }>;

export type RuleId = keyof typeof RULES;

const WINDOW_CLASSES = new Set(['BrowserWindow', 'BrowserView', 'WebContentsView']);
const IPC_MAIN_METHODS = new Set(['handle', 'handleOnce', 'on', 'once', 'addListener', 'prependListener']);
const IPC_RENDERER_CHANNEL_METHODS = new Set([
  'invoke',
  'send',
  'sendSync',
  'sendToHost',
  'postMessage',
  'on',
  'once',
  'addListener',
  'prependListener',
  'off',
  'removeListener',
  'removeAllListeners',
]);
const EVENT_METHODS = new Set(['on', 'once', 'addListener', 'prependListener']);
/** A callee name that takes raw IPC input and validates it (or hands it to code that does). */
const VALIDATOR_NAME = /valid|dispatch|parse|assert|check|schema|guard|sanitiz/i;
/** A callee name that checks a sender / frame. */
const SENDER_CHECK_NAME = /sender|frame|trusted|origin|verify|assert|allowed/i;
const DANGEROUS_SWITCHES = new Set([
  'disable-web-security',
  'ignore-certificate-errors',
  'ignore-certificate-errors-spki-list',
  'allow-insecure-localhost',
  'no-sandbox',
  'disable-site-isolation-trials',
  'disable-features',
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-allow-origins',
  'enable-experimental-web-platform-features',
  'enable-blink-features',
  'allow-running-insecure-content',
  'js-flags',
  'inspect',
  'inspect-brk',
  'unsafely-treat-insecure-origin-as-secure',
]);
const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

interface Src {
  abs: string;
  rel: string;
  kind: 'main' | 'preload' | 'other';
  sf: ts.SourceFile;
}

interface Resolved {
  expr: ts.Expression;
  src: Src;
}

// ---------------------------------------------------------------------------------------------- files

function walkDir(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walkDir(p, out);
    else if (SOURCE_EXT.test(name) && !/\.d\.[mc]?ts$/.test(name)) out.push(p);
  }
}

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.[mc]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function lineOf(sf: ts.SourceFile, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

// ---------------------------------------------------------------------------------------------- AST helpers

function unwrap(e: ts.Expression): ts.Expression {
  for (;;) {
    if (
      ts.isParenthesizedExpression(e) ||
      ts.isAsExpression(e) ||
      ts.isSatisfiesExpression(e) ||
      ts.isNonNullExpression(e) ||
      ts.isTypeAssertionExpression(e)
    )
      e = e.expression;
    else if (ts.isVoidExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    else return e;
  }
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (c) => walk(c, visit));
}

/** Walk a function body without descending into nested functions. */
function walkOwnBody(fn: ts.SignatureDeclaration, visit: (n: ts.Node) => void): void {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return;
  const rec = (n: ts.Node) => {
    visit(n);
    if (ts.isFunctionLike(n)) return;
    ts.forEachChild(n, rec);
  };
  rec(body);
}

function propName(name: ts.PropertyName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) || ts.isNumericLiteral(name))
    return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = unwrap(name.expression);
    if (ts.isStringLiteralLike(e)) return e.text;
  }
  return undefined;
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const c = unwrap(call.expression);
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  if (ts.isElementAccessExpression(c)) {
    const a = unwrap(c.argumentExpression);
    if (ts.isStringLiteralLike(a)) return a.text;
  }
  return undefined;
}

function calleeObject(call: ts.CallExpression): ts.Expression | undefined {
  const c = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(c) || ts.isElementAccessExpression(c)) return unwrap(c.expression);
  return undefined;
}

function stringValue(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  return ts.isStringLiteralLike(u) ? u.text : undefined;
}

const UNKNOWN = Symbol('unknown');
type Lit = boolean | string | number | null | undefined | typeof UNKNOWN;

function bindingNames(name: ts.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
  return out;
}

function isInTypePosition(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isTypeNode(p)) return true;
    if (ts.isStatement(p) || ts.isSourceFile(p)) return false;
  }
  return false;
}

/** The innermost declaration of `name` visible at `at` in its file (variables, parameters, functions, for-of variables). */
function findDeclaration(at: ts.Node, name: string): ts.Node | undefined {
  for (let p: ts.Node | undefined = at.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) {
      for (const prm of p.parameters) if (bindingNames(prm.name).includes(name)) return prm;
    }
    if (
      (ts.isForOfStatement(p) || ts.isForInStatement(p) || ts.isForStatement(p)) &&
      p.initializer &&
      ts.isVariableDeclarationList(p.initializer)
    ) {
      for (const d of p.initializer.declarations) if (bindingNames(d.name).includes(name)) return d;
    }
    if (ts.isCatchClause(p) && p.variableDeclaration && bindingNames(p.variableDeclaration.name).includes(name))
      return p.variableDeclaration;
    const statements =
      ts.isBlock(p) || ts.isSourceFile(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)
        ? p.statements
        : undefined;
    if (statements) {
      for (const s of statements) {
        if (ts.isVariableStatement(s))
          for (const d of s.declarationList.declarations) if (bindingNames(d.name).includes(name)) return d;
        if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name) return s;
        if (ts.isImportDeclaration(s) && s.importClause) {
          const ic = s.importClause;
          if (ic.name?.text === name) return s;
          const nb = ic.namedBindings;
          if (nb && ts.isNamespaceImport(nb) && nb.name.text === name) return s;
          if (nb && ts.isNamedImports(nb) && nb.elements.some((el) => el.name.text === name)) return s;
        }
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- the checker

class Checker {
  readonly findings: Finding[] = [];
  /** Top-level `export const NAME = …` and `export function NAME` of every scanned file (plus the contract). */
  private readonly exported = new Map<string, Resolved>();
  private readonly exportedFns = new Map<string, { fn: ts.FunctionDeclaration; src: Src }>();
  private contractChannels: Set<string> | undefined;

  constructor(private readonly root: string) {}

  report(rule: RuleId, src: { rel: string } | string, line: number, message: string): void {
    const file = typeof src === 'string' ? src : src.rel;
    this.findings.push({ rule, severity: RULES[rule].severity, file, line, message });
  }

  at(rule: RuleId, src: Src, node: ts.Node, message: string): void {
    this.report(rule, src, lineOf(src.sf, node.getStart(src.sf)), message);
  }

  load(abs: string, kind: Src['kind']): Src | undefined {
    const text = readFileSync(abs, 'utf8');
    const rel = toRel(this.root, abs);
    const out = ts.transpileModule(text, {
      fileName: abs,
      reportDiagnostics: true,
      compilerOptions: { jsx: ts.JsxEmit.Preserve, allowJs: true },
    });
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length) {
      const d = errors[0];
      const line = d.file && d.start !== undefined ? lineOf(d.file, d.start) : 1;
      this.report(
        'parse-error',
        rel,
        line,
        `Does not parse, so nothing in it was checked: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      );
      return undefined;
    }
    const sf = ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true, scriptKind(abs));
    return { abs, rel, kind, sf };
  }

  index(src: Src): void {
    for (const s of src.sf.statements) {
      const exported =
        ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) continue;
      if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations)
          if (ts.isIdentifier(d.name) && d.initializer && !this.exported.has(d.name.text))
            this.exported.set(d.name.text, { expr: d.initializer, src });
      } else if (ts.isFunctionDeclaration(s) && s.name && s.body && !this.exportedFns.has(s.name.text)) {
        this.exportedFns.set(s.name.text, { fn: s, src });
      }
    }
  }

  /** shared/ipc/contract.ts: the allowed channel names (IPC_PREFIX + each IPC_CONTRACT key, plus every *_EVENT and *_CHANNEL string). */
  loadContract(src: Src): void {
    this.index(src);
    const prefix = stringValue(this.exported.get('IPC_PREFIX')?.expr) ?? '';
    const table = this.exported.get('IPC_CONTRACT');
    if (!table) return;
    const obj = unwrap(table.expr);
    if (!ts.isObjectLiteralExpression(obj)) return;
    const channels = new Set<string>();
    for (const p of obj.properties) {
      const n = propName(p.name);
      if (n !== undefined) channels.add(prefix + n);
    }
    for (const [name, r] of this.exported) {
      const v = stringValue(r.expr);
      if (/_(EVENT|CHANNEL)$/.test(name) && v !== undefined) channels.add(v);
    }
    this.contractChannels = channels;
  }

  /** Follows const identifiers (same file, then exported from any scanned file) to their initializer. */
  resolve(e: ts.Expression, src: Src, depth = 0): Resolved {
    const u = unwrap(e);
    if (depth > 8 || !ts.isIdentifier(u)) return { expr: u, src };
    const decl = findDeclaration(u, u.text);
    if (
      decl &&
      ts.isVariableDeclaration(decl) &&
      ts.isIdentifier(decl.name) &&
      decl.initializer &&
      !ts.isForOfStatement(decl.parent.parent) &&
      decl.parent.flags & ts.NodeFlags.Const
    ) {
      return this.resolve(decl.initializer, src, depth + 1);
    }
    if (!decl || ts.isImportDeclaration(decl)) {
      const g = this.exported.get(u.text);
      if (g) return this.resolve(g.expr, g.src, depth + 1);
    }
    return { expr: u, src };
  }

  resolveFunction(e: ts.Expression, src: Src): { fn: ts.SignatureDeclaration; src: Src } | undefined {
    const u = unwrap(e);
    if (ts.isArrowFunction(u) || ts.isFunctionExpression(u)) return { fn: u, src };
    if (ts.isIdentifier(u)) {
      const decl = findDeclaration(u, u.text);
      if (decl && ts.isFunctionDeclaration(decl) && decl.body) return { fn: decl, src };
      const r = this.resolve(u, src);
      if (ts.isArrowFunction(r.expr) || ts.isFunctionExpression(r.expr)) return { fn: r.expr, src: r.src };
      if (!decl || ts.isImportDeclaration(decl)) {
        const g = this.exportedFns.get(u.text);
        if (g) return g;
      }
    }
    return undefined;
  }

  literal(e: ts.Expression | undefined, src: Src): Lit {
    if (!e) return undefined;
    const u = this.resolve(e, src).expr;
    if (u.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (u.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (u.kind === ts.SyntaxKind.NullKeyword) return null;
    if (ts.isIdentifier(u) && u.text === 'undefined') return undefined;
    if (ts.isStringLiteralLike(u)) return u.text;
    if (ts.isNumericLiteral(u)) return Number(u.text);
    return UNKNOWN;
  }

  // ---------------------------------------------------------------------------------------------- windows

  checkWindow(src: Src, node: ts.NewExpression): void {
    const cls = calleeName(node) ?? '';
    const what = `new ${cls}`;
    let prefs: Map<string, ts.Expression> | undefined = new Map();
    const arg = node.arguments?.[0];
    if (arg) {
      const opts = this.resolve(arg, src);
      if (!ts.isObjectLiteralExpression(opts.expr)) {
        this.at(
          'window-options-unverifiable',
          src,
          node,
          `${what}: options are not an object literal (${arg.getText(src.sf).slice(0, 60)}); cannot verify webPreferences.`,
        );
        return;
      }
      let wp: ts.Expression | undefined;
      for (const p of opts.expr.properties) {
        if (ts.isSpreadAssignment(p)) {
          this.at(
            'window-options-unverifiable',
            opts.src,
            p,
            `${what}: a spread in the options may override webPreferences.`,
          );
          return;
        }
        const n = propName(p.name);
        if (n !== 'webPreferences') continue;
        if (ts.isPropertyAssignment(p)) wp = p.initializer;
        else if (ts.isShorthandPropertyAssignment(p)) wp = p.name;
      }
      if (wp) {
        const r = this.resolve(wp, opts.src);
        if (!ts.isObjectLiteralExpression(r.expr)) {
          this.at(
            'window-options-unverifiable',
            src,
            node,
            `${what}: webPreferences is not an object literal (${wp.getText().slice(0, 60)}).`,
          );
          return;
        }
        for (const p of r.expr.properties) {
          if (ts.isSpreadAssignment(p)) {
            this.at(
              'window-options-unverifiable',
              r.src,
              p,
              `${what}: a spread inside webPreferences may override the secure settings.`,
            );
            prefs = undefined;
            break;
          }
          const n = propName(p.name);
          if (n === undefined) {
            this.at('window-options-unverifiable', r.src, p, `${what}: a computed webPreferences key cannot be read.`);
            prefs = undefined;
            break;
          }
          if (ts.isPropertyAssignment(p)) prefs.set(n, p.initializer);
          else if (ts.isShorthandPropertyAssignment(p)) prefs.set(n, p.name);
          else {
            this.at('window-options-unverifiable', r.src, p, `${what}: webPreferences.${n} is not a plain value.`);
            prefs = undefined;
            break;
          }
        }
      }
    }
    if (!prefs) return;
    const v = (k: string) => this.literal(prefs!.get(k), src);
    const show = (x: Lit) => (x === UNKNOWN ? 'a non-literal value' : (JSON.stringify(x) ?? 'undefined'));
    const must = (key: string, want: boolean, rule: RuleId) => {
      const got = v(key);
      if (got !== want)
        this.at(
          rule,
          src,
          node,
          `${what}: webPreferences.${key} must be ${want} (is ${prefs!.has(key) ? show(got) : 'not set'}).`,
        );
    };
    const mustNot = (key: string, safe: Lit[], rule: RuleId, hint: string) => {
      if (!prefs!.has(key)) return;
      const got = v(key);
      if (!safe.includes(got)) this.at(rule, src, node, `${what}: webPreferences.${key} is ${show(got)}; ${hint}.`);
    };
    must('contextIsolation', true, 'window-context-isolation');
    must('sandbox', true, 'window-sandbox');
    must('nodeIntegration', false, 'window-node-integration');
    mustNot(
      'nodeIntegrationInWorker',
      [false, undefined],
      'window-node-integration-in-worker',
      'must be false or unset',
    );
    mustNot(
      'nodeIntegrationInSubFrames',
      [false, undefined],
      'window-node-integration-in-subframes',
      'must be false or unset',
    );
    mustNot('webSecurity', [true, undefined], 'window-web-security', 'must be true or unset');
    mustNot('allowRunningInsecureContent', [false, undefined], 'window-insecure-content', 'must be false or unset');
    mustNot('experimentalFeatures', [false, undefined], 'window-experimental-features', 'must be false or unset');
    mustNot('enableBlinkFeatures', ['', undefined], 'window-blink-features', 'must not be set');
    mustNot('webviewTag', [false, undefined], 'window-webview-tag', 'must be false or unset');
    mustNot('enableRemoteModule', [false, undefined], 'remote-module', 'the remote module must stay off');
  }

  // ---------------------------------------------------------------------------------------------- main-process calls

  /** Expressions a function can return (undefined for a bare `return;` or falling off the end of a block). */
  returned(fn: ts.SignatureDeclaration): Array<ts.Expression | undefined> {
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (!body) return [undefined];
    if (!ts.isBlock(body)) return [body];
    const out: Array<ts.Expression | undefined> = [];
    walkOwnBody(fn, (n) => {
      if (ts.isReturnStatement(n)) out.push(n.expression);
    });
    const last = body.statements[body.statements.length - 1];
    if (!last || !(ts.isReturnStatement(last) || ts.isThrowStatement(last))) out.push(undefined);
    return out;
  }

  checkWindowOpenHandler(src: Src, call: ts.CallExpression): boolean {
    const arg = call.arguments[0];
    const f = arg && this.resolveFunction(arg, src);
    if (!f) {
      this.at(
        'window-open-deny',
        src,
        call,
        'setWindowOpenHandler is given something the checker cannot read as a function.',
      );
      return false;
    }
    for (const r of this.returned(f.fn)) {
      const obj = r && this.resolve(r, f.src).expr;
      let action: Lit = UNKNOWN;
      if (obj && ts.isObjectLiteralExpression(obj)) {
        for (const p of obj.properties)
          if (ts.isPropertyAssignment(p) && propName(p.name) === 'action') action = this.literal(p.initializer, f.src);
      }
      if (action !== 'deny') {
        this.at(
          'window-open-deny',
          f.src,
          r ?? f.fn,
          `setWindowOpenHandler can return ${r ? r.getText(f.src.sf).slice(0, 60) : 'nothing'}; every path must return { action: 'deny' }.`,
        );
        return false;
      }
    }
    return true;
  }

  checkNavigationHandler(src: Src, call: ts.CallExpression): boolean {
    const f = call.arguments[1] && this.resolveFunction(call.arguments[1], src);
    let prevents = false;
    if (f) {
      const ev =
        f.fn.parameters[0] && ts.isIdentifier(f.fn.parameters[0].name) ? f.fn.parameters[0].name.text : undefined;
      walk((f.fn as ts.FunctionLikeDeclaration).body ?? f.fn, (n) => {
        if (ts.isCallExpression(n) && calleeName(n) === 'preventDefault') {
          const obj = calleeObject(n);
          if (!ev || (obj && ts.isIdentifier(obj) && obj.text === ev)) prevents = true;
        }
      });
    }
    if (!prevents)
      this.at('navigation-guard', src, call, 'the will-navigate handler never calls event.preventDefault().');
    return prevents;
  }

  checkPermissionHandler(src: Src, call: ts.CallExpression): boolean {
    const arg = call.arguments[0];
    const f = arg && this.resolveFunction(arg, src);
    if (!f) {
      this.at(
        'permission-request-handler',
        src,
        call,
        `setPermissionRequestHandler(${arg ? arg.getText(src.sf).slice(0, 40) : ''}) is not a function: every permission would be granted.`,
      );
      return false;
    }
    const cb =
      f.fn.parameters[2] && ts.isIdentifier(f.fn.parameters[2].name) ? f.fn.parameters[2].name.text : undefined;
    if (cb) {
      walk((f.fn as ts.FunctionLikeDeclaration).body ?? f.fn, (n) => {
        if (
          ts.isCallExpression(n) &&
          ts.isIdentifier(unwrap(n.expression)) &&
          (unwrap(n.expression) as ts.Identifier).text === cb &&
          this.literal(n.arguments[0], f.src) !== false
        ) {
          this.at(
            'permission-granted',
            f.src,
            n,
            `the permission request handler can grant a permission (${n.getText(f.src.sf).slice(0, 60)}).`,
          );
        }
      });
    }
    return true;
  }

  checkOpenExternal(src: Src, call: ts.CallExpression): void {
    const arg = call.arguments[0];
    const lit = arg ? this.literal(arg, src) : undefined;
    if (typeof lit === 'string' && lit.startsWith('https://')) return;
    if (isGuarded(call, src.sf)) return;
    this.at(
      'open-external-unchecked',
      src,
      call,
      `openExternal(${arg ? arg.getText(src.sf).slice(0, 50) : ''}) is not guarded by an https: + allow-list check in the same function.`,
    );
  }

  checkIpcHandler(src: Src, call: ts.CallExpression): void {
    const channel = call.arguments[0]?.getText(src.sf) ?? '?';
    const arg = call.arguments[1];
    const f = arg && this.resolveFunction(arg, src);
    if (!f) {
      this.at(
        'ipc-sender-unchecked',
        src,
        call,
        `ipcMain handler for ${channel} cannot be read; cannot verify its sender check.`,
      );
      this.at(
        'ipc-input-unvalidated',
        src,
        call,
        `ipcMain handler for ${channel} cannot be read; cannot verify its input validation.`,
      );
      return;
    }
    const fn = f.fn;
    const body = (fn as ts.FunctionLikeDeclaration).body;
    // Sender: the first parameter's senderFrame must be looked at in a condition, or the event/frame passed to a checking function.
    const p0 = fn.parameters[0];
    const evNames = new Set<string>();
    const frameNames = new Set<string>();
    if (p0) {
      if (ts.isIdentifier(p0.name)) evNames.add(p0.name.text);
      else if (ts.isObjectBindingPattern(p0.name)) {
        for (const el of p0.name.elements)
          if (
            (propName(el.propertyName) ?? (ts.isIdentifier(el.name) ? el.name.text : '')) === 'senderFrame' &&
            ts.isIdentifier(el.name)
          )
            frameNames.add(el.name.text);
      }
    }
    let senderChecked = false;
    if (body && (evNames.size || frameNames.size)) {
      walk(body, (n) => {
        if (ts.isVariableDeclaration(n) && n.initializer && /\bsenderFrame\b/.test(n.initializer.getText(f.src.sf))) {
          for (const nm of bindingNames(n.name)) frameNames.add(nm);
        }
      });
      const mentionsFrame = (t: string) =>
        [...evNames].some((ev) => new RegExp(`(^|[^\\w$])${escapeRe(ev)}\\s*(\\?\\.|\\.)\\s*senderFrame\\b`).test(t)) ||
        [...frameNames].some((fr) => new RegExp(`(^|[^\\w$.])${escapeRe(fr)}($|[^\\w$])`).test(t));
      walk(body, (n) => {
        if (senderChecked) return;
        const cond = ts.isIfStatement(n) ? n.expression : ts.isConditionalExpression(n) ? n.condition : undefined;
        if (cond && mentionsFrame(cond.getText(f.src.sf))) senderChecked = true;
        if (ts.isCallExpression(n) && SENDER_CHECK_NAME.test(calleeName(n) ?? '')) {
          const args = n.arguments.map((a) => a.getText(f.src.sf)).join(',');
          const first = n.arguments[0] ? unwrap(n.arguments[0]) : undefined;
          if (mentionsFrame(args) || (first && ts.isIdentifier(first) && evNames.has(first.text))) senderChecked = true;
        }
      });
    }
    if (!senderChecked)
      this.at(
        'ipc-sender-unchecked',
        f.src,
        fn,
        `ipcMain handler for ${channel} does not check event.senderFrame (top frame, app URL) before acting.`,
      );
    // Input: every use of a later parameter must be as an argument of a validating/dispatching call.
    for (const prm of fn.parameters.slice(1)) {
      if (!ts.isIdentifier(prm.name)) {
        this.at(
          'ipc-input-unvalidated',
          f.src,
          prm,
          `ipcMain handler for ${channel} destructures its input (${prm.name.getText(f.src.sf)}) before any validation.`,
        );
        continue;
      }
      const name = prm.name.text;
      if (!body) continue;
      walk(body, (n) => {
        if (!ts.isIdentifier(n) || n.text !== name || n === prm.name) return;
        const parent = n.parent;
        if (
          (ts.isPropertyAccessExpression(parent) && parent.name === n) ||
          (ts.isPropertyAssignment(parent) && parent.name === n)
        )
          return;
        if (isInTypePosition(n)) return;
        if (!isValidatedUse(n)) {
          this.at(
            'ipc-input-unvalidated',
            f.src,
            n,
            `ipcMain handler for ${channel} uses its input "${name}" (${parent.getText(f.src.sf).slice(0, 50)}) without first passing it to a validator.`,
          );
        }
      });
    }
  }

  checkMainFile(src: Src, state: MainState): void {
    const { sf } = src;
    walk(sf, (n) => {
      if (ts.isNewExpression(n) && WINDOW_CLASSES.has(calleeName(n) ?? '')) {
        state.windows++;
        this.checkWindow(src, n);
        return;
      }
      if (ts.isImportDeclaration(n)) {
        this.checkImportForRemote(src, n);
        return;
      }
      if (ts.isPropertyAccessExpression(n) && n.name.text === 'remote' && isElectronModuleExpr(unwrap(n.expression))) {
        this.at('remote-module', src, n, 'electron.remote is used.');
      }
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = n.left.getText(sf);
        if (/NODE_TLS_REJECT_UNAUTHORIZED/.test(left) && this.literal(n.right, src) !== '1')
          this.at(
            'tls-verification-disabled',
            src,
            n,
            `${n.getText(sf).slice(0, 60)} turns off TLS certificate checks.`,
          );
        if (/ELECTRON_DISABLE_SECURITY_WARNINGS/.test(left))
          this.at('security-warnings-disabled', src, n, 'Electron security warnings are turned off.');
      }
      if (!ts.isCallExpression(n)) return;
      const name = calleeName(n) ?? '';
      const obj = calleeObject(n);
      const objText = obj?.getText(sf) ?? '';
      if (isRequireOf(n, /^@electron\/remote(\/|$)/)) this.at('remote-module', src, n, '@electron/remote is required.');
      switch (name) {
        case 'requestSingleInstanceLock':
          if (!ts.isExpressionStatement(n.parent)) state.singleInstance = true;
          else
            this.at(
              'single-instance-lock',
              src,
              n,
              "requestSingleInstanceLock()'s result is ignored: a second instance would run on.",
            );
          break;
        case 'setWindowOpenHandler':
          state.windowOpen ||= this.checkWindowOpenHandler(src, n);
          state.windowOpenSeen = true;
          break;
        case 'setPermissionRequestHandler':
          state.permissionRequest ||= this.checkPermissionHandler(src, n);
          state.permissionRequestSeen = true;
          break;
        case 'setPermissionCheckHandler':
          state.permissionCheck = true;
          break;
        case 'openExternal':
          this.checkOpenExternal(src, n);
          break;
        case 'openPath':
        case 'showItemInFolder':
        case 'trashItem':
          if (/\bshell\b/.test(objText) && n.arguments[0] && typeof this.literal(n.arguments[0], src) !== 'string') {
            this.at(
              'open-path-unchecked',
              src,
              n,
              `shell.${name}(${n.arguments[0].getText(sf).slice(0, 40)}): review where the path comes from.`,
            );
          }
          break;
        case 'appendSwitch':
        case 'appendArgument': {
          const sw = this.literal(n.arguments[0], src);
          const swName = typeof sw === 'string' ? sw.replace(/^--?/, '').split('=')[0] : undefined;
          if (swName === undefined)
            this.at('dangerous-switch', src, n, `${name} with a non-literal switch cannot be checked.`);
          else if (DANGEROUS_SWITCHES.has(swName))
            this.at('dangerous-switch', src, n, `--${swName} weakens Chromium's security.`);
          break;
        }
        case 'setCertificateVerifyProc':
          this.at('certificate-verify-proc', src, n, 'a custom certificate verifier is installed.');
          break;
        case 'loadURL': {
          const u = this.literal(n.arguments[0], src);
          if (typeof u === 'string') {
            if (/^http:/i.test(u)) this.at('load-insecure-url', src, n, `loadURL("${u}") loads over plain http.`);
            else if (/^file:/i.test(u))
              this.at('file-protocol', src, n, `loadURL("${u.slice(0, 40)}") serves the renderer from file://.`);
          } else {
            this.at(
              'load-url-unverified',
              src,
              n,
              `loadURL(${n.arguments[0]?.getText(sf).slice(0, 40) ?? ''}) cannot be checked statically.`,
            );
          }
          break;
        }
        case 'loadFile':
          this.at(
            'file-protocol',
            src,
            n,
            'loadFile serves the renderer from file://; consider protocol.handle with a privileged app:// scheme.',
          );
          break;
        case 'executeJavaScript':
        case 'executeJavaScriptInIsolatedWorld': {
          const code = n.arguments[name === 'executeJavaScript' ? 0 : 1];
          if (code && !isSafeCode(code, this, src))
            this.at(
              'execute-javascript-dynamic',
              src,
              n,
              `${name} runs code built from ${code.getText(sf).slice(0, 50)}.`,
            );
          break;
        }
      }
      if (EVENT_METHODS.has(name)) {
        const ev = this.literal(n.arguments[0], src);
        if (ev === 'will-navigate') {
          state.navigation ||= this.checkNavigationHandler(src, n);
          state.navigationSeen = true;
        } else if (ev === 'certificate-error') {
          const f = n.arguments[1] && this.resolveFunction(n.arguments[1], src);
          let accepts = !f;
          if (f)
            walk((f.fn as ts.FunctionLikeDeclaration).body ?? f.fn, (m) => {
              if (ts.isCallExpression(m) && calleeName(m) === 'preventDefault') accepts = true;
            });
          if (accepts)
            this.at(
              'tls-verification-disabled',
              src,
              n,
              'a certificate-error handler may accept an invalid certificate (calls preventDefault).',
            );
        }
      }
      if (
        IPC_MAIN_METHODS.has(name) &&
        obj &&
        (/^ipcMain$/.test(objText) || /\.ipc$/.test(objText) || /\bipcMain$/.test(objText))
      ) {
        this.checkIpcHandler(src, n);
      }
    });
  }

  checkImportForRemote(src: Src, n: ts.ImportDeclaration): void {
    const mod = stringValue(n.moduleSpecifier as ts.Expression);
    if (mod && /^@electron\/remote(\/|$)/.test(mod)) this.at('remote-module', src, n, `imports ${mod}.`);
    if (mod === 'electron') {
      const nb = n.importClause?.namedBindings;
      if (nb && ts.isNamedImports(nb))
        for (const el of nb.elements)
          if ((el.propertyName ?? el.name).text === 'remote')
            this.at('remote-module', src, el, "imports { remote } from 'electron'.");
    }
  }

  // ---------------------------------------------------------------------------------------------- preload

  checkPreloadFile(src: Src): void {
    const { sf } = src;
    // Names bound to the electron module (namespace/default/require) or to its exports (named imports, destructured require).
    const namespaces = new Set<string>();
    const exportsByLocal = new Map<string, string>();
    for (const s of sf.statements) {
      if (
        ts.isImportDeclaration(s) &&
        stringValue(s.moduleSpecifier as ts.Expression) === 'electron' &&
        s.importClause &&
        !s.importClause.isTypeOnly
      ) {
        const ic = s.importClause;
        if (ic.name) namespaces.add(ic.name.text);
        const nb = ic.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) namespaces.add(nb.name.text);
        if (nb && ts.isNamedImports(nb))
          for (const el of nb.elements)
            if (!el.isTypeOnly) exportsByLocal.set(el.name.text, (el.propertyName ?? el.name).text);
      }
    }
    walk(sf, (n) => {
      if (ts.isVariableDeclaration(n) && n.initializer && isRequireOf(unwrap(n.initializer), /^electron$/)) {
        if (ts.isIdentifier(n.name)) namespaces.add(n.name.text);
        else if (ts.isObjectBindingPattern(n.name)) {
          for (const el of n.name.elements)
            if (ts.isIdentifier(el.name)) exportsByLocal.set(el.name.text, propName(el.propertyName) ?? el.name.text);
        }
      }
      if (ts.isImportDeclaration(n)) this.checkImportForRemote(src, n);
      if (ts.isCallExpression(n) && isRequireOf(n, /^@electron\/remote(\/|$)/))
        this.at('remote-module', src, n, '@electron/remote is required.');
    });

    walk(sf, (n) => {
      // 1. electron objects may only be used as `x.method(...)` (or `ns.x.method(...)`), never handed over as values.
      if (ts.isIdentifier(n) && (namespaces.has(n.text) || exportsByLocal.has(n.text))) {
        const p = n.parent;
        const isDeclaration =
          ts.isImportSpecifier(p) ||
          ts.isImportClause(p) ||
          ts.isNamespaceImport(p) ||
          (ts.isBindingElement(p) && (p.name === n || p.propertyName === n)) ||
          (ts.isVariableDeclaration(p) && p.name === n);
        const isMemberName =
          (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
        if (
          !isDeclaration &&
          !isMemberName &&
          !isInTypePosition(n) &&
          findDeclaration(n, n.text) &&
          isModuleLevel(findDeclaration(n, n.text)!)
        ) {
          const depth = namespaces.has(n.text) ? 2 : 1;
          let top: ts.Node = n;
          let chain = 0;
          const names: string[] = [n.text];
          while (ts.isPropertyAccessExpression(top.parent) && top.parent.expression === top) {
            top = top.parent;
            chain++;
            names.push((top as ts.PropertyAccessExpression).name.text);
          }
          const called = ts.isCallExpression(top.parent) && top.parent.expression === top;
          if (!(called && chain === depth)) {
            const exported = namespaces.has(n.text) ? names[1] : exportsByLocal.get(n.text);
            const rule: RuleId =
              exported === 'ipcRenderer' ? 'preload-exposes-ipcrenderer' : 'preload-exposes-electron-api';
            const what = names.slice(0, Math.min(names.length, depth + 1)).join('.');
            this.at(
              rule,
              src,
              n,
              `${what} is used as a value (${top.parent.getText(sf).slice(0, 60)}); the page could reach it. Call its methods inside a wrapper instead.`,
            );
          }
        }
      }
      // 2. ipcRenderer calls: the channel comes from the contract, never from the page; listeners never see the raw event.
      if (ts.isCallExpression(n) && IPC_RENDERER_CHANNEL_METHODS.has(calleeName(n) ?? '')) {
        const obj = calleeObject(n);
        const isIpcRenderer =
          !!obj &&
          ((ts.isIdentifier(obj) && exportsByLocal.get(obj.text) === 'ipcRenderer') ||
            (ts.isPropertyAccessExpression(obj) &&
              obj.name.text === 'ipcRenderer' &&
              ts.isIdentifier(obj.expression) &&
              namespaces.has(obj.expression.text)));
        if (isIpcRenderer) {
          const method = calleeName(n)!;
          const ch = n.arguments[0];
          if (ch) {
            const tainted = taintedBy(ch, new Set());
            if (tainted)
              this.at(
                'preload-channel-from-renderer',
                src,
                n,
                `ipcRenderer.${method}(${ch.getText(sf).slice(0, 40)}, …): the channel depends on "${tainted}", which the page supplies.`,
              );
            const lit = this.literal(ch, src);
            if (typeof lit === 'string' && this.contractChannels && !this.contractChannels.has(lit)) {
              this.at(
                'preload-channel-not-in-contract',
                src,
                n,
                `ipcRenderer.${method}("${lit}"): not a channel of shared/ipc/contract.ts.`,
              );
            }
          }
          if (['on', 'once', 'addListener', 'prependListener'].includes(method) && n.arguments[1]) {
            const l = unwrap(n.arguments[1]);
            if (ts.isIdentifier(l)) {
              const d = findDeclaration(l, l.text);
              if (d && ts.isParameter(d))
                this.at(
                  'preload-forwards-ipc-event',
                  src,
                  n,
                  `ipcRenderer.${method}(…, ${l.text}): the page's callback receives the raw IpcRendererEvent; wrap it and pass only the payload.`,
                );
            }
          }
        }
      }
      // 3. No globals: exposure goes through contextBridge only.
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const target = unwrap(n.left);
        const base =
          ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)
            ? unwrap(target.expression)
            : undefined;
        if (base && ts.isIdentifier(base) && ['window', 'globalThis', 'self', 'global'].includes(base.text)) {
          this.at(
            'preload-no-context-bridge',
            src,
            n,
            `${target.getText(sf).slice(0, 40)} = …: expose through contextBridge.exposeInMainWorld, not a global.`,
          );
        }
      }
    });
  }

  // ---------------------------------------------------------------------------------------------- CSP

  /** CSP strings in main: string literals that read like a policy, and Content-Security-Policy header values. */
  collectCsp(src: Src, out: Array<{ policy: string; file: string; line: number }>): void {
    const looksLikeCsp = (t: string) => /(^|;)\s*(default-src|script-src)\s/.test(t);
    walk(src.sf, (n) => {
      if (ts.isStringLiteralLike(n) && looksLikeCsp(n.text))
        out.push({ policy: n.text, file: src.rel, line: lineOf(src.sf, n.getStart(src.sf)) });
      if (ts.isTemplateExpression(n) && looksLikeCsp(n.head.text))
        this.at('csp-unverifiable', src, n, 'a CSP is assembled at run time: the checker cannot read it.');
      if (ts.isPropertyAssignment(n) && (propName(n.name) ?? '').toLowerCase() === 'content-security-policy') {
        const v = unwrap(n.initializer);
        const items = ts.isArrayLiteralExpression(v) ? v.elements : [v];
        for (const it of items) {
          const r = this.resolve(it, src);
          if (ts.isStringLiteralLike(r.expr)) {
            // A literal that reads like a policy is already collected where it is written; anything else is checked here.
            if (!looksLikeCsp(r.expr.text))
              out.push({ policy: r.expr.text, file: src.rel, line: lineOf(src.sf, it.getStart(src.sf)) });
          } else {
            this.at(
              'csp-unverifiable',
              src,
              it,
              `the Content-Security-Policy header is set from ${it.getText(src.sf).slice(0, 40)}, which the checker cannot read.`,
            );
          }
        }
      }
    });
  }

  checkCsp(policy: string, file: string, line: number): void {
    const d = parseCsp(policy);
    const def = d.get('default-src');
    if (!def)
      this.report(
        'csp-default-src',
        file,
        line,
        "CSP has no default-src; use default-src 'none' and allow each kind of resource explicitly.",
      );
    else if (def.length !== 1 || def[0] !== "'none'")
      this.report('csp-default-src', file, line, `CSP default-src is "${def.join(' ')}"; use 'none'.`);
    const scriptDirs = ['script-src', 'script-src-elem', 'script-src-attr'];
    const checked: Array<[string, string[]]> = [];
    for (const k of scriptDirs) if (d.has(k)) checked.push([k, d.get(k)!]);
    if (!d.has('script-src') && def) checked.push(['default-src (for scripts)', def]);
    for (const [k, sources] of checked) {
      const bad = sources.filter(
        (s) =>
          [
            "'unsafe-inline'",
            "'unsafe-eval'",
            "'unsafe-hashes'",
            '*',
            'http:',
            'https:',
            'data:',
            'blob:',
            'filesystem:',
            'file:',
          ].includes(s.toLowerCase()) ||
          /^http:\/\//i.test(s) ||
          s.includes('*'),
      );
      if (bad.length) this.report('csp-script-src-unsafe', file, line, `CSP ${k} allows ${bad.join(' ')}.`);
    }
    const style = d.get('style-src') ?? d.get('style-src-elem');
    if (style?.includes("'unsafe-inline'"))
      this.report('csp-style-unsafe-inline', file, line, "CSP style-src allows 'unsafe-inline'.");
  }

  checkHtml(abs: string, metaCsps: Array<{ policy: string; file: string; line: number }>): void {
    const rel = toRel(this.root, abs);
    // Comments are blanked (newlines kept, so line numbers hold): a tag inside a comment does nothing.
    const html = readFileSync(abs, 'utf8').replace(/<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, ' '));
    let found = false;
    for (const m of html.matchAll(/<meta\b[^>]*>/gi)) {
      const tag = m[0];
      const equiv = /http-equiv\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
      if (!equiv || (equiv[2] ?? equiv[3] ?? equiv[4] ?? '').toLowerCase() !== 'content-security-policy') continue;
      const content = /content\s*=\s*("([^"]*)"|'([^']*)')/i.exec(tag);
      const line = html.slice(0, m.index).split('\n').length;
      if (!content) {
        this.report('csp-missing', rel, line, 'the CSP meta tag has no content.');
        continue;
      }
      found = true;
      const policy = decodeEntities(content[2] ?? content[3] ?? '');
      metaCsps.push({ policy, file: rel, line });
      this.checkCsp(policy, rel, line);
    }
    if (!found)
      this.report(
        'csp-missing',
        rel,
        1,
        'no <meta http-equiv="Content-Security-Policy"> (response headers do not apply to file:// pages).',
      );
    for (const m of html.matchAll(/<webview\b/gi))
      this.report(
        'webview-element',
        rel,
        html.slice(0, m.index).split('\n').length,
        'a <webview> element embeds a guest page.',
      );
  }
}

interface MainState {
  windows: number;
  singleInstance: boolean;
  windowOpen: boolean;
  windowOpenSeen: boolean;
  navigation: boolean;
  navigationSeen: boolean;
  permissionRequest: boolean;
  permissionRequestSeen: boolean;
  permissionCheck: boolean;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isModuleLevel(decl: ts.Node): boolean {
  return ts.isImportDeclaration(decl) || (ts.isVariableDeclaration(decl) && ts.isSourceFile(decl.parent.parent.parent));
}

function isRequireOf(n: ts.Node, mod: RegExp): boolean {
  return (
    ts.isCallExpression(n) &&
    ts.isIdentifier(n.expression) &&
    n.expression.text === 'require' &&
    mod.test(stringValue(n.arguments[0]) ?? '')
  );
}

function isElectronModuleExpr(e: ts.Expression): boolean {
  if (isRequireOf(e, /^electron$/)) return true;
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e, e.text);
    if (d && ts.isImportDeclaration(d) && stringValue(d.moduleSpecifier as ts.Expression) === 'electron') {
      const ic = d.importClause;
      return (
        ic?.name?.text === e.text ||
        (!!ic?.namedBindings && ts.isNamespaceImport(ic.namedBindings) && ic.namedBindings.name.text === e.text)
      );
    }
    if (d && ts.isVariableDeclaration(d) && d.initializer && ts.isIdentifier(d.name))
      return isRequireOf(unwrap(d.initializer), /^electron$/);
  }
  return false;
}

/** If `e` depends on a parameter of an enclosing function (the page's input in a preload wrapper), that parameter's name. */
function taintedBy(e: ts.Node, seen: Set<ts.Node>): string | undefined {
  let hit: string | undefined;
  walk(e, (n) => {
    if (hit || !ts.isIdentifier(n)) return;
    const p = n.parent;
    if ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n)) return;
    const d = findDeclaration(n, n.text);
    if (!d || seen.has(d)) return;
    seen.add(d);
    if (ts.isParameter(d)) hit = n.text;
    else if (ts.isVariableDeclaration(d)) {
      const loop = d.parent.parent;
      if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) hit = taintedBy(loop.expression, seen);
      else if (d.initializer) hit = taintedBy(d.initializer, seen);
    }
  });
  return hit;
}

/** A use of IPC input that hands it, unchanged, to a validating or dispatching call. */
function isValidatedUse(id: ts.Identifier): boolean {
  let cur: ts.Node = id;
  for (;;) {
    const p = cur.parent;
    if (
      ts.isParenthesizedExpression(p) ||
      ts.isAsExpression(p) ||
      ts.isSatisfiesExpression(p) ||
      ts.isNonNullExpression(p)
    )
      cur = p;
    else if (
      ts.isBinaryExpression(p) &&
      [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(p.operatorToken.kind) &&
      p.left === cur
    )
      cur = p;
    else break;
  }
  const call = cur.parent;
  return (
    ts.isCallExpression(call) &&
    call.arguments.includes(cur as ts.Expression) &&
    VALIDATOR_NAME.test(calleeName(call) ?? '')
  );
}

/** executeJavaScript code: a literal, or a template whose every substitution is JSON.stringify(...). */
function isSafeCode(code: ts.Expression, c: Checker, src: Src): boolean {
  const u = unwrap(code);
  if (typeof c.literal(u, src) === 'string') return true;
  if (ts.isTemplateExpression(u)) {
    return u.templateSpans.every((s) => {
      const e = unwrap(s.expression);
      return ts.isCallExpression(e) && e.expression.getText(src.sf) === 'JSON.stringify';
    });
  }
  return false;
}

const URL_CHECK = /['"`]https:(\/\/)?['"`]|startsWith\(\s*['"`]https:\/\//;
const ALLOW_CHECK =
  /\.(has|includes|some|test|indexOf|find)\s*\(|\b(host|hostname|origin)\s*===|===\s*[\w.?]*\b(host|hostname|origin)\b/;
const checksUrl = (t: string) => URL_CHECK.test(t) && ALLOW_CHECK.test(t);

function exits(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s) || ts.isContinueStatement(s) || ts.isBreakStatement(s))
    return true;
  if (ts.isBlock(s)) {
    const last = s.statements[s.statements.length - 1];
    return !!last && exits(last);
  }
  return false;
}

/**
 * The call sits behind a condition that checks the https: scheme and an allow-list, in the same function:
 * `if (check) call`, `check && call`, `check ? call : …`, or an earlier `if (!check) return;`.
 * The polarity of the condition is not proven: this is a pattern check, read the code too.
 */
function isGuarded(call: ts.Node, sf: ts.SourceFile): boolean {
  let child: ts.Node = call;
  for (let p: ts.Node | undefined = call.parent; p && !ts.isSourceFile(p); child = p, p = p.parent) {
    if (ts.isIfStatement(p) && p.thenStatement === child && checksUrl(p.expression.getText(sf))) return true;
    if (ts.isConditionalExpression(p) && p.whenTrue === child && checksUrl(p.condition.getText(sf))) return true;
    if (
      ts.isBinaryExpression(p) &&
      p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken &&
      p.right === child &&
      checksUrl(p.left.getText(sf))
    )
      return true;
    if (ts.isBlock(p)) {
      for (const s of p.statements) {
        if (s === child) break;
        if (ts.isIfStatement(s) && exits(s.thenStatement) && checksUrl(s.expression.getText(sf))) return true;
      }
    }
    if (ts.isFunctionLike(p)) break;
  }
  return false;
}

function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (!name) continue;
    const k = name.toLowerCase();
    if (!out.has(k)) out.set(k, values); // the first occurrence wins, as in browsers
  }
  return out;
}

/** Directives a <meta> CSP cannot carry (browsers ignore them there), so a header may add them without a mismatch. */
const HEADER_ONLY_DIRECTIVES = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

function normalizeCsp(policy: string): string {
  return [...parseCsp(policy)]
    .filter(([k]) => !HEADER_ONLY_DIRECTIVES.has(k))
    .map(([k, v]) => `${k} ${[...v].sort().join(' ')}`.trim())
    .sort()
    .join('; ');
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

// ---------------------------------------------------------------------------------------------- entry points

export function checkElectronSecurity(rootDir: string): CheckReport {
  const root = resolve(rootDir);
  const c = new Checker(root);
  const mainFiles: string[] = [];
  const preloadFiles: string[] = [];
  walkDir(join(root, 'electron/main'), mainFiles);
  walkDir(join(root, 'electron/preload'), preloadFiles);
  const scanned: string[] = [];

  if (mainFiles.length === 0 || preloadFiles.length === 0) {
    c.report(
      'no-sources',
      'electron/',
      1,
      `found ${mainFiles.length} main and ${preloadFiles.length} preload source files under ${root}; both are needed.`,
    );
  }

  // The contract names the only channels the preload may use.
  const contractPath = join(root, 'shared/ipc/contract.ts');
  if (existsSync(contractPath)) {
    const contract = c.load(contractPath, 'other');
    if (contract) {
      c.loadContract(contract);
      scanned.push(contract.rel);
    }
  }

  const mains = mainFiles.map((f) => c.load(f, 'main')).filter((s): s is Src => !!s);
  const preloads = preloadFiles.map((f) => c.load(f, 'preload')).filter((s): s is Src => !!s);
  for (const s of [...mains, ...preloads]) c.index(s);
  scanned.push(...mainFiles.map((f) => toRel(root, f)), ...preloadFiles.map((f) => toRel(root, f)));

  const state: MainState = {
    windows: 0,
    singleInstance: false,
    windowOpen: false,
    windowOpenSeen: false,
    navigation: false,
    navigationSeen: false,
    permissionRequest: false,
    permissionRequestSeen: false,
    permissionCheck: false,
  };
  for (const s of mains) c.checkMainFile(s, state);
  for (const s of preloads) c.checkPreloadFile(s);

  if (mainFiles.length) {
    const entry =
      mainFiles.map((f) => toRel(root, f)).find((f) => /\/index\.[mc]?[jt]sx?$/.test(f)) ?? toRel(root, mainFiles[0]);
    if (!state.singleInstance && !c.findings.some((f) => f.rule === 'single-instance-lock')) {
      c.report(
        'single-instance-lock',
        entry,
        1,
        'app.requestSingleInstanceLock() is never called (with its result used to quit).',
      );
    }
    if (!state.windowOpenSeen)
      c.report(
        'window-open-deny',
        entry,
        1,
        "no webContents.setWindowOpenHandler returning { action: 'deny' } (e.g. in app.on('web-contents-created')).",
      );
    if (!state.navigationSeen)
      c.report('navigation-guard', entry, 1, "no 'will-navigate' handler that calls event.preventDefault().");
    if (!state.permissionRequestSeen)
      c.report(
        'permission-request-handler',
        entry,
        1,
        'no session.setPermissionRequestHandler: every permission request is granted by default.',
      );
    if (!state.permissionCheck) c.report('permission-check-handler', entry, 1, 'no session.setPermissionCheckHandler.');
  }

  // CSP: the renderer's meta tag, and any policy main sets as a header.
  const metaCsps: Array<{ policy: string; file: string; line: number }> = [];
  const htmlDir = join(root, 'renderer');
  const htmlFiles = existsSync(htmlDir)
    ? readdirSync(htmlDir)
        .filter((n) => /\.html?$/i.test(n))
        .sort()
        .map((n) => join(htmlDir, n))
    : [];
  for (const h of htmlFiles) {
    c.checkHtml(h, metaCsps);
    scanned.push(toRel(root, h));
  }
  const mainCsps: Array<{ policy: string; file: string; line: number }> = [];
  for (const s of mains) c.collectCsp(s, mainCsps);
  for (const m of mainCsps) c.checkCsp(m.policy, m.file, m.line);
  if (!htmlFiles.length && !mainCsps.length)
    c.report('csp-missing', 'renderer/', 1, 'no renderer HTML with a CSP meta tag and no CSP in main.');
  if (metaCsps.length && mainCsps.length) {
    const metas = new Set(metaCsps.map((m) => normalizeCsp(m.policy)));
    for (const m of mainCsps) {
      if (!metas.has(normalizeCsp(m.policy)))
        c.report(
          'csp-inconsistent',
          m.file,
          m.line,
          `differs from the meta CSP in ${metaCsps[0].file}; keep one policy.`,
        );
    }
  }

  // Electron APIs used anywhere else would escape every rule above.
  const elsewhere: string[] = [];
  walkDir(join(root, 'electron'), elsewhere);
  walkDir(join(root, 'shared'), elsewhere);
  for (const f of elsewhere) {
    const rel = toRel(root, f);
    if (rel.startsWith('electron/main/') || rel.startsWith('electron/preload/')) continue;
    const text = readFileSync(f, 'utf8');
    if (!/['"]electron['"]/.test(text)) continue;
    const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true, scriptKind(f));
    walk(sf, (n) => {
      const isImport =
        ts.isImportDeclaration(n) &&
        stringValue(n.moduleSpecifier as ts.Expression) === 'electron' &&
        !n.importClause?.isTypeOnly;
      const isExport =
        ts.isExportDeclaration(n) &&
        n.moduleSpecifier &&
        stringValue(n.moduleSpecifier as ts.Expression) === 'electron';
      const isDyn =
        ts.isCallExpression(n) &&
        (n.expression.kind === ts.SyntaxKind.ImportKeyword || isRequireOf(n, /^electron$/)) &&
        stringValue(n.arguments[0]) === 'electron';
      if (isImport || isExport || isDyn)
        c.report(
          'electron-outside-shell',
          rel,
          lineOf(sf, n.getStart(sf)),
          "imports 'electron' outside electron/main and electron/preload, where this check does not look.",
        );
    });
  }

  const order: Record<Severity, number> = { HIGH: 0, MEDIUM: 1, LOW: 2 };
  c.findings.sort(
    (a, b) =>
      order[a.severity] - order[b.severity] ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.rule.localeCompare(b.rule),
  );
  return { root, scanned, findings: c.findings, high: c.findings.filter((f) => f.severity === 'HIGH').length };
}

export function formatTable(findings: Finding[]): string {
  const rows = findings.map((f) => [f.rule, f.severity, `${f.file}:${f.line}`, f.message]);
  const head = ['rule', 'severity', 'file:line', 'message'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i < 3 ? r[i].length : 0))));
  const line = (r: string[]) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join('  ');
  return [line(head), line(widths.map((w, i) => '-'.repeat(i < 3 ? w : 7))), ...rows.map(line)].join('\n');
}

function main(argv: string[]): number {
  let root = process.cwd();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--root' && argv[i + 1]) root = argv[++i];
    else if (a === '--rules') {
      for (const [id, r] of Object.entries(RULES))
        console.log(`${id.padEnd(38)} ${r.severity.padEnd(6)} ${r.description}`);
      return 0;
    } else {
      console.error(`usage: check-electron-security [--root DIR] [--json] [--rules]\nunknown argument: ${a}`);
      return 2;
    }
  }
  const report = checkElectronSecurity(root);
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    const counts = (['HIGH', 'MEDIUM', 'LOW'] as const)
      .map((s) => `${report.findings.filter((f) => f.severity === s).length} ${s}`)
      .join(', ');
    console.log(
      `Electron security check: ${report.scanned.length} files, ${Object.keys(RULES).length} rules: ${counts}`,
    );
    if (report.findings.length) console.log(formatTable(report.findings));
    console.log(report.high ? `FAILED: ${report.high} HIGH finding(s).` : 'OK: no HIGH finding.');
  }
  return report.high ? 1 : 0;
}

const invokedDirectly = !!process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
