import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { expectNoHorizontalScroll, signIn, stamp } from './support';

/**
 * The staff inbox tools: Indonesian full-text search, bulk verification with per-report results,
 * and the CSV export of the filtered list; and the public transparency page on a phone.
 */
test.use({ viewport: { width: 1280, height: 800 } });

const shots = fileURLToPath(new URL('../../test-results/', import.meta.url));
async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS === '1') await page.screenshot({ path: `${shots}inbox-${name}.png`, fullPage: true });
}

test('the triage desk finds reports by stemmed words, verifies them in bulk and downloads them as CSV', async ({ page }) => {
  const id = stamp();
  const word = `uji${id}`;
  const categories = (await (await page.request.get('/api/v1/complaints/categories')).json()).items as { id: string; name: string }[];
  const tree = categories.find((c) => c.name === 'Pohon tumbang')!;
  const codes: string[] = [];
  for (const description of [`Pohon besar tumbang menutupi jalan, kendaraan berputar balik (${word}).`, `Dahan pohon patah bergelantungan di atas trotoar sekolah (${word}).`]) {
    const res = await page.request.post('/api/v1/complaints', {
      data: { categoryId: tree.id, description, regionCode: '73.71.10.1004', address: 'Jl. Dg. Tata Raya', location: { lat: -5.1689, lng: 119.4102 } },
    });
    expect(res.status(), await res.text()).toBe(201);
    codes.push((await res.json()).trackingCode);
  }

  await signIn(page, 'pengaduan@makassarkota.go.id');
  await page.goto('/staf/pengaduan');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pengaduan warga');
  // "tumbang" is in one description only; the stamp word finds both.
  await page.getByTestId('inbox-search').fill(`tumbang ${word}`);
  await expect(page.getByTestId('inbox-row')).toHaveCount(1);
  await expect(page.getByTestId('inbox-row').first()).toContainText(codes[0]);
  await page.getByTestId('inbox-search').fill(word);
  await expect(page.getByTestId('inbox-row')).toHaveCount(2);
  await expect(page).toHaveURL(new RegExp(`q=${word}`));
  // A tracking code typed loosely finds its report.
  await page.getByTestId('inbox-search').fill(codes[1].toLowerCase());
  await expect(page.getByTestId('inbox-row')).toHaveCount(1);
  await page.getByTestId('inbox-search').fill(word);
  await expect(page.getByTestId('inbox-row')).toHaveCount(2);

  // Bulk verification of both, with a summary.
  await page.getByRole('checkbox', { name: 'Pilih semua laporan di halaman ini' }).check();
  const bar = page.getByTestId('bulk-bar');
  await expect(bar).toContainText('2 laporan dipilih');
  await bar.getByRole('button', { name: 'Verifikasi', exact: true }).click();
  await bar.getByRole('button', { name: 'Verifikasi 2 laporan' }).click();
  await expect(page.getByText('2 berhasil, 0 gagal')).toBeVisible();
  await expect(page.getByTestId('inbox-row').filter({ hasText: 'Terverifikasi' })).toHaveCount(2);
  await shot(page, 'search-bulk');

  // The CSV of the filtered list: BOM, semicolons, both reports, nothing else.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('inbox-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^pengaduan-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
  expect(lines[0]).toMatch(/^Kode pelacakan;Status;/);
  expect(lines).toHaveLength(3);
  for (const code of codes) expect(lines.some((l) => l.startsWith(`${code};Terverifikasi;`))).toBe(true);

  // Rows open the detail page.
  await page.getByRole('link', { name: codes[0] }).click();
  await expect(page).toHaveURL(/\/staf\/pengaduan\/[0-9a-f-]{36}$/);
});

test('the inbox map shows the list’s reports with their filters, and a pin opens its report', async ({ page }) => {
  await page.route(/tile\.openstreetmap\.org|\/\d+\/\d+\/\d+\.png/, (route) => route.abort());
  const word = `peta${stamp()}`;
  const categories = (await (await page.request.get('/api/v1/complaints/categories')).json()).items as { id: string; name: string }[];
  const lights = categories.find((c) => c.name === 'Lampu lalu lintas mati')!;
  const res = await page.request.post('/api/v1/complaints', {
    data: {
      categoryId: lights.id,
      description: `Lampu lalu lintas di simpang mati sejak subuh, kendaraan saling serobot (${word}).`,
      regionCode: '73.71.04',
      address: 'Simpang Jl. Urip Sumoharjo – Jl. Racing Centre',
      location: { lat: -5.1385, lng: 119.4455 },
      attributes: {},
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { trackingCode } = await res.json();

  // The desk verifies and disposes it to Bidang Lalu Lintas.
  await signIn(page, 'pengaduan@makassarkota.go.id');
  await page.goto(`/staf/pengaduan?q=${word}&view=map`);
  await expect(page.getByTestId('inbox-map-point')).toHaveCount(1);
  await expect(page.getByTestId('inbox-map-count')).toHaveText('1 laporan dengan titik lokasi di area ini.');
  await page.getByTestId('inbox-view').locator('label', { hasText: 'Daftar' }).click();
  await expect(page.getByTestId('inbox-row')).toHaveCount(1);
  await expect(page).not.toHaveURL(/view=map/);

  // A filter that excludes it empties the map too.
  await page.goto(`/staf/pengaduan?q=${word}&view=map&status=closed`);
  await expect(page.getByTestId('inbox-map-count')).toHaveText('0 laporan dengan titik lokasi di area ini.');
  await expect(page.getByTestId('inbox-map-point')).toHaveCount(0);

  // On the map, the pin opens a popup with the code and a link to the report.
  await page.goto(`/staf/pengaduan?q=${word}&view=map`);
  await page.getByTestId('inbox-map-point').click({ timeout: 8000 });
  await expect(page.locator('.leaflet-popup-content')).toContainText(trackingCode);
  await shot(page, 'map');
  await page.locator('.leaflet-popup-content').getByText('Buka laporan').click();
  await expect(page).toHaveURL(/\/staf\/pengaduan\/[0-9a-f-]{36}$/);
  await expect(page.getByText(trackingCode).first()).toBeVisible();
});

test('the statistics and the public transparency page show figures only', async ({ page, browser }) => {
  await signIn(page, 'pengaduan@makassarkota.go.id');
  await page.goto('/staf/pengaduan/statistik');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statistik pengaduan');
  await expect(page.getByTestId('stat-received')).toContainText(/\d/);
  await shot(page, 'stats');

  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const resident = await phone.newPage();
  await resident.goto('/lapor/transparansi');
  await expect(resident.getByRole('heading', { level: 1 })).toHaveText('Transparansi pengaduan');
  await expect(resident.getByTestId('tr-received')).toBeVisible();
  await resident.getByText('90 hari').click();
  await expect(resident).toHaveURL(/hari=90/);
  await expectNoHorizontalScroll(resident);
  if (process.env.SCREENSHOTS === '1') await resident.screenshot({ path: `${shots}inbox-transparency.png`, fullPage: true });
  await phone.close();
});
