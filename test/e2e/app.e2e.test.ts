/**
 * The operator's app end to end: the built renderer in Chromium, bridged to the real TokenOps services.
 * One browser for the file, a new context (and a fresh data folder) per test.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import type { PackageOutcome, RunView } from '../../shared/ipc/contract';
import {
  ROOT,
  SCREENSHOT_DIR,
  assertRendererBuilt,
  dropFiles,
  launchBrowser,
  openApp,
  screenshot,
  startStaticServer,
  type AppSession,
} from './harness';
import {
  CREDIT_LEDGER_ENTRY,
  DELIVERABLE,
  DELIVERABLE_NAME,
  FILE_MANIFEST,
  PAYMENT_REQUEST,
  RUN_PRE,
  AWS_KEY_FILE,
  BINARY_FILE,
  SECRET_FILE,
  SECRET_FILE_NAME,
  WEBHOOK_SECRET,
  SETTLEMENT,
  USAGE_RECEIPT,
  WORK_ORDER,
  evidenceSet,
  json,
} from './fixtures';
import {
  bundlePath,
  createRunViaDialog,
  fillFields,
  goTo,
  openStep,
  packageAndSign,
  pasteEvidence,
  scoreIs,
  stepRegion,
  text,
  waitStepStatus,
} from './ui';
import { GERMAN_LEDGER_MAPPING, germanLedgerCsv } from '../fixtures/german-ledger-export';

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

afterEach(async (ctx) => {
  const s = session;
  session = null;
  if (!s) return;
  if (ctx.task.result?.state === 'fail') {
    // Leave a picture of the failure behind (test-results/ is git-ignored).
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await s.page.screenshot({ path: join(ROOT, 'test-results', `e2e-${name}.png`) }).catch(() => {});
  }
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
async function seedRun(
  s: AppSession,
  n: number,
  opts: { title?: string; omit?: string[]; extra?: Record<string, Buffer> } = {},
): Promise<RunView> {
  const set = evidenceSet(n, opts.title);
  const view = (await s.dispatch('runs.create', { title: set.title, pre_run: RUN_PRE })) as RunView;
  const files = Object.fromEntries(
    Object.entries({ ...set.files, ...opts.extra }).filter(([name]) => !opts.omit?.includes(name)),
  );
  if (Object.keys(files).length)
    await s.tokenops.handlers['evidence.addFiles']({ run_id: view.run.run_id, paths: await writeFixtures(files) });
  return view;
}

async function packageViaServices(s: AppSession, runId: string): Promise<PackageOutcome> {
  return (await s.dispatch('run.package', { run_id: runId })) as PackageOutcome;
}

/** A requesting agent's webhook endpoint on 127.0.0.1 that records what it receives. */
async function startCallbackReceiver(): Promise<{
  url: string;
  received: Array<{ headers: Record<string, string>; body: string }>;
  close(): Promise<void>;
}> {
  const received: Array<{ headers: Record<string, string>; body: string }> = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const { port } = srv.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/tokenops`,
    received,
    close: () => new Promise<void>((ok) => srv.close(() => ok())),
  };
}

async function openRunFromList(s: AppSession, title: string): Promise<void> {
  await goTo(s.page, 'Runs');
  await s.page.getByRole('option', { name: title }).first().click();
  await s.page.getByRole('heading', { level: 1, name: title }).waitFor();
}

describe('TokenOps operator app (built renderer + real services)', () => {
  it('walks a complete run through all six steps, saves the signed bundle where the operator chose, and it verifies', async () => {
    const { page, queueDialogPaths, revealed } = await start();
    await createRunViaDialog(page, 'June 2 research run', {
      trust: RUN_PRE.trust_profile_id,
      quote: RUN_PRE.quote_id,
      credit: RUN_PRE.credit_entitlement_id,
    });
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
    await stepRegion(page, 2).locator('.step-toggle[aria-expanded="true"]').waitFor();
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
    await screenshot(page, 'drop-overlay', { keepScroll: true });
    await page.evaluate(() => (window as unknown as { __heldDrop: () => void }).__heldDrop());
    await page.getByTestId('drop-overlay').waitFor({ state: 'detached' });
    for (const n of [3, 5, 6]) await waitStepStatus(page, n, 'Satisfied');
    await scoreIs(page, 100, 'sufficient');
    const trace = page.locator('table.rule-trace');
    expect(await text(trace.locator('tfoot'))).toContain('Total 105 105 Score 100 of 100');
    expect(await page.locator('.check-fail').count()).toBe(0);
    await screenshot(page, 'run-walk-light', { fullHeight: 1500 });

    // Package & sign, with progress events reaching the page through onProgress.
    await page.evaluate(() => {
      const w = window as unknown as {
        __phases: string[];
        tokenops: { onProgress(l: (p: { phase: string }) => void): () => void };
      };
      w.__phases = [];
      w.tokenops.onProgress((p) => w.__phases.push(p.phase));
    });
    // Package & sign asks where to save (main's save dialog, answered by the queue); cancelling changes nothing.
    await packageAndSign(page);
    await page.getByRole('button', { name: 'Package & sign' }).waitFor();
    expect(await page.getByTestId('bundle-path').count()).toBe(0);
    expect((await session!.tokenops.handlers['ledger.get']({})).receipts).toHaveLength(0);
    const chosen = join(await mkdtemp(join(tmpdir(), 'tokenops-e2e-save-')), 'june-2-research.zip');
    queueDialogPaths(chosen);
    await packageAndSign(page);
    const path = await bundlePath(page);
    expect(path).toBe(chosen);
    expect((await stat(chosen)).size).toBeGreaterThan(0);
    // Shown short (the folder and name), in full on hover and by Copy.
    expect(await text(page.getByTestId('bundle-path').locator('code'))).toBe(
      `…/${basename(dirname(chosen))}/june-2-research.zip`,
    );
    // Focus comes back to the result, not to <body>.
    expect(await page.evaluate(() => document.activeElement?.closest('.export-panel') !== null)).toBe(true);
    await page.getByRole('button', { name: 'Show in folder' }).click();
    await expect.poll(() => revealed).toEqual([chosen]);
    expect(await text(page.getByTestId('bundle-sha256').locator('code'))).toMatch(/^[0-9a-f]{64}$/);
    expect(await text(page.getByTestId('bundle-signer').locator('code'))).toMatch(/^SHA256:/);
    expect(await text(page.getByTestId('result-package'))).toContain('tokenops_result_package');
    expect(await text(page.getByTestId('usage-receipt'))).toContain(USAGE_RECEIPT.receipt_id);
    expect(await page.evaluate(() => (window as unknown as { __phases: string[] }).__phases.length)).toBeGreaterThan(0);
    await screenshot(page, 'export-done', { fullHeight: 1200 });

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

  it('turns a partial run into an exception ticket, then replays it to a packaged bundle once the evidence is supplied', async () => {
    const { page, queueDialogPaths } = await start();
    const receiver = await startCallbackReceiver();
    await createRunViaDialog(page, 'Partial research run', { credit: RUN_PRE.credit_entitlement_id });

    // Callback destination through the run header: a bad URL is refused in words, a good one is kept.
    const setup = page.locator('details.run-setup');
    if (!(await setup.evaluate((d) => (d as HTMLDetailsElement).open))) await setup.locator('summary').click();
    const callbackForm = page.getByRole('form', { name: 'Callback destination' });
    await callbackForm.getByLabel('Callback URL').fill('ftp://agent.example.com/hook');
    await callbackForm.getByLabel('Signing secret').fill(WEBHOOK_SECRET);
    await callbackForm.getByRole('button', { name: 'Save callback' }).click();
    expect(await text(callbackForm.getByRole('alert'))).toMatch(/only http: and https:/);
    expect(await text(page.getByTestId('toast-error').last())).toMatch(/Could not save the callback destination/);
    // The receiver listens on 127.0.0.1: saved only once the operator confirms a private address.
    await callbackForm.getByLabel('Callback URL').fill(receiver.url);
    await callbackForm.getByLabel('Signing secret').fill(WEBHOOK_SECRET);
    await callbackForm.getByRole('button', { name: 'Save callback' }).click();
    const ask = callbackForm.getByRole('alert').filter({ hasText: 'Deliver to a private address?' });
    expect(await text(ask)).toMatch(/127\.0\.0\.1:\d+ is a loopback address/);
    expect(await setup.locator('summary').getByText('callback set').count(), 'saved before the confirmation').toBe(0);
    await ask.getByRole('button', { name: 'Deliver to this private address' }).click();
    await setup.locator('summary').getByText('callback set').waitFor();
    await setup.locator('summary').click(); // fold the header away again
    // Four of six steps through "Add files…" (the native dialog answers with these paths).
    const set = evidenceSet(1);
    queueDialogPaths(
      ...(await writeFixtures({
        'settlement.json': set.files['settlement.json'],
        'credit-ledger.json': set.files['credit-ledger.json'],
        'work-order.json': set.files['work-order.json'],
        'deliverable-1.md': set.files['deliverable-1.md'],
      })),
    );
    await page.getByRole('button', { name: 'Add files…' }).focus();
    await page.keyboard.press('Enter');
    for (const n of [1, 3, 4, 6]) await waitStepStatus(page, n, 'Satisfied');
    // Focus returns to the button the operator pressed.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Add files…');
    await waitStepStatus(page, 2, 'Missing');
    await waitStepStatus(page, 5, 'Missing');

    await packageAndSign(page);
    const ticket = page.getByTestId('exception-ticket');
    await ticket.waitFor();
    const ticketText = await text(ticket);
    expect(ticketText).toContain('Evidence gap');
    expect(ticketText).toContain('Waiting on requesting agent');
    const missing = await page.getByTestId('missing-items').locator('li').allInnerTexts();
    expect(missing.join(' | ')).toMatch(/payment request/i);
    expect(missing.join(' | ')).toMatch(/usage receipt/i);
    expect(await page.getByTestId('bundle-path').count()).toBe(0);
    await page.getByRole('heading', { name: 'Exception tickets' }).waitFor();
    await screenshot(page, 'exception-ticket', { fullHeight: 1250 });

    // Supply what is missing: the payment request by paste, the usage receipt by drop.
    await pasteEvidence(page, 2, set.files['payment-request.json'].toString());
    await waitStepStatus(page, 2, 'Satisfied');
    await dropFiles(page, [
      { name: 'usage-receipt.json', content: set.files['usage-receipt.json'], type: 'application/json' },
    ]);
    await waitStepStatus(page, 5, 'Satisfied');
    await page.getByRole('button', { name: 'Replay' }).waitFor();
    await screenshot(page, 'exception-replay', { fullHeight: 1250 });

    await page.getByRole('button', { name: 'Replay' }).click();
    const path = await bundlePath(page);
    expect(path).toMatch(/\.zip$/);
    await page.locator('.topbar .badge', { hasText: 'Packaged' }).waitFor();
    expect(await text(page.locator('section[aria-labelledby="exceptions-title"] tbody'))).toContain('Resolved');

    // The result travels back: the callback reaches the requesting agent, signed (Standard Webhooks headers).
    await page.getByRole('button', { name: 'Send callback' }).click();
    await page
      .getByText(/^Callback delivered/)
      .first()
      .waitFor();
    expect(receiver.received.length).toBeGreaterThan(0);
    expect(receiver.received[0].headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(receiver.received[0].body).run_id).toBeTruthy();
    await receiver.close();
  }, 90_000);

  it('shows a secret with its file, rule and line, blocks packaging, and unblocks once the file is excluded', async () => {
    const { page, dispatch, queueDialogPaths } = await start();
    const view = await seedRun(session!, 1, {
      title: 'Run with a leaked key',
      extra: { [SECRET_FILE_NAME]: SECRET_FILE, 'agent.env': AWS_KEY_FILE, 'chart.bin': BINARY_FILE },
    });
    await openRunFromList(session!, 'Run with a leaked key');

    const panel = page.getByRole('region', { name: 'Secrets found' });
    await panel.waitFor();
    expect(await panel.locator('.secret-file').count()).toBe(3);
    const finding = await text(panel.locator('.secret-file', { hasText: SECRET_FILE_NAME }));
    expect(finding).toContain(SECRET_FILE_NAME);
    expect(finding).toMatch(/private-key/);
    const row = panel.locator('.secret-file', { hasText: SECRET_FILE_NAME }).locator('table.findings tbody tr').first();
    expect(await text(row.locator('td').nth(1))).toMatch(/^2\b/);
    expect(finding).not.toContain('MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun');
    expect(await page.locator('.score-card .deliverable').innerText()).toBe('Not ready for delivery yet');
    await screenshot(page, 'secrets');

    // Packaging is refused while the secret is there.
    await packageAndSign(page);
    const ticket = page.getByTestId('exception-ticket');
    await ticket.waitFor();
    expect(await text(ticket)).toContain('Secret found');
    expect(await page.getByTestId('bundle-path').count()).toBe(0);
    const still = (await dispatch('runs.get', { run_id: view.run.run_id })) as RunView;
    expect(still.run.outputs?.bundle).toBeUndefined();

    // The three ways out: replace the AWS-key file with a clean copy, attest the binary, exclude the key file.
    queueDialogPaths(...(await writeFixtures({ 'agent.env': Buffer.from('REGION=eu-west-1\nRETRIES=3\n') })));
    await panel.getByRole('button', { name: 'Replace agent.env…' }).click();
    await panel.locator('.secret-file', { hasText: 'agent.env' }).waitFor({ state: 'detached' });
    await panel.getByRole('button', { name: 'Attest no secrets in chart.bin' }).click();
    await panel.getByLabel('Attested by (your name)').fill('Operator Jane Doe');
    await panel.getByRole('button', { name: 'Confirm attestation' }).click();
    await panel.locator('.secret-file', { hasText: 'chart.bin' }).waitFor({ state: 'detached' });
    await panel.getByRole('button', { name: `Exclude file ${SECRET_FILE_NAME}` }).click();
    await panel.getByLabel('Reason for excluding').fill('Holds a private key; the deliverable does not need it.');
    await panel.getByRole('button', { name: 'Confirm exclude' }).click();
    await panel.waitFor({ state: 'detached' });
    await scoreIs(page, 100, 'sufficient');
    const saveTo = join(await mkdtemp(join(tmpdir(), 'tokenops-e2e-save-')), 'clean.zip');
    queueDialogPaths(saveTo);
    await packageAndSign(page);
    expect(await bundlePath(page)).toBe(saveTo);
  }, 90_000);

  it('redacts a leaked key in place and attests every unscannable file with one confirmation', async () => {
    const { page } = await start();
    const stripeKey = 'sk_' + 'live_' + 'Zq8mR2vT5wY9bC3dF6gH1jK4lN7pQ0sU';
    await seedRun(session!, 1, {
      title: 'Run with a key in the notes',
      extra: {
        'ops-notes.md': Buffer.from(`# Ops notes\n\nCharged with ${stripeKey} by mistake.\n`),
        'chart.bin': BINARY_FILE,
        'photo.bin': BINARY_FILE,
      },
    });
    await openRunFromList(session!, 'Run with a key in the notes');
    const panel = page.getByRole('region', { name: 'Secrets found' });
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Attest all 2 unscannable…' }).click();
    const names = await text(panel.locator('.attest-all-names'));
    expect(names).toContain('chart.bin');
    expect(names).toContain('photo.bin');
    await screenshot(page, 'secrets-redact-attest-all');
    await panel.getByLabel('Attested by (your name)').fill('Operator Jane Doe');
    await panel.getByRole('button', { name: 'Attest 2 files' }).click();
    await panel.locator('.secret-file', { hasText: 'chart.bin' }).waitFor({ state: 'detached' });
    expect(await panel.locator('.secret-file', { hasText: 'photo.bin' }).count()).toBe(0);
    await panel.getByRole('button', { name: 'Redact ops-notes.md: a copy with each finding masked' }).click();
    await panel.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(stripeKey);
  }, 90_000);

  it('fixes a wrong record from a file: a corrected copy supersedes it, and a record can be removed', async () => {
    const { page, queueDialogPaths } = await start();
    const set = evidenceSet(7, 'Run with a wrong receipt');
    const receipt = JSON.parse(set.files['usage-receipt.json'].toString('utf8'));
    await seedRun(session!, 7, {
      title: set.title,
      extra: { 'usage-receipt.json': json({ ...receipt, remaining_credits: receipt.remaining_credits - 1 }) },
    });
    await openRunFromList(session!, set.title);
    await waitStepStatus(page, 5, 'Inconsistent');

    queueDialogPaths(...(await writeFixtures({ 'usage-receipt-corrected.json': json(receipt) })));
    await page.getByRole('button', { name: 'Add files…' }).click();
    await waitStepStatus(page, 5, 'Satisfied');
    await scoreIs(page, 100, 'sufficient');
    // The notice sits bottom left: the Export column (the next action) stays clear.
    await page.getByTestId('toast-success').first().waitFor();
    const toast = await page.getByTestId('toast-success').first().boundingBox();
    const exportCard = await page.locator('.run-side').boundingBox();
    expect(toast!.x + toast!.width).toBeLessThanOrEqual(exportCard!.x);
    await screenshot(page, 'toast-placement', { keepToasts: true });
    const step = await openStep(page, 5);
    expect(await step.locator('.evidence-item.superseded').count()).toBe(1);
    expect(await text(step.locator('.evidence-item', { hasText: 'replaces an earlier copy' }))).toContain(
      receipt.receipt_id,
    );
    await screenshot(page, 'record-superseded');

    // Remove the correction: the old record counts again; remove that one too (it came from a file).
    await step
      .locator('.evidence-item:not(.superseded)')
      .getByRole('button', { name: /^Remove usage receipt/ })
      .click();
    await waitStepStatus(page, 5, 'Inconsistent');
    await step.getByRole('button', { name: /^Remove usage receipt/ }).click();
    await waitStepStatus(page, 5, 'Missing');
  }, 90_000);

  it('starts a run from a drop on the empty Runs screen, and walks it', async () => {
    const { page } = await start();
    await page.getByText('No runs yet').waitFor();
    expect(await text(page.locator('main'))).toMatch(
      /Drop a folder of evidence anywhere in this window to start a run/,
    );
    const set = evidenceSet(9);
    await dropFiles(
      page,
      Object.entries(set.files).map(([name, content]) => ({
        name,
        content,
        type: name.endsWith('.json') ? 'application/json' : 'text/markdown',
      })),
      'main',
      { hold: true },
    );
    await page.getByTestId('drop-overlay').getByText('Drop to start a run with this evidence').waitFor();
    await page.evaluate(() => (window as unknown as { __heldDrop: () => void }).__heldDrop());
    await page.getByRole('heading', { name: /^Evidence from .+ and 6 more$/ }).waitFor();
    for (const n of [1, 2, 3, 4, 5, 6]) await waitStepStatus(page, n, 'Satisfied');
    await scoreIs(page, 100, 'sufficient');
  }, 90_000);

  it('shows intake progress in the top bar and keeps Package disabled until the files are in', async () => {
    const { page, queueDialogPaths } = await start();
    await seedRun(session!, 12, { title: 'Run with a large export' });
    await openRunFromList(session!, 'Run with a large export');
    const big = Buffer.alloc(64 * 1024 * 1024, 'usage event from the runtime log, nothing secret here\n');
    queueDialogPaths(...(await writeFixtures({ 'runtime-log.txt': big })));
    const packageButton = page.getByRole('button', { name: 'Package & sign' });
    expect(await packageButton.isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Add files…' }).click();
    await page.locator('.topbar-busy', { hasText: 'Adding files' }).waitFor();
    expect(await packageButton.isDisabled()).toBe(true);
    await page.locator('.topbar-busy', { hasText: /copied|scanned/ }).waitFor();
    await page.locator('.topbar-busy', { hasText: 'Adding files' }).waitFor({ state: 'detached' });
    await page.waitForFunction(() => !(document.querySelector('.export-button') as HTMLButtonElement | null)?.disabled);
  }, 90_000);

  it('refuses a tampered bundle on the Verify screen and names the failing check', async () => {
    const { page } = await start();
    const view = await seedRun(session!, 1);
    const outcome = await packageViaServices(session!, view.run.run_id);
    expect(outcome.packaged).toBe(true);
    const zip = await readFile(outcome.bundle!.path);
    // Flip one byte inside a payload file (bundles are written STORE, so its bytes sit in the zip as-is).
    const marker = Buffer.from('public-safe summary');
    const at = zip.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(zip);
    tampered[at] ^= 0x20;

    await goTo(page, 'Verify');
    await dropFiles(
      page,
      [{ name: 'tampered-bundle.zip', content: tampered, type: 'application/zip' }],
      '[data-testid="verify-dropzone"]',
    );
    await page.getByText('Bundle refused').waitFor();
    const failed = page.locator('.verify-check[data-state="fail"]');
    expect(await failed.count()).toBeGreaterThan(0);
    const words = await text(failed.first());
    expect(words).toMatch(/failed/);
    expect(words.length).toBeGreaterThan(30);
    expect(await text(page.getByTestId('verify-result'))).toMatch(/\d check(s)? failed: /);
    await screenshot(page, 'verify-fail');

    // The untouched bundle still verifies (dropped the same way).
    await dropFiles(
      page,
      [{ name: 'original-bundle.zip', content: zip, type: 'application/zip' }],
      '[data-testid="verify-dropzone"]',
    );
    await page.getByText('Bundle verified').waitFor();
  }, 90_000);

  it("renders the bundle's evidence report in Chromium: readable, printable, axe-clean, no requests", async () => {
    await start();
    const view = await seedRun(session!, 11, { title: 'Run with its report' });
    const outcome = await packageViaServices(session!, view.run.run_id);
    expect(outcome.packaged).toBe(true);
    const html = execFileSync('unzip', ['-p', outcome.bundle!.path, `tokenops-${view.run.run_id}/data/report.html`], {
      encoding: 'utf8',
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.setContent(html, { waitUntil: 'load' });
      expect(await page.title()).toBe('Evidence report · Run with its report');
      expect(await page.getByRole('img', { name: 'Evidence score 100 of 100' }).count()).toBe(1);
      expect(await page.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual([
        'The six evidence steps',
        'Cross-checks',
        'Settlement trail',
        'Usage receipt',
        'Open items',
        'Files',
        'Signature',
      ]);
      const result = await new AxeBuilder({ page }).analyze();
      expect(
        result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
      ).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'evidence-report.png'), fullPage: true });
      await page.setViewportSize({ width: 960, height: 600 });
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'evidence-report-960.png') });
    } finally {
      await context.close();
    }
  }, 90_000);

  it('has no serious or critical accessibility violations on any main screen, in light and dark', async () => {
    const { page } = await start();
    const s = session!;
    // A realistic home: packaged runs (credits over time), a partial run with a ticket, one with a secret, a draft.
    for (const n of [1, 2, 3]) {
      const v = await seedRun(s, n);
      expect((await packageViaServices(s, v.run.run_id)).packaged).toBe(true);
    }
    const partial = await seedRun(s, 4, {
      title: 'Research run 4 (waiting on receipt)',
      omit: ['usage-receipt.json', 'payment-request.json'],
    });
    await packageViaServices(s, partial.run.run_id);
    await seedRun(s, 5, { title: 'Research run 5 (leaked key)', extra: { [SECRET_FILE_NAME]: SECRET_FILE } });
    const ready = await seedRun(s, 6, { title: 'Research run 6 (ready)' });
    await s.dispatch('runs.setCallback', {
      run_id: ready.run.run_id,
      url: 'https://agent.example.com/hooks/tokenops',
      secret: WEBHOOK_SECRET,
    });
    await s.dispatch('runs.create', { title: 'Research run 7 (just opened)', pre_run: RUN_PRE });

    const failures: string[] = [];
    async function audit(label: string) {
      const result = await new AxeBuilder({ page }).analyze();
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          failures.push(
            `${label}: [${v.impact}] ${v.id} — ${v.help} — ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 4)
              .join(' | ')}`,
          );
        }
      }
    }

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await goTo(page, 'Runs');
      await page.getByRole('option').first().waitFor();
      await audit(`${scheme} runs`);
      if (scheme === 'light') await screenshot(page, 'runs-list');

      await page.getByRole('button', { name: 'New run' }).click();
      await page.getByRole('dialog', { name: 'New run' }).waitFor();
      await audit(`${scheme} new-run dialog`);
      await page.keyboard.press('Escape');

      await openRunFromList(s, 'Research run 4 (waiting on receipt)');
      await page.getByTestId('exception-ticket').waitFor();
      await audit(`${scheme} run (exception)`);
      await screenshot(page, `run-${scheme}`, { fullHeight: 1400 });

      await openRunFromList(s, 'Research run 5 (leaked key)');
      await page.getByRole('region', { name: 'Secrets found' }).waitFor();
      await audit(`${scheme} run (secrets)`);

      await openRunFromList(s, 'Research run 1');
      await page.getByTestId('bundle-path').waitFor();
      await audit(`${scheme} run (packaged)`);
      const path = await bundlePath(page);

      await goTo(page, 'Verify');
      await s.queueDialogPaths(path);
      await page.getByRole('button', { name: 'Choose bundle…' }).click();
      await page.getByText('Bundle verified').waitFor();
      await audit(`${scheme} verify`);

      await goTo(page, 'Ledger');
      await page.getByText('Ledger intact').waitFor();
      await audit(`${scheme} ledger`);
      if (scheme === 'light') await screenshot(page, 'ledger');

      await goTo(page, 'Settings');
      await page.getByTestId('settings-fingerprint').waitFor();
      await audit(`${scheme} settings`);
      if (scheme === 'light') await screenshot(page, 'settings');
    }
    expect(failures).toEqual([]);

    // The minimum window (960×600): every main screen fits its width (nothing clipped or scrolled sideways).
    await page.setViewportSize({ width: 960, height: 600 });
    const overflow: string[] = [];
    async function fits(name: string) {
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('main, main *')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
          // Deliberate: a scrolling table, code, screen-reader-only text, and a long name cut with an ellipsis.
          .filter((el) => !el.closest('pre, code, .table-wrap, .visually-hidden'))
          .filter((el) => getComputedStyle(el).textOverflow !== 'ellipsis')
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`.slice(0, 80)),
      );
      if (wide.length) overflow.push(`${name}: ${wide.join(', ')}`);
      await screenshot(page, name);
    }
    const atMinimum = (name: string) => fits(`${name}-960`);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const suffix = scheme === 'dark' ? '-dark' : '';
      await goTo(page, 'Runs');
      await page.getByRole('option').first().waitFor();
      await atMinimum(`runs-list${suffix}`);
      await openRunFromList(s, 'Research run 4 (waiting on receipt)');
      await page.getByTestId('exception-ticket').waitFor();
      await atMinimum(`run${suffix}`);
      if (scheme === 'dark') continue;
      await goTo(page, 'Verify');
      await atMinimum('verify');
      await goTo(page, 'Ledger');
      await page.getByText('Ledger intact').waitFor();
      await atMinimum('ledger');
      await goTo(page, 'Settings');
      await page.getByTestId('settings-fingerprint').waitFor();
      await atMinimum('settings');
    }
    // A large monitor (1920×1080): the same screens, nothing scrolled sideways, looked at for stretched lines.
    await page.setViewportSize({ width: 1920, height: 1080 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const suffix = scheme === 'dark' ? '-dark' : '';
      await goTo(page, 'Runs');
      await page.getByRole('option').first().waitFor();
      await fits(`runs-list-1920${suffix}`);
      await openRunFromList(s, 'Research run 4 (waiting on receipt)');
      await page.getByTestId('exception-ticket').waitFor();
      await fits(`run-1920${suffix}`);
      if (scheme === 'dark') continue;
      await goTo(page, 'Verify');
      await fits('verify-1920');
    }
    expect(overflow).toEqual([]);
  }, 120_000);

  it('creates a run and opens it using only the keyboard', async () => {
    const { page } = await start();
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el
          ? `${el.tagName.toLowerCase()}|${el.getAttribute('role') ?? ''}|${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()}`
          : '';
      });
    async function tabTo(match: RegExp, max = 25, back = false) {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
        if (match.test(await focused())) return;
      }
      throw new Error(`Could not reach ${match} with the keyboard; focus is on ${await focused()}`);
    }

    // The skip link comes first.
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/Skip to content/);

    for (const title of ['Keyboard run A', 'Keyboard run B']) {
      await tabTo(/^button\|\|New run$/);
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'New run' }).waitFor();
      expect(await focused()).toMatch(/^input/); // focus starts in the Title field
      await page.keyboard.type(title);
      await page.keyboard.press('Tab');
      await page.keyboard.type('trust_kb_001');
      await page.keyboard.press('Enter'); // submits the form
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      // Focus moves to the new screen's heading.
      await page.waitForFunction(
        (t) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === t,
        title,
      );
      // Back to the run list through the main navigation.
      await tabTo(/^button\|\|Runs/, 40, true);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();
    }

    // Into the list with Tab, down one row with the arrow key (newest first, so B then A), open with Enter.
    await page.getByText('2 runs, newest first').waitFor();
    await tabTo(/^div\|listbox\|/);
    await page.keyboard.press('ArrowDown');
    const active = await page.getByRole('option', { selected: true }).innerText();
    expect(active).toContain('Keyboard run A');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Keyboard run A' }).waitFor();
    // The keyboard-made run carries what was typed.
    await page
      .locator('.run-setup summary')
      .getByText(/trust_kb_001/)
      .waitFor();

    // The menu's accelerators work in the page too, and the menu's hash navigation reaches every screen.
    await page.keyboard.press('Control+2');
    await page.getByRole('heading', { level: 1, name: 'Verify a bundle' }).waitFor();
    await page.keyboard.press('Control+3');
    await page.getByRole('heading', { level: 1, name: 'Ledger' }).waitFor();
    await page.evaluate(() => (location.hash = '#/settings'));
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.keyboard.press('Control+1');
    await page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('#/runs');

    // A reload comes back to the run the hash names.
    const runs = (await session!.dispatch('runs.list', { query: 'Keyboard run A' })) as {
      runs: Array<{ run_id: string }>;
    };
    await page.goto(`${server.url}#/runs/${runs.runs[0].run_id}`);
    await page.getByRole('heading', { level: 1, name: 'Keyboard run A' }).waitFor();
  }, 90_000);

  it('keeps the run list windowed, searchable and keyboard-navigable with thousands of runs', async () => {
    const { page } = await start();
    const n = Number(process.env.TOKENOPS_E2E_RUNS ?? 10_000);
    const create = session!.tokenops.handlers['runs.create'];
    for (let i = 0; i < n; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, n - i) }, (_, j) =>
          create({ title: `Bulk run ${String(i + j).padStart(5, '0')}` }),
        ),
      );
    }
    const t0 = performance.now();
    await goTo(page, 'Runs');
    await page.getByText(`${n.toLocaleString('en-US')} runs, newest first`).waitFor();
    const shownMs = performance.now() - t0;
    const inDom = await page.getByRole('option').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(80); // windowed: only the rows in view (plus a few) exist

    const list = page.getByRole('listbox');
    await list.focus();
    await page.keyboard.press('End');
    const last = page.getByRole('option', { selected: true });
    expect(await last.getAttribute('aria-posinset')).toBe(String(n));
    expect(await page.getByRole('option').count()).toBeLessThan(80);
    await page.keyboard.press('Home');
    expect(await page.getByRole('option', { selected: true }).getAttribute('aria-posinset')).toBe('1');

    // Frame times while scrolling, measured in the page: one scroll step per animation frame, the time
    // between frames recorded with performance.now(). Printed (issue 10's budget: p95 ≤ 20 ms), not asserted:
    // a loaded CI machine must not fail a test on speed. Chromium's own counters (CDP Performance) add
    // where the main thread spent each frame: script, style, layout. TOKENOPS_E2E_CPU_THROTTLE=4 slows the
    // page's CPU that many times, to see what a slower (or shared, busy) machine would get.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const throttle = Number(process.env.TOKENOPS_E2E_CPU_THROTTLE ?? 1);
    if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    const metrics = async () =>
      Object.fromEntries(
        (await cdp.send('Performance.getMetrics')).metrics.map((m): [string, number] => [m.name, m.value]),
      );
    const m0 = await metrics();
    const frames = await page.evaluate(async () => {
      const box = document.querySelector<HTMLElement>('[role="listbox"]')!;
      box.scrollTop = 0;
      const gaps: number[] = [];
      let last = await new Promise<number>((r) => requestAnimationFrame(r));
      for (let i = 0; i < 240; i++) {
        box.scrollTop += i < 120 ? 480 : -480;
        const now = await new Promise<number>((r) => requestAnimationFrame(r));
        gaps.push(now - last);
        last = now;
      }
      gaps.sort((a, b) => a - b);
      const at = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))]!;
      return { frames: gaps.length, p50: at(0.5), p95: at(0.95), max: gaps[gaps.length - 1]! };
    });
    const m1 = await metrics();
    if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
    expect(frames.frames).toBe(240);
    const perFrame = (name: string) => (((m1[name] ?? 0) - (m0[name] ?? 0)) * 1000) / frames.frames;
    console.log(
      `runs list, ${n.toLocaleString('en-US')} runs: shown in ${Math.round(shownMs)} ms; scroll frames p50 ${frames.p50.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms (${frames.frames} frames, goal p95 ≤ 20 ms${throttle > 1 ? `, CPU throttled ${throttle}×` : ''}); ` +
        `main thread per frame: script ${perFrame('ScriptDuration').toFixed(2)} ms, style ${perFrame('RecalcStyleDuration').toFixed(2)} ms, layout ${perFrame('LayoutDuration').toFixed(2)} ms, all tasks ${perFrame('TaskDuration').toFixed(2)} ms`,
    );

    // Another visit, and the window regaining focus, move no rows when no run changed; a new run does.
    const lists = () => session!.channelCalls.filter((c) => c === 'runs.list').length;
    const before = lists();
    await goTo(page, 'Settings');
    await goTo(page, 'Runs');
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => session!.channelCalls.filter((c) => c === 'runs.revision').length).toBeGreaterThan(1);
    expect(lists(), 'the unchanged list was loaded again').toBe(before);
    await create({ title: 'One more run' });
    await goTo(page, 'Settings');
    await goTo(page, 'Runs');
    await page.getByText(`${(n + 1).toLocaleString('en-US')} runs, newest first`).waitFor();
    expect(lists()).toBe(before + 1);

    await page.getByRole('searchbox', { name: 'Search runs' }).fill('Bulk run 00042');
    // Never "10,001 of 10,001 match" over the unfiltered rows while the search is on its way.
    const status = page.getByRole('heading', { level: 1, name: 'Runs' }).locator('xpath=following-sibling::p');
    expect(await text(status)).toMatch(new RegExp(`^(Searching…|1 of ${(n + 1).toLocaleString('en-US')} runs match)$`));
    await page.getByText(`1 of ${(n + 1).toLocaleString('en-US')} runs match`, { exact: true }).waitFor();
    await page.keyboard.press('ArrowDown'); // from the search box into the list
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Bulk run 00042' }).waitFor();
  }, 120_000);
  it('maps the columns of a CSV export with unknown headers, and the file reads as a credit ledger', async () => {
    const { page, queueDialogPaths } = await start();
    await createRunViaDialog(page, 'German ledger run', { credit: RUN_PRE.credit_entitlement_id });
    const german = `${germanLedgerCsv(RUN_PRE.credit_entitlement_id)}\n`;
    queueDialogPaths(...(await writeFixtures({ 'kontoauszug.csv': Buffer.from(german) })));
    await page.getByRole('button', { name: 'Add files…' }).click();
    const files = await openStep(page, 6);
    const row = files.locator('.file-row', { hasText: 'kontoauszug.csv' });
    await row.getByText(/^CSV headers not recognised/).waitFor();
    await waitStepStatus(page, 3, 'Missing');
    expect(await text(stepRegion(page, 6).locator('.step-toggle .badge'))).not.toBe('Satisfied');

    await row.getByRole('button', { name: 'Map columns…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Map columns of kontoauszug.csv' });
    // The preview shows the file's own headers and first row.
    const preview = dialog.getByRole('table');
    await preview.getByRole('columnheader', { name: 'Saldo nach Buchung' }).waitFor();
    expect(await text(preview.locator('tbody'))).toContain('stl_demo_20260602_001');
    expect(await dialog.getByRole('radio', { name: /Credit ledger/ }).isChecked()).toBe(true);
    // Saving with required fields unmapped says which, in the dialog.
    await dialog.getByRole('button', { name: 'Save mapping' }).click();
    expect(await text(dialog.getByRole('alert'))).toMatch(/Choose the column that holds credit entitlement id/i);
    for (const [field, header] of Object.entries(GERMAN_LEDGER_MAPPING.columns)) {
      const label = field.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
      await dialog.getByRole('combobox', { name: label, exact: true }).selectOption(header);
    }
    await screenshot(page, 'csv-map-columns', { keepScroll: true });
    const axe = await new AxeBuilder({ page }).include('dialog[open]').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual(
      [],
    );
    await dialog.getByRole('button', { name: 'Save mapping' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The ledger step is satisfied now, and so is the files step, which folds away as the walk does:
    // focus goes to its header, the row and its button being gone with it.
    await waitStepStatus(page, 3, 'Satisfied');
    await waitStepStatus(page, 6, 'Satisfied');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('#step-head-files') !== null))
      .toBe(true);
    await openStep(page, 6);
    await row.getByText('Read as credit ledger entry').waitFor();
    expect(await row.locator('.file-problem').count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Map columns…' }).count()).toBe(0);
    const remembered = JSON.parse(await readFile(join(session!.home, 'csv-mappings.json'), 'utf8'));
    expect(Object.values(remembered.mappings)).toEqual([GERMAN_LEDGER_MAPPING]);
  });

  it('pages a step of 20,000 records and a check failing on each, instead of rendering them all', async () => {
    const { page, queueDialogPaths } = await start();
    await createRunViaDialog(page, 'Whole-account ledger export', { credit: RUN_PRE.credit_entitlement_id });
    // An operator's export of the whole account: every row belongs to another entitlement.
    const rows = Array.from({ length: 20_000 }, (_, i) => `cle_acct_${i},cred_other_${i % 7},debit,1,${90_000 - i}`);
    const csv = `entry_id,credit_entitlement_id,entry_type,credits,balance\n${rows.join('\n')}\n`;
    queueDialogPaths(...(await writeFixtures({ 'account-ledger.csv': Buffer.from(csv) })));
    await page.getByRole('button', { name: 'Add files…' }).click();
    await waitStepStatus(page, 3, 'Inconsistent');
    const ledger = await openStep(page, 3);
    expect(await ledger.locator('.evidence-list > li').count()).toBe(50);
    expect(await ledger.locator('.step-problems li').count()).toBe(20);
    const more = ledger.getByRole('button', { name: 'Show 500 more records (19,950 not shown)' });
    await more.scrollIntoViewIfNeeded();
    await screenshot(page, 'large-ledger-paged', { keepScroll: true });
    await more.click();
    expect(await ledger.locator('.evidence-list > li').count()).toBe(550);
    await ledger.getByRole('button', { name: 'Show 500 more records (19,450 not shown)' }).waitFor();
    expect(await ledger.getByRole('button', { name: /^Show 500 more problems \(19,980 not shown\)$/ }).count()).toBe(1);
    // The failing check's detail is cut at a sentence, the rest a click away.
    const detail = page.locator('.check-fail .check-detail').first();
    await detail.getByRole('button', { name: /^Show the rest \([\d,]+ characters\)$/ }).waitFor();
    expect((await text(detail)).length).toBeLessThan(1400);
    await detail.scrollIntoViewIfNeeded();
    await screenshot(page, 'large-ledger-check-detail', { keepScroll: true });
  });
});
