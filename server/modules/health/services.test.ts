import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';

/**
 * The staff side of a facility's services (issue 5): the facilities a manager may set up, all
 * their services with settings and hours (closed ones too), and the facility's online
 * registration switch; refused for other staff and other facilities, with nothing written.
 */

let t: TestApp;
let dataDir: string;
let head: Session;
let admin: Session;
let counter: Session;
let batua: string;
let kassi: string;

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'services-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
  t.clock.set('2026-11-30T00:30:00Z');
  head = await t.login('kapus.batua@makassarkota.go.id');
  admin = await t.login(DEMO.admin);
  counter = await t.login('loket.batua@makassarkota.go.id');
  const facilities = (await t.request(null, 'GET', '/api/v1/health/facilities')).json().items as { id: string; name: string }[];
  batua = facilities.find((f) => f.name === 'Puskesmas Batua')!.id;
  kassi = facilities.find((f) => f.name === 'Puskesmas Kassi-Kassi')!.id;
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function audits(entityId: string): Promise<{ action: string; data: any }[]> {
  return t.db.query<{ action: string; data: any }>(`SELECT action, data FROM audit_events WHERE entity_id = $1 ORDER BY occurred_at, id`, [entityId]);
}

describe('the facilities a manager sets up', () => {
  it('lists only the facilities the staff member manages', async () => {
    const own = (await t.request(head, 'GET', '/api/v1/health/manage/facilities')).json().items;
    expect(own).toEqual([{ id: batua, name: 'Puskesmas Batua', kind: 'puskesmas', onlineRegistration: true }]);
    const all = (await t.request(admin, 'GET', '/api/v1/health/manage/facilities')).json().items as { name: string }[];
    expect(all.length).toBe(7);
    expect((await t.request(counter, 'GET', '/api/v1/health/manage/facilities')).statusCode).toBe(403);
    expect((await t.request(null, 'GET', '/api/v1/health/manage/facilities')).statusCode).toBe(401);
  });

  it('shows every service of the facility with its hours, closed services last', async () => {
    const created = await t.request(head, 'POST', `/api/v1/health/facilities/${batua}/services`, { code: 'poli_tb', name: 'Poli TB Paru', kind: 'poli', queuePrefix: 'P' });
    expect(created.statusCode, created.body).toBe(201);
    expect((await t.request(head, 'PATCH', `/api/v1/health/services/${created.json().id}`, { active: false })).statusCode).toBe(200);
    const res = await t.request(head, 'GET', `/api/v1/health/facilities/${batua}/service-settings`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.facility).toMatchObject({ id: batua, name: 'Puskesmas Batua' });
    expect(body.items.map((s: { code: string }) => s.code)).toEqual(['umum', 'gigi', 'kia', 'anak', 'lansia', 'farmasi', 'poli_tb']);
    const umum = body.items[0];
    expect(umum).toMatchObject({ name: 'Poli Umum', queuePrefix: 'A', onsiteShare: 40, defaultServiceMinutes: 8, active: true });
    expect(umum.hours.map((d: { weekday: number }) => d.weekday)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(umum.hours[0].sessions).toEqual([{ session: 1, opensAt: '08:00', closesAt: '12:00', quota: 60 }]);
    expect(body.items.at(-1)).toMatchObject({ code: 'poli_tb', active: false, hours: [] });
  });

  it('refuses another facility (404), other staff (403) and an unknown facility (404)', async () => {
    expect((await t.request(head, 'GET', `/api/v1/health/facilities/${kassi}/service-settings`)).statusCode).toBe(404);
    expect((await t.request(counter, 'GET', `/api/v1/health/facilities/${batua}/service-settings`)).statusCode).toBe(403);
    expect((await t.request(admin, 'GET', '/api/v1/health/facilities/01900000-0000-7000-8000-000000000000/service-settings')).statusCode).toBe(404);
  });
});

describe('online registration of a facility', () => {
  it('closes and reopens booking from home; the counter is unaffected; audited', async () => {
    const off = await t.request(head, 'PATCH', `/api/v1/health/facilities/${batua}`, { onlineRegistration: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ id: batua, onlineRegistration: false });
    const pub = (await t.request(null, 'GET', '/api/v1/health/facilities')).json().items.find((f: { id: string }) => f.id === batua);
    expect(pub.onlineRegistration).toBe(false);
    expect((await t.request(head, 'PATCH', `/api/v1/health/facilities/${batua}`, { onlineRegistration: true })).json().onlineRegistration).toBe(true);
    const trail = (await audits(batua)).filter((a) => a.action === 'health.facility.updated');
    expect(trail.map((a) => a.data.onlineRegistration)).toEqual([
      { from: true, to: false },
      { from: false, to: true },
    ]);
  });

  it('refuses bad input, other staff and other facilities; nothing written', async () => {
    const before = (await audits(batua)).length;
    const bad = await t.request(head, 'PATCH', `/api/v1/health/facilities/${batua}`, { onlineRegistration: 'ya' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('onlineRegistration');
    expect((await t.request(head, 'PATCH', `/api/v1/health/facilities/${batua}`, {})).statusCode).toBe(400);
    expect((await t.request(head, 'PATCH', `/api/v1/health/facilities/${batua}`, { onlineRegistration: false, name: 'X' })).statusCode).toBe(400);
    expect((await t.request(counter, 'PATCH', `/api/v1/health/facilities/${batua}`, { onlineRegistration: false })).statusCode).toBe(403);
    expect((await t.request(head, 'PATCH', `/api/v1/health/facilities/${kassi}`, { onlineRegistration: false })).statusCode).toBe(404);
    expect((await audits(batua)).length).toBe(before);
    const [row] = await t.db.query<{ online_registration: boolean }>(`SELECT online_registration FROM health_facilities WHERE unit_id = $1`, [batua]);
    expect(row.online_registration).toBe(true);
    const [kassiRow] = await t.db.query<{ online_registration: boolean }>(`SELECT online_registration FROM health_facilities WHERE unit_id = $1`, [kassi]);
    expect(kassiRow.online_registration).toBe(true);
  });
});
