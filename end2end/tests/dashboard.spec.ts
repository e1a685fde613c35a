import { test, expect } from '@playwright/test';
import { hydrated, signUp, uniqueUser } from './helpers';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 19) + 'Z';

test('the dashboard fills itself in, without a reload, when data arrive', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
  });
  await signUp(page, uniqueUser('dashboard'));
  await hydrated(page);
  await expect(page.getByTestId('overview-empty')).toBeVisible();

  // Data arrive through the API (the same session); the open page updates itself.
  const orders = `order_id,email,amount,ordered_at\n1,ann@example.com,10.00,${daysAgo(2)}\n2,bob@example.com,20.00,${daysAgo(5)}\n`;
  const imported = await page.request.post('/api/ingest/orders', { headers: { 'content-type': 'text/csv' }, data: orders });
  expect(imported.status()).toBe(200);
  const performance = `platform,campaign_id,date,impressions,clicks,spend,conversions,revenue\nmeta_ads,c1,${daysAgo(1).slice(0, 10)},1000,20,50.00,2,100.00\n`;
  expect((await page.request.post('/api/ingest/performance', { headers: { 'content-type': 'text/csv' }, data: performance })).status()).toBe(200);

  await expect(page.getByTestId('tile-orders').getByTestId('tile-value')).toHaveText('2');
  await expect(page.getByTestId('tile-revenue').getByTestId('tile-value')).toHaveText('$30.00');
  await expect(page.getByTestId('tile-customers').getByTestId('tile-value')).toHaveText('2');
  await expect(page.getByTestId('performance-row')).toHaveCount(1);
  await expect(page.getByTestId('chart')).toHaveCount(3);

  // The revenue chart really has bars on it.
  const painted = await page.getByTestId('chart').first().evaluate((c: HTMLCanvasElement) => {
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let coloured = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] < 200 && px[i + 2] > 200) coloured++;
    return coloured;
  });
  expect(painted).toBeGreaterThan(100);
  expect(problems).toEqual([]);
});
