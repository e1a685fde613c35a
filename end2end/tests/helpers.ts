import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'correct-horse-battery-9';

/** A unique identity per run, so tests never collide with earlier data. */
export function uniqueUser(prefix: string) {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return {
    email: `${prefix}-${id}@example.com`,
    fullName: `${prefix[0].toUpperCase()}${prefix.slice(1)} ${id}`,
    organization: `Org ${id}`,
  };
}

/** Waits until the wasm bundle has hydrated the page (the app marks <body data-hydrated>). */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

export async function signUp(page: Page, user: ReturnType<typeof uniqueUser>) {
  await page.goto('/signup');
  await hydrated(page);
  await page.locator('#signup-full-name').fill(user.fullName);
  await page.locator('#signup-email').fill(user.email);
  await page.locator('#signup-password').fill(PASSWORD);
  await page.locator('#signup-organization').fill(user.organization);
  await page.getByTestId('signup-submit').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('dashboard-org-name')).toHaveText(user.organization);
}

export async function invite(page: Page, email: string): Promise<string> {
  await page.locator('#invite-email').fill(email);
  await page.locator('#invite-role').selectOption('member');
  await page.getByTestId('invite-submit').click();
  const link = page.getByTestId('invite-link');
  await expect(link).toBeVisible();
  const value = await link.inputValue();
  expect(value).toMatch(/\/invite\?token=.+/);
  return value;
}
