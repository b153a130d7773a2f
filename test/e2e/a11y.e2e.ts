import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { signIn } from './support';

/** Serious and critical WCAG 2.1 A/AA violations on the current page, summarised for the report. */
async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

const publicPages = [
  { path: '/', heading: 'Layanan publik Kota Makassar' },
  { path: '/masuk', heading: 'Masuk' },
  { path: '/daftar', heading: 'Daftar akun warga' },
  { path: '/lapor', heading: 'Lapor masalah di kota' },
  { path: '/lapor/lacak', heading: 'Lacak laporan' },
];

for (const p of publicPages) {
  test(`axe: ${p.path} has no serious or critical violations`, async ({ page }) => {
    await page.goto(p.path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.heading);
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('axe: the workspace home and the units page have no serious or critical violations', async ({ page }) => {
  await signIn(page, 'admin@makassarkota.go.id');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Selamat datang');
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto('/admin/units');
  await expect(page.locator('[data-unit-name="Dinas Pekerjaan Umum"]')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  // With a dialog open as well.
  await page.getByRole('button', { name: 'Tindakan untuk Dinas Pekerjaan Umum' }).click();
  await page.getByRole('menuitem', { name: 'Tambah sub-unit' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  // Scan once the action menu has finished closing (its fade-out is not the page's state).
  await expect(page.getByRole('menu')).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test('axe: the registration form with errors shown has no serious or critical violations', async ({ page }) => {
  await page.goto('/daftar');
  await page.getByRole('button', { name: 'Buat akun' }).click();
  await expect(page.getByRole('textbox', { name: 'Nama lengkap' })).toHaveAttribute('aria-invalid', 'true');
  expect(await seriousViolations(page)).toEqual([]);
});
