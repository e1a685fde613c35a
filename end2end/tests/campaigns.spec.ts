import { test, expect } from '@playwright/test';
import { hydrated, signUp, uniqueUser } from './helpers';

/** A day `offset` days from today, YYYY-MM-DD (UTC, as the server counts). */
function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

test('a campaign gets a strategy, a calendar slot becomes content scored live, and the piece is approved', async ({ page }) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The one 422 is the validation answer this walk provokes on purpose (no platform chosen).
    if (/status of 422/.test(m.text())) return;
    if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
  });
  await signUp(page, uniqueUser('campaign'));

  // Plan the campaign.
  await page.getByTestId('nav-campaigns').click();
  await expect(page).toHaveURL(/\/campaigns$/);
  await hydrated(page);
  await expect(page.getByTestId('campaigns-empty')).toBeVisible();
  const form = page.getByTestId('campaign-form-new');
  await form.locator('#new-name').fill('Spring cold brew');
  await form.getByTestId('campaign-objective').selectOption('sales');
  await form.locator('#new-budget').fill('3000');
  await form.locator('#new-starts').fill(day(1));
  await form.locator('#new-ends').fill(day(28));
  // No platform chosen: the server says so next to the platforms.
  await page.getByTestId('campaign-save-new').click();
  await expect(page.getByTestId('platforms-error')).toContainText('at least one platform');
  await form.getByTestId('platform-instagram').check();
  await form.getByTestId('platform-email').check();
  await page.getByTestId('campaign-save-new').click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]+$/);
  await expect(page.getByTestId('campaign-title')).toHaveText('Spring cold brew');
  await expect(page.getByTestId('strategy-empty')).toBeVisible();

  // The strategy is written in the background; the page follows it.
  await hydrated(page);
  await page.getByTestId('strategy-generate').click();
  await expect(page.getByTestId('strategy-summary')).toContainText('Spring cold brew', { timeout: 30_000 });
  await expect(page.getByTestId('strategy-engine')).toContainText('built-in engine');
  await expect(page.getByTestId('strategy-channel')).toHaveCount(2);
  await expect(page.getByTestId('strategy-budget-basis')).toContainText('Even split');
  const slots = page.getByTestId('calendar-slot');
  expect(await slots.count()).toBeGreaterThan(5);

  // A refresh keeps the strategy (it is stored, not held by the page).
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('strategy-summary')).toContainText('Spring cold brew');

  // Write the first Instagram slot.
  await page.getByTestId('calendar-slot').filter({ hasText: 'Instagram' }).first().getByTestId('slot-write').click();
  await expect(page.getByTestId('campaign-piece')).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('campaign-piece').locator('a').click();
  await expect(page).toHaveURL(/\/content\/[0-9a-f-]+$/);
  await hydrated(page);
  await expect(page.getByTestId('editor-engine')).toContainText('built-in engine');

  // The AIDA score follows the copy as it is typed.
  const overall = page.getByTestId('aida-overall');
  const action = page.getByTestId('aida-action');
  await page.getByTestId('editor-body').fill('We sell coffee.');
  await expect(overall).not.toHaveText('');
  const weakOverall = Number(await overall.textContent());
  const weakAction = Number(await action.textContent());
  await page
    .getByTestId('editor-body')
    .fill('Tired of slow mornings? Our 5-minute cold brew kit saves you 20 minutes a day. Trusted by 12,000 customers. Order today, 20% off ends Sunday. Shop now.');
  await expect.poll(async () => Number(await overall.textContent())).toBeGreaterThan(weakOverall + 20);
  expect(Number(await action.textContent())).toBeGreaterThan(weakAction);

  // Save as a new version, then take it through review.
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('editor-version')).toHaveText('version 2');
  await expect(page.getByTestId('editor-version-row')).toHaveCount(2);
  await page.getByTestId('status-in_review').click();
  await expect(page.getByTestId('status-badge').first()).toHaveText('In review');
  await page.getByTestId('status-approved').click();
  await expect(page.getByTestId('status-badge').first()).toHaveText('Approved');
  // OmniFy says it cannot publish to Instagram and offers copy and download instead.
  await expect(page.getByTestId('publishing-message')).toContainText('cannot publish to Instagram');
  await expect(page.getByTestId('export-txt')).toBeVisible();

  // The approved piece sits on its day in the content calendar, in the week and month views.
  const slotDay = await page.getByTestId('editor-day').inputValue();
  expect(slotDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await page.goto(`/content?view=week&date=${slotDay}`);
  await hydrated(page);
  await expect(page.locator(`[data-testid="calendar-day"][data-day="${slotDay}"]`).getByTestId('content-chip')).toHaveCount(1);
  await page.getByTestId('calendar-month').click();
  await expect(page.locator(`[data-testid="calendar-day"][data-day="${slotDay}"]`).getByTestId('content-chip')).toHaveCount(1);

  // Every call is on the AI usage page, at no cost with the built-in engine.
  await page.goto('/settings/ai');
  await hydrated(page);
  await expect(page.getByTestId('ai-engine')).toContainText('built-in engine');
  await expect(page.getByTestId('ai-call')).toHaveCount(2);
  await expect(page.getByTestId('ai-spent')).toHaveText('$0.00');

  expect(problems).toEqual([]);
});
