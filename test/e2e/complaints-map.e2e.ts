import { devices, expect, request, test } from '@playwright/test';
import { BASE_URL } from './playwright.config';
import { DEMO_PASSWORD, expectNoHorizontalScroll, stamp } from './support';

test.use({ ...devices['Pixel 5'], viewport: { width: 360, height: 740 }, channel: undefined });

/** MAP_SHOTS=<dir> saves the pages of these journeys there (to look at them). */
async function shot(page: import('@playwright/test').Page, name: string): Promise<void> {
  if (process.env.MAP_SHOTS) await page.screenshot({ path: `${process.env.MAP_SHOTS}/${name}.png`, fullPage: true });
}

/** Files a report through the API and has the triage desk verify it: it becomes public. */
async function verifiedReport(description: string, location: { lat: number; lng: number }): Promise<string> {
  const api = await request.newContext({ baseURL: BASE_URL });
  const categories = await (await api.get('/api/v1/complaints/categories')).json();
  const rubbish = categories.items.find((c: { name: string }) => c.name === 'Sampah menumpuk');
  const filed = await api.post('/api/v1/complaints', { data: { categoryId: rubbish.id, description, location, regionCode: '73.71.10.1004' } });
  expect(filed.status(), await filed.text()).toBe(201);
  const { id, trackingCode } = await filed.json();
  const login = await api.post('/api/v1/auth/login', { data: { login: 'pengaduan@makassarkota.go.id', password: DEMO_PASSWORD } });
  expect(login.status()).toBe(200);
  const { csrfToken } = await login.json();
  const verified = await api.post(`/api/v1/complaints/${id}/verify`, { headers: { 'x-csrf-token': csrfToken }, data: {} });
  expect(verified.status(), await verified.text()).toBe(200);
  await api.dispose();
  return trackingCode;
}

test('a resident opens the public map on a phone without map tiles: clusters, the list and the report page still work', async ({ page }) => {
  const id = stamp();
  const code = await verifiedReport(`Sampah menumpuk di pinggir kanal sudah seminggu tidak diangkut (uji peta ${id}).`, { lat: -5.1702, lng: 119.4123 });

  // No tile server reachable (offline, blocked): every tile request fails.
  let tileRequests = 0;
  await page.route(/tile\.openstreetmap\.org|\/\d+\/\d+\/\d+\.png/, (route) => {
    tileRequests++;
    return route.abort();
  });
  const zoomOf = (url: string) => Number(new URL(url).searchParams.get('zoom'));
  const zooms: number[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/complaints/map?')) zooms.push(zoomOf(r.url()));
  });
  await page.goto('/lapor/peta');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Peta laporan warga');
  const map = page.getByTestId('public-map');
  await expect(map).toBeVisible();
  // Server-side clusters are drawn over the grey (tile-less) map, with their counts.
  const clusters = page.getByTestId('map-cluster');
  await expect(clusters.first()).toBeVisible();
  const counts = (await clusters.allTextContents()).map((s) => Number(s.replace(/\D/g, '')));
  expect(counts.every((n) => n > 0)).toBe(true);
  await expect(page.getByTestId('public-map-summary')).toHaveText(/^[\d.]+ laporan di area ini$/);
  expect(tileRequests).toBeGreaterThan(0);
  await expectNoHorizontalScroll(page);
  await shot(page, 'map-clusters');

  // Tapping a cluster zooms in (the next map request asks for a closer zoom).
  const before = Math.max(...zooms);
  const closer = page.waitForRequest((r) => r.url().includes('/api/v1/complaints/map?') && zoomOf(r.url()) > before);
  await clusters.first().click();
  await closer;

  // The list view shows the verified report, and its link opens the public tracking page.
  await page.getByTestId('public-map-view').locator('label', { hasText: 'Daftar' }).click();
  await expect(page).toHaveURL(/view=list/);
  const item = page.getByTestId('public-list-item').filter({ hasText: `uji peta ${id}` });
  await expect(item).toBeVisible();
  await expect(item).toContainText('Sampah menumpuk');
  await expect(item).toContainText('Terverifikasi');
  await expectNoHorizontalScroll(page);
  await shot(page, 'map-list');

  // Filters: another status hides it, and the filter lives in the address (shareable).
  await page.getByTestId('public-map-status').click();
  await page.getByRole('option', { name: 'Selesai' }).click();
  await expect(page).toHaveURL(/status=resolved/);
  await expect(page.getByTestId('public-list-item').filter({ hasText: `uji peta ${id}` })).toHaveCount(0);
  await page.getByTestId('public-map-status').click();
  await page.getByRole('option', { name: 'Terverifikasi' }).click();
  await expect(item).toBeVisible();

  await item.getByRole('link', { name: `Lihat laporan ${code}` }).click();
  await expect(page).toHaveURL(new RegExp(`/lapor/lacak/${code}$`));
  await expect(page.getByText(`uji peta ${id}`)).toBeVisible();
});

