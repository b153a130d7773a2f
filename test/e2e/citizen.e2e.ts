import { devices, expect, test } from '@playwright/test';
import { expectNoHorizontalScroll, stamp } from './support';

test.use({ ...devices['Pixel 5'], viewport: { width: 360, height: 740 }, channel: undefined });

test('a resident registers with a mobile number on a phone, signs out and signs in again', async ({ page }) => {
  const id = stamp();
  const name = `Warga Uji ${id}`;
  const digits = String(Date.now()).slice(-8);
  const phone = `0812${digits}`;
  const password = `Warga${id}1`;

  await page.goto('/');
  await expectNoHorizontalScroll(page);
  await page.getByRole('link', { name: 'Buat akun warga' }).click();
  await expect(page).toHaveURL(/\/daftar$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Daftar akun warga');
  await expectNoHorizontalScroll(page);

  // Client-side rules first: a bad number and a weak password are marked on their fields.
  await page.getByRole('textbox', { name: 'Nama lengkap' }).fill(name);
  await page.getByRole('textbox', { name: 'Nomor HP' }).fill('12345');
  await page.getByRole('textbox', { name: 'Kata sandi', exact: true }).fill('pendek');
  await page.getByRole('button', { name: 'Buat akun' }).click();
  await expect(page.getByRole('textbox', { name: 'Nomor HP' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Nomor HP tidak valid. Contoh: 081234567890.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Nomor HP' })).toBeFocused();

  await page.getByRole('textbox', { name: 'Nomor HP' }).fill(phone);
  await page.getByRole('textbox', { name: 'Kata sandi', exact: true }).fill(password);
  await page.getByRole('textbox', { name: 'Ulangi kata sandi' }).fill(password);
  await page.getByRole('button', { name: 'Buat akun' }).click();
  await expect(page).toHaveURL(/\/akun$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Akun saya');
  await expect(page.getByText(name, { exact: true })).toBeVisible();
  await expectNoHorizontalScroll(page);

  await page.getByRole('button', { name: 'Keluar', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Masuk' }).first()).toBeVisible();

  // The same number again is refused by the server, on the number field.
  await page.goto('/daftar');
  await page.getByRole('textbox', { name: 'Nama lengkap' }).fill(name);
  await page.getByRole('textbox', { name: 'Nomor HP' }).fill(phone);
  await page.getByRole('textbox', { name: 'Kata sandi', exact: true }).fill(password);
  await page.getByRole('textbox', { name: 'Ulangi kata sandi' }).fill(password);
  await page.getByRole('button', { name: 'Buat akun' }).click();
  await expect(page.getByText('Nomor HP ini sudah terdaftar. Silakan masuk atau atur ulang kata sandi.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Nomor HP' })).toHaveAttribute('aria-invalid', 'true');

  // Signing in with the number in international form finds the same account.
  await page.goto('/masuk');
  await page.getByRole('textbox', { name: 'E-mail atau nomor HP' }).fill(`+62812${digits}`);
  await page.getByRole('textbox', { name: 'Kata sandi', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).last().click();
  await expect(page).toHaveURL(/\/akun$/);
  await expect(page.getByText(name, { exact: true })).toBeVisible();

  // A resident is not staff: the workspace explains instead of showing admin pages.
  await page.goto('/kerja');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Khusus staf');
});
