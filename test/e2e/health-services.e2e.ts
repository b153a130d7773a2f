import { fileURLToPath } from 'node:url';
import { expect, request, test } from '@playwright/test';
import { seriousViolations } from './healthSupport';
import { BASE_URL } from './playwright.config';
import { expectNoHorizontalScroll, signIn, workspaceNav } from './support';

const shots = `${process.env.TEST_RESULTS_DIR ?? fileURLToPath(new URL('../../test-results', import.meta.url))}/`;

/**
 * The head of Puskesmas Batua sets up a new poli: refused on the fields (a queue prefix already
 * taken, a session that ends before it starts), then added with Monday and Tuesday hours, its
 * walk-in share changed and the poli closed again; online registration switched off and on.
 */

test('a facility manager adds a poli, sets its hours and settings, and closes online registration', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, 'kapus.batua@makassarkota.go.id');
  await workspaceNav(page).getByRole('link', { name: 'Layanan, jam buka dan kuota' }).click();
  await expect(page).toHaveURL(/\/staf\/layanan-kesehatan$/);
  await expect(page.getByRole('heading', { name: 'Layanan, jam buka dan kuota' })).toBeVisible();
  await expect(page.getByTestId('service-card')).toHaveCount(6);
  const umum = page.getByTestId('service-card').filter({ hasText: 'Poli Umum' });
  await expect(umum).toContainText('08:00–12:00 (kuota 60)');

  // A new poli: the prefix A is the Poli Umum's.
  await page.getByTestId('service-add').click();
  const add = page.getByRole('dialog', { name: 'Tambah layanan' });
  await add.getByTestId('service-name').fill('Poli Mata');
  await add.getByTestId('service-code').fill('Poli Mata');
  await add.getByTestId('service-prefix').fill('a');
  await add.getByTestId('service-submit').click();
  await expect(add.getByText('Kode layanan huruf kecil, angka dan garis bawah')).toBeVisible();
  await add.getByTestId('service-code').fill('poli_mata');
  await add.getByTestId('service-submit').click();
  await expect(add.getByText('Awalan nomor antrean ini sudah dipakai layanan lain di fasilitas ini.')).toBeVisible();
  await add.getByTestId('service-prefix').fill('M');
  await add.getByTestId('service-share').fill('30');
  await add.getByTestId('service-submit').click();
  await expect(page.getByText('Poli Mata ditambahkan.')).toBeVisible();
  const mata = page.getByTestId('service-card').filter({ hasText: 'Poli Mata' });
  await expect(mata).toContainText('Antrean M');
  await expect(mata).toContainText('30% kuota untuk loket');

  // Its hours: Monday 08:00–12:00 and Tuesday two sessions, the second first wrong.
  await mata.getByTestId('service-hours').click();
  const hours = page.getByRole('dialog', { name: 'Jam buka Poli Mata' });
  const monday = hours.locator('[data-weekday="1"]');
  const tuesday = hours.locator('[data-weekday="2"]');
  await monday.getByTestId('session-add').click();
  await monday.getByTestId('session-quota').fill('15');
  await tuesday.getByTestId('session-add').click();
  await tuesday.getByTestId('session-add').click();
  await tuesday.getByTestId('session-closes').nth(1).fill('11:00');
  await hours.getByTestId('hours-submit').click();
  await expect(tuesday.getByText('Jam selesai harus setelah jam mulai.')).toBeVisible();
  await tuesday.getByTestId('session-opens').nth(1).fill('13:00');
  await tuesday.getByTestId('session-closes').nth(1).fill('15:00');
  await tuesday.getByTestId('session-quota').nth(1).fill('10');
  await page.screenshot({ path: `${shots}health-services-hours.png` });
  await hours.getByTestId('hours-submit').click();
  await expect(page.getByText('Jam buka Poli Mata disimpan.')).toBeVisible();
  await expect(mata).toContainText('08:00–12:00 (kuota 15)');
  await expect(mata).toContainText('08:00–12:00 (kuota 20) · 13:00–15:00 (kuota 10)');

  // Settings: a larger walk-in share, then the poli closed.
  await mata.getByTestId('service-edit').click();
  const edit = page.getByRole('dialog', { name: 'Pengaturan Poli Mata' });
  await expect(edit).toContainText('Kode poli_mata dan awalan antrean M tidak dapat diubah');
  await edit.getByTestId('service-share').fill('50');
  await edit.getByRole('switch', { name: 'Layanan dibuka' }).click();
  await edit.getByTestId('service-submit').click();
  await expect(page.getByText('Pengaturan Poli Mata disimpan.')).toBeVisible();
  await expect(mata.getByTestId('service-closed')).toBeVisible();
  await expect(mata).toContainText('50% kuota untuk loket');
  const anon = await request.newContext({ baseURL: BASE_URL });
  const facilities = (await (await anon.get('/api/v1/health/facilities')).json()).items as { id: string; name: string; onlineRegistration: boolean }[];
  const batua = facilities.find((f) => f.name === 'Puskesmas Batua')!;
  const publicServices = (await (await anon.get(`/api/v1/health/facilities/${batua.id}/services`)).json()).items as { code: string }[];
  expect(publicServices.map((s) => s.code)).not.toContain('poli_mata');

  // Online registration off (residents see it at once), then on again.
  await page.getByRole('switch', { name: 'Pendaftaran online dibuka' }).click();
  await expect(page.getByText('Pendaftaran online ditutup; pendaftaran hanya di loket.')).toBeVisible();
  const online = async () => ((await (await anon.get('/api/v1/health/facilities')).json()).items as { id: string; onlineRegistration: boolean }[]).find((f) => f.id === batua.id)!.onlineRegistration;
  expect(await online()).toBe(false);
  await page.getByRole('switch', { name: 'Pendaftaran online dibuka' }).click();
  await expect(page.getByText('Pendaftaran online dibuka.')).toBeVisible();
  expect(await online()).toBe(true);

  await page.screenshot({ path: `${shots}health-services.png`, fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(mata).toBeVisible();
  await expectNoHorizontalScroll(page);
  await anon.dispose();
});
