import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { call, categoryId, counts, unitId } from '../testSupport.js';

let t: TestApp;
let dataDir: string;
let admin: Session;
let desk: Session;
let handler: Session;
let citizen: Session;
let tpiAdmin: Session;
let road: string;
let sampah: string;

const caller = (extra: Record<string, unknown> = {}) => ({
  categoryId: road,
  description: 'Penelepon melaporkan jalan berlubang dalam di depan SD Inpres Mangasa, membahayakan anak sekolah.',
  regionCode: '73.71.10.1004',
  address: 'Jl. Mangasa Raya depan SD Inpres',
  attributes: { jenis_kerusakan: 'lubang' },
  reporter: { name: 'Daeng Rannu', phone: '0813 4000 7001' },
  ...extra,
});

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-callcentre-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  admin = await t.login(DEMO.admin);
  desk = await t.login('pengaduan@makassarkota.go.id');
  handler = await t.login('staf.lalulintas@makassarkota.go.id');
  citizen = await t.login(DEMO.citizen);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
  road = await categoryId(t, 'Jalan rusak/berlubang');
  sampah = await categoryId(t, 'Sampah menumpuk');
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('POST /api/v1/complaints/call-centre', () => {
  let filed: { id: string; trackingCode: string };
  it('files a report on the caller’s behalf: channel call_centre, caller as reporter, operator recorded, routed', async () => {
    const before = await counts(t);
    const res = await call(t, desk, 'POST', '/api/v1/complaints/call-centre', caller());
    expect(res.statusCode, res.body).toBe(201);
    filed = res.json();
    expect(res.json().accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const after = await counts(t);
    expect(after.complaints - before.complaints).toBe(1);
    const [row] = await t.db.query<any>('SELECT channel, reporter_name, reporter_phone, reporter_user_id, unit_id, status FROM complaints WHERE id = $1', [filed.id]);
    expect(row).toEqual({ channel: 'call_centre', reporter_name: 'Daeng Rannu', reporter_phone: '6281340007001', reporter_user_id: null, unit_id: await unitId(t, 'DPU-BM'), status: 'submitted' });
    const [ev] = await t.db.query<any>("SELECT actor_kind, actor_user_id FROM complaint_events WHERE complaint_id = $1 AND action = 'submit'", [filed.id]);
    expect(ev).toEqual({ actor_kind: 'triage', actor_user_id: desk.userId });
    const [audit] = await t.db.query<any>("SELECT actor_id, data FROM audit_events WHERE action = 'complaint.submitted' AND entity_id = $1", [filed.id]);
    expect(audit.actor_id).toBe(desk.userId);
    expect(audit.data.channel).toBe('call_centre');
    // The timeline of the staff detail names the operator.
    const detail = (await call(t, desk, 'GET', `/api/v1/complaints/${filed.id}`)).json();
    expect(detail.timeline[0]).toMatchObject({ action: 'submit', actorKind: 'triage', actorName: 'Rahmawati Saleh' });
    // The caller can follow it with the tracking code and the private link key.
    const track = await call(t, null, 'GET', `/api/v1/complaints/track/${filed.trackingCode}?token=${res.json().accessToken}`);
    expect(track.statusCode).toBe(200);
    expect(JSON.stringify(track.json())).not.toMatch(/Rannu|6281340007001|Rahmawati/);
  });

  it('refuses bad input with 400 and others with 401/403, writing nothing', async () => {
    const before = await counts(t);
    const bad = [
      caller({ reporter: { name: 'Daeng Rannu' } }),
      caller({ reporter: { name: 'Daeng Rannu', phone: '12345' } }),
      caller({ description: 'pendek' }),
      caller({ regionCode: '21.72.01' }),
      caller({ categoryId: '01900000-0000-7000-8000-000000000000' }),
      caller({ channel: 'web' }),
      caller({ photos: [] }),
    ];
    for (const body of bad) {
      const res = await call(t, desk, 'POST', '/api/v1/complaints/call-centre', body);
      expect(res.statusCode, res.body).toBe(400);
    }
    expect((await call(t, null, 'POST', '/api/v1/complaints/call-centre', caller())).statusCode).toBe(401);
    expect((await call(t, citizen, 'POST', '/api/v1/complaints/call-centre', caller())).statusCode).toBe(403);
    expect((await call(t, handler, 'POST', '/api/v1/complaints/call-centre', caller())).statusCode).toBe(403);
    expect(await counts(t)).toEqual(before);
  });

  it('honours Idempotency-Key (a double Ctrl+Enter files once)', async () => {
    const headers = { cookie: desk.cookie, 'x-csrf-token': desk.csrf, 'idempotency-key': 'cc-7f3e-0001' };
    const one = await t.app.inject({ method: 'POST', url: '/api/v1/complaints/call-centre', headers, payload: caller({ reporter: { phone: '081340007002' } }) });
    expect(one.statusCode, one.body).toBe(201);
    const before = await counts(t);
    const two = await t.app.inject({ method: 'POST', url: '/api/v1/complaints/call-centre', headers, payload: caller({ reporter: { phone: '081340007002' } }) });
    expect(two.json().id).toBe(one.json().id);
    expect(await counts(t)).toEqual(before);
  });

  it('finds the caller’s earlier reports by phone (any format), masked for the officer, audited', async () => {
    const auditsBefore = (await t.db.query<any>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint.caller_looked_up'"))[0].n;
    const res = await call(t, desk, 'GET', `/api/v1/complaints/call-centre/callers?phone=${encodeURIComponent('+62 813-4000-7001')}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.phone).toBe('6281******001');
    expect(body.items.map((i: any) => i.trackingCode)).toEqual([filed.trackingCode]);
    expect(body.items[0]).toMatchObject({ channel: 'call_centre', categoryName: 'Jalan rusak/berlubang', reporterName: 'D**** R****', status: 'submitted' });
    const [audit] = await t.db.query<any>("SELECT actor_id, data FROM audit_events WHERE action = 'complaint.caller_looked_up' ORDER BY occurred_at DESC, id DESC LIMIT 1");
    expect(audit.actor_id).toBe(desk.userId);
    expect(audit.data).toEqual({ phone: '6281******001', found: 1, trackingCodes: [filed.trackingCode] });
    expect(JSON.stringify(audit.data)).not.toContain('6281340007001');
    const auditsAfter = (await t.db.query<any>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint.caller_looked_up'"))[0].n;
    expect(auditsAfter).toBe(auditsBefore + 1);
    // personal_data.read sees the name and number in clear.
    const full = (await call(t, admin, 'GET', '/api/v1/complaints/call-centre/callers?phone=081340007001')).json();
    expect(full.phone).toBe('6281340007001');
    expect(full.items[0].reporterName).toBe('Daeng Rannu');
  });

  it('also finds reports of the resident account with that number; unknown numbers find nothing; bad numbers are 400', async () => {
    const own = await call(t, citizen, 'POST', '/api/v1/complaints', {
      categoryId: sampah,
      description: 'Sampah menumpuk di pinggir kanal sudah seminggu tidak diangkut petugas.',
      regionCode: '73.71.10.1004',
    });
    expect(own.statusCode, own.body).toBe(201);
    const res = (await call(t, desk, 'GET', '/api/v1/complaints/call-centre/callers?phone=081234567890')).json();
    expect(res.items.map((i: any) => i.id)).toContain(own.json().id);
    expect((await call(t, desk, 'GET', '/api/v1/complaints/call-centre/callers?phone=081399999999')).json().items).toEqual([]);
    const bad = await call(t, desk, 'GET', '/api/v1/complaints/call-centre/callers?phone=12ab');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'querystring.phone', code: 'complaints.caller_phone' });
    expect((await call(t, handler, 'GET', '/api/v1/complaints/call-centre/callers?phone=081340007001')).statusCode).toBe(403);
    // Another tenant's desk never sees Makassar's callers.
    expect((await call(t, tpiAdmin, 'GET', '/api/v1/complaints/call-centre/callers?phone=081340007001')).json().items).toEqual([]);
  });

  it('lists open reports of the category near the place (same kelurahan or ~100 m), not other categories or places', async () => {
    const near = (await call(t, desk, 'GET', `/api/v1/complaints/call-centre/nearby?categoryId=${road}&regionCode=73.71.10.1004`)).json();
    expect(near.items.map((i: any) => i.id)).toContain(filed.id);
    expect(near.items[0]).toMatchObject({ place: expect.any(String), status: 'submitted' });
    const otherCat = (await call(t, desk, 'GET', `/api/v1/complaints/call-centre/nearby?categoryId=${sampah}&regionCode=73.71.10.1004`)).json();
    expect(otherCat.items.map((i: any) => i.id)).not.toContain(filed.id);
    const otherPlace = (await call(t, desk, 'GET', `/api/v1/complaints/call-centre/nearby?categoryId=${road}&regionCode=73.71.01.1001`)).json();
    expect(otherPlace.items.map((i: any) => i.id)).not.toContain(filed.id);
    const point = await call(t, desk, 'POST', '/api/v1/complaints/call-centre', caller({ location: { lat: -5.1689, lng: 119.4102 }, regionCode: undefined, reporter: { phone: '081340007003' } }));
    expect(point.statusCode, point.body).toBe(201);
    const byPoint = (await call(t, desk, 'GET', `/api/v1/complaints/call-centre/nearby?categoryId=${road}&lat=-5.1692&lng=119.4105`)).json();
    expect(byPoint.items.map((i: any) => i.id)).toContain(point.json().id);
    const far = (await call(t, desk, 'GET', `/api/v1/complaints/call-centre/nearby?categoryId=${road}&lat=-5.1789&lng=119.4202`)).json();
    expect(far.items.map((i: any) => i.id)).not.toContain(point.json().id);
    // Thirty days later it is no longer "recent".
    t.clock.advance(31 * 86_400_000);
    desk = await t.login('pengaduan@makassarkota.go.id');
    const later = (await call(t, desk, 'GET', `/api/v1/complaints/call-centre/nearby?categoryId=${road}&regionCode=73.71.10.1004`)).json();
    expect(later.items.map((i: any) => i.id)).not.toContain(filed.id);
  });
});
