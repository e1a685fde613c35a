import { test, expect, type BrowserContext } from '@playwright/test';
import { PASSWORD, invite, signUp, uniqueUser } from './helpers';

// Read-only pages must render their data on the server, without JavaScript.
test.describe('without JavaScript', () => {
  const owner = uniqueUser('nojs');
  const invitee = uniqueUser('invitee');
  let storageState: Awaited<ReturnType<BrowserContext['storageState']>>;

  test.beforeAll(async ({ browser }) => {
    // Sign in with JavaScript on, then reuse the cookies with JavaScript off.
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, owner);
    await page.goto('/settings/members');
    await invite(page, invitee.email);
    storageState = await context.storageState();
    await context.close();
  });

  test('dashboard and members render their data', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, storageState });
    try {
      const page = await context.newPage();
      const res = await page.goto('/');
      expect(res?.status()).toBe(200);
      await expect(page.getByTestId('dashboard-org-name')).toHaveText(owner.organization);
      await expect(page.getByTestId('header-org')).toHaveText(owner.organization);
      await expect(page.getByTestId('dashboard-member-count')).toHaveText('1');
      await expect(page.getByTestId('usage-list')).toBeVisible();

      await page.goto('/settings/members');
      await expect(page.locator(`tr[data-email="${owner.email}"]`)).toBeVisible();
      await expect(page.locator(`[data-testid="invitation-row"][data-email="${invitee.email}"]`)).toBeVisible();
      await expect(page.getByTestId('settings-tab-members')).toHaveAttribute('aria-current', 'page');
    } finally {
      await context.close();
    }
  });

  test('signed-out visit to /settings redirects to /login', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto('/settings');
      await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
      await expect(page.locator('#login-email')).toBeVisible();
    } finally {
      await context.close();
    }
  });

  test('the login form works as a plain HTML post', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto('/login?next=%2Fsettings%2Fmembers');
      await page.locator('#login-email').fill(owner.email);
      await page.locator('#login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
      await expect(page).toHaveURL(/\/settings\/members$/);
      await expect(page.locator(`tr[data-email="${owner.email}"]`)).toBeVisible();
    } finally {
      await context.close();
    }
  });
});
