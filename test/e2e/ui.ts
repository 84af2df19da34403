/** Page helpers: how a person uses the app, by role and label. */
import type { Locator, Page } from 'playwright-core';

const STEP_TITLES = [
  'Settlement reference',
  'Payment request',
  'Credit ledger entry',
  'Work Order and task run',
  'Usage receipt',
  'Files or file manifest',
] as const;

export function stepRegion(page: Page, n: number): Locator {
  return page.getByRole('region', { name: `Step ${n}: ${STEP_TITLES[n - 1]}` });
}

export async function openStep(page: Page, n: number): Promise<Locator> {
  const region = stepRegion(page, n);
  const toggle = region.locator('.step-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await region.locator('.step-body').waitFor();
  return region;
}

export async function waitStepStatus(
  page: Page,
  n: number,
  status: 'Satisfied' | 'Missing' | 'Inconsistent',
): Promise<void> {
  await stepRegion(page, n).locator('.step-toggle .badge', { hasText: status }).waitFor();
}

export async function fillFields(scope: Locator, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) await scope.getByLabel(label, { exact: true }).fill(value);
}

export async function goTo(page: Page, screen: 'Runs' | 'Verify' | 'Ledger' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen, exact: true }).click();
}

/** "New run" → fill the dialog → "Create run"; resolves once the run screen shows it. */
export async function createRunViaDialog(
  page: Page,
  title: string,
  pre: { trust?: string; quote?: string; credit?: string } = {},
): Promise<void> {
  await goTo(page, 'Runs');
  await page.getByRole('button', { name: 'New run' }).click();
  const dialog = page.getByRole('dialog', { name: 'New run' });
  await dialog.getByLabel('Title', { exact: true }).fill(title);
  if (pre.trust) await dialog.getByLabel('Trust profile', { exact: true }).fill(pre.trust);
  if (pre.quote) await dialog.getByLabel('Quote', { exact: true }).fill(pre.quote);
  if (pre.credit) await dialog.getByLabel('Credit entitlement', { exact: true }).fill(pre.credit);
  await dialog.getByRole('button', { name: 'Create run' }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

export async function pasteEvidence(page: Page, step: number, text: string): Promise<void> {
  const region = await openStep(page, step);
  await region.getByRole('tab', { name: 'Paste JSON' }).click();
  await region.getByRole('textbox', { name: 'Evidence JSON' }).fill(text);
  await region.getByRole('button', { name: 'Add pasted evidence' }).click();
}

export async function packageAndSign(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Package & sign' }).click();
}

/** Waits for the signed bundle panel and returns the bundle's full path (the screen shows it shortened). */
export async function bundlePath(page: Page): Promise<string> {
  const code = page.getByTestId('bundle-path').locator('code');
  await code.waitFor({ timeout: 30_000 });
  return (await code.getAttribute('title')) ?? (await code.textContent())!.trim();
}

export async function scoreIs(page: Page, score: number, status: 'missing' | 'partial' | 'sufficient'): Promise<void> {
  await page.getByRole('img', { name: `Evidence score ${score} of 100, ${status}` }).waitFor();
}

/** Everything visible in an element, whitespace-normalised. */
export async function text(l: Locator): Promise<string> {
  return ((await l.innerText()) ?? '').replace(/\s+/g, ' ').trim();
}
