import { test, expect } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hydrated, signUp, uniqueUser } from './helpers';

// A local stand-in for Stripe's documented REST API: account, and one page of customers and charges.
function fakeStripe(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Bearer sk_test_e2e') {
      return send(401, { error: { message: 'Invalid API Key provided: sk_test_****', type: 'invalid_request_error' } });
    }
    const path = (req.url ?? '').split('?')[0];
    if (path === '/v1/account') return send(200, { id: 'acct_e2e', object: 'account', business_profile: { name: 'E2E Shop' } });
    if (path === '/v1/customers') {
      return send(200, { object: 'list', has_more: false, data: [
        { id: 'cus_a', object: 'customer', email: 'ada@example.com', name: 'Ada', created: 1700000000 },
      ] });
    }
    if (path === '/v1/charges') {
      return send(200, { object: 'list', has_more: false, data: [
        { id: 'ch_a', object: 'charge', amount: 4200, currency: 'usd', customer: 'cus_a', status: 'succeeded', created: 1700000100 },
      ] });
    }
    send(404, { error: { message: 'Unrecognized request URL' } });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('connect a platform from the Integrations page and sync it', async ({ page }) => {
  const stripe = await fakeStripe();
  const base = `http://127.0.0.1:${(stripe.address() as AddressInfo).port}`;
  try {
    await signUp(page, uniqueUser('integrator'));
    await page.getByTestId('nav-integrations').click();
    await expect(page).toHaveURL(/\/integrations$/);
    await hydrated(page);
    const card = page.getByTestId('platform-stripe');
    await expect(card.getByTestId('platform-status')).toHaveText('not connected');

    // A wrong key is refused with Stripe's own reason.
    await card.getByText('Connect', { exact: true }).click();
    await card.locator('#stripe-secret').fill('sk_test_wrong');
    await card.locator('#stripe-base').fill(base);
    await card.getByRole('button', { name: 'Test and connect' }).click();
    await expect(page.getByRole('alert').first()).toContainText('Invalid API Key provided');

    await card.locator('#stripe-secret').fill('sk_test_e2e');
    await card.getByRole('button', { name: 'Test and connect' }).click();
    await expect(card.getByTestId('platform-status')).toHaveText('connected');
    await expect(card).toContainText('E2E Shop');

    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect(card).toContainText('2 records synced');
    await expect(card).toContainText('last sync');

    await page.getByTestId('nav-customers').click();
    await expect(page.getByTestId('customers-total')).toHaveText('1 customer');
    await expect(page.getByTestId('customer-row')).toContainText('$42.00');
  } finally {
    stripe.close();
  }
});
