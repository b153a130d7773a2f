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
  await page.getByRole('combobox', { name: 'Kecamatan' }).click();
  await page.getByRole('option', { name: 'Tamalate' }).click();
  await page.getByRole('combobox', { name: 'Kelurahan' }).click();
  await page.getByRole('option', { name: 'Mannuruki' }).click();
  await page.getByRole('textbox', { name: 'Alamat atau patokan' }).fill('Jl. Mannuruki Raya, depan SD');
  await page.getByRole('button', { name: 'Gunakan lokasi saya' }).click();
  await expect(page.getByTestId('report-location')).toContainText('-5.176512, 119.436411');

  // The photo is downscaled in the browser before it is uploaded.
  const uploads: { width: number; height: number }[] = [];
  page.on('response', async (res) => {
    if (res.url().endsWith('/api/v1/files') && res.request().method() === 'POST' && res.status() === 201) uploads.push(await res.json());
  });
  await page.getByTestId('report-photo-input').setInputFiles({ name: 'kamera.jpg', mimeType: 'image/jpeg', buffer: await cameraPhoto() });
  await expect(page.locator('[data-testid="report-photo"][data-uploaded="true"]')).toHaveCount(1);
  expect(Math.max(uploads[0]!.width, uploads[0]!.height)).toBe(1600);

  await page.getByRole('textbox', { name: 'Uraian' }).fill('Terlalu pendek');
  await expect(page.getByText(/^14 karakter/)).toBeVisible();
  await page.getByRole('textbox', { name: 'Uraian' }).fill(description);
  // The category's required attribute is asked.
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByRole('combobox', { name: 'Jenis kerusakan' })).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('combobox', { name: 'Jenis kerusakan' }).click();
  await page.getByRole('option', { name: 'Berlubang' }).click();
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
  await staff.getByRole('button', { name: code }).click();
  const drawer = staff.getByRole('dialog', { name: 'Detail laporan' });
  await expect(drawer.getByTestId('detail-status')).toHaveText('Terkirim');
  await expect(drawer.getByText('Anonim')).toBeVisible();
  await expect(drawer.getByText('Berlubang', { exact: true })).toBeVisible();
  await shot(staff, 'inbox');
  await drawer.getByRole('button', { name: 'Verifikasi', exact: true }).click();
  await drawer.getByRole('button', { name: 'Verifikasi laporan' }).click();
  await expect(drawer.getByTestId('detail-status')).toHaveText('Terverifikasi');
  await drawer.getByRole('button', { name: 'Disposisi', exact: true }).click();
  await expect(drawer.getByRole('combobox', { name: 'Disposisikan ke unit' })).toHaveValue('Bidang Bina Marga');
  await drawer.getByRole('textbox', { name: 'Catatan' }).fill('Mohon ditinjau minggu ini.');
  await drawer.getByRole('button', { name: 'Disposisikan', exact: true }).click();
  await expect(drawer.getByTestId('detail-status')).toHaveText('Didisposisikan');
  // The disposition note is internal: marked in the workspace, absent from the public timeline.
  await expect(drawer.getByText('Internal').first()).toBeVisible();
  await staff.keyboard.press('Escape');
  await expect(staff.getByRole('row').filter({ hasText: code }).getByText('Didisposisikan')).toBeVisible();
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

/**
 * Issue 4 targets 150 KB; today the shared shell alone (React, router, query, i18next, Mantine
 * core, notifications) weighs about 180 KB of the 248 KB measured, so this guards against growth
 * until the shell is slimmed, rather than claiming the target.
 */
const REPORT_PAGE_JS_BUDGET = 260 * 1024;

test('the report page stays within its budget of gzipped JavaScript before the first interaction', async ({ page }) => {
  const scripts: Promise<number>[] = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script')
      scripts.push(
        res.body().then((b) => {
          const n = gzipSync(b).length;
          if (process.env.SIZES === '1') process.stdout.write(`${(n / 1024).toFixed(1)}\t${res.url().split('/').pop()}\n`);
          return n;
        }),
      );
  });
  await page.goto('/lapor');
  await expect(page.getByRole('radio', { name: 'Jalan rusak/berlubang' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const sizes = await Promise.all(scripts);
  const total = sizes.reduce((a, b) => a + b, 0);
  process.stdout.write(`/lapor: ${sizes.length} scripts, ${(total / 1024).toFixed(1)} KB gzipped\n`);
  expect(total).toBeLessThanOrEqual(REPORT_PAGE_JS_BUDGET);
});
