import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

test('the app is served and reports its tenant', async ({ page, request }) => {
  const tenant = await request.get('/api/v1/tenant');
  expect((await tenant.json()).name).toBe('Kota Makassar');
  await page.goto('/');
  await expect(page.locator('#root')).not.toBeEmpty();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Layanan publik Kota Makassar');
  await expect(page).toHaveTitle(/Kota Makassar/);
});

test('a government under /t/{slug}/ gets its own portal, API calls and deep links', async ({ page }) => {
  await page.goto('/t/tanjungpinang/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Layanan publik Kota Tanjungpinang');
  // The other government of the installation is offered, as a full link to its own site.
  await expect(page.getByRole('link', { name: 'Kota Makassar' })).toHaveAttribute('href', '/t/makassar/');
  await page.getByRole('link', { name: 'Masuk' }).first().click();
  await expect(page).toHaveURL(/\/t\/tanjungpinang\/masuk$/);
  // A deep link loads the SPA under the prefix too.
  await page.goto('/t/tanjungpinang/daftar');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Daftar akun warga');
});

test('unknown pages answer with a page, unknown API paths with a problem', async ({ page, request }) => {
  await page.goto('/tidak-ada');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Halaman tidak ditemukan');
  const api = await request.get('/api/v1/tidak-ada');
  expect(api.status()).toBe(404);
  expect(api.headers()['content-type']).toContain('application/problem+json');
});

test('signed-out visitors of the workspace are sent to sign in and back', async ({ page }) => {
  await page.goto('/admin/units');
  await expect(page).toHaveURL(/\/masuk\?next=%2Fadmin%2Funits$/);
  await page.getByRole('textbox', { name: 'E-mail atau nomor HP' }).fill('admin@makassarkota.go.id');
  await page.getByRole('textbox', { name: 'Kata sandi', exact: true }).fill('balai2026');
  await page.getByRole('button', { name: 'Masuk', exact: true }).last().click();
  await expect(page).toHaveURL(/\/admin\/units$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unit organisasi');
});

test('wrong credentials show the server message and keep the form', async ({ page }) => {
  await page.goto('/masuk');
  await page.getByRole('textbox', { name: 'E-mail atau nomor HP' }).fill('tidak.terdaftar@example.com');
  await page.getByRole('textbox', { name: 'Kata sandi', exact: true }).fill('salah12345');
  await page.getByRole('button', { name: 'Masuk', exact: true }).last().click();
  await expect(page.getByRole('alert')).toContainText('E-mail/nomor HP atau kata sandi salah.');
  await expect(page).toHaveURL(/\/masuk$/);
});

test('both interface languages have the same keys', () => {
  const flat = (o: Record<string, unknown>, pre = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v as Record<string, unknown>, `${pre}${k}.`) : [`${pre}${k}`.replace(/_(one|other)$/, '')]));
  const read = (lng: string) => [...new Set(flat(JSON.parse(readFileSync(new URL(`../../web/src/locales/${lng}.json`, import.meta.url), 'utf8'))))].sort();
  expect(read('en')).toEqual(read('id'));
});
