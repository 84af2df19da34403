/**
 * The operator's app end to end: the built renderer in Chromium, bridged to the real TokenOps services.
 * One browser for the file, a new context (and a fresh data folder) per test.
 */
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import type { RunView } from '../../shared/ipc/contract';
import { assertRendererBuilt, dropFiles, launchBrowser, openApp, screenshot, startStaticServer, type AppSession } from './harness';
import {
  CREDIT_LEDGER_ENTRY,
  DELIVERABLE,
  DELIVERABLE_NAME,
  FILE_MANIFEST,
  PAYMENT_REQUEST,
  RUN_PRE,
  SECRET_FILE,
  SECRET_FILE_NAME,
  SETTLEMENT,
  USAGE_RECEIPT,
  WORK_ORDER,
  json,
} from './fixtures';
import { bundlePath, createRunViaDialog, fillFields, goTo, openStep, packageAndSign, pasteEvidence, scoreIs, stepRegion, text, waitStepStatus } from './ui';

let browser: Browser;
let server: { url: string; close(): Promise<void> };
let session: AppSession | null = null;
let scratch: string;

beforeAll(async () => {
  assertRendererBuilt();
  [browser, server] = await Promise.all([launchBrowser(), startStaticServer()]);
  scratch = await mkdtemp(join(tmpdir(), 'tokenops-e2e-scratch-'));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

afterEach(async () => {
  const s = session;
  session = null;
  if (!s) return;
  const problems = [...s.problems];
  await s.close();
  // Any console error, page error or failed request fails the test that caused it.
  expect(problems, 'console errors / page errors during the test').toEqual([]);
});

async function start(opts: Parameters<typeof openApp>[2] = {}): Promise<AppSession> {
  session = await openApp(browser, server.url, opts);
  return session;
}

/** Writes fixture files to disk, for the "Add files…" dialog. */
async function writeFixtures(files: Record<string, Buffer>): Promise<string[]> {
  const dir = await mkdtemp(join(scratch, 'fx-'));
  return Promise.all(
    Object.entries(files).map(async ([name, body]) => {
      const p = join(dir, name);
      await writeFile(p, body);
      return p;
    }),
  );
}

/** A complete, consistent run created through the services (for tests that are not about entry). */
async function seedCompleteRun(s: AppSession, title: string, extra: Record<string, Buffer> = {}): Promise<RunView> {
  const view = (await s.dispatch('runs.create', { title, pre_run: RUN_PRE })) as RunView;
  const paths = await writeFixtures({
    'settlement.json': json(SETTLEMENT),
    'payment-request.json': json(PAYMENT_REQUEST),
    'credit-ledger.json': json(CREDIT_LEDGER_ENTRY),
    'work-order.json': json(WORK_ORDER),
    'usage-receipt.json': json(USAGE_RECEIPT),
    [DELIVERABLE_NAME]: DELIVERABLE,
    'file-manifest.json': json(FILE_MANIFEST),
    ...extra,
  });
  await s.dispatch('evidence.addFiles', { run_id: view.run.run_id, paths });
  return view;
}

async function openRunFromList(s: AppSession, title: string): Promise<void> {
  await goTo(s.page, 'Runs');
  await s.page.getByRole('option', { name: new RegExp(title) }).first().click();
  await s.page.getByRole('heading', { level: 1, name: title }).waitFor();
}

describe('TokenOps operator app (built renderer + real services)', () => {
  it('walks a complete run through all six steps, packages and signs it, and the bundle verifies', async () => {
    const { page, queueDialogPaths } = await start();
    await createRunViaDialog(page, 'June 2 research run', { trust: RUN_PRE.trust_profile_id, quote: RUN_PRE.quote_id, credit: RUN_PRE.credit_entitlement_id });
    await scoreIs(page, 0, 'missing');

    // Step 1 by form.
    const s1 = await openStep(page, 1);
    await fillFields(s1, {
      'Settlement reference': SETTLEMENT.settlement_reference,
      Provider: SETTLEMENT.provider,
      'Provider reference': SETTLEMENT.provider_reference,
      Amount: SETTLEMENT.amount.value,
      Currency: SETTLEMENT.amount.currency,
    });
    await s1.getByLabel('Status').selectOption('settled');
    await s1.getByRole('button', { name: 'Add settlement reference' }).click();
    await waitStepStatus(page, 1, 'Satisfied');

    // Step 2 by paste; the guided walk has moved on to it by itself.
    expect(await stepRegion(page, 2).locator('.step-toggle').getAttribute('aria-expanded')).toBe('true');
    await pasteEvidence(page, 2, JSON.stringify(PAYMENT_REQUEST, null, 2));
    await waitStepStatus(page, 2, 'Satisfied');

    // Step 4 by form (tool and capability are prefilled from the run).
    const s4 = await openStep(page, 4);
    expect(await s4.getByLabel('Requested tool', { exact: true }).inputValue()).toBe('tokenops');
    await fillFields(s4, {
      'Work Order ID': WORK_ORDER.work_order_id,
      'Task run ID': WORK_ORDER.task_run_id,
      'Operating goal': WORK_ORDER.operating_goal,
    });
    await s4.getByRole('button', { name: 'Add work order and task run' }).click();
    await waitStepStatus(page, 4, 'Satisfied');

    // Steps 3, 5 and 6 by dropping files anywhere on the window (the overlay says where they go).
    await dropFiles(
      page,
      [
        { name: 'credit-ledger-entry.json', content: json(CREDIT_LEDGER_ENTRY), type: 'application/json' },
        { name: 'usage-receipt.json', content: json(USAGE_RECEIPT), type: 'application/json' },
        { name: DELIVERABLE_NAME, content: DELIVERABLE, type: 'text/markdown' },
        { name: 'file-manifest.json', content: json(FILE_MANIFEST), type: 'application/json' },
      ],
      '.run-main',
      { hold: true },
    );
    await page.getByTestId('drop-overlay').getByText('Drop to add evidence to “June 2 research run”').waitFor();
    await page.evaluate(() => (window as unknown as { __heldDrop: () => void }).__heldDrop());
    await page.getByTestId('drop-overlay').waitFor({ state: 'detached' });
    for (const n of [3, 5, 6]) await waitStepStatus(page, n, 'Satisfied');
    await scoreIs(page, 100, 'sufficient');
    const trace = page.locator('table.rule-trace');
    expect(await text(trace.locator('tfoot'))).toContain('Total 100 100');
    expect(await page.locator('.check-fail').count()).toBe(0);
    await screenshot(page, 'run-walk-light', { fullHeight: 1500 });

    // Package & sign, with progress events reaching the page through onProgress.
    await page.evaluate(() => {
      const w = window as unknown as { __phases: string[]; tokenops: { onProgress(l: (p: { phase: string }) => void): () => void } };
      w.__phases = [];
      w.tokenops.onProgress((p) => w.__phases.push(p.phase));
    });
    await packageAndSign(page);
    const path = await bundlePath(page);
    expect(path).toMatch(/\.zip$/);
    expect(await text(page.getByTestId('bundle-sha256').locator('code'))).toMatch(/^[0-9a-f]{64}$/);
    expect(await text(page.getByTestId('bundle-signer').locator('code'))).toMatch(/^SHA256:/);
    expect(await text(page.getByTestId('result-package'))).toContain('tokenops_result_package');
    expect(await text(page.getByTestId('usage-receipt'))).toContain(USAGE_RECEIPT.receipt_id);
    expect(await page.evaluate(() => (window as unknown as { __phases: string[] }).__phases.length)).toBeGreaterThan(0);
    await screenshot(page, 'export-done');

    // The bundle verifies on the Verify screen ("Choose bundle…" answered by the test's dialog queue).
    await goTo(page, 'Verify');
    queueDialogPaths(path);
    await page.getByRole('button', { name: 'Choose bundle…' }).click();
    await page.getByText('Bundle verified').waitFor();
    expect(await page.locator('.verify-check[data-state="pass"]').count()).toBe(4);
    const signer = await text(page.getByTestId('verify-signer').locator('code'));
    expect(signer).toMatch(/^SHA256:/);
    await screenshot(page, 'verify-pass');
  }, 90_000);
});
