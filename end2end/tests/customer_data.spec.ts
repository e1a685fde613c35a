import { test, expect } from '@playwright/test';
import { hydrated, signUp, uniqueUser } from './helpers';

// Column names as another tool would export them: the preview suggests the mapping.
const ORDERS = [
  'Order Number,E-mail,Total,Date',
  '1001,ann@example.com,120.50,2026-01-02',
  '1002,ann@example.com,30.00,2026-02-03',
  '1003,bob@example.com,15.25,2026-02-04',
  '1004,cy@example.com,twelve,2026-02-05',
].join('\n') + '\n';

test('import a file through the UI, browse the customers, erase one, set up webhooks', async ({ page }) => {
  const owner = uniqueUser('importer');
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The 422 is the server refusing the unconfirmed erasure below, which the test provokes.
    if (/status of 422/.test(m.text())) return;
    if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
  });
  await signUp(page, owner);

  // Imports: choose the kind, pick the file, check the suggested mapping, import.
  await page.getByTestId('nav-imports').click();
  await expect(page).toHaveURL(/\/imports$/);
  await hydrated(page);
  await page.getByTestId('import-kind').selectOption('orders');
  await page.getByTestId('import-file').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(ORDERS) });
  await expect(page.getByTestId('chosen-file')).toHaveText('orders.csv');
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await expect(page.getByTestId('map-order_id')).toHaveValue('Order Number');
  await expect(page.getByTestId('map-email')).toHaveValue('E-mail');
  await expect(page.getByTestId('map-amount')).toHaveValue('Total');
  await expect(page.getByTestId('map-ordered_at')).toHaveValue('Date');
  await expect(page.getByTestId('mapping-missing')).toHaveCount(0);
  await page.getByTestId('start-import').click();

  await expect(page.getByTestId('import-summary')).toBeVisible();
  await expect(page.getByTestId('summary-read')).toHaveText('4');
  await expect(page.getByTestId('summary-inserted')).toHaveText('3');
  await expect(page.getByTestId('summary-failed')).toHaveText('1');
  await expect(page.getByTestId('summary-errors')).toContainText('Line 5, amount');
  const report = await page.request.get(await page.getByTestId('error-report').getAttribute('href') as string);
  expect(report.status()).toBe(200);
  expect(await report.text()).toContain('5,amount,');
  await expect(page.getByTestId('import-row')).toHaveCount(1);

  // Customers: the orders brought two customers in; search finds Ann; her page has her orders.
  await page.getByTestId('nav-customers').click();
  await expect(page.getByTestId('customers-total')).toHaveText('2 customers');
  await page.getByTestId('customer-search').fill('ann@');
  await page.getByTestId('customer-search').press('Enter');
  await expect(page.getByTestId('customer-row')).toHaveCount(1);
  await page.getByTestId('customer-row').getByRole('link').click();
  await expect(page.getByTestId('customer-name')).toHaveText('ann@example.com');
  await expect(page.getByTestId('order-row')).toHaveCount(2);
  const exported = await page.request.get(await page.getByTestId('customer-export').getAttribute('href') as string);
  expect((await exported.json()).customer.orders).toHaveLength(2);

  // Erasure needs the typed confirmation, then removes her everywhere.
  await hydrated(page);
  await page.getByTestId('erase-customer').click();
  await expect(page.getByRole('alert')).toContainText('Type ERASE');
  await page.getByTestId('erase-confirm').fill('ERASE');
  await page.getByTestId('erase-customer').click();
  await expect(page).toHaveURL(/\/customers\?erased=1$/);
  await expect(page.getByTestId('customers-total')).toHaveText('1 customer');

  // Settings → Webhooks: create the signing secret; it is shown once.
  await page.goto('/settings/webhooks');
  await hydrated(page);
  await expect(page.getByTestId('webhook-endpoint')).toContainText('/api/webhooks/');
  await page.getByTestId('rotate-webhook-secret').click();
  await expect(page.getByTestId('webhook-secret')).toContainText('whsec_');
  await expect(page.getByTestId('webhook-status')).toContainText('Signing secret created');

  expect(problems).toEqual([]);
});
