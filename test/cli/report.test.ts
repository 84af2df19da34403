/**
 * The evidence report: inside every bundle as data/report.html (signed like the rest of the payload), and
 * from `tokenops report`. Self-contained: no scripts, no external fetches, every value escaped.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, runCli, SAMPLE_EVIDENCE, tempDir, writeFiles } from './helpers';
import { renderEvidenceReport } from '../../shared/report/evidence-report';

beforeAll(assertCliBuilt);
afterAll(cleanupTemps);

function selfContained(html: string): void {
  expect(html).not.toMatch(/<script|<iframe|<link|<img|<object|<embed/i);
  expect(html).not.toMatch(/<[^>]*\s(src|href|action|on[a-z]+)\s*=/i); // inside a tag, not escaped text
  expect(html).not.toMatch(/url\(/i);
  expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
}

describe('the evidence report', () => {
  it('is in every bundle, covered by the signature, and names status, checks, trail, receipt and signer', async () => {
    const home = await tempDir();
    const out = path.join(await tempDir(), 'bundle.zip');
    const packed = await runCli(['pack', SAMPLE_EVIDENCE, '--out', out, '--json'], { home });
    expect(packed.code, packed.stderr).toBe(0);
    const bag = `tokenops-${packed.json.run_id}`;
    const html = execFileSync('unzip', ['-p', out, `${bag}/data/report.html`], { encoding: 'utf8' });
    selfContained(html);
    expect(html).toContain('Sufficient');
    expect(html).toContain('Evidence score 100 of 100');
    expect(html).toContain(packed.json.usage_receipt.receipt_id);
    expect(html).toContain(packed.json.bundle.signer_fingerprint);
    expect(html).toMatch(/Payment amount|payment_amount_matches_settlement/);
    const manifest = execFileSync('unzip', ['-p', out, `${bag}/manifest-sha256.txt`], { encoding: 'utf8' });
    expect(manifest).toMatch(/ data\/report\.html\n/);
    expect((await runCli(['verify', out], { home })).code).toBe(0);

    const file = path.join(await tempDir(), 'run-report.html');
    const r = await runCli(['report', packed.json.run_id, '--out', file, '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    selfContained(await fs.readFile(file, 'utf8'));
    const intoHome = await runCli(['report', packed.json.run_id, '--out', path.join(home, 'keys', 'signing-key.pem')], {
      home,
    });
    expect(intoHome.code).toBe(2);
  });

  it('escapes what the evidence says: a hostile title or file name stays text', async () => {
    const home = await tempDir();
    const dir = await tempDir();
    await writeFiles(dir, { '<img src=x onerror=alert(1)>.md': '# hi\n' });
    const runId: string = (await runCli(['run', 'create', '--title', '<script>alert(1)</script>', '--json'], { home }))
      .json.run.run_id;
    await runCli(['evidence', 'add', runId, dir], { home });
    const view = (await runCli(['run', 'show', runId, '--json'], { home })).json;
    const html = renderEvidenceReport({
      run: view.run,
      evaluation: view.evaluation,
      generatedAt: '2026-12-02T00:00:00Z',
    });
    selfContained(html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.md');
  });
});
