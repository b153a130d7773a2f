import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { devices, expect, type Page, test } from '@playwright/test';
import { nikFor } from './healthSupport';
import { BASE_URL } from './playwright.config';
import { DEMO_PASSWORD, expectNoHorizontalScroll, signIn, workspaceNav } from './support';

const shots = `${process.env.TEST_RESULTS_DIR ?? fileURLToPath(new URL('../../test-results', import.meta.url))}/`;

/**
 * Hospital beds, end to end: a resident near Batua looks for a free ICU bed on a phone and sees
 * RSUD Batua nearest with one left; the admission desk admits a referred patient into that last
 * ICU bed; the public page then shows 0 for RSUD Batua's ICU; the patient is discharged and the bed
 * is free again.
 */

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

test('an admission takes the last free ICU bed and the public bed page shows 0 for that hospital', async ({ browser }) => {
  test.setTimeout(120_000);
  // The resident, on a phone in Batua, with location allowed.
  const phone = await browser.newContext({
    ...devices['Pixel 5'],
    viewport: { width: 360, height: 740 },
    baseURL: BASE_URL,
    locale: 'id-ID',
    timezoneId: 'Asia/Makassar',
    geolocation: { latitude: -5.1509, longitude: 119.4702 },
    permissions: ['geolocation'],
  });
  const resident = await phone.newPage();
  await resident.goto('/sehat');
  await resident.getByRole('link', { name: 'Tempat tidur RS' }).click();
  await expect(resident.getByRole('heading', { level: 1 })).toHaveText('Ketersediaan tempat tidur rumah sakit');
  await resident.getByTestId('beds-class').click();
  await resident.getByRole('option', { name: 'ICU', exact: true }).click();
  await expect(resident).toHaveURL(/kelas=icu/);
  await resident.getByRole('button', { name: 'Urutkan dari lokasi saya' }).click();
  await expect(resident.getByRole('button', { name: 'Diurutkan dari lokasi Anda' })).toBeVisible();
  const cards = resident.getByTestId('hospital-card');
  await expect(cards.first()).toContainText('RSUD Batua Kota Makassar');
  await expect(cards.first().getByTestId('hospital-distance')).toHaveText(/^0,\d km$/);
  const batuaIcu = cards.filter({ hasText: 'RSUD Batua Kota Makassar' }).locator('[data-class="icu"]');
  await expect(batuaIcu.getByTestId('bed-free')).toHaveText('1');
  await expect(batuaIcu).toContainText('kosong dari 4');
  // Only the ICU is listed.
  await expect(cards.first().getByTestId('bed-class')).toHaveCount(1);
  await expectNoHorizontalScroll(resident);
  await resident.screenshot({ path: `${shots}beds-public.png`, fullPage: true });
  expect(await seriousViolations(resident)).toEqual([]);

  // The admission desk of RSUD Batua admits a referred patient into the ICU.
  const hospital = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const desk = await hospital.newPage();
  await signIn(desk, 'admisi.rsbatua@makassarkota.go.id');
  await workspaceNav(desk).getByRole('link', { name: 'Rawat inap: tempat tidur' }).click();
  await expect(desk.getByRole('heading', { name: 'Rawat inap: tempat tidur' })).toBeVisible();
  await expect(desk.locator('[data-testid="class-summary"][data-class="icu"]')).toHaveText('ICU: 1/4 kosong');
  await desk.getByTestId('admit-open').click();
  const dialog = desk.getByRole('dialog', { name: 'Terima pasien rawat inap' });
  const nik = nikFor('1961-06-04', 'male');
  await dialog.getByTestId('admit-nik').fill(nik);
  await dialog.getByRole('button', { name: 'Cari' }).click();
  await expect(dialog.getByTestId('admit-new')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Nama lengkap' }).fill('H. Abdul Karim Daeng Tayang');
  await dialog.getByLabel('Tanggal lahir').fill('1961-06-04');
  await dialog.getByRole('radio', { name: 'Laki-laki' }).check();
  await dialog.getByRole('button', { name: 'Simpan pasien' }).click();
  await expect(dialog.getByTestId('admit-patient')).toHaveText('H. Abdul Karim Daeng Tayang');
  // No class or bed chosen yet: refused on the field.
  await dialog.getByTestId('admit-referral-from').fill('Puskesmas Batua');
  await dialog.getByRole('button', { name: 'Terima dan tempatkan' }).click();
  await expect(dialog.getByText('Pilih tempat tidur atau kelasnya.')).toBeVisible();
  await dialog.getByTestId('admit-class').click();
  await dialog.getByRole('option', { name: 'ICU (1 kosong)' }).click();
  await dialog.getByRole('textbox', { name: 'Diagnosis masuk (opsional)' }).fill('Infark miokard akut');
  await desk.screenshot({ path: `${shots}beds-admit.png`, animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Terima dan tempatkan' }).click();
  await expect(dialog.getByTestId('admit-result')).toContainText(/ICU-\d/);
  await expect(dialog.getByTestId('admit-result')).toContainText('H. Abdul Karim Daeng Tayang');
  await dialog.getByRole('button', { name: 'Tutup' }).last().click();
  await expect(desk.locator('[data-testid="class-summary"][data-class="icu"]')).toHaveText('ICU: 0/4 kosong');
  const bed = desk.getByTestId('bed').filter({ hasText: 'H. Abdul Karim Daeng Tayang' });
  await expect(bed).toHaveAttribute('data-state', 'occupied');
  await desk.screenshot({ path: `${shots}beds-board.png`, fullPage: true });
  expect(await seriousViolations(desk)).toEqual([]);

  // The resident's page, left open, shows no ICU bed left at RSUD Batua (live, no reload).
  const after = resident.getByTestId('hospital-card').filter({ hasText: 'RSUD Batua Kota Makassar' }).locator('[data-class="icu"]');
  await expect(after.getByTestId('bed-free')).toHaveText('0');
  // With no ICU bed free, the hospital that still has one comes first.
  await expect(resident.getByTestId('hospital-card').first()).toContainText('RSUD Daya Kota Makassar');

  // The patient goes home: the bed is free again, on the board and on the public page.
  await bed.getByRole('button', { name: 'Pulangkan' }).click();
  const out = desk.getByRole('dialog', { name: 'Pulangkan H. Abdul Karim Daeng Tayang' });
  await out.getByRole('button', { name: 'Pulangkan' }).click();
  await expect(desk.getByText('H. Abdul Karim Daeng Tayang sudah pulang; tempat tidurnya kosong.')).toBeVisible();
  await expect(desk.locator('[data-testid="class-summary"][data-class="icu"]')).toHaveText('ICU: 1/4 kosong');
  await expect(after.getByTestId('bed-free')).toHaveText('1');
  // A reload shows the same (the browser does not keep the figures).
  await resident.reload();
  await expect(resident.getByTestId('hospital-card').filter({ hasText: 'RSUD Batua Kota Makassar' }).locator('[data-class="icu"]').getByTestId('bed-free')).toHaveText('1');

  await Promise.all([phone.close(), hospital.close()]);
});

test('a resident pre-registers a parent online and the admission desk admits from it', async ({ browser }) => {
  test.setTimeout(120_000);
  const phone = await browser.newContext({ ...devices['Pixel 5'], viewport: { width: 360, height: 740 }, baseURL: BASE_URL, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const resident = await phone.newPage();
  await signIn(resident, 'warga@example.com', DEMO_PASSWORD, /\/akun$/);
  await resident.goto('/sehat/tempat-tidur');
  await resident.getByRole('link', { name: 'Daftar rawat inap online' }).click();
  await expect(resident.getByRole('heading', { level: 1 })).toHaveText('Pra-registrasi rawat inap');
  // Nothing chosen yet: refused on the fields.
  await resident.getByRole('button', { name: 'Kirim pra-registrasi' }).click();
  await expect(resident.getByText('Wajib dipilih.')).toHaveCount(3);
  await resident.getByTestId('preregister-hospital').click();
  await resident.getByRole('option', { name: 'RSUD Batua Kota Makassar' }).click();
  await resident.getByTestId('preregister-class').click();
  await resident.getByRole('option', { name: /^Kelas II \(kini \d+ kosong\)$/ }).click();
  const planned = new Date(Date.now() + 8 * 3600_000 + 3 * 86_400_000).toISOString().slice(0, 10);
  await resident.getByTestId('preregister-date').fill(planned);
  await resident.getByRole('button', { name: 'Tambah anggota keluarga' }).click();
  await resident.getByRole('textbox', { name: 'NIK' }).fill(nikFor('1952-11-02', 'female'));
  await resident.getByRole('textbox', { name: 'Nama lengkap' }).fill('Hj. Sitti Hadijah');
  await resident.getByLabel('Tanggal lahir').fill('1952-11-02');
  await resident.getByRole('radio', { name: 'Perempuan' }).check();
  await resident.getByRole('combobox', { name: 'Hubungan dengan Anda' }).click();
  await resident.getByRole('option', { name: 'Orang tua' }).click();
  await resident.getByRole('button', { name: 'Simpan pasien' }).click();
  await expect(resident.getByRole('radio', { name: /^Hj. Sitti Hadijah/ })).toBeChecked();
  await resident.getByRole('textbox', { name: 'Asal rujukan (opsional)' }).fill('Puskesmas Batua');
  await resident.getByRole('textbox', { name: 'Nomor surat rujukan (opsional)' }).fill('RJK/1203/XI/2026');
  await expectNoHorizontalScroll(resident);
  await resident.screenshot({ path: `${shots}beds-preregister.png`, fullPage: true });
  await resident.getByRole('button', { name: 'Kirim pra-registrasi' }).click();
  await expect(resident.getByTestId('preregister-sent')).toContainText('Hj. Sitti Hadijah terdaftar untuk rawat inap Kelas II di RSUD Batua Kota Makassar');
  const mine = resident.getByTestId('my-request').filter({ hasText: 'Hj. Sitti Hadijah' });
  await expect(mine).toContainText('Menunggu');
  expect(await seriousViolations(resident)).toEqual([]);

  // The admission desk sees it waiting and admits from it: class and referral come along.
  const hospital = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const desk = await hospital.newPage();
  await signIn(desk, 'admisi.rsbatua@makassarkota.go.id');
  await workspaceNav(desk).getByRole('link', { name: 'Rawat inap: tempat tidur' }).click();
  const request = desk.getByTestId('request-row').filter({ hasText: 'Hj. Sitti Hadijah' });
  await expect(request).toContainText('Kelas II');
  await expect(request).toContainText('RJK/1203/XI/2026');
  await request.getByRole('button', { name: 'Terima' }).click();
  const dialog = desk.getByRole('dialog', { name: 'Terima pasien rawat inap' });
  await expect(dialog.getByTestId('admit-patient')).toHaveText('Hj. Sitti Hadijah');
  await expect(dialog.getByRole('radio', { name: 'Pra-registrasi online' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Terima dan tempatkan' }).click();
  await expect(dialog.getByTestId('admit-result')).toContainText('SIPAKATAU');
  await dialog.getByRole('button', { name: 'Tutup' }).last().click();
  await expect(desk.getByTestId('request-row')).toHaveCount(0);
  await expect(desk.getByTestId('bed').filter({ hasText: 'Hj. Sitti Hadijah' })).toHaveAttribute('data-state', 'occupied');

  await resident.reload();
  await expect(resident.getByTestId('my-request').filter({ hasText: 'Hj. Sitti Hadijah' })).toContainText('Sudah dirawat');
  await Promise.all([phone.close(), hospital.close()]);
});
