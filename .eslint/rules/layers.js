/**
 * `tokenops/layers`: every module reference of a file must be allowed by the layer table that
 * eslint.config.js passes in as the rule's option (the way VS Code's `code-layering` reads its table).
 *
 * A row names a folder and what files in it may reference:
 *   may       folders (repo-relative) that relative imports may resolve into
 *   builtins  Node built-ins (`fs`, `node:fs`, `/// <reference types="node" />`)
 *   packages  npm packages other than electron
 *   electron  the `electron` package
 * The row with the longest matching folder wins; a file under no row is not checked.
 *
 * References seen: import/export … from, `import x = require()`, `import()`, `require()`,
 * `import('x').T` types and triple-slash `types` directives.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';

/** @typedef {{ folder: string, may: string[], builtins?: boolean, packages?: boolean, electron?: boolean }} LayerRow */

const toPosix = (p) => p.split(path.sep).join('/');
const inside = (dir, p) => p === dir || p.startsWith(`${dir}/`);

function isBuiltin(spec) {
  if (spec.startsWith('node:')) return true;
  return builtinModules.includes(spec.split('/')[0]);
}

const isElectron = (spec) => spec === 'electron' || spec.startsWith('electron/');
const isRelative = (spec) =>
  spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/');

/** @param {LayerRow[]} table @param {string} rel */
function rowFor(table, rel) {
  let best = null;
  for (const row of table) {
    if (inside(row.folder, rel) && (!best || row.folder.length > best.folder.length)) best = row;
  }
  return best;
}

/**
 * Why `spec` (referenced from the repo-relative file `rel`) breaks `row`, or null when it is allowed.
 * @param {LayerRow} row @param {string} rel @param {string} spec @param {'module'|'types'} kind
 */
function judge(row, rel, spec, kind = 'module') {
  if (kind === 'types') {
    return (spec === 'node' || spec.startsWith('node/')) && !row.builtins
      ? `${row.folder}/ may not use Node built-ins`
      : null;
  }
  if (isRelative(spec)) {
    const target = toPosix(path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)));
    if (row.may.some((dir) => inside(dir, target))) return null;
    return `${row.folder}/ may import only from ${row.may.map((d) => `${d}/`).join(', ')}; "${spec}" is ${target}`;
  }
  if (isElectron(spec)) return row.electron ? null : `${row.folder}/ may not import electron`;
  if (isBuiltin(spec)) return row.builtins ? null : `${row.folder}/ may not use Node built-ins ("${spec}")`;
  return row.packages ? null : `${row.folder}/ may not import npm packages ("${spec}")`;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer table: which folders each folder may import' },
    schema: [
      { type: 'object', properties: { root: { type: 'string' }, table: { type: 'array' } }, required: ['table'] },
    ],
    messages: { layer: '{{why}}' },
  },
  create(context) {
    const { table, root = context.cwd } = context.options[0];
    const rel = toPosix(path.relative(root, context.filename));
    const row = rowFor(table, rel);
    if (!row) return {};

    const check = (node, source, kind) => {
      if (!source || typeof source.value !== 'string') return;
      const why = judge(row, rel, source.value, kind);
      if (why) context.report({ node, messageId: 'layer', data: { why } });
    };

    return {
      Program() {
        for (const c of context.sourceCode.getAllComments()) {
          const m = c.type === 'Line' && /^\/\s*<reference\s+types\s*=\s*["']([^"']+)["']/.exec(c.value);
          if (m) check(c, { value: m[1] }, 'types');
        }
      },
      ImportDeclaration: (n) => check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => check(n, n.source.type === 'Literal' ? n.source : null),
      CallExpression(n) {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal') {
          check(n, n.arguments[0]);
        }
      },
      TSExternalModuleReference: (n) => check(n, n.expression),
      TSImportType(n) {
        // typescript-eslint 8: `argument` is a TSLiteralType whose `literal` is the string.
        const lit = n.argument?.type === 'TSLiteralType' ? n.argument.literal : n.argument;
        check(n, lit?.type === 'Literal' ? lit : null);
      },
    };
  },
};

export default rule;
