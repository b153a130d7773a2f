import { expect, test } from '@playwright/test';
import { signIn, stamp, workspaceNav } from './support';

test('an admin creates a unit and invites a staff member, who then sees only the navigation their role allows', async ({ page, browser }) => {
  const id = stamp();
  const unitName = `Bidang Uji ${id}`;
  const email = `uji.${id}@makassarkota.go.id`;
  const staffName = `Staf Uji ${id}`;
  const password = `RahasiaUji${id}9`;

  await signIn(page, 'admin@makassarkota.go.id');
  const nav = workspaceNav(page);
  await expect(nav.getByRole('link', { name: 'Jejak audit' })).toBeVisible();

  // 1. A unit under Dinas Pekerjaan Umum.
  await nav.getByRole('link', { name: 'Unit organisasi' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Unit organisasi' })).toBeFocused();
  await page.getByRole('button', { name: 'Tindakan untuk Dinas Pekerjaan Umum' }).click();
  await page.getByRole('menuitem', { name: 'Tambah sub-unit' }).click();
  const create = page.getByRole('dialog', { name: 'Tambah sub-unit' });
  await expect(create.getByRole('combobox', { name: 'Jenis unit' })).toHaveValue('Bidang');
  // Client-side validation uses the server's rules and messages.
  await create.getByRole('button', { name: 'Buat unit' }).click();
  await expect(create.getByText('Wajib diisi.')).toBeVisible();
  await create.getByRole('textbox', { name: 'Nama unit' }).fill(unitName);
  await create.getByRole('textbox', { name: 'Kode unit' }).fill(`UJI-${id}`.toUpperCase());
  await create.getByRole('button', { name: 'Buat unit' }).click();
  await expect(create).toBeHidden();
  // The parent opens to show the new unit.
  await expect(page.locator(`[data-unit-name="${unitName}"]`)).toBeVisible();

  // 2. A staff member invited with the unit-admin role on that unit.
  await nav.getByRole('link', { name: 'Akun & hak akses' }).click();
  await page.getByRole('button', { name: 'Undang staf' }).click();
  const invite = page.getByRole('dialog', { name: 'Undang staf' });
  await invite.getByRole('textbox', { name: 'Nama lengkap' }).fill(staffName);
  await invite.getByRole('textbox', { name: 'E-mail kerja' }).fill(email);
  await invite.getByRole('combobox', { name: 'Peran' }).click();
  await page.getByRole('option', { name: 'Admin unit' }).click();
  await invite.getByRole('combobox', { name: 'Unit' }).fill(id);
  await page.getByRole('option', { name: `Dinas Pekerjaan Umum › ${unitName}` }).click();
  await invite.getByRole('button', { name: 'Kirim undangan' }).click();
  await expect(invite).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(staffName);
  await expect(page.getByText('Diundang').first()).toBeVisible();
  await expect(page.getByRole('cell', { name: unitName, exact: true })).toBeVisible();

  // 3. Without SMTP the invitation waits in the outbox; the admin reads its link there.
  await nav.getByRole('link', { name: 'Kotak keluar' }).click();
  const row = page.getByRole('row').filter({ hasText: email });
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Undangan akun staf');
  const link = await page.getByTestId('outbox-link').getAttribute('href');
  expect(link).toMatch(/\/t\/makassar\/reset-password\?token=[A-Za-z0-9_-]{43}$/);

  // 4. The invited person opens the link in their own browser and sets a password.
  const theirs = await browser.newContext();
  const staff = await theirs.newPage();
  await staff.goto(new URL(link!).pathname + new URL(link!).search);
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText('Buat kata sandi baru');
  await staff.getByRole('textbox', { name: 'Kata sandi baru' }).fill(password);
  await staff.getByRole('textbox', { name: 'Ulangi kata sandi' }).fill(password);
  await staff.getByRole('button', { name: 'Simpan kata sandi' }).click();
  await expect(staff.getByText('Kata sandi tersimpan')).toBeVisible();

  // 5. They sign in and see only what their role allows.
  await staff.getByRole('link', { name: 'Masuk' }).last().click();
  await staff.getByRole('textbox', { name: 'E-mail atau nomor HP' }).fill(email);
  await staff.getByRole('textbox', { name: 'Kata sandi', exact: true }).fill(password);
  await staff.getByRole('button', { name: 'Masuk', exact: true }).last().click();
  await expect(staff).toHaveURL(/\/kerja$/);
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText(`Selamat datang, ${staffName}`);
  const theirNav = workspaceNav(staff);
  await expect(theirNav.getByRole('link')).toHaveText(['Beranda', 'Unit organisasi', 'Akun & hak akses']);
  await expect(theirNav.getByRole('link', { name: 'Jejak audit' })).toHaveCount(0);
  await expect(theirNav.getByRole('link', { name: 'Pengaturan daerah' })).toHaveCount(0);

  // Their unit tree starts at their own unit; other agencies are not there.
  await theirNav.getByRole('link', { name: 'Unit organisasi' }).click();
  await expect(staff.locator(`[data-unit-name="${unitName}"]`)).toBeVisible();
  await expect(staff.locator('[data-unit-name="Dinas Perhubungan"]')).toHaveCount(0);

  // A page outside their navigation, opened by address, says so instead of showing data.
  await staff.goto('/admin/audit');
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText('Tidak ada akses');
  await theirs.close();
});
