import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { signIn, stamp, workspaceNav } from './support';

test.use({ viewport: { width: 1280, height: 860 } });

const shots = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** Serious and critical WCAG 2.1 A/AA violations on the current page. */
async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

/**
 * Leaves a searchable select with Tab once the option typed for is highlighted: Mantine highlights
 * the first match a moment after the input changes, and Tab picks the highlighted option. Under a
 * loaded CI a Tab pressed before that left the field empty.
 */
async function tabOnOption(page: Page, option: string): Promise<void> {
  await expect(page.getByRole('option', { name: option, exact: true })).toHaveAttribute('data-combobox-selected', 'true');
  await page.keyboard.press('Tab');
}

/** Types into whatever has focus and checks that it is the expected field (keyboard only). */
async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  await expect(page.getByTestId(testId)).toBeFocused();
  await page.keyboard.type(text);
}

test('a call-centre operator files a report for a caller with the keyboard only; the caller’s earlier report shows on the next call', async ({ page }) => {
  const id = stamp();
  // A fresh caller number per run: 0813 + 8 digits.
  const digits = String(Date.now()).slice(-8);
  const phone = `0813${digits}`;
  const description = `Lampu jalan di depan SD Inpres mati sejak Senin, lorong gelap sekali (telepon ${id}).`;

  await signIn(page, 'pengaduan@makassarkota.go.id');
  await expect(workspaceNav(page).getByRole('link', { name: 'Call center pengaduan' })).toBeVisible();
  await expect(workspaceNav(page).getByRole('link', { name: 'Pesan masuk kanal' })).toBeVisible();
  await workspaceNav(page).getByRole('link', { name: 'Call center pengaduan' }).click();
  await expect(page).toHaveURL(/\/staf\/call-centre$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Call center pengaduan');
  expect(await seriousViolations(page)).toEqual([]);

  // The caller's phone has focus as soon as the console opens; from here on, only the keyboard.
  await typeInto(page, 'cc-phone', phone);
  await page.keyboard.press('Tab');
  await typeInto(page, 'cc-name', 'Daeng Bollo');
  // A new caller: nothing earlier.
  await expect(page.getByTestId('cc-history')).toContainText('Belum ada laporan dengan nomor');
  await page.keyboard.press('Tab');
  await typeInto(page, 'cc-category', 'jalan rusak');
  await tabOnOption(page, 'Jalan rusak/berlubang');
  await expect(page.getByTestId('cc-category')).toHaveValue('Jalan rusak/berlubang');
  await typeInto(page, 'cc-kecamatan', 'tamalat');
  await tabOnOption(page, 'Tamalate');
  await expect(page.getByTestId('cc-kecamatan')).toHaveValue('Tamalate');
  // The kelurahan of that kecamatan are loaded (the field says so) before the operator types.
  await expect(page.getByTestId('cc-kelurahan')).toHaveAttribute('placeholder', 'Ketik untuk mencari');
  await typeInto(page, 'cc-kelurahan', 'mangasa');
  await tabOnOption(page, 'Mangasa');
  await expect(page.getByTestId('cc-kelurahan')).toHaveValue('Mangasa');
  // With category and place chosen, open reports of the same kind nearby are listed (or none).
  await expect(page.getByTestId('cc-nearby')).not.toContainText('Pilih kategori dan tempat');
  await typeInto(page, 'cc-address', 'Jl. Mangasa Raya depan SD Inpres');
  await page.keyboard.press('Tab');
  await typeInto(page, 'cc-description', description);
  // The category's own questions come last, as they appear once the category is chosen.
  await page.keyboard.press('Tab');
  await typeInto(page, 'attr-jenis_kerusakan', 'berlub');
  await tabOnOption(page, 'Berlubang');
  await expect(page.getByTestId('attr-jenis_kerusakan')).toHaveValue('Berlubang');
  await page.screenshot({ path: `${shots}callcentre-filled.png`, fullPage: true });
  await page.keyboard.press('Control+Enter');

  // The tracking code to read out; the form is clear and ready for the next call.
  const code = page.getByTestId('cc-tracking-code');
  await expect(code).toHaveText(/^ADU-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const trackingCode = (await code.textContent())!.trim();
  await expect(page.getByTestId('cc-result')).toContainText('Laporan Daeng Bollo tercatat');
  await expect(page.getByTestId('cc-phone')).toBeFocused();
  await expect(page.getByTestId('cc-phone')).toHaveValue('');
  await expect(page.getByTestId('cc-description')).toHaveValue('');
  await page.screenshot({ path: `${shots}callcentre-filed.png`, fullPage: true });

  // The same caller rings again: their earlier report appears as soon as the number is entered.
  await page.keyboard.type(`+62 813-${digits.slice(0, 4)}-${digits.slice(4)}`);
  await page.keyboard.press('Tab');
  const history = page.getByTestId('cc-history');
  await expect(history).toContainText(trackingCode);
  await expect(history).toContainText('Jalan rusak/berlubang');
  await expect(history).toContainText('Call center');
  // The operator does not hold personal_data.read: the name is masked.
  await expect(history).toContainText('D**** B****');
  await expect(history).not.toContainText('Daeng Bollo');
  await page.screenshot({ path: `${shots}callcentre-second-call.png`, fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // The report is in the triage inbox, with the caller as reporter and the operator in the timeline.
  const inbox = (await (await page.request.get('/api/v1/complaints?limit=50')).json()).items as { id: string; trackingCode: string }[];
  const filed = inbox.find((i) => i.trackingCode === trackingCode);
  expect(filed, `report ${trackingCode} in the inbox`).toBeTruthy();
  const detail = await (await page.request.get(`/api/v1/complaints/${filed!.id}`)).json();
  expect(detail.reporter.name).toBe('Daeng Bollo');
  expect(detail.timeline[0]).toMatchObject({ action: 'submit', actorKind: 'triage', actorName: 'Rahmawati Saleh' });
  expect(detail.attributes).toEqual({ jenis_kerusakan: 'lubang' });
});

test('a WhatsApp message delivered by the gateway waits in the queue; the desk turns it into a report', async ({ page, request }) => {
  const id = stamp();
  // The administrator gives the WhatsApp gateway a key; the gateway delivers a message with it.
  const login = await request.post('/api/v1/auth/login', { data: { login: 'admin@makassarkota.go.id', password: 'balai2026' } });
  expect(login.status()).toBe(200);
  const csrf = (await login.json()).csrfToken as string;
  const created = await request.post('/api/v1/admin/api-keys', { data: { name: `Gateway WA ${id}`, permissions: ['complaints.intake', 'files.upload'] }, headers: { 'x-csrf-token': csrf } });
  expect(created.status()).toBe(201);
  const key = (await created.json()).key as string;
  const text = `Selamat pagi, got di Jl. Andi Tonro tersumbat sampah, air meluap ke jalan tiap hujan (wa ${id}).`;
  const delivered = await request.post('/api/v1/intake/whatsapp', {
    headers: { authorization: `Bearer ${key}` },
    data: { text, sender: { name: 'Ibu Nurhaeda', phone: '6285211112222' }, externalId: `wamid.${id}` },
  });
  expect(delivered.status()).toBe(201);

  await signIn(page, 'pengaduan@makassarkota.go.id');
  await workspaceNav(page).getByRole('link', { name: 'Pesan masuk kanal' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pesan masuk kanal');
  const row = page.getByTestId('intake-row').filter({ hasText: `wa ${id}` });
  await expect(row).toContainText('WhatsApp');
  await expect(row).toContainText('6285******222');
  await page.screenshot({ path: `${shots}intake-queue.png`, fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await row.getByRole('button').click();
  await page.getByTestId('intake-convert').click();
  await page.getByTestId('cc-category').fill('sampah');
  await page.getByRole('option', { name: 'Sampah menumpuk' }).click();
  await page.getByTestId('cc-kecamatan').fill('Tamalate');
  await page.getByRole('option', { name: 'Tamalate', exact: true }).click();
  await page.screenshot({ path: `${shots}intake-convert.png`, fullPage: true });
  await page.getByTestId('intake-confirm').click();
  await expect(page.getByTestId('intake-status')).toHaveText('Jadi laporan');
  await expect(page.getByText('Pesan ini sudah menjadi laporan')).toBeVisible();
  // The gateway's repeat delivery now learns the tracking code (to answer the sender).
  const again = await request.post('/api/v1/intake/whatsapp', { headers: { authorization: `Bearer ${key}` }, data: { text, externalId: `wamid.${id}` } });
  expect(again.status()).toBe(200);
  expect((await again.json()).complaint.trackingCode).toMatch(/^ADU-/);
});
