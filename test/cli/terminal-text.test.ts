/**
 * The CLI's text output is for a terminal: names from evidence cannot drive it (escape sequences,
 * carriage returns, bidirectional overrides are shown escaped), and a check failing on thousands of rows
 * prints a bounded summary while --json keeps every item.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forTerminal } from '../../electron/cli/terminal-text';
import { assertCliBuilt, cleanupTemps, runCli, SAMPLE_EVIDENCE, tempDir, writeFiles } from './helpers';

beforeAll(assertCliBuilt);
afterAll(cleanupTemps);

describe('forTerminal', () => {
  it('escapes controls and bidirectional overrides, keeps line breaks, tabs and every other character', () => {
    expect(forTerminal('\x1b[31mred\x1b[0m.json')).toBe('\\x1b[31mred\\x1b[0m.json');
    expect(forTerminal('done\rFAKE OK')).toBe('done\\x0dFAKE OK');
    expect(forTerminal('invoice\u202egpj.exe')).toBe('invoice\\u202egpj.exe');
    expect(forTerminal('\x9b2J')).toBe('\\x9b2J');
    const plain = 'line 1\n\tcafé 漢字 — 💳 ✔';
    expect(forTerminal(plain)).toBe(plain);
  });
});

describe('pack text output', () => {
  it('shows a hostile file name escaped, in the text only', async () => {
    const dir = await tempDir();
    await fs.cp(SAMPLE_EVIDENCE, dir, { recursive: true });
    await writeFiles(dir, {
      'notes/\x1b[2J\x1b[31mpaid.json': '{"note":1}',
      'notes/receipt\u202etxt.json': '{"note":2}',
    });
    const text = await runCli(['pack', dir, '--out', path.join(await tempDir(), 'b.zip')], { home: await tempDir() });
    expect(text.stdout).toContain('\\x1b[2J\\x1b[31mpaid.json');
    expect(text.stdout).toContain('receipt\\u202etxt.json');
    expect(text.stdout).not.toContain('\x1b');
    expect(text.stdout).not.toContain('\u202e');
    const json = await runCli(['pack', dir, '--out', path.join(await tempDir(), 'b.zip'), '--json'], {
      home: await tempDir(),
    });
    expect(json.stdout).toContain('\\u001b[2J\\u001b[31mpaid.json'); // JSON's own escape; parsed back, the real name
    expect(json.stdout).not.toContain('\x1b');
  });

  it('a check failing on 3,000 ledger rows is summarised in text; --json has every row', async () => {
    const dir = await tempDir();
    await fs.cp(SAMPLE_EVIDENCE, dir, { recursive: true });
    const rows = Array.from({ length: 3000 }, (_, i) => `cle_x${i},ce_other_${i},debit,1,${5000 - i}`);
    await writeFiles(dir, {
      'exports/ledger.csv': `entry_id,credit_entitlement_id,entry_type,credits,balance\n${rows.join('\n')}\n`,
    });
    const out = path.join(await tempDir(), 'b.zip');
    const text = await runCli(['pack', dir, '--out', out], { home: await tempDir() });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/more characters; --json has the whole text\)/);
    const longest = Math.max(...text.stdout.split('\n').map((l) => l.length));
    expect(longest).toBeLessThan(1200);
    const json = await runCli(['pack', dir, '--out', out, '--json'], { home: await tempDir() });
    const blocker = json.json.blockers.find((b: string) => b.includes('ce_other_0,') || b.includes('ce_other_0 '));
    expect(blocker).toContain('ce_other_2999');
  });
});
