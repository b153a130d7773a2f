import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { seriousViolations } from './healthSupport';
import { expectNoHorizontalScroll, signIn, stamp, workspaceNav } from './support';

const shots = `${process.env.TEST_RESULTS_DIR ?? fileURLToPath(new URL('../../test-results', import.meta.url))}/`;

/**
 * The drug catalogue tab of /staf/farmasi: the city's administrator adds a drug (a malformed code
 * and a taken one refused on the field), a doctor can prescribe it at once, then withdraws it;
 * a puskesmas pharmacist reads the catalogue without being able to change it.
 */
test('the catalogue keeper adds a drug and withdraws it; a pharmacist only reads the catalogue', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const code = `CET-${stamp().toUpperCase()}`;
  await signIn(page, 'admin@makassarkota.go.id');
  await workspaceNav(page).getByRole('link', { name: 'Farmasi: resep dan stok obat' }).click();
  await page.getByRole('tab', { name: 'Katalog obat' }).click();
  await expect(page).toHaveURL(/tab=katalog/);
  await expect(page.getByTestId('drug-row').filter({ hasText: 'Parasetamol 500 mg' })).toBeVisible();

  await page.getByTestId('drug-add').click();
  const add = page.getByRole('dialog', { name: 'Tambah obat' });
  await add.getByTestId('drug-code').fill('cet 10');
  await add.getByTestId('drug-name').fill('Setirizin 10 mg');
  await add.getByTestId('drug-unit').fill('tablet');
  await add.getByTestId('drug-submit').click();
  await expect(add.getByText('Kode obat huruf besar, angka dan tanda hubung')).toBeVisible();
  await add.getByTestId('drug-code').fill('PCT-500');
  await add.getByTestId('drug-submit').click();
  await expect(add.getByText('Kode obat ini sudah dipakai obat lain di katalog.')).toBeVisible();
  await add.getByTestId('drug-code').fill(code);
  await add.getByTestId('drug-submit').click();
  await expect(page.getByText('Setirizin 10 mg ditambahkan ke katalog.')).toBeVisible();
  const row = page.getByTestId('drug-row').filter({ hasText: code });
  await expect(row).toContainText('Dapat diresepkan');
  const prescribable = async () => ((await (await page.request.get('/api/v1/health/drugs')).json()).items as { code: string }[]).map((d) => d.code);
  expect(await prescribable()).toContain(code);

  // Withdrawn from prescribing: listed as such, gone from the prescription's drug list.
  await row.getByRole('button', { name: 'Ubah Setirizin 10 mg' }).click();
  const edit = page.getByRole('dialog', { name: 'Setirizin 10 mg' });
  await edit.getByRole('switch', { name: 'Dapat diresepkan' }).click();
  await edit.getByTestId('drug-submit').click();
  await expect(page.getByText('Setirizin 10 mg disimpan.')).toBeVisible();
  await expect(row).toContainText('Ditarik');
  expect(await prescribable()).not.toContain(code);
  await page.screenshot({ path: `${shots}drug-catalogue.png`, fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // A puskesmas pharmacist reads the catalogue but cannot change it.
  const desk = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const pharmacist = await desk.newPage();
  await signIn(pharmacist, 'apoteker.batua@makassarkota.go.id');
  await pharmacist.goto('/staf/farmasi?tab=katalog');
  await expect(pharmacist.getByText('Katalog obat berlaku untuk seluruh daerah')).toBeVisible();
  await expect(pharmacist.getByTestId('drug-row').filter({ hasText: code })).toContainText('Ditarik');
  await expect(pharmacist.getByTestId('drug-add')).toHaveCount(0);
  await expectNoHorizontalScroll(pharmacist);
  await desk.close();
});
