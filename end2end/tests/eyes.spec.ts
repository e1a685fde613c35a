import { test, expect } from '@playwright/test';
import { hydrated, signUp, uniqueUser } from './helpers';

/** Three unmistakable groups (as in server/tests/eyes.rs): frequent big spenders active across
 * channels, customers who bought twice long ago, and new customers with one small order. */
function groupedShop(): { orders: string; events: string } {
  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  let orders = 'order_id,email,amount,ordered_at\n';
  let events = 'email,event_type,occurred_at,channel,content_id\n';
  for (let i = 0; i < 60; i++) {
    for (let k = 0; k < 12; k++) orders += `v${i}-${k},vip${i}@shop.test,${380 + ((i * 7 + k) % 40)}.00,${at(5 + k * 25 + (i % 5))}\n`;
    for (let k = 0; k < 24; k++) events += `vip${i}@shop.test,page_view,${at(1 + k * 3 + (i % 3))},${['email', 'web', 'sms'][k % 3]},c${k % 6}\n`;
    orders += `l${i}-1,lapsed${i}@shop.test,${25 + (i % 10)}.00,${at(330 + (i % 20))}\n`;
    orders += `l${i}-2,lapsed${i}@shop.test,${30 + (i % 10)}.00,${at(300 + (i % 20))}\n`;
    orders += `n${i},new${i}@shop.test,${55 + (i % 10)}.00,${at(3 + (i % 6))}\n`;
    events += `new${i}@shop.test,page_view,${at(2 + (i % 4))},web,c0\n`;
  }
  return { orders, events };
}

test('EYES shows segments with their evidence, churn and value, and drills down to a segment and a customer', async ({ page }) => {
  test.setTimeout(180_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
  });
  await signUp(page, uniqueUser('eyes'));
  await page.goto('/eyes');
  await hydrated(page);
  await expect(page.getByTestId('eyes-empty')).toBeVisible();

  // The shop's data arrive; their arrival queues an analysis, which the open page follows.
  const shop = groupedShop();
  for (const [kind, body] of [['orders', shop.orders], ['events', shop.events]]) {
    const r = await page.request.post(`/api/ingest/${kind}`, { headers: { 'content-type': 'text/csv' }, data: body });
    expect(r.status()).toBe(200);
  }
  await page.getByTestId('eyes-analyze').click();
  await expect(page.getByTestId('eyes-computed')).toBeVisible({ timeout: 150_000 });

  await expect(page.getByTestId('eyes-algorithm')).toHaveCount(3);
  await expect(page.getByTestId('eyes-verdict')).toContainText('3 segments found');
  await expect(page.getByTestId('eyes-segment')).toHaveCount(3);
  await expect(page.getByTestId('eyes-churn-summary')).toContainText('held-out AUC');
  await expect(page.getByTestId('eyes-model-row').first()).toBeVisible();
  await expect(page.getByTestId('eyes-journeys').locator('li').first()).toBeVisible();

  // Every chart on the page is painted.
  const charts = page.getByTestId('chart');
  expect(await charts.count()).toBeGreaterThanOrEqual(3);
  for (const chart of await charts.all()) {
    const painted = await chart.evaluate((c: HTMLCanvasElement) => {
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < px.length; i += 4) if (!(px[i] > 240 && px[i + 1] > 240 && px[i + 2] > 240)) coloured++;
      return coloured;
    });
    expect(painted).toBeGreaterThan(20);
  }

  // Another horizon is a link.
  await page.getByRole('link', { name: '90d', exact: true }).click();
  await expect(page).toHaveURL(/h=90d/);
  await expect(page.getByTestId('eyes-churn-summary')).toContainText('90d');

  const segments = page.getByTestId('eyes-segment');
  {
    await expect(segments.first().getByTestId('eyes-segment-evidence').locator('li').first()).toBeVisible();
    const name = await segments.first().getByTestId('eyes-segment-name').innerText();
    await segments.first().getByTestId('eyes-segment-link').click();
    await expect(page.getByTestId('segment-title')).toHaveText(name);
    await expect(page.getByTestId('segment-customer').first()).toBeVisible();
    await page.getByTestId('campaign-type').selectOption('email');
    await page.getByTestId('campaign-create').click();
    await expect(page.getByTestId('campaign-created')).toContainText('Draft created');
    await page.getByTestId('segment-customer').first().getByRole('link').click();
  }
  // The customer's own scores and reasons.
  await expect(page.getByTestId('customer-eyes')).toBeVisible();
  await expect(page.getByTestId('customer-churn')).toContainText('Churn risk in 30 days');
  await expect(page.getByTestId('customer-churn-reasons').locator('li').first()).toBeVisible();
  expect(problems).toEqual([]);
});
