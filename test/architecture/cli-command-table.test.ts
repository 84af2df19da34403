/**
 * The CLI command table == CLI_COMMANDS == `tokenops --help` == the manifest's entry points.
 * (The layer import rule is ESLint's `tokenops/layers`, tested beside it in .eslint/rules/.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI_COMMANDS } from '../../electron/services/cli-commands';
import { ROOT, assertCliBuilt, describeResult, runCli } from '../cli/helpers';
import { commandTableKeys } from './command-table';

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((d) => fs.rm(d, { recursive: true, force: true })));
});

describe('the CLI command table', () => {
  it('electron/cli.ts implements exactly CLI_COMMANDS', async () => {
    const file = path.join(ROOT, 'electron', 'cli.ts');
    // RUNNERS holds every command but mcp, which serves the protocol instead of printing a document.
    const keys = [...commandTableKeys(file, await fs.readFile(file, 'utf8'), 'RUNNERS'), 'mcp'];
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
    expect(manifest.json.entry_points.cli.map((c: { command: string }) => c.command)).toEqual(
      CLI_COMMANDS.map((c) => `tokenops ${c}`),
    );

    // Every listed command answers its own --help with its usage line.
    const results = await Promise.all(CLI_COMMANDS.map((c) => runCli([...c.split(' '), '--help'], { home })));
    results.forEach((r, i) => {
      expect(r.code, `${CLI_COMMANDS[i]} --help\n${describeResult(r)}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: tokenops ${CLI_COMMANDS[i]}\\b`));
    });
  });
});
