import { test, expect } from '@playwright/test';
import { hydrated, signUp, uniqueUser } from './helpers';

const CUSTOMERS = 'email,name,created_at\nann@example.com,Ann,2026-01-01\nbob@example.com,Bob,2026-02-01\n';

test('walk the whole guided setup by keyboard and mouse, with an upload, and resume after a reload', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (/status of 422/.test(m.text())) return; // step validation answers, provoked below
    if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
  });
  await signUp(page, uniqueUser('onboarder'));
  await page.getByTestId('nav-onboarding').click();
  await expect(page).toHaveURL(/\/onboarding$/);
  await hydrated(page);
  const title = page.getByTestId('onboarding-title');
  await expect(title).toHaveText('Step 1 of 8: Business profile');

  // Step 1 validates before moving on.
  await page.getByTestId('onboarding-save').click();
  await expect(page.getByRole('alert').first()).toContainText('industry is required');
  await page.locator('#ob-industry').fill('Outdoor gear');
  await page.locator('#ob-size').selectOption('11-50');
  await page.locator('#ob-website').fill('https://outdoor.example');
  await page.locator('#ob-website').press('Enter'); // keyboard submit
  await expect(title).toHaveText('Step 2 of 8: Brand voice and tone');

  // A reload resumes where we are (progress lives on the server).
  await page.reload();
  await hydrated(page);
  await expect(title).toHaveText('Step 2 of 8: Brand voice and tone');
  await page.locator('#ob-voice').fill('Warm, practical, never pushy');
  await page.locator('#ob-tone').selectOption('friendly');
  await page.getByTestId('onboarding-save').click();
  await expect(title).toHaveText('Step 3 of 8: Goals and KPIs');
  await page.locator('#ob-goal-retain_customers').check();
  await page.locator('#ob-kpi').selectOption('retention_rate');
  await page.getByTestId('onboarding-save').click();
  await expect(title).toHaveText('Step 4 of 8: Connect platforms');
  await page.getByTestId('onboarding-skip').click();
  await expect(title).toHaveText('Step 5 of 8: Import customers');
  await expect(page.getByTestId('step-4')).toHaveAttribute('data-status', 'skipped');

  // Step 5: upload a file on the Imports page, come back, continue.
  await page.getByTestId('ob-customers').getByRole('link', { name: 'Import a file' }).click();
  await hydrated(page);
  await page.getByTestId('import-kind').selectOption('customers');
  await page.getByTestId('import-file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(CUSTOMERS) });
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('summary-inserted')).toHaveText('2');
  await page.getByTestId('nav-onboarding').click();
  await expect(title).toHaveText('Step 5 of 8: Import customers');
  await expect(page.getByTestId('ob-customers')).toContainText('2 customers');
  await page.getByTestId('onboarding-save').click();

  await expect(title).toHaveText('Step 6 of 8: Consent and data retention');
  await page.locator('#ob-basis').selectOption('opt_in');
  await page.locator('#ob-retention').fill('365');
  await page.getByTestId('onboarding-save').click();
  await expect(title).toHaveText('Step 7 of 8: Activate EYES');
  await expect(page.getByTestId('ob-readiness')).toContainText('2 customers');
  // Two customers are too few for EYES: saving says what is missing; skipping moves on.
  await page.getByTestId('onboarding-save').click();
  await expect(page.getByRole('alert').first()).toContainText('Not enough data for EYES yet');
  await expect(title).toHaveText('Step 7 of 8: Activate EYES');
  await page.getByTestId('onboarding-skip').click();
  await expect(title).toHaveText('Step 8 of 8: First campaign brief');
  await page.locator('#ob-name').fill('Spring win-back');
  await page.locator('#ob-objective').selectOption('win_back');
  await page.locator('#ob-audience').fill('Customers quiet for 90 days');
  await page.locator('#ob-budget').fill('1500');
  await page.getByTestId('onboarding-save').click();
  await expect(page.getByTestId('step-8')).toHaveAttribute('data-status', 'done');

  // Revisit an earlier step: its answers are there.
  await page.getByTestId('step-1').click();
  await expect(title).toHaveText('Step 1 of 8: Business profile');
  await expect(page.locator('#ob-industry')).toHaveValue('Outdoor gear');

  await page.getByTestId('onboarding-finish').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('tile-customers').getByTestId('tile-value')).toHaveText('2');
  expect(problems).toEqual([]);
});
