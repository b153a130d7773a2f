import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { call, categoryId, roadReport } from '../testSupport.js';

let t: TestApp;
let admin: Session;
let desk: Session;
let citizen: Session;
let road: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
  desk = await t.login('pengaduan@makassarkota.go.id');
  citizen = await t.login(DEMO.citizen);
  road = await categoryId(t, 'Jalan rusak/berlubang');
});
afterAll(async () => {
  await t.close();
});

const viewed = async (id: string) =>
  (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint.reporter_viewed' AND entity_id = $1", [id]))[0].n;

describe('the staff view of a report', () => {
  it('masks the reporter’s contact until a holder of personal_data.read asks, and audits that reading only', async () => {
    const filed = await call(t, null, 'POST', '/api/v1/complaints', roadReport(road, { reporter: { name: 'Daeng Baso', phone: '081234567890', email: 'baso@example.com' } }));
    expect(filed.statusCode, filed.body).toBe(201);
    const { id } = filed.json();
    const plain = (await call(t, admin, 'GET', `/api/v1/complaints/${id}`)).json();
    expect(plain.reporter).toMatchObject({ name: 'Daeng Baso', unmasked: false });
    expect(plain.reporter.phone).not.toContain('34567');
    expect(plain).toMatchObject({ hidden: false, supportersCount: 0, mergedIntoId: null, channel: 'web' });
    expect(await viewed(id)).toBe(0);
    const revealed = (await call(t, admin, 'GET', `/api/v1/complaints/${id}?reveal=true`)).json();
    expect(revealed.reporter).toMatchObject({ phone: '6281234567890', email: 'baso@example.com', unmasked: true });
    expect(await viewed(id)).toBe(1);
    // The desk may see the report but not personal data: asking changes nothing and audits nothing.
    const deskView = (await call(t, desk, 'GET', `/api/v1/complaints/${id}?reveal=true`)).json();
    expect(deskView.reporter.unmasked).toBe(false);
    expect(await viewed(id)).toBe(1);
    expect((await call(t, admin, 'GET', `/api/v1/complaints/${id}?reveal=yes`)).statusCode).toBe(400);
  });

  it('tells the tracking page whether the viewer is the signed-in reporter', async () => {
    const mine = (await call(t, citizen, 'POST', '/api/v1/complaints', roadReport(road))).json();
    expect((await call(t, citizen, 'GET', `/api/v1/complaints/track/${mine.trackingCode}`)).json().viewerIsReporter).toBe(true);
    await call(t, desk, 'POST', `/api/v1/complaints/${mine.id}/verify`, {});
    expect((await call(t, null, 'GET', `/api/v1/complaints/track/${mine.trackingCode}`)).json().viewerIsReporter).toBe(false);
    expect((await call(t, admin, 'GET', `/api/v1/complaints/track/${mine.trackingCode}`)).json().viewerIsReporter).toBe(false);
  });
});
