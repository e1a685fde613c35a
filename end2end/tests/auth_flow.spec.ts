import { test, expect } from '@playwright/test';
import { PASSWORD, hydrated, invite, signUp, uniqueUser } from './helpers';

test('sign up, invite a teammate, log out and in again; the teammate joins', async ({ page, browser }) => {
  const owner = uniqueUser('owner');
  const teammate = uniqueUser('teammate');
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
  });

  // Sign up → dashboard with the organization's name.
  await signUp(page, owner);
  await expect(page.getByTestId('header-org')).toHaveText(owner.organization);
  await expect(page.getByTestId('nav-dashboard')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('dashboard-member-count')).toHaveText('1');

  // Settings → Members → invite a teammate and see the invitation link.
  await page.getByTestId('nav-settings').click();
  await expect(page).toHaveURL(/\/settings/);
  await page.getByTestId('settings-tab-members').click();
  await expect(page).toHaveURL(/\/settings\/members$/);
  await expect(page.locator(`tr[data-email="${owner.email}"]`)).toBeVisible();
  const inviteLink = await invite(page, teammate.email);
  await expect(page.locator(`[data-testid="invitation-row"][data-email="${teammate.email}"]`)).toBeVisible();

  // Log out → login page.
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId('signed-out')).toContainText('You have signed out');

  // Log in again → dashboard.
  await hydrated(page);
  await page.locator('#login-email').fill(owner.email);
  await page.locator('#login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('dashboard-org-name')).toHaveText(owner.organization);

  // The teammate accepts the invitation in a fresh browser context.
  const context = await browser.newContext();
  try {
    const other = await context.newPage();
    await other.goto(inviteLink);
    await hydrated(other);
    await other.locator('#invite-full-name').fill(teammate.fullName);
    await other.locator('#invite-password').fill(PASSWORD);
    await other.getByTestId('invite-submit').click();
    await expect(other).toHaveURL(/\/$/);
    await expect(other.getByTestId('dashboard-org-name')).toHaveText(owner.organization);
    await expect(other.getByTestId('header-user')).toHaveText(teammate.fullName);
    await expect(other.getByTestId('header-role')).toHaveText('Member');
  } finally {
    await context.close();
  }

  // The owner now sees two members, changes the teammate's role, then removes them.
  await page.goto('/settings/members');
  await hydrated(page);
  const row = page.locator(`tr[data-email="${teammate.email}"]`);
  await expect(row).toBeVisible();
  await row.locator('select').selectOption('viewer');
  await row.getByRole('button', { name: /^Save role/ }).click();
  await expect(row.locator('select')).toHaveValue('viewer');
  await expect(page.getByTestId('form-error')).toHaveCount(0);
  await row.getByRole('button', { name: /^Remove/ }).click();
  await expect(row).toHaveCount(0);
  await expect(page.locator(`tr[data-email="${owner.email}"]`)).toBeVisible();

  // No hydration mismatches or script errors along the way.
  expect(problems).toEqual([]);
});

test('a wrong password shows the server message inline', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.locator('#login-email').fill(`nobody-${Date.now()}@example.com`);
  await page.locator('#login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test('failed loads: slow-down message, fallback with Retry, and sign-in redirect', async ({ page }) => {
  const owner = uniqueUser('errors');
  await signUp(page, owner);
  await hydrated(page);

  const apiError = (status: number, error: string, message: string) => ({
    status,
    contentType: 'application/json',
    body: JSON.stringify({ error, message, field: null, details: null, request_id: null, timestamp: null }),
  });

  // 429 while loading members (client-side navigation fetches through the server function).
  await page.route('**/fn/list_members', (route) =>
    route.fulfill(apiError(429, 'rate_limited', 'Too many requests')),
  );
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-tab-members').click();
  await expect(page.getByTestId('error-rate-limited')).toContainText("You're going too fast");

  // 503 → fallback panel; Retry refetches once the server is back.
  await page.unroute('**/fn/list_members');
  await page.route('**/fn/list_members', (route) =>
    route.fulfill(apiError(503, 'service_unavailable', 'The database is unavailable')),
  );
  await page.getByTestId('settings-tab-profile').click();
  await page.getByTestId('settings-tab-members').click();
  const fallback = page.getByTestId('error-fallback');
  await expect(fallback).toBeVisible();
  await page.unroute('**/fn/list_members');
  await fallback.getByTestId('retry').click();
  await expect(page.locator(`tr[data-email="${owner.email}"]`)).toBeVisible();

  // 401 → the login page, coming back here afterwards.
  await page.route('**/fn/list_members', (route) =>
    route.fulfill(apiError(401, 'unauthenticated', 'Please sign in to continue')),
  );
  await page.getByTestId('settings-tab-profile').click();
  await page.getByTestId('settings-tab-members').click();
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fmembers$/);
});
