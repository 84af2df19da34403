/**
 * Fixing a wrong record that came from a file: a corrected copy with the same id supersedes it (kept as
 * history, not counted), and any record, file-borne or not, can be removed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, cleanupTemps, runCli, SAMPLE, SAMPLE_EVIDENCE, tempDir, writeFiles } from './helpers';

beforeAll(assertCliBuilt);
afterAll(cleanupTemps);

async function receipt(remaining: number): Promise<string> {
  const r = JSON.parse(await fs.readFile(path.join(SAMPLE_EVIDENCE, SAMPLE.usageReceipt), 'utf8'));
  return JSON.stringify({ ...r, remaining_credits: remaining }, null, 2);
}

describe('a corrected record supersedes the wrong one', () => {
  it('same receipt_id from a corrected file: the run is sufficient again, the old record stays as history', async () => {
    const home = await tempDir();
    const dir = await tempDir();
    await fs.cp(SAMPLE_EVIDENCE, dir, { recursive: true });
    await fs.writeFile(path.join(dir, SAMPLE.usageReceipt), await receipt(8)); // 10 − 1 is 9, not 8
    const runId: string = (await runCli(['run', 'create', '--json'], { home })).json.run.run_id;
    const first = await runCli(['evidence', 'add', runId, dir, '--json'], { home });
    const failing = (e: any) => e.checks.filter((c: any) => c.status === 'fail').map((c: any) => c.check_id);
    expect(first.json.view.evaluation.evidence_status).not.toBe('sufficient');
    expect(failing(first.json.view.evaluation)).toContain('remaining_equals_balance_minus_debited');

    const fix = await tempDir();
    await writeFiles(fix, { 'usage-receipt-corrected.json': await receipt(9) });
    const fixed = await runCli(['evidence', 'add', runId, path.join(fix, 'usage-receipt-corrected.json'), '--json'], {
      home,
    });
    expect(fixed.json.view.evaluation.evidence_status).toBe('sufficient');
    expect(fixed.json.view.evaluation.evidence_score).toBe(100);
    const receipts = fixed.json.view.run.evidence.filter((e: any) => e.kind === 'usage_receipt');
    expect(receipts).toHaveLength(2);
    const [old, corrected] = receipts;
    expect(old.superseded_by).toBe(corrected.evidence_id);
    expect(corrected.supersedes).toBe(old.evidence_id);
    const shown = await runCli(['run', 'show', runId], { home });
    expect(shown.stdout).toContain(
      `${old.evidence_id}  usage_receipt usage_demo_20260602_001  from ${SAMPLE.usageReceipt}  (replaced by ${corrected.evidence_id}, not counted)`,
    );

    // Removing the correction brings the old record back, and the run is inconsistent again.
    const undone = await runCli(['evidence', 'remove', runId, corrected.evidence_id, '--json'], { home });
    expect(undone.code, undone.stderr).toBe(0);
    expect(failing(undone.json.evaluation)).toContain('remaining_equals_balance_minus_debited');
    expect(undone.json.run.evidence.find((e: any) => e.evidence_id === old.evidence_id).superseded_by).toBeUndefined();

    // A file-borne record can be removed too; the file itself stays in the run.
    const removed = await runCli(['evidence', 'remove', runId, old.evidence_id, '--json'], { home });
    expect(removed.json.run.evidence.some((e: any) => e.kind === 'usage_receipt')).toBe(false);
    expect(removed.json.run.files.some((f: any) => f.name === SAMPLE.usageReceipt)).toBe(true);
    expect(removed.json.evaluation.steps.find((s: any) => s.step === 'usage_receipt').status).toBe('missing');
  });

  it("a provider record naming the same settlement does not supersede the operator's record", async () => {
    const home = await tempDir();
    const runId: string = (await runCli(['run', 'create', '--json'], { home })).json.run.run_id;
    await runCli(['evidence', 'add', runId, SAMPLE_EVIDENCE], { home });
    const run = (await runCli(['run', 'show', runId, '--json'], { home })).json.run;
    expect(run.evidence.filter((e: any) => e.superseded_by)).toEqual([]);
  });
});
