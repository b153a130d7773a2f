import { fileURLToPath } from 'node:url';
import { expect, type Page, request, test } from '@playwright/test';
import { seriousViolations } from './healthSupport';
import { BASE_URL } from './playwright.config';
import { expectNoHorizontalScroll, signIn, stamp, workspaceNav } from './support';

const shots = `${process.env.TEST_RESULTS_DIR ?? fileURLToPath(new URL('../../test-results', import.meta.url))}/`;

/**
 * The head of Puskesmas Batua keeps the doctors' roster: adds a doctor (a bad STR number refused
 * on the field), gives them weekly shifts at the Poli Umum (times in the wrong order refused) and
 * takes one off, records a swap at the Poli Gigi (the dentist's leave, the new doctor's extra
 * shift) that the public "dokter piket" shows, withdraws the leave, and deactivates the doctor.
 */

async function pick(page: Page, input: ReturnType<Page['getByTestId']>, option: string) {
  await input.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('a facility manager keeps the roster: shifts, a swap, leave withdrawn, a doctor deactivated', async ({ page }) => {
  test.setTimeout(90_000);
  const doctor = `dr. Uji Jadwal ${stamp()}`;
  await signIn(page, 'kapus.batua@makassarkota.go.id');
  await workspaceNav(page).getByRole('link', { name: 'Jadwal dokter' }).click();
  await expect(page).toHaveURL(/\/staf\/jadwal-dokter$/);
  await expect(page.getByRole('heading', { name: 'Jadwal dokter dan tenaga kesehatan' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Jadwal mingguan Poli Umum' })).toBeVisible();
  await expect(page.getByTestId('roster-row').filter({ hasText: 'dr. Andi Nurfadillah' }).getByTestId('roster-shift')).toHaveCount(6);

  // A new doctor: the STR number is refused first.
  await page.getByTestId('practitioner-add').click();
  const add = page.getByRole('dialog', { name: 'Tambah tenaga kesehatan' });
  await add.getByTestId('practitioner-name').fill(doctor);
  await add.getByTestId('practitioner-str').fill('abc');
  await add.getByTestId('practitioner-submit').click();
  await expect(add.getByText('Nomor STR 6–30 karakter')).toBeVisible();
  await add.getByTestId('practitioner-str').fill('7371KK00012345');
  await add.getByTestId('practitioner-submit').click();
  await expect(page.getByText(`${doctor} ditambahkan.`)).toBeVisible();
  await expect(page.getByTestId('person-row').filter({ hasText: doctor })).toContainText('STR 7371KK00012345');

  // Monday and Wednesday afternoons at the Poli Umum; the times first the wrong way round.
  await page.getByTestId('shift-add').click();
  const shift = page.getByRole('dialog', { name: 'Tambah jadwal' });
  await pick(page, shift.getByTestId('shift-person'), doctor);
  await shift.getByText('Sen', { exact: true }).click();
  await shift.getByText('Rab', { exact: true }).click();
  await shift.getByTestId('shift-starts').fill('13:00');
  await shift.getByTestId('shift-ends').fill('12:00');
  await shift.getByTestId('shift-submit').click();
  await expect(shift.getByText('Jam selesai harus setelah jam mulai.')).toBeVisible();
  await shift.getByTestId('shift-ends').fill('16:00');
  await shift.getByTestId('shift-submit').click();
  await expect(page.getByText('2 jadwal ditambahkan.')).toBeVisible();
  const row = page.getByTestId('roster-row').filter({ hasText: doctor });
  await expect(row.getByTestId('roster-shift')).toHaveCount(2);
  await expect(row.locator('[data-weekday="3"]')).toContainText('13:00–16:00');
  await row.getByRole('button', { name: `Hapus jadwal ${doctor} hari Rabu 13:00–16:00` }).click();
  await expect(page.getByText('Jadwal dihapus.')).toBeVisible();
  await expect(row.getByTestId('roster-shift')).toHaveCount(1);

  // A swap today at the Poli Gigi: the dentist off, the new doctor in her place.
  await page.getByTestId('exception-add').click();
  const change = page.getByRole('dialog', { name: 'Cuti / tugas tambahan' });
  await change.getByText('Tukar jadwal', { exact: true }).click();
  const day = await change.getByTestId('exception-day').inputValue();
  await pick(page, change.getByTestId('exception-person'), 'drg. Sitti Rahmatia');
  await pick(page, change.getByTestId('exception-replacement'), doctor);
  await pick(page, change.getByTestId('exception-service'), 'Poli Gigi');
  await change.getByTestId('exception-starts').fill('08:00');
  await change.getByTestId('exception-ends').fill('12:00');
  await page.screenshot({ path: `${shots}health-roster-swap.png` });
  await change.getByTestId('exception-submit').click();
  await expect(page.getByText('Tukar jadwal dicatat.')).toBeVisible();
  const exceptionOf = (name: string) => page.getByTestId('exception-row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  await expect(exceptionOf('drg. Sitti Rahmatia')).toContainText('Cuti');
  await expect(exceptionOf(doctor)).toContainText('Tugas tambahan di Poli Gigi');
  await expect(exceptionOf(doctor)).toContainText('Tukar jadwal, menggantikan drg. Sitti Rahmatia');

  // The public "dokter piket" shows the swap at once.
  const anon = await request.newContext({ baseURL: BASE_URL });
  const facilities = (await (await anon.get('/api/v1/health/facilities')).json()).items as { id: string; name: string }[];
  const batua = facilities.find((f) => f.name === 'Puskesmas Batua')!;
  const gigi = async () => {
    const duty = await (await anon.get(`/api/v1/health/facilities/${batua.id}/on-duty?date=${day}&time=09:00`)).json();
    return (duty.items as { name: string; onDuty: { name: string }[] }[]).find((s) => s.name === 'Poli Gigi')!.onDuty.map((p) => p.name);
  };
  expect(await gigi()).toContain(doctor);
  expect(await gigi()).not.toContain('drg. Sitti Rahmatia');

  // The dentist comes after all: her leave withdrawn.
  await exceptionOf('drg. Sitti Rahmatia').getByRole('button', { name: 'Batalkan' }).click();
  await expect(page.getByText('Cuti atau tugas tambahan dibatalkan.')).toBeVisible();
  await expect(exceptionOf('drg. Sitti Rahmatia')).toHaveCount(0);
  await page.screenshot({ path: `${shots}health-roster.png`, fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // The new doctor leaves the puskesmas: off the roster, not on the public page.
  await page.getByTestId('person-row').filter({ hasText: doctor }).getByTestId('person-toggle').click();
  await expect(page.getByText(`${doctor} dinonaktifkan`)).toBeVisible();
  await expect(page.getByTestId('person-row').filter({ hasText: doctor })).toContainText('Nonaktif');
  await expect(page.getByTestId('roster-row').filter({ hasText: doctor })).toHaveCount(0);
  expect(await gigi()).not.toContain(doctor);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('roster-days')).toBeVisible();
  await expectNoHorizontalScroll(page);
  await anon.dispose();
});
