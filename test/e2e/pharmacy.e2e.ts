import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { batuaMonday, nikFor, setServerClock, staffApi } from './healthSupport';
import { BASE_URL } from './playwright.config';
import { signIn, workspaceNav } from './support';

const shots = `${process.env.TEST_RESULTS_DIR ?? fileURLToPath(new URL('../../test-results', import.meta.url))}/`;

/**
 * e-Farmasi, end to end: the doctor at Puskesmas Batua's Poli Umum writes a prescription for the
 * patient being seen and sends them on to the pharmacy queue; the pharmacist finds it in today's
 * list, hands the drugs over, and the drug's stock drops by what was dispensed (the ledger shows
 * it); a stock receipt with bad input is refused on the field, then received.
 */

test.afterEach(async () => {
  await setServerClock(null);
});

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

/** The "Tersedia" figure of a drug in the stock list (searched by name), as a number. */
async function available(page: Page, name: string): Promise<number> {
  await page.getByRole('textbox', { name: 'Cari obat' }).fill(name);
  const row = page.getByTestId('stock-row').filter({ hasText: name });
  await expect(row).toHaveCount(1);
  const text = (await row.getByTestId('stock-available').textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}

async function pickOption(page: Page, input: ReturnType<Page['getByTestId']>, typed: string, option: string) {
  await input.click();
  await input.fill(typed);
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('the doctor prescribes, the pharmacist hands the drugs over, and the stock drops', async ({ browser }) => {
  test.setTimeout(120_000);
  // The latest Monday morning that is not a holiday, at Puskesmas Batua.
  const { anon, monday, umum } = await batuaMonday();

  // A walk-in at the Poli Umum, called by the counter (through the API).
  const counter = await staffApi('loket.batua@makassarkota.go.id');
  const headers = { 'x-csrf-token': counter.csrf };
  const patient = await counter.api.post('/api/v1/health/patients', { headers, data: { nik: nikFor('1968-02-11', 'female'), name: 'Hj. Rosmini Daeng Kanang', birthDate: '1968-02-11', sex: 'female' } });
  expect(patient.status(), await patient.text()).toBe(201);
  const visit = await counter.api.post('/api/v1/health/visits', { headers, data: { serviceId: umum.id, patientId: (await patient.json()).id, date: monday.date } });
  expect(visit.status(), await visit.text()).toBe(201);
  const code = (await visit.json()).queueCode as string;
  for (;;) {
    const called = (await (await counter.api.post(`/api/v1/health/services/${umum.id}/queue/call-next`, { headers, data: {} })).json()).visit;
    expect(called).not.toBeNull();
    if (called.queueCode === code) break;
    await counter.api.post(`/api/v1/health/visits/${called.id}/skip`, { headers, data: {} });
  }

  // The doctor, at the poli's console: a prescription of two drugs, a first try refused on the field.
  const clinic = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const doctor = await clinic.newPage();
  await signIn(doctor, 'dokter.batua@makassarkota.go.id');
  await workspaceNav(doctor).getByRole('link', { name: 'Antrean layanan kesehatan' }).click();
  const card = doctor.getByTestId('console-current').filter({ hasText: code });
  await card.getByRole('button', { name: 'Mulai layanan' }).click();
  await expect(card).toContainText('Sedang dilayani');
  await card.getByRole('button', { name: 'Resep' }).click();
  const rx = doctor.getByRole('dialog', { name: `Resep ${code} · Hj. Rosmini Daeng Kanang` });
  await pickOption(doctor, rx.getByTestId('rx-drug').nth(0), 'Amoksisilin 500', 'Amoksisilin 500 mg (kapsul)');
  await rx.getByTestId('rx-quantity').nth(0).fill('15');
  await rx.getByRole('button', { name: 'Simpan resep' }).click();
  // No dose yet: refused on the line's field.
  await expect(rx.getByText('Minimal 3 karakter.')).toBeVisible();
  await rx.getByTestId('rx-dose').nth(0).fill('3 x 1 kapsul sesudah makan, habiskan');
  await rx.getByRole('button', { name: 'Tambah obat' }).click();
  await pickOption(doctor, rx.getByTestId('rx-drug').nth(1), 'Parasetamol 500', 'Parasetamol 500 mg (tablet)');
  await rx.getByTestId('rx-dose').nth(1).fill('3 x 1 tablet bila demam');
  await rx.getByTestId('rx-quantity').nth(1).fill('10');
  await doctor.screenshot({ path: `${shots}pharmacy-prescribe.png` });
  await rx.getByRole('button', { name: 'Simpan resep' }).click();
  await expect(doctor.getByText(`Resep ${code} tersimpan (2 obat) dan menunggu di farmasi.`)).toBeVisible();
  // …and sends the patient on to the pharmacy queue.
  await card.getByRole('button', { name: 'Rujuk' }).click();
  const transfer = doctor.getByRole('dialog', { name: `Rujuk ${code} ke layanan lain` });
  await transfer.getByTestId('transfer-target').click();
  await transfer.getByRole('option', { name: 'F · Farmasi' }).click();
  await transfer.getByRole('button', { name: 'Rujuk dan beri nomor' }).click();
  await expect(transfer.getByTestId('transfer-result')).toContainText(/F-\d{3}/);
  const pharmacyCode = /F-\d{3}/.exec((await transfer.getByTestId('transfer-result').textContent()) ?? '')![0];

  // The pharmacist: the stock before, then today's prescriptions.
  const desk = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const pharmacist = await desk.newPage();
  await signIn(pharmacist, 'apoteker.batua@makassarkota.go.id');
  await workspaceNav(pharmacist).getByRole('link', { name: 'Farmasi: resep dan stok obat' }).click();
  await expect(pharmacist.getByRole('heading', { name: 'Farmasi', exact: true })).toBeVisible();
  await pharmacist.getByRole('tab', { name: 'Stok obat' }).click();
  const amxBefore = await available(pharmacist, 'Amoksisilin 500 mg');
  const pctBefore = await available(pharmacist, 'Parasetamol 500 mg');
  expect(amxBefore).toBeGreaterThanOrEqual(15);

  await pharmacist.getByRole('tab', { name: 'Resep hari ini' }).click();
  const row = pharmacist.getByTestId('rx-row').filter({ hasText: 'Hj. Rosmini Daeng Kanang' });
  await expect(row).toContainText(pharmacyCode);
  await expect(row).toContainText('2 obat');
  await expect(row).toContainText('Menunggu');
  await pharmacist.screenshot({ path: `${shots}pharmacy-prescriptions.png`, fullPage: true });
  expect(await seriousViolations(pharmacist)).toEqual([]);
  await row.getByRole('button', { name: 'Siapkan' }).click();
  const detail = pharmacist.getByRole('dialog', { name: 'Resep pasien' });
  await expect(detail.getByTestId('rx-item')).toHaveCount(2);
  await expect(detail.getByTestId('rx-item').filter({ hasText: 'Amoksisilin 500 mg' })).toContainText('3 x 1 kapsul sesudah makan, habiskan');
  await expect(detail.getByTestId('rx-item').filter({ hasText: 'Amoksisilin 500 mg' }).getByTestId('rx-available')).toHaveText(`${amxBefore} kapsul`);
  await detail.getByRole('button', { name: 'Serahkan obat' }).click();
  await expect(detail).toContainText('Sudah diserahkan');
  await expect(detail.getByTestId('rx-item').filter({ hasText: 'Amoksisilin 500 mg' })).toContainText(/\(ED \d{4}-\d{2}-\d{2}\): \d+/);
  await pharmacist.screenshot({ path: `${shots}pharmacy-dispensed.png`, animations: 'disabled' });
  await detail.getByRole('button', { name: 'Tutup' }).last().click();
  await expect(pharmacist.getByTestId('rx-row').filter({ hasText: 'Hj. Rosmini Daeng Kanang' })).toHaveCount(0);

  // The stock dropped by what was handed over; the ledger says so.
  await pharmacist.getByRole('tab', { name: 'Stok obat' }).click();
  await expect.poll(() => available(pharmacist, 'Amoksisilin 500 mg')).toBe(amxBefore - 15);
  await expect.poll(() => available(pharmacist, 'Parasetamol 500 mg')).toBe(pctBefore - 10);
  await pharmacist.getByTestId('stock-row').filter({ hasText: 'Parasetamol 500 mg' }).getByTestId('stock-open').click();
  const drawer = pharmacist.getByRole('dialog', { name: 'Parasetamol 500 mg' });
  await expect(drawer.getByTestId('move-row').first()).toContainText('Penyerahan resep');
  await expect(drawer.getByTestId('move-row').first()).toContainText('apt. Nurul Qalbi, S.Farm.');
  await expect(drawer.getByTestId('drug-available')).toBeInViewport({ ratio: 1 });
  await pharmacist.screenshot({ path: `${shots}pharmacy-ledger.png`, animations: 'disabled' });
  expect(await seriousViolations(pharmacist)).toEqual([]);
  await drawer.getByRole('button').first().click();

  // A delivery arrives: refused without a drug and with an expiry already past, then received.
  await pharmacist.getByRole('textbox', { name: 'Cari obat' }).fill('');
  await pharmacist.getByTestId('stock-receive').click();
  const receipt = pharmacist.getByRole('dialog', { name: 'Terima stok obat' });
  await receipt.getByRole('button', { name: 'Simpan penerimaan' }).click();
  await expect(receipt.getByText('Pilih obat yang diterima.')).toBeVisible();
  await pickOption(pharmacist, receipt.getByTestId('receive-drug'), 'Parasetamol 500', 'Parasetamol 500 mg (tablet)');
  await receipt.getByTestId('receive-batch').fill('PCT26B0412');
  await receipt.getByTestId('receive-expiry').fill(monday.date);
  await receipt.getByTestId('receive-quantity').fill('1000');
  await receipt.getByRole('button', { name: 'Simpan penerimaan' }).click();
  await expect(receipt.getByText('Tanggal kedaluwarsa harus setelah hari ini; obat kedaluwarsa tidak diterima.')).toBeVisible();
  await receipt.getByTestId('receive-expiry').fill('2028-04-30');
  await receipt.getByRole('button', { name: 'Simpan penerimaan' }).click();
  await expect(pharmacist.getByText('1000 tablet Parasetamol 500 mg diterima.')).toBeVisible();
  const received = pharmacist.getByRole('dialog', { name: 'Parasetamol 500 mg' });
  await expect(received.getByTestId('batch-row').filter({ hasText: 'PCT26B0412' })).toContainText('1000');
  await expect(received.getByTestId('drug-available')).toHaveText(`${(pctBefore - 10 + 1000).toLocaleString('id-ID')} tablet`);

  await Promise.all([clinic.close(), desk.close(), counter.api.dispose(), anon.dispose()]);
});
