import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, devices, expect, type Page, test } from '@playwright/test';
import { batuaMonday, nikFor, setServerClock, staffApi } from './healthSupport';
import { BASE_URL } from './playwright.config';
import { DEMO_PASSWORD, expectNoHorizontalScroll, signIn, workspaceNav } from './support';

const shots = `${process.env.TEST_RESULTS_DIR ?? fileURLToPath(new URL('../../test-results', import.meta.url))}/`;

/**
 * e-Puskesmas, end to end: a resident on a phone registers a family member at Puskesmas Batua and
 * gets a number behind a walk-in with an estimate; the counter calls the walk-in from the console,
 * the waiting-room TV shows and announces the call, the resident's page follows live; the service
 * finishes and the resident's estimate moves up; the counter checks the resident in by the ticket's
 * number and calls it, and both the TV and the resident's phone show it.
 *
 * Sessions run Monday to Saturday mornings, so the server's clock is set to the latest Monday
 * 08:30 WITA before now (a week earlier if that Monday is a holiday) and put back afterwards.
 */

test.afterEach(async () => {
  await setServerClock(null);
});

/** speechSynthesis replaced by a recorder: the test reads what the TV said. */
async function recordingSpeech(browser: Browser) {
  const tv = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1366, height: 768 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  await tv.addInitScript(() => {
    const spoken: string[] = [];
    (window as unknown as { __spoken: string[] }).__spoken = spoken;
    Object.defineProperty(window, 'speechSynthesis', {
      configurable: true,
      value: { speak: (u: SpeechSynthesisUtterance) => spoken.push(`${u.lang}|${u.text}`), cancel: () => undefined, getVoices: () => [] },
    });
  });
  return tv;
}