test('at street level the map shows the report as a pin whose popup links to its page', async ({ page }) => {
  const id = stamp();
  const lat = -5.1451;
  const lng = 119.4432;
  const code = await verifiedReport(`Tumpukan sampah rumah tangga menutup trotoar dekat pasar (uji pin ${id}).`, { lat, lng });
  await page.route(/tile\.openstreetmap\.org|\/\d+\/\d+\/\d+\.png/, (route) => route.abort());
  // A shared link to a street-level view (at=lat,lng,zoom).
  await page.goto(`/lapor/peta?at=${lat},${lng},18`);
  const pin = page.getByTestId('map-point');
  await expect(pin.first()).toBeVisible();
  await pin.first().click();
  const link = page.getByRole('link', { name: `Lihat laporan ${code}` });
  await expect(link).toBeVisible();
  // The pin carries no text; its popup loads the description when opened.
  await expect(page.getByTestId('map-point-summary')).toHaveText(/^Tumpukan sampah rumah tangga menutup trotoar/);
  await shot(page, 'map-popup');
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/lapor/lacak/${code}$`));
});

test.describe('the map picker of the report form', () => {
  test.use({ geolocation: { latitude: -5.176512, longitude: 119.436411 }, permissions: ['geolocation'] });

  test('places the pin by tapping the map and by the phone location, without map tiles', async ({ page }) => {
    await page.route(/tile\.openstreetmap\.org|\/\d+\/\d+\/\d+\.png/, (route) => route.abort());
    await page.goto('/lapor');
    await page.getByRole('button', { name: 'Pilih di peta' }).click();
    const picker = page.getByTestId('map-picker');
    await expect(picker.getByRole('application')).toBeVisible();
    await expect(page.getByTestId('map-picker-value')).toHaveText('Ketuk peta untuk menandai lokasi.');
    // A tap in the middle of the (tile-less) map places the pin inside the city.
    await picker.getByRole('application').click();
    await expect(page.getByTestId('map-picker-value')).toHaveText(/^Titik: -\d+\.\d{5}, 1\d{2}\.\d{5}$/);
    await expect(page.getByTestId('report-location-source')).toHaveText('Lokasi dipilih di peta');
    await expect(page.locator('.balai-map-pin')).toHaveCount(1);
    await shot(page, 'map-picker');
    // The phone's location moves it.
    await page.getByTestId('map-picker-locate').click();
    await expect(page.getByTestId('map-picker-value')).toHaveText('Titik: -5.17651, 119.43641');
  });
});

test('a screen with more reports than it can show says so, and at the deepest zoom points to the filters', async ({ page }) => {
  // The server's side (how many pins a box gets) is tested in the API tests; here, what the page says.
  const points = Array.from({ length: 100 }, (_, i) => ({
    trackingCode: `ADU-TEST-${String(i).padStart(4, '0')}`,
    lat: -5.14 + (i % 10) * 0.00004,
    lng: 119.43 + Math.floor(i / 10) * 0.00004,
    status: 'verified',
    statusGroup: 'verified',
    categoryId: '01900000-0000-7000-8000-000000000001',
    categoryName: 'Sampah menumpuk',
    categoryIcon: 'trash',
    submittedAt: '2026-11-20T02:00:00.000Z',
  }));
  await page.route('**/api/v1/complaints/map?*', (route) =>
    route.fulfill({ json: { mode: 'points', level: null, total: 101, truncated: true, clusters: [], points } }),
  );
  await page.goto('/lapor/peta?at=-5.14,119.43,18');
  await expect(page.getByTestId('public-map-summary')).toHaveText('100 laporan ditampilkan');
  await expect(page.getByText('Hanya 100 laporan terbaru yang ditampilkan. Perbesar peta untuk melihat semuanya.')).toBeVisible();
  await page.goto('/lapor/peta?at=-5.14,119.43,19');
  await expect(page.getByText('Hanya 100 laporan terbaru yang ditampilkan. Pilih periode, status, atau kategori untuk melihat laporan lainnya.')).toBeVisible();
});
