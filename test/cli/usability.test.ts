/** The CLI for the agent developer: version, typo suggestions, group listings. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, ROOT, runCli, tempDir } from './helpers';

let home: string;
beforeAll(async () => {
  assertCliBuilt();
  home = await tempDir();
});
afterAll(cleanupTemps);

describe('tokenops for people at a terminal', () => {
  it('--version and -V print the package version', async () => {
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag], { home });
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`tokenops ${version}`);
    }
  });

  it('a typo suggests the command', async () => {
    const r = await runCli(['pakc'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "pakc"; did you mean pack\?/);
  });

  it('a group without its subcommand lists them, and a typo inside a group suggests the subcommand', async () => {
    const r = await runCli(['run'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tokenops run needs a subcommand\. run commands: create, list, show\./);
    const t = await runCli(['trust', 'lsit'], { home });
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/did you mean trust list\?/);
  });

  it('a word far from every command gets no made-up suggestion', async () => {
    const r = await runCli(['frobnicate'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/did you mean/);
  });

  it('an unknown flag is one clear line with a suggestion and the usage', async () => {
    const r = await runCli(['run', 'list', '--limt', '3'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'tokenops: unknown option --limt (did you mean --limit?). usage: tokenops run list [--query TEXT] [--limit N]',
    );
    expect(r.stderr).not.toMatch(/positional argument/);
  });

  it('pack on a file or an empty folder is a usage error that creates no run', async () => {
    const fresh = await tempDir();
    const empty = await tempDir();
    const out = path.join(await tempDir(), 'b.zip');
    const onFile = await runCli(['pack', path.join(ROOT, 'package.json'), '--out', out], { home: fresh });
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toMatch(/is a file: pack takes the folder/);
    const onEmpty = await runCli(['pack', empty, '--out', out], { home: fresh });
    expect(onEmpty.code).toBe(2);
    expect(onEmpty.stderr).toMatch(/is empty: .*Nothing was created/);
    const runs = await runCli(['run', 'list', '--json'], { home: fresh });
    expect(runs.json.total).toBe(0);
  });
});