test('a resident books a family member at a puskesmas; the counter calls, the TV announces, the estimate follows', async ({ browser }) => {
  test.setTimeout(120_000);
  // The latest Monday morning that is not a holiday, at Puskesmas Batua.
  const { anon, batua, monday, umum } = await batuaMonday();

  // A walk-in is already waiting at the counter (registered through the API).
  const counter = await staffApi('loket.batua@makassarkota.go.id');
  const walkInNik = nikFor('1957-08-17', 'male');
  const patient = await counter.api.post('/api/v1/health/patients', {
    headers: { 'x-csrf-token': counter.csrf },
    data: { nik: walkInNik, name: 'Daeng Ngalle', birthDate: '1957-08-17', sex: 'male', phone: '081342210987' },
  });
  expect(patient.status(), await patient.text()).toBe(201);
  const walkIn = await counter.api.post('/api/v1/health/visits', { headers: { 'x-csrf-token': counter.csrf }, data: { serviceId: umum.id, patientId: (await patient.json()).id, date: monday.date } });
  expect(walkIn.status(), await walkIn.text()).toBe(201);
  const walkInCode = (await walkIn.json()).queueCode as string;

  // The resident, on a phone.
  const phone = await browser.newContext({ ...devices['Pixel 5'], viewport: { width: 360, height: 740 }, baseURL: BASE_URL, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const resident = await phone.newPage();
  await signIn(resident, 'warga@example.com', DEMO_PASSWORD, /\/akun$/);
  await resident.goto('/sehat');
  await resident.getByRole('link', { name: 'Daftar online di Puskesmas Batua' }).click();
  await expect(resident.getByRole('heading', { name: 'Daftar kunjungan' })).toBeVisible();
  await resident.getByRole('radio', { name: /Poli Umum/ }).check();
  await resident.getByRole('button', { name: /Daftarkan pasien|Tambah anggota keluarga/ }).click();
  // Bad input first: the server refuses a NIK whose birth date disagrees, on the field.
  const childNik = nikFor('2016-05-17', 'female');
  await resident.getByRole('textbox', { name: 'NIK' }).fill(childNik);
  await resident.getByRole('textbox', { name: 'Nama lengkap' }).fill('Nur Aisyah Ramadhani');
  await resident.getByLabel('Tanggal lahir').fill('2016-05-18');
  await resident.getByRole('radio', { name: 'Perempuan' }).check();
  await resident.getByRole('combobox', { name: 'Hubungan dengan Anda' }).click();
  await resident.getByRole('option', { name: 'Anak' }).click();
  await resident.getByRole('button', { name: 'Simpan pasien' }).click();
  await expect(resident.getByText('Tanggal lahir tidak sesuai dengan NIK (digit 7–12).')).toBeVisible();
  await resident.getByLabel('Tanggal lahir').fill('2016-05-17');
  await resident.getByRole('button', { name: 'Simpan pasien' }).click();
  await expect(resident.getByRole('radio', { name: 'Nur Aisyah Ramadhani' })).toBeChecked();
  await expectNoHorizontalScroll(resident);
  await resident.getByRole('button', { name: 'Ambil nomor antrean' }).click();

  await expect(resident).toHaveURL(/\/akun\/kunjungan\/[0-9a-f-]{36}$/);
  const code = resident.getByTestId('queue-code');
  await expect(code).toHaveText(/^A-\d{3}$/);
  const myCode = (await code.textContent())!;
  await expect(resident.getByTestId('visit-status')).toHaveText('Terdaftar');
  await expect(resident.getByTestId('visit-ahead')).toHaveText('1');
  await expect(resident.getByTestId('visit-estimate')).toHaveText(/^\d{2}:\d{2} WITA$/);
  const firstEstimate = await resident.getByTestId('visit-estimate').textContent();
  // Nothing measured yet today: the poli's assumed duration.
  await expect(resident.getByTestId('visit-basis')).toHaveText('Perkiraan awal poli ini: ±8 menit per pasien.');
  await expect(resident.getByRole('img', { name: `Kode QR check-in untuk nomor ${myCode}` })).toBeVisible();
  await expectNoHorizontalScroll(resident);

  // The waiting-room TV, with its sound turned on.
  const tvContext = await recordingSpeech(browser);
  const tv = await tvContext.newPage();
  await tv.goto(`/antrean/${batua.id}`);
  const umumCard = tv.getByTestId('display-service').filter({ hasText: 'Poli Umum' });
  await expect(umumCard.getByTestId('display-next')).toContainText(walkInCode);
  await tv.getByRole('button', { name: 'Aktifkan suara' }).click();
  await expect(tv.getByRole('button', { name: 'Suara aktif' })).toBeVisible();

  // The counter calls the next patient from the console: the walk-in.
  const desk = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const staff = await desk.newPage();
  await signIn(staff, 'loket.batua@makassarkota.go.id');
  await workspaceNav(staff).getByRole('link', { name: 'Antrean layanan kesehatan' }).click();
  await expect(staff.getByRole('heading', { name: 'Konsol antrean' })).toBeVisible();
  await expect(staff.getByTestId('console-row').filter({ hasText: myCode })).toContainText('Terdaftar');
  await staff.getByRole('button', { name: 'Panggil berikutnya' }).click();
  const current = staff.getByTestId('console-current').filter({ hasText: walkInCode });
  await expect(current).toContainText('Daeng Ngalle');

  // The TV shows and announces the call; the resident's page shows who is being served.
  await expect(tv.getByTestId('display-last-call')).toContainText(walkInCode);
  await expect(umumCard.getByTestId('display-now')).toHaveText(walkInCode);
  const walkInNumber = Number(walkInCode.slice(2));
  await expect.poll(() => tv.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.at(-1))).toMatch(/^id-ID\|Nomor antrean A .+, silakan menuju Poli Umum\.$/);
  expect(walkInNumber).toBeGreaterThan(0);
  await expect(resident.getByTestId('visit-now-serving')).toHaveText(walkInCode);

  // Service starts and finishes: nobody is ahead of the resident any more, and the estimate moves up.
  await current.getByRole('button', { name: 'Mulai layanan' }).click();
  await expect(current).toContainText('Sedang dilayani');
  await current.getByRole('button', { name: 'Selesai' }).click();
  await expect(staff.getByTestId('console-row').filter({ hasText: walkInCode })).toContainText('Selesai');
  await expect(resident.getByTestId('visit-ahead')).toHaveText('0');
  await expect(resident.getByTestId('visit-estimate')).not.toHaveText(firstEstimate!);

  // The resident arrives: the counter checks the ticket in by its number and calls it.
  await staff.getByTestId('check-in-input').fill(myCode);
  await staff.getByRole('button', { name: 'Check-in', exact: true }).first().click();
  await expect(staff.getByRole('status').filter({ hasText: 'sudah check-in' })).toHaveText(`${myCode} (Nur Aisyah Ramadhani) sudah check-in.`);
  await staff.getByRole('button', { name: 'Panggil berikutnya' }).click();
  await expect(staff.getByTestId('console-current').filter({ hasText: myCode })).toBeVisible();
  await expect(tv.getByTestId('display-last-call')).toContainText(myCode);
  await expect(resident.getByRole('alert').filter({ hasText: 'Nomor Anda dipanggil' })).toContainText('Silakan segera menuju Poli Umum.');
  await expect(resident.getByTestId('visit-status')).toHaveText('Dipanggil');
  // The TV shows numbers only, never a name.
  await expect(tv.getByText('Nur Aisyah Ramadhani')).toHaveCount(0);
  await expect(tv.getByText('Daeng Ngalle')).toHaveCount(0);

  // Served, with a prescription: the counter sends the resident on to the pharmacy queue.
  const mine = staff.getByTestId('console-current').filter({ hasText: myCode });
  await mine.getByRole('button', { name: 'Mulai layanan' }).click();
  await expect(mine).toContainText('Sedang dilayani');
  await mine.getByRole('button', { name: 'Rujuk' }).click();
  const transfer = staff.getByRole('dialog', { name: `Rujuk ${myCode} ke layanan lain` });
  await transfer.getByRole('button', { name: 'Rujuk dan beri nomor' }).click();
  await expect(transfer.getByText('Pilih layanan tujuan.')).toBeVisible();
  await transfer.getByTestId('transfer-target').click();
  await transfer.getByRole('option', { name: 'F · Farmasi' }).click();
  await transfer.getByRole('button', { name: 'Rujuk dan beri nomor' }).click();
  await expect(transfer.getByTestId('transfer-result')).toContainText(/F-\d{3}/);
  const pharmacyCode = /F-\d{3}/.exec((await transfer.getByTestId('transfer-result').textContent()) ?? '')![0];
  await expect(transfer.getByTestId('transfer-result')).toContainText('Nur Aisyah Ramadhani');
  await staff.screenshot({ path: `${shots}health-console-transfer.png` });
  await transfer.getByTestId('transfer-result').getByRole('button', { name: 'Tutup' }).click();
  await expect(mine).toHaveCount(0);
  await expect(staff.getByTestId('console-row').filter({ hasText: myCode })).toContainText('Selesai');
  // The TV lists the pharmacy number; the resident's ticket says where to go, and opens the new one.
  await expect(tv.getByTestId('display-service').filter({ hasText: 'Farmasi' }).getByTestId('display-next')).toContainText(pharmacyCode);
  await expect(resident.getByTestId('visit-transferred')).toContainText(`Farmasi. Nomor antrean Anda di sana: ${pharmacyCode}`);
  await resident.screenshot({ path: `${shots}health-ticket-transferred.png`, fullPage: true });
  await resident.getByRole('link', { name: `Lihat tiket ${pharmacyCode}` }).click();
  await expect(resident.getByTestId('queue-code')).toHaveText(pharmacyCode);
  await expect(resident.getByTestId('visit-status')).toHaveText('Sudah hadir');

  // Walk-ins at the counter: one found by the NIK on the KTP, one registered on the spot.
  await staff.getByRole('button', { name: 'Pasien datang langsung' }).click();
  const dialog = staff.getByRole('dialog', { name: 'Daftarkan pasien datang langsung' });
  await dialog.getByTestId('walk-in-nik').fill('12345');
  await dialog.getByRole('button', { name: 'Cari' }).click();
  await expect(dialog.getByText('NIK harus 16 digit.')).toBeVisible();
  await dialog.getByTestId('walk-in-nik').fill(walkInNik);
  await dialog.getByRole('button', { name: 'Cari' }).click();
  await expect(dialog.getByText('Daeng Ngalle')).toBeVisible();
  await dialog.getByRole('button', { name: 'Beri nomor antrean' }).click();
  await expect(dialog.getByTestId('walk-in-result')).toContainText(/A-\d{3}/);
  await dialog.getByRole('button', { name: 'Daftarkan pasien lain' }).click();
  const newcomerNik = nikFor('1979-01-30', 'female');
  await dialog.getByTestId('walk-in-nik').fill(newcomerNik);
  await dialog.getByRole('button', { name: 'Cari' }).click();
  await expect(dialog.getByTestId('walk-in-new')).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'NIK' })).toHaveValue(newcomerNik);
  await dialog.getByRole('textbox', { name: 'Nama lengkap' }).fill('Sitti Rahmawati');
  await dialog.getByLabel('Tanggal lahir').fill('1979-01-30');
  await dialog.getByRole('radio', { name: 'Perempuan' }).check();
  await dialog.getByRole('button', { name: 'Simpan pasien' }).click();
  await expect(dialog.getByTestId('walk-in-result')).toContainText('Sitti Rahmawati');
  await dialog.getByRole('button', { name: 'Tutup' }).last().click();
  // Both wait, checked in, in the console and on the TV.
  await expect(staff.getByTestId('console-row').filter({ hasText: 'Sitti Rahmawati' })).toContainText('Sudah hadir');
  await expect(umumCard.getByTestId('display-next')).toContainText(/A-\d{3}\s+A-\d{3}/);

  // Who is on duty, from the roster: Monday 08:30, both doctors of the Poli Umum.
  await resident.goto('/sehat');
  await resident.getByRole('link', { name: 'Dokter piket Puskesmas Batua' }).click();
  await expect(resident.getByRole('heading', { level: 1 })).toHaveText('Dokter piket sekarang');
  const umumDuty = resident.getByTestId('duty-service').filter({ hasText: 'Poli Umum' });
  await expect(umumDuty).toContainText('dr. Andi Nurfadillah');
  await expect(umumDuty).toContainText('dr. Muhammad Ikhsan Syarif');
  await expect(umumDuty).toContainText('s.d. 10:00');
  await expectNoHorizontalScroll(resident);

  await Promise.all([phone.close(), tvContext.close(), desk.close(), counter.api.dispose(), anon.dispose()]);
});

/** Serious and critical WCAG 2.1 A/AA violations on the current page. */
async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

test('axe: the health pages, the TV display and the caller console have no serious or critical violations', async ({ page }) => {
  await page.goto('/sehat');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Layanan kesehatan');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Daftar online di Puskesmas Batua' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Daftar kunjungan');
  await expect(page.getByTestId('visit-service').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/sehat');
  await page.getByRole('link', { name: 'Layar antrean Puskesmas Batua' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Puskesmas Batua');
  await expect(page.getByTestId('display-service').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/sehat');
  await page.getByRole('link', { name: 'Dokter piket Puskesmas Batua' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dokter piket sekarang');
  await expect(page.getByTestId('duty-service').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await signIn(page, 'loket.batua@makassarkota.go.id');
  await page.goto('/staf/antrean');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Konsol antrean');
  expect(await seriousViolations(page)).toEqual([]);
});
