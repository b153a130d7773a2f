import { expect, test } from '@playwright/test';
import { signIn, workspaceNav } from './support';

test('switching to English changes the texts, sets <html lang> and survives a reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Layanan publik Kota Makassar');
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');

  await page.getByTestId('language-switch').filter({ visible: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kota Makassar public services');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kota Makassar public services');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // Server messages follow the language too (Accept-Language).
  await page.goto('/masuk');
  await page.getByRole('textbox', { name: 'E-mail or mobile number' }).fill('nobody@example.com');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('wrong12345');
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await expect(page.getByRole('alert')).toContainText('Wrong e-mail/mobile number or password.');

  await page.getByTestId('language-switch').filter({ visible: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masuk');
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
});

test('the workspace navigation from the server is shown in the chosen language', async ({ page }) => {
  await signIn(page, 'auditor@makassarkota.go.id');
  const nav = workspaceNav(page);
  await expect(nav.getByRole('link')).toHaveText(['Beranda', 'Jejak audit', 'Kotak keluar']);
  await page.getByTestId('language-switch').filter({ visible: true }).click();
  await expect(page.getByRole('navigation', { name: 'Workspace menu' }).getByRole('link')).toHaveText(['Home', 'Audit trail', 'Outbox']);
});
