import { expect, test } from '@playwright/test';

test('the app is served and reports its tenant', async ({ page, request }) => {
  const tenant = await request.get('/api/v1/tenant');
  expect((await tenant.json()).name).toBe('Kota Makassar');
  await page.goto('/');
  await expect(page.locator('#root')).not.toBeEmpty();
});
