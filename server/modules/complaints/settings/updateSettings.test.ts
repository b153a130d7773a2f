import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { call } from '../testSupport.js';

let t: TestApp;
let admin: Session;
let tpiAdmin: Session;
let staff: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
  staff = await t.login(DEMO.puStaff);
});
afterAll(async () => {
  await t.close();
});

const URL = '/api/v1/admin/complaints/settings';
const auditCount = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint_settings.updated'"))[0].n;

describe('complaints settings', () => {
  it('shows and changes the city’s box and the automatic closing delay, audited', async () => {
    const before = (await call(t, admin, 'GET', URL)).json();
    expect(before.autoCloseDays).toBe(7);
    expect(before.bounds.south).toBeLessThan(-5);
    const res = await call(t, admin, 'PATCH', URL, { autoCloseDays: 10 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ...before, autoCloseDays: 10 });
    const [audit] = await t.db.query<{ data: { before: { autoCloseDays: number }; after: { autoCloseDays: number } } }>(
      "SELECT data FROM audit_events WHERE action = 'complaint_settings.updated' ORDER BY occurred_at DESC LIMIT 1",
    );
    expect(audit.data).toMatchObject({ before: { autoCloseDays: 7 }, after: { autoCloseDays: 10 } });
    // Each tenant has its own.
    expect((await call(t, tpiAdmin, 'GET', URL)).json().autoCloseDays).toBe(7);
    expect((await call(t, tpiAdmin, 'GET', URL)).json().bounds.south).toBeGreaterThan(0.5);
  });

  it.each([
    ['inverted box', { bounds: { south: -5.0, west: 119.3, north: -5.3, east: 119.6 } }],
    ['latitude out of range', { bounds: { south: -95, west: 119.3, north: -5.0, east: 119.6 } }],
    ['partial box', { bounds: { south: -5.3, west: 119.3 } }],
    ['zero days', { autoCloseDays: 0 }],
    ['too many days', { autoCloseDays: 61 }],
    ['fractional days', { autoCloseDays: 2.5 }],
    ['days as text', { autoCloseDays: '7' }],
    ['unknown field', { autoClose: 7 }],
  ])('refuses %s with 400 and changes nothing', async (_name, body) => {
    const before = (await call(t, admin, 'GET', URL)).json();
    const audits = await auditCount();
    const res = await call(t, admin, 'PATCH', URL, body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect((await call(t, admin, 'GET', URL)).json()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it('is for category managers only', async () => {
    expect((await call(t, staff, 'GET', URL)).statusCode).toBe(403);
    expect((await call(t, staff, 'PATCH', URL, { autoCloseDays: 3 })).statusCode).toBe(403);
    expect((await call(t, null, 'GET', URL)).statusCode).toBe(401);
  });
});
