import { fileURLToPath } from 'node:url';
import { type BrowserContext, devices, expect, type Page, test } from '@playwright/test';
import sharp from 'sharp';
import { expectNoHorizontalScroll, signIn, stamp } from './support';

/**
 * The whole life of a report through the pages: an anonymous resident files it on a phone, the
 * triage desk verifies and disposes it on the detail page, the traffic division handles and
 * answers it with a proof photo, and the resident confirms and rates it through the private link.
 */
test.use({ ...devices['Pixel 5'], viewport: { width: 360, height: 740 }, channel: undefined });

const shots = `${process.env.TEST_RESULTS_DIR ?? fileURLToPath(new URL('../../test-results', import.meta.url))}/`;
/** SCREENSHOTS=1 keeps pictures of the pages in the test results directory to look at. */
async function shot(page: Page, name: string, sizes: readonly (readonly [string, number, number])[]): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  const size = page.viewportSize()!;
  for (const [tag, width, height] of sizes) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}followup-${name}-${tag}.png`, fullPage: true });
  }
  await page.setViewportSize(size);
}
const PHONE = ['mobile', 360, 740] as const;
const DESKTOP = ['desktop', 1280, 800] as const;

async function photo(colour: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 900, channels: 3, background: colour } }).jpeg({ quality: 85 }).toBuffer();
}

/** Picks an option of a labelled choice, a native select or a Mantine combobox alike. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await expect(box).toBeEnabled();
  if ((await box.evaluate((el) => el.tagName)) === 'SELECT') {
    await expect(box.locator('option', { hasText: option }).first()).toBeAttached();
    await box.selectOption({ label: option });
  } else {
    await box.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }
}

async function staffPage(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

test('a report goes from the resident’s phone through triage and the unit back to the resident, who closes and rates it', async ({ page, browser }) => {
  const id = stamp();
  const description = `Lampu lalu lintas di perempatan mati total sejak pagi, kendaraan saling serobot (uji ${id}).`;

  // 1. The anonymous resident files the report with a photo (as in complaints.e2e.ts).
  await page.goto('/lapor');
  await page.getByRole('radio', { name: 'Lampu lalu lintas mati' }).click();
  await choose(page, 'Kecamatan', 'Panakkukang');
  await choose(page, 'Kelurahan', 'Pandang');
  await page.getByRole('textbox', { name: 'Alamat atau patokan' }).fill('Perempatan Jl. A. P. Pettarani – Jl. Boulevard');
  await page.getByTestId('report-photo-input').setInputFiles({ name: 'lampu.jpg', mimeType: 'image/jpeg', buffer: await photo({ r: 40, g: 40, b: 40 }) });
  await expect(page.locator('[data-testid="report-photo"][data-uploaded="true"]')).toHaveCount(1);
  await page.getByRole('textbox', { name: 'Uraian' }).fill(description);
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Laporan terkirim');
  const code = (await page.getByTestId('tracking-code').textContent())!.trim();
  const link = (await page.getByTestId('private-link').textContent())!.trim();
  expect(link).toContain(`/lapor/lacak/${code}?token=`);

  // Before verification the private link offers to withdraw, nothing else.
  await page.goto(link);
  await expect(page.getByTestId('track-status')).toHaveText('Terkirim');
  await expect(page.getByTestId('followup-withdraw')).toBeVisible();
  await expect(page.getByTestId('followup-close')).toHaveCount(0);
  await expectNoHorizontalScroll(page);
  // The code alone (no token) is a stranger's view: no actions.
  await page.goto(`/lapor/lacak/${code}`);
  await expect(page.getByTestId('track-not-found')).toBeVisible();

  // 2. The triage desk opens the detail page, verifies, and disposes to Dishub's traffic division.
  const triageContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const triage = await staffPage(triageContext, 'pengaduan@makassarkota.go.id');
  const inbox = await triageContext.request.get('/api/v1/complaints?status=submitted&limit=100');
  const complaintId = ((await inbox.json()).items as { id: string; trackingCode: string }[]).find((i) => i.trackingCode === code)!.id;
  await triage.goto(`/staf/pengaduan/${complaintId}`);
  await expect(triage.getByTestId('detail-code')).toHaveText(code);
  await expect(triage.getByTestId('detail-status')).toHaveText('Terkirim');
  await expect(triage.getByTestId('detail-description')).toHaveText(description);
  await expect(triage.getByTestId('detail-photo')).toHaveCount(1);
  await expect(triage.getByTestId('detail-due')).toContainText('WITA');
  // A triage officer gets the triage actions only.
  await expect(triage.getByTestId('action-verify')).toBeVisible();
  await expect(triage.getByTestId('action-reject')).toBeVisible();
  await expect(triage.getByTestId('action-resolve')).toHaveCount(0);
  await triage.getByTestId('action-verify').click();
  await triage.getByTestId('action-confirm').click();
  await expect(triage.getByTestId('detail-status')).toHaveText('Terverifikasi');

  await triage.getByTestId('action-dispose').click();
  // The unit picker searches the tenant's units on the server.
  const picker = triage.getByRole('combobox', { name: 'Unit tujuan' });
  await expect(picker).toHaveValue('Bidang Lalu Lintas');
  await picker.fill('lalu lintas');
  await expect(triage.getByRole('listbox')).toBeVisible();
  await triage.getByRole('option', { name: /^Bidang Lalu Lintas\s*Dinas Perhubungan$/ }).click();
  await triage.getByTestId('action-text').fill('Mohon segera dicek petugas APILL.');
  await triage.getByTestId('action-confirm').click();
  await expect(triage.getByTestId('detail-status')).toHaveText('Didisposisikan');
  await expect(triage.getByTestId('detail-timeline')).toContainText('Mohon segera dicek petugas APILL.');
  await expect(triage.getByTestId('timeline-internal').first()).toBeVisible();
  await shot(triage, 'detail', [DESKTOP, PHONE]);
  await triage.setViewportSize({ width: 360, height: 740 });
  await expectNoHorizontalScroll(triage);
  await triageContext.close();

  // 3. The traffic division starts and answers with a template and a proof photo.
  const unitContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'id-ID', timezoneId: 'Asia/Makassar' });
  const handler = await staffPage(unitContext, 'staf.lalulintas@makassarkota.go.id');
  await handler.goto(`/staf/pengaduan/${complaintId}`);
  await expect(handler.getByTestId('detail-status')).toHaveText('Didisposisikan');
  await expect(handler.getByTestId('action-verify')).toHaveCount(0);
  await handler.getByTestId('action-start').click();
  await handler.getByTestId('action-confirm').click();
  await expect(handler.getByTestId('detail-status')).toHaveText('Sedang ditangani');

  await handler.getByTestId('action-resolve').click();
  // Resolving without a proof photo is refused in the browser, with a clear message.
  await handler.getByTestId('action-confirm').click();
  await expect(handler.getByText('Lampirkan minimal satu foto bukti penanganan.')).toBeVisible();
  await handler.getByTestId('template-menu').click();
  await handler.getByRole('menuitem', { name: /Lampu lalu lintas sudah diperbaiki/ }).click();
  await expect(handler.getByTestId('action-text')).toHaveValue(/lampu kembali menyala normal/);
  await handler.getByTestId('proof-input').setInputFiles({ name: 'bukti.jpg', mimeType: 'image/jpeg', buffer: await photo({ r: 30, g: 160, b: 60 }) });
  await expect(handler.locator('[data-testid="proof-photo"][data-uploaded="true"]')).toHaveCount(1);
  await handler.getByTestId('action-confirm').click();
  await expect(handler.getByTestId('detail-status')).toHaveText('Selesai ditangani');
  await expect(handler.getByTestId('detail-photo')).toHaveCount(2);
  await unitContext.close();

  // 4. The resident opens the private link again, confirms and rates 5.
  await page.goto(link);
  await expect(page.getByTestId('track-status')).toHaveText('Selesai ditangani');
  await expect(page.getByText(/lampu kembali menyala normal/)).toBeVisible();
  await expect(page.getByTestId('followup-close')).toBeVisible();
  await expect(page.getByTestId('followup-reopen')).toBeVisible();
  await expect(page.getByText(/membuka kembali laporan ini sampai .* WITA/)).toBeVisible();
  await expectNoHorizontalScroll(page);
  await shot(page, 'track', [PHONE]);
  await page.getByTestId('followup-close').click();
  await page.getByTestId('followup-submit').click();
  await expect(page.getByTestId('track-status')).toHaveText('Ditutup');
  await page.getByTestId('followup-rate').click();
  // Sending without stars is refused in the browser.
  await page.getByTestId('followup-submit').click();
  await expect(page.getByText('Pilih 1 sampai 5 bintang.')).toBeVisible();
  await page.getByRole('radio', { name: '5 dari 5 bintang' }).click();
  await page.getByTestId('followup-text').fill('Cepat sekali ditangani, terima kasih!');
  await page.getByTestId('followup-submit').click();
  await expect(page.getByTestId('track-rating')).toContainText('★★★★★');
  await expect(page.getByTestId('track-rating')).toContainText('Cepat sekali ditangani');
  await expect(page.getByTestId('reporter-actions')).toHaveCount(0);
  await expectNoHorizontalScroll(page);
  await shot(page, 'track-closed', [PHONE]);
});
