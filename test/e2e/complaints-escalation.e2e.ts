import { type APIRequestContext, expect, request, test } from '@playwright/test';
import { BASE_URL, CLOCK_URL } from './playwright.config';
import { DEMO_PASSWORD, signIn } from './support';

/**
 * A report passes its deadline and is escalated: the traffic-lights report is disposed to Dishub's
 * traffic division, the server's clock is moved past the resolution deadline, the deadline sweep
 * escalates it, and the head of Dishub finds the escalation in his notifications and opens it.
 */
async function staffApi(login: string): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext({ baseURL: BASE_URL });
  const res = await api.post('/api/v1/auth/login', { data: { login, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  return { api, csrf: (await res.json()).csrfToken };
}

async function setServerClock(at: Date | null): Promise<void> {
  const res = await fetch(CLOCK_URL, { method: 'POST', body: JSON.stringify({ at: at?.toISOString() ?? null }) });
  expect(res.status).toBe(204);
}

test.afterEach(async () => {
  await setServerClock(null);
});

test('a report past its deadline is escalated to the head of the agency', async ({ page }) => {
  // A resident reports a dead traffic light (anonymously, through the public API).
  const anon = await request.newContext({ baseURL: BASE_URL });
  const categories = (await (await anon.get('/api/v1/complaints/categories')).json()).items as { id: string; name: string }[];
  const lights = categories.find((c) => c.name === 'Lampu lalu lintas mati');
  expect(lights).toBeTruthy();
  const filed = await anon.post('/api/v1/complaints', {
    data: {
      categoryId: lights!.id,
      description: 'Lampu lalu lintas simpang Jl. Sultan Alauddin – Jl. Mallengkeri mati sejak subuh, kendaraan saling serobot.',
      location: { lat: -5.1689, lng: 119.4102 },
      regionCode: '73.71.10.1004',
      address: 'Simpang Jl. Sultan Alauddin – Jl. Mallengkeri',
      attributes: {},
    },
  });
  expect(filed.status(), await filed.text()).toBe(201);
  const { id, trackingCode } = await filed.json();
  await anon.dispose();

  // The desk verifies it and disposes it to the unit routing proposed (Bidang Lalu Lintas).
  const desk = await staffApi('pengaduan@makassarkota.go.id');
  const headers = { 'x-csrf-token': desk.csrf };
  expect((await desk.api.post(`/api/v1/complaints/${id}/verify`, { headers, data: {} })).status()).toBe(200);
  const proposed = (await (await desk.api.get(`/api/v1/complaints/${id}`)).json()).unitId as string;
  expect((await desk.api.post(`/api/v1/complaints/${id}/dispose`, { headers, data: { unitId: proposed } })).status()).toBe(200);
  const detail = await (await desk.api.get(`/api/v1/complaints/${id}`)).json();
  expect(detail).toMatchObject({ status: 'disposed', unitName: 'Bidang Lalu Lintas', overdue: false, escalatedAt: null });
  await desk.api.dispose();

  // Nobody acts; the server's clock moves a minute past the resolution deadline.
  await setServerClock(new Date(new Date(detail.dueAt).getTime() + 60_000));

  // The sweep escalates it (sessions are signed in again: the jump may outlive them).
  const desk2 = await staffApi('pengaduan@makassarkota.go.id');
  await expect
    .poll(async () => (await (await desk2.api.get(`/api/v1/complaints/${id}`)).json()).escalatedAt, { timeout: 15_000 })
    .not.toBeNull();
  const escalated = await (await desk2.api.get('/api/v1/complaints?escalated=true&limit=100')).json();
  expect(escalated.items.map((i: { id: string }) => i.id)).toContain(id);
  expect(escalated.items.find((i: { id: string }) => i.id === id)).toMatchObject({ overdue: true });
  await desk2.api.dispose();

  // The head of Dishub hears of it and opens it from his notifications.
  await signIn(page, 'kadis.perhubungan@makassarkota.go.id');
  const bell = page.getByTestId('notification-bell');
  await expect(bell).toHaveAccessibleName(/belum dibaca/);
  await bell.click();
  const notice = page.getByRole('button', { name: new RegExp(`Eskalasi: laporan ${trackingCode} melewati tenggat`) });
  await expect(notice).toBeVisible();
  await notice.click();
  await expect(page).toHaveURL(new RegExp(`/staf/pengaduan/${id}$`));
  await expect(page.getByText(trackingCode).first()).toBeVisible();
});
