/**
 * Architecture guards: the layer import rules (ARCHITECTURE.md), proven to bite on a temp copy of the
 * tree, and the CLI command table == CLI_COMMANDS == `tokenops --help` == the manifest's entry points.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI_COMMANDS } from '../../electron/services/cli-commands';
import { ROOT, assertCliBuilt, describeResult, runCli } from '../cli/helpers';
import { checkLayers, commandTableKeys, importsOf, type Violation } from './import-rules';

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((d) => fs.rm(d, { recursive: true, force: true })));
});

function show(v: Violation[]): string {
  return v.map((x) => `${x.file}:${x.line} ${JSON.stringify(x.specifier)} — ${x.rule}`).join('\n') || '(none)';
}

/** A copy of the three checked layers (plus the rest of electron/ so relative paths keep their meaning). */
async function copyTree(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-layers-'));
  temps.push(dir);
  for (const sub of ['shared', 'electron', path.join('renderer', 'src')]) {
    await fs.cp(path.join(ROOT, sub), path.join(dir, sub), { recursive: true });
  }
  return dir;
}

async function appendTo(root: string, rel: string, code: string): Promise<void> {
  const file = path.join(root, rel);
  await fs.writeFile(file, `${await fs.readFile(file, 'utf8')}\n${code}\n`);
}

describe('layer import rules', () => {
  it('the import parser sees every kind of module reference', () => {
    const refs = importsOf(
      'x.ts',
      [
        "/// <reference types=\"node\" />",
        "import a from 'a';",
        "import type { B } from 'b';",
        "export * from 'c';",
        "export { d } from 'd';",
        "import e = require('e');",
        "const f = await import('f');",
        "const g = require('g');",
        "type H = import('h').H;",
        "const notAnImport = \"require('i')\";",
        "// import j from 'j';",
      ].join('\n'),
    );
    expect(refs.map((r) => `${r.kind}:${r.specifier}`).sort()).toEqual(
      ['reference-types:node', 'import:a', 'import:b', 'export:c', 'export:d', 'import-equals:e', 'dynamic-import:f', 'require:g', 'import-type:h'].sort(),
    );
  });

  it('shared/, electron/services/ and renderer/src/ respect their import rules', async () => {
    const { violations, filesChecked } = await checkLayers(ROOT);
    expect(filesChecked, 'found the source files').toBeGreaterThan(100);
    expect(violations, show(violations)).toEqual([]);
  });

  it('fails when a violating import is added (checked on a temp copy of the tree)', async () => {
    const root = await copyTree();
    // The copy is clean, like the tree.
    expect((await checkLayers(root)).violations, 'copy starts clean').toEqual([]);

    await appendTo(root, 'shared/errors.ts', "import { readFileSync } from 'node:fs';");
    await appendTo(root, 'shared/progress.ts', "import type { Stats } from 'fs';\nexport * from 'crypto';");
    await appendTo(root, 'shared/workflow.ts', "export const late = () => import('../electron/services/home');");
    await appendTo(root, 'shared/sha256.ts', "import Ajv from 'ajv';\nimport { app } from 'electron';");
    await appendTo(root, 'electron/services/home.ts', "import { app } from 'electron';");
    await appendTo(root, 'electron/services/ids.ts', "const { ipcMain } = require('electron/main');\nimport '../main/menu';");
    await appendTo(root, 'renderer/src/format.ts', "import { homeLayout } from '../../electron/services/home';\nimport path from 'path';");
    await appendTo(root, 'renderer/src/api.ts', "const os = require('node:os');\nimport { ipcRenderer } from 'electron';");

    const { violations } = await checkLayers(root);
    const got = violations.map((v) => `${v.file} ${v.specifier}`).sort();
    expect(got, show(violations)).toEqual(
      [
        'shared/errors.ts node:fs',
        'shared/progress.ts fs',
        'shared/progress.ts crypto',
        'shared/workflow.ts ../electron/services/home',
        'shared/sha256.ts ajv',
        'shared/sha256.ts electron',
        'electron/services/home.ts electron',
        'electron/services/ids.ts electron/main',
        'electron/services/ids.ts ../main/menu',
        'renderer/src/format.ts ../../electron/services/home',
        'renderer/src/format.ts path',
        'renderer/src/api.ts node:os',
        'renderer/src/api.ts electron',
      ].sort(),
    );
    // The rule names say what is wrong.
    expect(violations.find((v) => v.specifier === 'node:fs')!.rule).toMatch(/Node built-in/);
    expect(violations.find((v) => v.file === 'electron/services/home.ts')!.rule).toMatch(/imports electron/);
    expect(violations.find((v) => v.specifier === '../../electron/services/home')!.rule).toMatch(/renderer\/src\/ imports from electron/);
  });
});

describe('the CLI command table', () => {
  it('electron/cli.ts implements exactly CLI_COMMANDS', async () => {
    const file = path.join(ROOT, 'electron', 'cli.ts');
    const keys = commandTableKeys(file, await fs.readFile(file, 'utf8'));
    expect([...keys].sort()).toEqual([...CLI_COMMANDS].sort());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('`tokenops --help` lists exactly CLI_COMMANDS, in order, and the manifest publishes the same list', async () => {
    assertCliBuilt();
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'tokenops-help-'));
    temps.push(home);
    const help = await runCli(['--help'], { home });
    expect(help.code, describeResult(help)).toBe(0);
    const listed = help.stdout
      .split('\n')
      .map((l) => /^ {2}tokenops (.+)$/.exec(l)?.[1])
      .filter((u): u is string => Boolean(u))
      .map((usage) => {
        const words: string[] = [];
        for (const w of usage.split(' ')) {
          if (!/^[a-z][a-z-]*$/.test(w)) break;
          words.push(w);
        }
        return words.join(' ');
      });
    expect(listed, `built CLI out of date? run npm run build\n${help.stdout}`).toEqual([...CLI_COMMANDS]);

    const manifest = await runCli(['manifest', '--json'], { home });
    expect(manifest.code, describeResult(manifest)).toBe(0);
    expect(manifest.json.entry_points.cli.map((c: { command: string }) => c.command)).toEqual(CLI_COMMANDS.map((c) => `tokenops ${c}`));

    // Every listed command answers its own --help with its usage line.
    const results = await Promise.all(CLI_COMMANDS.map((c) => runCli([...c.split(' '), '--help'], { home })));
    results.forEach((r, i) => {
      expect(r.code, `${CLI_COMMANDS[i]} --help\n${describeResult(r)}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: tokenops ${CLI_COMMANDS[i]}\\b`));
    });
  });
});
