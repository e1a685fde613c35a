import { test, expect } from '@playwright/test';
import { hydrated, signUp, uniqueUser } from './helpers';

/** 30 days of two ad platforms, three campaigns each; the first Meta creative tires (clicks fall
 * off day by day, the same people see it more often), as in server/tests/campaigns_content.rs.
 * Meta rows carry daily reach; Google's leave it empty. */
function performanceCsv(): string {
  let csv = 'platform,campaign_id,campaign_name,creative_id,date,impressions,clicks,spend,conversions,revenue,reach\n';
  for (let d = 1; d <= 30; d++) {
    const day = new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
    const age = 30 - d;
    for (const [platform, k] of [['meta_ads', 1], ['google_ads', 2]] as const) {
      for (let c = 0; c < 3; c++) {
        const spend = 20 + ((d * 7 + c * 13) % 40) + 10 * k;
        const impressions = 800 + spend * 40 + c * 100;
        const clicks = platform === 'meta_ads' && c === 0 ? Math.max(60 - age * 2, 3) : 25 + Math.floor(spend / 3) + c * 2;
        const conversions = 1 + Math.floor(spend / (10 + c * 3));
        const revenue = spend * (2 + k + c) + (d % 5) * 3;
        const reach = platform !== 'meta_ads' ? '' : String(Math.floor((impressions * 10) / (c === 0 ? 10 + age : 12)));
        csv += `${platform},${platform}-c${c},Campaign ${c} on ${platform},${platform}-cr${c},${day},${impressions},${clicks},${spend}.00,${conversions},${revenue}.00,${reach}\n`;
      }
    }
  }
  return csv;
}

test('Brain scores copy live against the brand, repurposes it, and reads the ad performance', async ({ page }) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
  });
  await signUp(page, uniqueUser('brain'));
  // The brand avoids "cheap" (the guided setup's brand-voice step).
  const voice = await page.request.put('/api/onboarding/steps/2', { data: { voice: 'Warm and precise', tone: 'friendly', avoid: 'cheap' } });
  expect(voice.status()).toBe(200);

  // Creative: empty until there is copy, then scored on every keystroke.
  await page.getByTestId('nav-brain').click();
  await expect(page).toHaveURL(/\/brain$/);
  await hydrated(page);
  await expect(page.getByTestId('creative-empty')).toBeVisible();
  await page.getByTestId('creative-body').fill('We sell coffee products.');
  const overall = page.getByTestId('aida-overall');
  await expect(overall).toBeVisible();
  const weak = Number(await overall.getAttribute('data-score'));
  await page
    .getByTestId('creative-body')
    .fill('Tired of slow mornings? Our 5-minute espresso kit saves you 20 minutes a day. Trusted by 12,000 customers. Order today, 20% off ends Sunday. Shop now.');
  await expect.poll(async () => Number(await overall.getAttribute('data-score'))).toBeGreaterThan(weak + 30);
  await expect(page.getByTestId('compliance-status')).toHaveAttribute('data-compliant', 'true');
  await page.getByTestId('creative-body').fill('Cheap coffee, every morning. Shop now.');
  await expect(page.getByTestId('compliance-status')).toHaveAttribute('data-compliant', 'false');
  await expect(page.getByTestId('compliance-banned')).toContainText('cheap');
  // The AI review (the built-in engine here) rewrites without the banned word.
  await page.getByTestId('creative-ai-ask').click();
  await expect(page.getByTestId('creative-ai-engine')).toContainText('built-in engine');
  await expect(page.getByTestId('creative-ai-rewrite')).not.toContainText(/cheap/i);

  // Repurpose: one text, each platform within its limit.
  await page.getByTestId('brain-tab-repurpose').click();
  await hydrated(page);
  await page.getByTestId('repurpose-content').fill(
    'Our new cold brew concentrate is smooth, low in acid and ready in thirty seconds. ' +
      'Baristas spent a year getting the roast right for cold extraction. ' +
      'Mix one part concentrate with three parts milk or water over ice. '.repeat(6),
  );
  // Facebook, Instagram, LinkedIn and X are ticked to begin with; keep X, add SMS.
  for (const p of ['facebook', 'instagram', 'linkedin']) await page.getByTestId(`repurpose-platform-${p}`).uncheck();
  await page.getByTestId('repurpose-platform-x').check();
  await page.getByTestId('repurpose-platform-sms').check();
  await page.getByTestId('repurpose-submit').click();
  await expect(page.getByTestId('repurpose-variant')).toHaveCount(2);
  for (const platform of ['x', 'sms']) {
    await expect(page.locator(`[data-testid="repurpose-variant"] [data-platform="${platform}"]`)).toHaveCount(1);
  }
  await expect(page.getByTestId('variant-limits').first()).toHaveAttribute('data-within', 'true');
  await expect(page.getByTestId('variant-limits').nth(1)).toHaveAttribute('data-within', 'true');

  // Without ad performance the data pages say what to do.
  await page.getByTestId('brain-tab-performance').click();
  await expect(page.getByTestId('brain-empty')).toBeVisible();

  // With it: MEMORY, ORACLE, CURIOSITY and market benchmarks fill in.
  const r = await page.request.post('/api/ingest/performance', { headers: { 'content-type': 'text/csv' }, data: performanceCsv() });
  expect(r.status()).toBe(200);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('performance-roas')).toBeVisible();
  expect(await page.getByTestId('performance-insight').count()).toBeGreaterThan(0);

  await page.getByTestId('brain-tab-fatigue').click();
  await hydrated(page);
  await expect(page.getByTestId('fatigue-row')).toHaveCount(6);
  const tiring = page.locator('[data-testid="fatigue-row"]:not([data-stage="fresh"])').first();
  await expect(tiring).toContainText('meta_ads-cr0');
  // Daily frequency from the file's reach: about 1.1 views a day when new, about 3.8 lately.
  await expect(tiring.getByTestId('fatigue-frequency')).toHaveText(/^1\.\d → 3\.\d$/);
  await expect(tiring.getByTestId('fatigue-reasons')).toContainText('times a day');
  await expect(page.locator('[data-testid="fatigue-row"]', { hasText: 'google_ads-cr0' }).getByTestId('fatigue-frequency')).toHaveText('no reach reported');

  await page.getByTestId('brain-tab-budget').click();
  await hydrated(page);
  await page.getByTestId('budget-daily').fill('300');
  await page.getByTestId('budget-submit').click();
  await expect(page.getByTestId('budget-allocation')).toHaveCount(2);
  await expect(page.getByTestId('budget-expected')).toBeVisible();

  await page.getByTestId('brain-tab-market').click();
  await hydrated(page);
  await expect(page.getByTestId('market-platform')).toHaveCount(2);
  await expect(page.getByTestId('market-campaign')).toHaveCount(6);

  expect(problems).toEqual([]);
});
