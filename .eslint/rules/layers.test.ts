/**
 * The layer rule beside its test: RuleTester cases for each kind of reference and each row of the
 * table, then the real config run over a scratch copy of the tree with bad imports planted in it.
 */
import { RuleTester, ESLint } from 'eslint';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYER_TABLE } from '../../eslint.config.js';
import layers from './layers.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const options = [{ root: ROOT, table: LAYER_TABLE }];
const at = (rel: string) => path.join(ROOT, rel);

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;
const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
});

describe('tokenops/layers (RuleTester)', () => {
  tester.run('layers', layers, {
    valid: [
      { filename: at('shared/x.ts'), code: "import { a } from './domain/run';", options },
      { filename: at('shared/domain/x.ts'), code: "import type { B } from '../errors';", options },
      {
        filename: at('electron/services/x.ts'),
        code: "import fs from 'node:fs'; import Ajv from 'ajv'; import { c } from '../../shared/errors';",
        options,
      },
      {
        filename: at('electron/main/x.ts'),
        code: "import { app } from 'electron'; import { t } from '../services/tokenops';",
        options,
      },
      {
        filename: at('electron/preload/index.ts'),
        code: "import { ipcRenderer } from 'electron'; import { C } from '../../shared/ipc/contract';",
        options,
      },
      {
        filename: at('renderer/src/x.tsx'),
        code: "import React from 'react'; import { R } from '../../shared/domain/run';",
        options,
      },
      // A file under no row is not checked.
      { filename: at('scripts/x.ts'), code: "import { app } from 'electron';", options },
      // A string that merely looks like a require is not a reference.
      { filename: at('shared/x.ts'), code: "const s = \"require('fs')\"; // import j from 'j';", options },
    ],
    invalid: [
      {
        filename: at('shared/x.ts'),
        code: "import { readFileSync } from 'node:fs';",
        options,
        errors: [{ message: 'shared/ may not use Node built-ins ("node:fs")' }],
      },
      { filename: at('shared/x.ts'), code: "import type { Stats } from 'fs';", options, errors: 1 },
      { filename: at('shared/x.ts'), code: "export * from 'crypto';", options, errors: 1 },
      {
        filename: at('shared/x.ts'),
        code: "export { d } from 'ajv';",
        options,
        errors: [{ message: 'shared/ may not import npm packages ("ajv")' }],
      },
      {
        filename: at('shared/x.ts'),
        code: "const late = () => import('../electron/services/home');",
        options,
        errors: [
          {
            message:
              /shared\/ may import only from shared\/; "..\/electron\/services\/home" is electron\/services\/home/,
          },
        ],
      },
      {
        filename: at('shared/x.ts'),
        code: "import e = require('electron');",
        options,
        errors: [{ message: 'shared/ may not import electron' }],
      },
      { filename: at('shared/x.ts'), code: "type H = import('node:os').CpuInfo;", options, errors: 1 },
      { filename: at('shared/x.ts'), code: '/// <reference types="node" />\nexport const x = 1;', options, errors: 1 },
      {
        filename: at('electron/services/x.ts'),
        code: "const { ipcMain } = require('electron/main');",
        options,
        errors: [{ message: 'electron/services/ may not import electron' }],
      },
      { filename: at('electron/services/x.ts'), code: "import '../main/menu';", options, errors: 1 },
      { filename: at('electron/services/x.ts'), code: "import { c } from '../cli/format';", options, errors: 1 },
      {
        filename: at('electron/preload/index.ts'),
        code: "import { t } from '../services/tokenops';",
        options,
        errors: 1,
      },
      { filename: at('electron/preload/index.ts'), code: "import fs from 'node:fs';", options, errors: 1 },
      {
        filename: at('electron/preload/index.ts'),
        code: "import { e } from '../../shared/errors';",
        options,
        errors: 1,
      },
      {
        filename: at('renderer/src/x.ts'),
        code: "import { homeLayout } from '../../electron/services/home';",
        options,
        errors: 1,
      },
      { filename: at('renderer/src/x.ts'), code: "import path from 'path';", options, errors: 1 },
      { filename: at('renderer/src/x.ts'), code: "const os = require('node:os');", options, errors: 1 },
      { filename: at('renderer/src/x.ts'), code: "import { ipcRenderer } from 'electron';", options, errors: 1 },
      { filename: at('electron/cli/x.ts'), code: "import { app } from 'electron';", options, errors: 1 },
    ],
  });
});

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((d) => fs.rm(d, { recursive: true, force: true })));
});

async function appendTo(root: string, rel: string, code: string): Promise<void> {
  const file = path.join(root, rel);
  await fs.writeFile(file, `${await fs.readFile(file, 'utf8')}\n${code}\n`);
}

describe('the committed config on a scratch copy of the tree', () => {
  it('is clean on the copy, and names each planted bad import', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-layers-'));
    temps.push(dir);
    for (const sub of [
      'shared',
      'electron',
      path.join('renderer', 'src'),
      '.eslint',
      'eslint.config.js',
      'tsconfig.json',
      'package.json',
    ]) {
      await fs.cp(path.join(ROOT, sub), path.join(dir, sub), { recursive: true });
    }
    // The copy resolves eslint's packages from the real checkout.
    await fs.symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const eslint = new ESLint({ cwd: dir });
    const layerErrors = async () => {
      const results = await eslint.lintFiles(['shared', 'electron', 'renderer/src']);
      // A file that does not parse would hide its imports.
      expect(results.filter((r) => r.fatalErrorCount > 0).map((r) => r.messages[0]?.message)).toEqual([]);
      expect(results.length, 'linted the copied tree').toBeGreaterThan(200);
      return results
        .flatMap((r) =>
          r.messages
            .filter((m) => m.ruleId === 'tokenops/layers')
            .map((m) => `${path.relative(dir, r.filePath)} ${m.message}`),
        )
        .sort();
    };

    expect(await layerErrors(), 'the copy starts clean').toEqual([]);

    await appendTo(dir, 'shared/errors.ts', "import { readFileSync } from 'node:fs';");
    await appendTo(dir, 'electron/services/home.ts', "import { app } from 'electron';");
    await appendTo(dir, 'renderer/src/format.ts', "import { homeLayout } from '../../electron/services/home';");
    await appendTo(dir, 'electron/preload/index.ts', "import { tokenops } from '../services/tokenops';");

    expect(await layerErrors()).toEqual(
      [
        'electron/preload/index.ts electron/preload/ may import only from shared/ipc/, electron/preload/; "../services/tokenops" is electron/services/tokenops',
        'electron/services/home.ts electron/services/ may not import electron',
        'renderer/src/format.ts renderer/src/ may import only from shared/, renderer/src/; "../../electron/services/home" is electron/services/home',
        'shared/errors.ts shared/ may not use Node built-ins ("node:fs")',
      ].sort(),
    );
  });
});
