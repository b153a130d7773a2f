import { expect, request, test } from '@playwright/test';
import { BASE_URL } from './playwright.config';
import { DEMO_PASSWORD, signIn, stamp } from './support';

test('a notification reaches an open workspace live, and opening it marks it read', async ({ page }) => {
  const title = `Rapat koordinasi ${stamp()}`;
  await signIn(page, 'auditor@makassarkota.go.id');
  const bell = page.getByTestId('notification-bell');
  await expect(bell).toHaveAccessibleName('Notifikasi');

  // The admin announces something to the staff of the whole government, through the API.
  const admin = await request.newContext({ baseURL: BASE_URL });
  const login = await admin.post('/api/v1/auth/login', { data: { login: 'admin@makassarkota.go.id', password: DEMO_PASSWORD } });
  expect(login.status()).toBe(200);
  const { csrfToken } = await login.json();
  const units = await (await admin.get('/api/v1/admin/units')).json();
  const root = units.items.find((u: { parentId: string | null }) => u.parentId === null);
  const sent = await admin.post('/api/v1/admin/announcements', {
    headers: { 'x-csrf-token': csrfToken },
    data: { unitId: root.id, title, body: 'Besok pukul 09.00 WITA di Balai Kota.', link: '/admin/audit' },
  });
  expect(sent.status()).toBe(201);
  await admin.dispose();

  // No reload: the event stream updates the count and screen readers hear about it.
  await expect(bell).toHaveAccessibleName('Notifikasi, 1 belum dibaca');
  await expect(page.getByRole('status').filter({ hasText: `Notifikasi baru: ${title}` })).toBeAttached();

  await bell.click();
  await page.getByRole('button', { name: new RegExp(title) }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(bell).toHaveAccessibleName('Notifikasi');
});
