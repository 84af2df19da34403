/**
 * The layer rules of ARCHITECTURE.md, checked on the real source with the TypeScript compiler's parser
 * (not regexes): every static import/export, `import x = require()`, dynamic `import()`, `require()`,
 * `import('x').T` type reference and `/// <reference types>` directive is a dependency.
 *
 *   shared/             imports nothing outside shared/ — no Node built-in, no npm package, no `electron`
 *   electron/services/  never imports `electron` (nor electron/main, electron/preload, the CLI)
 *   renderer/src/       imports nothing from electron/, no Node built-in, no `electron`
 */
import { promises as fs } from 'node:fs';
import { builtinModules, isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

export interface ImportRef {
  specifier: string;
  /** 1-based line of the reference. */
  line: number;
  kind: 'import' | 'export' | 'import-equals' | 'dynamic-import' | 'require' | 'import-type' | 'reference-types';
}

export interface Violation {
  /** Path relative to the checked root, with forward slashes. */
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

const SOURCE_EXT = /\.(?:[cm]?tsx?|[cm]?jsx?)$/;

export async function listSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw e;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules') continue;
      out.push(...(await listSources(p)));
    } else if (e.isFile() && SOURCE_EXT.test(e.name)) {
      out.push(p);
    }
  }
  return out.sort();
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(file)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Every module reference in one source text. */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const refs: ImportRef[] = [];
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const add = (node: ts.Node, spec: ts.Expression | undefined, kind: ImportRef['kind']) => {
    if (spec && ts.isStringLiteralLike(spec)) refs.push({ specifier: spec.text, line: lineOf(node.getStart(sf)), kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, 'import');
    else if (ts.isExportDeclaration(node)) add(node, node.moduleSpecifier, 'export');
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, 'import-equals');
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0], 'dynamic-import');
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1) add(node, node.arguments[0], 'require');
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(node, arg.literal as ts.Expression, 'import-type');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  for (const d of sf.typeReferenceDirectives) refs.push({ specifier: d.fileName, line: lineOf(d.pos), kind: 'reference-types' });
  return refs;
}

function isRelative(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/');
}

export function isNodeBuiltin(spec: string, kind?: ImportRef['kind']): boolean {
  if (kind === 'reference-types') return spec === 'node' || spec.startsWith('node/');
  if (spec.startsWith('node:')) return true;
  return isBuiltin(spec) || builtinModules.includes(spec.split('/')[0]!);
}

function isElectronPackage(spec: string): boolean {
  return spec === 'electron' || spec.startsWith('electron/');
}

function inside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Checks the three layers under `root` (a checkout of the project, or a copy of it). */
export async function checkLayers(root: string): Promise<{ violations: Violation[]; filesChecked: number }> {
  const shared = path.join(root, 'shared');
  const services = path.join(root, 'electron', 'services');
  const electronDir = path.join(root, 'electron');
  const renderer = path.join(root, 'renderer', 'src');
  const violations: Violation[] = [];
  let filesChecked = 0;

  const scan = async (dir: string, judge: (file: string, ref: ImportRef, resolved: string | null) => string | null) => {
    for (const file of await listSources(dir)) {
      filesChecked++;
      const text = await fs.readFile(file, 'utf8');
      for (const ref of importsOf(file, text)) {
        const resolved = ref.kind !== 'reference-types' && isRelative(ref.specifier) ? path.resolve(path.dirname(file), ref.specifier) : null;
        const rule = judge(file, ref, resolved);
        if (rule) violations.push({ file: path.relative(root, file).split(path.sep).join('/'), line: ref.line, specifier: ref.specifier, rule });
      }
    }
  };

  await scan(shared, (_f, ref, resolved) => {
    if (resolved) return inside(shared, resolved) ? null : 'shared/ imports a file outside shared/';
    if (isNodeBuiltin(ref.specifier, ref.kind)) return 'shared/ imports a Node built-in';
    if (isElectronPackage(ref.specifier)) return 'shared/ imports electron';
    return 'shared/ imports a package outside shared/';
  });

  await scan(services, (_f, ref, resolved) => {
    if (resolved) {
      return inside(electronDir, resolved) && !inside(services, resolved) ? 'electron/services/ imports electron/ code outside services/ (main, preload, cli)' : null;
    }
    return isElectronPackage(ref.specifier) ? 'electron/services/ imports electron' : null;
  });

  await scan(renderer, (_f, ref, resolved) => {
    if (resolved) return inside(electronDir, resolved) ? 'renderer/src/ imports from electron/' : null;
    if (isElectronPackage(ref.specifier)) return 'renderer/src/ imports electron';
    if (isNodeBuiltin(ref.specifier, ref.kind)) return 'renderer/src/ imports a Node built-in';
    return null;
  });

  return { violations, filesChecked };
}

/** The keys of `const COMMANDS = { … }` in electron/cli.ts, read with the compiler API. */
export function commandTableKeys(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let keys: string[] | null = null;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'COMMANDS' && node.initializer) {
      let init: ts.Expression = node.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init)) {
        keys = init.properties.map((p) => {
          if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) throw new Error(`COMMANDS has a computed or spread key at line ${sf.getLineAndCharacterOfPosition(p.getStart(sf)).line + 1}`);
          return p.name.text;
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (!keys) throw new Error(`no \`const COMMANDS = { … }\` object literal in ${fileName}`);
  return keys;
}
