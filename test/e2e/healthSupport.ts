import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, request } from '@playwright/test';
import { BASE_URL, CLOCK_URL } from './playwright.config';
import { DEMO_PASSWORD } from './support';

/** Helpers of the health journeys: the server's clock, staff API sessions, valid NIKs. */

export async function setServerClock(at: Date | null): Promise<void> {
  const res = await fetch(CLOCK_URL, { method: 'POST', body: JSON.stringify({ at: at?.toISOString() ?? null }) });
  expect(res.status).toBe(204);
}

/** The latest Monday 08:30 WITA (UTC+8, no daylight saving) before now, as an instant and a date. */
export function lastMondayMorning(weeksBack = 0): { at: Date; date: string } {
  const wita = new Date(Date.now() + 8 * 3600_000);
  const day = new Date(Date.UTC(wita.getUTCFullYear(), wita.getUTCMonth(), wita.getUTCDate()));
  while (day.getUTCDay() !== 1 || day.getTime() + 30 * 60_000 >= Date.now()) day.setUTCDate(day.getUTCDate() - 1);
  day.setUTCDate(day.getUTCDate() - 7 * weeksBack);
  return { at: new Date(day.getTime() + 30 * 60_000), date: day.toISOString().slice(0, 10) };
}

export async function staffApi(login: string): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext({ baseURL: BASE_URL });
  const res = await api.post('/api/v1/auth/login', { data: { login, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  return { api, csrf: (await res.json()).csrfToken };
}

/** A valid Makassar (Tamalate, 73.71.10) NIK for the birth date and sex, with a random serial. */
export function nikFor(birthDate: string, sex: 'male' | 'female'): string {
  const [y, m, d] = birthDate.split('-');
  const day = String(Number(d) + (sex === 'female' ? 40 : 0)).padStart(2, '0');
  return `737110${day}${m}${y!.slice(2)}${String(1 + Math.floor(Math.random() * 9998)).padStart(4, '0')}`;
}

/** The latest Monday morning before now on which the facility is open (not a holiday). */
export async function workingMonday(api: APIRequestContext, facilityId: string): Promise<{ at: Date; date: string }> {
  let monday = lastMondayMorning();
  for (let week = 1; week < 6; week++) {
    const day = await (await api.get(`/api/v1/health/facilities/${facilityId}/services?date=${monday.date}`)).json();
    if (day.items[0].closed !== 'holiday') break;
    monday = lastMondayMorning(week);
  }
  return monday;
}

/**
 * Puskesmas Batua on the latest working Monday morning: the server's clock is set there (tests put
 * it back after each), with an anonymous API session and the Poli Umum.
 */
export async function batuaMonday(): Promise<{ anon: APIRequestContext; batua: { id: string; name: string }; monday: { at: Date; date: string }; umum: { id: string; code: string } }> {
  const anon = await request.newContext({ baseURL: BASE_URL });
  const facilities = (await (await anon.get('/api/v1/health/facilities')).json()).items as { id: string; name: string }[];
  const batua = facilities.find((f) => f.name === 'Puskesmas Batua')!;
  const monday = await workingMonday(anon, batua.id);
  await setServerClock(monday.at);
  const umum = ((await (await anon.get(`/api/v1/health/facilities/${batua.id}/services`)).json()).items as { id: string; code: string }[]).find((s) => s.code === 'umum')!;
  return { anon, batua, monday, umum };
}

/**
 * Serious and critical WCAG 2.1 AA violations of the page, once its toasts have closed (a toast
 * fading in or out has, for that moment, too little contrast).
 */
export async function seriousViolations(page: Page) {
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}
