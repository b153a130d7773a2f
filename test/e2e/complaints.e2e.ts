import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { devices, expect, type Page, test } from '@playwright/test';
import sharp from 'sharp';
import { expectNoHorizontalScroll, signIn, stamp, workspaceNav } from './support';

test.use({
  ...devices['Pixel 5'],
  viewport: { width: 360, height: 740 },
  channel: undefined,
  // The phone's GPS puts the resident in Mannuruki, Tamalate.
  geolocation: { latitude: -5.176512, longitude: 119.436411 },
  permissions: ['geolocation'],
});

const shots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
/** SCREENSHOTS=1 also saves the pages of this journey to docs/screenshots, at 360 and 1280 px. */
async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  const size = page.viewportSize()!;
  for (const [tag, width, height] of [
    ['mobile', 360, 740],
    ['desktop', 1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}complaints-${name}-${tag}.png`, fullPage: name !== 'inbox' });
  }
  await page.setViewportSize(size);
}

/** A camera-sized photo (2400 × 1800) that the page must shrink to ≤ 1600 px before upload. */
async function cameraPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 2400, height: 1800, channels: 3, background: { r: 120, g: 110, b: 95 } } })
    .composite([{ input: Buffer.from('<svg width="2400" height="1800"><circle cx="1200" cy="900" r="500" fill="#333"/></svg>'), top: 0, left: 0 }])
    .jpeg({ quality: 95 })
    .toBuffer();
}

test('an anonymous resident reports with a photo on a phone, the triage desk verifies and disposes it, and the tracking page follows', async ({ page, browser }) => {
  const id = stamp();
  const description = `Jalan berlubang besar di depan sekolah, sudah dua minggu tidak diperbaiki (uji ${id}).`;

  // 1. The portal offers the service; the form is reachable from it.
  await page.goto('/');
  await page.getByRole('link', { name: /Pengaduan warga/ }).click();
  await expect(page).toHaveURL(/\/lapor$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lapor masalah di kota');
  await expectNoHorizontalScroll(page);

  // Client rules: nothing chosen yet, every missing piece is marked.
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByText('Pilih kategori laporan.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Uraian' })).toHaveAttribute('aria-invalid', 'true');

  await page.getByRole('radio', { name: 'Jalan rusak/berlubang' }).click();
  await expect(page.getByRole('radio', { name: 'Jalan rusak/berlubang' })).toHaveAttribute('aria-checked', 'true');
  // The kecamatan and kelurahan are the phone's own pickers (native selects).
  await page.getByRole('combobox', { name: 'Kecamatan' }).selectOption({ label: 'Tamalate' });
  await page.getByRole('combobox', { name: 'Kelurahan' }).selectOption({ label: 'Mannuruki' });
  await page.getByRole('textbox', { name: 'Alamat atau patokan' }).fill('Jl. Mannuruki Raya, depan SD');
  await page.getByRole('button', { name: 'Gunakan lokasi saya' }).click();
  await expect(page.getByTestId('report-location')).toContainText('-5.176512, 119.436411');

  // The photo is downscaled in the browser before it is uploaded.
  const upload = page.waitForResponse((r) => r.url().endsWith('/api/v1/files') && r.request().method() === 'POST' && r.status() === 201);
  await page.getByTestId('report-photo-input').setInputFiles({ name: 'kamera.jpg', mimeType: 'image/jpeg', buffer: await cameraPhoto() });
  await expect(page.locator('[data-testid="report-photo"][data-uploaded="true"]')).toHaveCount(1);
  const stored: { width: number; height: number } = await (await upload).json();
  expect(Math.max(stored.width, stored.height)).toBe(1600);

  await page.getByRole('textbox', { name: 'Uraian' }).fill('Terlalu pendek');
  await expect(page.getByText(/^14 karakter/)).toBeVisible();
  await page.getByRole('textbox', { name: 'Uraian' }).fill(description);
  // The category's required attribute is asked.
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByRole('combobox', { name: 'Jenis kerusakan' })).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('combobox', { name: 'Jenis kerusakan' }).selectOption({ label: 'Berlubang' });
  await expectNoHorizontalScroll(page);
  await shot(page, 'form');

  const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/complaints') && r.method() === 'POST');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  expect((await sent).headers()['idempotency-key']).toMatch(/^[0-9a-f-]{32,36}$/);

  // 2. The confirmation: the code and the private link.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Laporan terkirim');
  const code = (await page.getByTestId('tracking-code').textContent())!.trim();
  expect(code).toMatch(/^ADU-/);
  const link = (await page.getByTestId('private-link').textContent())!.trim();
  expect(link).toMatch(new RegExp(`/lapor/lacak/${code}\\?token=[A-Za-z0-9_-]{43}$`));
  await expectNoHorizontalScroll(page);
  await shot(page, 'confirmation');

  // 3. The private link opens the report before verification; the code alone does not.
  await page.getByRole('link', { name: 'Lihat status laporan' }).click();
  await expect(page.getByTestId('track-status')).toHaveText('Terkirim');
  await expect(page.getByText(description)).toBeVisible();
  await expect(page.getByRole('img', { name: 'Foto 1' })).toBeVisible();
  await expect(page.getByText(/WITA$/).first()).toBeVisible();
  await page.goto(`/lapor/lacak/${code}`);
  await expect(page.getByTestId('track-not-found')).toBeVisible();

  // 4. The triage officer verifies and disposes it in the inbox.
  const staffContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const staff = await staffContext.newPage();
  await signIn(staff, 'pengaduan@makassarkota.go.id');
  await workspaceNav(staff).getByRole('link', { name: 'Pengaduan warga' }).click();
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText('Pengaduan warga');
  await shot(staff, 'inbox');
  await staff.getByRole('link', { name: code }).click();
  await expect(staff.getByTestId('detail-code')).toHaveText(code);
  await expect(staff.getByTestId('detail-status')).toHaveText('Terkirim');
  await expect(staff.getByText('Anonim').first()).toBeVisible();
  await expect(staff.getByText('Berlubang', { exact: true })).toBeVisible();
  await expect(staff.getByTestId('detail-photo')).toHaveCount(1);
  await staff.getByTestId('action-verify').click();
  await staff.getByTestId('action-confirm').click();
  await expect(staff.getByTestId('detail-status')).toHaveText('Terverifikasi');
  // Disposition proposes the unit the category routes to.
  await staff.getByTestId('action-dispose').click();
  await expect(staff.getByRole('combobox', { name: 'Unit tujuan' })).toHaveValue(/Bidang Bina Marga/);
  await staff.getByTestId('action-text').fill('Mohon ditinjau minggu ini.');
  await staff.getByTestId('action-confirm').click();
  await expect(staff.getByTestId('detail-status')).toHaveText('Didisposisikan');
  // The disposition note is internal: marked in the workspace, absent from the public timeline.
  await expect(staff.getByTestId('timeline-internal').first()).toBeVisible();
  await staffContext.close();

  // 5. The report is public now: the code alone opens it, with the new status.
  await page.goto('/lapor/lacak');
  await page.getByRole('textbox', { name: 'Kode pelacakan' }).fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Lacak' }).click();
  await expect(page.getByTestId('track-status')).toHaveText('Didisposisikan');
  await expect(page.getByText('Bidang Bina Marga')).toBeVisible();
  await expect(page.getByText('-5.176512, 119.436411')).toBeVisible();
  await expect(page.getByText('Mohon ditinjau minggu ini.')).toHaveCount(0);
  await expectNoHorizontalScroll(page);
});

/** Issue 4: the report page loads at most 150 KB of gzipped JavaScript before the first interaction. */
const REPORT_PAGE_JS_BUDGET = 150 * 1024;

test('the report page stays within its budget of gzipped JavaScript before the first interaction', async ({ page }) => {
  const scripts: Promise<{ size: number; leaflet: boolean; encoding?: string }>[] = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script')
      scripts.push(
        res.body().then((b) => {
          const encoding = res.headers()['content-encoding'];
          const n = gzipSync(b).length;
          if (process.env.SIZES === '1') process.stdout.write(`${(n / 1024).toFixed(1)}\t${res.url().split('/').pop()}\n`);
          // A string of Leaflet's own code (the map library must wait until the map opens).
          return { size: n, leaflet: b.includes('_leaflet_id'), encoding };
        }),
      );
  });
  await page.goto('/lapor');
  await expect(page.getByRole('radio', { name: 'Jalan rusak/berlubang' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const loaded = await Promise.all(scripts);
  const total = loaded.reduce((a, b) => a + b.size, 0);
  process.stdout.write(`/lapor: ${loaded.length} scripts, ${(total / 1024).toFixed(1)} KB gzipped\n`);
  expect(total).toBeLessThanOrEqual(REPORT_PAGE_JS_BUDGET);
  expect(loaded.filter((s) => s.leaflet)).toHaveLength(0);
  // The server itself sends them gzipped (there is no proxy in front of `npm start`).
  expect(loaded.map((s) => s.encoding)).toEqual(loaded.map(() => 'gzip'));

  // The map library comes when the resident opens the map.
  const before = scripts.length;
  await page.getByRole('button', { name: 'Pilih di peta' }).click();
  await expect(page.locator('.leaflet-container')).toBeVisible();
  expect((await Promise.all(scripts.slice(before))).some((s) => s.leaflet)).toBe(true);
  // A tap on the map (inside the city's area) sets the pin.
  await page.locator('.leaflet-container').click({ position: { x: 160, y: 140 } });
  await expect(page.getByTestId('report-location-source')).toHaveText('Lokasi dipilih di peta');
  await expect(page.getByTestId('report-location')).toContainText(/Lokasi: -\d+\.\d+, 119\.\d+/);
});

/** Degrees as EXIF's three rationals (degrees, minutes, seconds/10000). */
function dms(v: number): string {
  const a = Math.abs(v);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = Math.round(((a - d) * 60 - m) * 60 * 10000);
  return `${d}/1 ${m}/1 ${s}/10000`;
}

/**
 * A 4000 × 3000 camera photo of about 4 MB (blurred noise, so it does not compress away) with the
 * GPS position the phone wrote into its EXIF.
 */
async function gpsPhoto(lat: number, lng: number, size: [number, number] = [4000, 3000]): Promise<Buffer> {
  const grain = await sharp({ create: { width: size[0] / 4, height: size[1] / 4, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 120, sigma: 50 } } })
    .png()
    .toBuffer();
  return sharp(grain)
    .resize(size[0], size[1], { kernel: 'cubic' })
    .blur(0.8)
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'Balai', Model: 'Uji' }, IFD3: { GPSLatitudeRef: lat < 0 ? 'S' : 'N', GPSLatitude: dms(lat), GPSLongitudeRef: lng < 0 ? 'W' : 'E', GPSLongitude: dms(lng) } })
    .toBuffer();
}

test('a camera photo with GPS pre-fills the pin and goes up as at most 400 KB; the resident may change the place', async ({ page }) => {
  await page.goto('/lapor');
  await page.getByRole('radio', { name: 'Sampah menumpuk' }).click();

  // A point outside the city is not used, with a clear message.
  await page.getByTestId('report-photo-input').setInputFiles({ name: 'jakarta.jpg', mimeType: 'image/jpeg', buffer: await gpsPhoto(-6.2, 106.816666, [800, 600]) });
  await expect(page.getByTestId('report-location-error')).toContainText('di luar wilayah Kota Makassar');
  await expect(page.getByTestId('report-location')).toHaveCount(0);
  await page.getByRole('button', { name: 'Hapus foto 1' }).click();

  // Pantai Losari, inside the city: the pin comes from the photo.
  const photo = await gpsPhoto(-5.147665, 119.406843);
  expect(photo.length).toBeGreaterThan(3.5 * 1024 * 1024);
  const upload = page.waitForResponse((r) => r.url().endsWith('/api/v1/files') && r.request().method() === 'POST');
  await page.getByTestId('report-photo-input').setInputFiles({ name: 'kamera.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.getByTestId('report-location-source')).toHaveText('Lokasi diambil dari foto');
  await expect(page.getByTestId('report-location')).toContainText('-5.147665, 119.406843');
  const uploaded = await upload;
  const stored: { width: number; height: number } = await uploaded.json();
  expect(Math.max(stored.width, stored.height)).toBe(1600);
  // What went over the network: the multipart body with the downscaled JPEG.
  expect((await uploaded.request().sizes()).requestBodySize).toBeLessThanOrEqual(400 * 1024);
  await expect(page.locator('[data-testid="report-photo"][data-uploaded="true"]')).toHaveCount(1);

  // The resident may put the pin elsewhere: GPS replaces it.
  await page.getByRole('button', { name: 'Gunakan lokasi saya' }).click();
  await expect(page.getByTestId('report-location')).toContainText('-5.176512, 119.436411');
  await expect(page.getByTestId('report-location-source')).toHaveCount(0);

  await page.getByRole('textbox', { name: 'Uraian' }).fill('Sampah menumpuk di tepi pantai sejak tiga hari, mulai berbau dan dikerubungi lalat.');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Laporan terkirim');
});

test('a draft survives a reload, waits on the device while offline and is sent when the connection returns', async ({ page, context }) => {
  const description = `Lampu lalu lintas di perempatan mati total sejak pagi, kendaraan saling serobot (uji ${stamp()}).`;
  await page.goto('/lapor');
  await page.getByRole('radio', { name: 'Lampu lalu lintas mati' }).click();
  await page.getByRole('combobox', { name: 'Kecamatan' }).selectOption({ label: 'Rappocini' });
  await page.getByRole('textbox', { name: 'Uraian' }).fill(description);
  await page.getByTestId('report-photo-input').setInputFiles({ name: 'satu.jpg', mimeType: 'image/jpeg', buffer: await cameraPhoto() });
  await expect(page.locator('[data-testid="report-photo"][data-uploaded="true"]')).toHaveCount(1);
  await page.waitForTimeout(800); // the draft is saved 300 ms after the last change

  // A reload keeps everything, the photo included.
  await page.reload();
  await expect(page.getByTestId('report-restored')).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Lampu lalu lintas mati' })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByRole('combobox', { name: 'Kecamatan' })).toHaveValue(/.+/);
  await expect(page.getByRole('textbox', { name: 'Uraian' })).toHaveValue(description);
  await expect(page.locator('[data-testid="report-photo"][data-uploaded="true"]')).toHaveCount(1);

  // Offline: a second photo waits on the device, and "Kirim" keeps the report there.
  await context.setOffline(true);
  await expect(page.getByTestId('report-offline')).toBeVisible();
  await page.getByTestId('report-photo-input').setInputFiles({ name: 'dua.jpg', mimeType: 'image/jpeg', buffer: await cameraPhoto() });
  await expect(page.locator('[data-testid="report-photo"][data-pending="true"]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByTestId('report-queued')).toContainText('Tersimpan di perangkat, akan dikirim saat online');
  // The app shell opens without a connection (service worker), and the report is still waiting.
  await page.reload();
  await expect(page.getByTestId('report-queued')).toBeVisible();

  // Back online: the photo goes up, then the report, once; the confirmation shows the code.
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/complaints') && r.method() === 'POST') posts.push(r.headers()['idempotency-key'] ?? '');
  });
  await context.setOffline(false);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Laporan terkirim');
  await expect(page.getByTestId('tracking-code')).toHaveText(/^ADU-/);
  expect(posts).toHaveLength(1);
  await page.getByRole('link', { name: 'Lihat status laporan' }).click();
  await expect(page.getByText(description)).toBeVisible();
  await expect(page.getByRole('img', { name: 'Foto 2' })).toBeVisible();

  // Sent means gone from the device: a new visit starts empty.
  await page.goto('/lapor');
  await expect(page.getByRole('textbox', { name: 'Uraian' })).toHaveValue('');
  await expect(page.getByTestId('report-restored')).toHaveCount(0);
});

test('an answer lost on the way is retried with the same Idempotency-Key when the page is opened again: one report', async ({ page }) => {
  await page.goto('/lapor');
  await page.getByRole('radio', { name: 'Pohon tumbang' }).click();
  await page.getByRole('button', { name: 'Gunakan lokasi saya' }).click();
  await page.getByRole('textbox', { name: 'Uraian' }).fill(`Pohon besar tumbang menutup separuh jalan setelah hujan deras (uji ${stamp()}).`);

  // The server files the report, but the phone never hears back.
  const seen: { created?: { trackingCode: string }; keys: string[] } = { keys: [] };
  await page.route('**/api/v1/complaints', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    seen.keys.push(route.request().headers()['idempotency-key'] ?? '');
    const res = await route.fetch();
    seen.created = await res.json();
    await route.abort('internetdisconnected');
  });
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByTestId('report-queued')).toBeVisible();
  expect(seen.created?.trackingCode).toMatch(/^ADU-/);
  expect(seen.keys).toHaveLength(1);
  await page.unroute('**/api/v1/complaints');

  // Opened again: sent by itself, with the same key, and the server answers with the same report.
  const retry = page.waitForRequest((r) => r.url().endsWith('/api/v1/complaints') && r.method() === 'POST');
  await page.reload();
  expect((await retry).headers()['idempotency-key']).toBe(seen.keys[0]);
  await expect(page.getByTestId('tracking-code')).toHaveText(seen.created!.trackingCode);
});
