import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../../test/support/app.js';
import { call, categoryId, counts, nextIp, roadReport, unitId } from '../../testSupport.js';

let t: TestApp;
let dataDir: string;
let admin: Session;
let officer: Session;
let binaMarga: Session;
let citizen: Session;
let hasnah: Session;
let tpiAdmin: Session;
let road: string;
let trash: string;
let dpuBm: string;

const M = 1 / 111_195;
let base = { lat: -5.21, lng: 119.43 };
function spot(): { lat: number; lng: number } {
  base = { lat: base.lat + 0.02, lng: base.lng };
  return base;
}

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-merge-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  admin = await t.login(DEMO.admin);
  officer = await t.login('pengaduan@makassarkota.go.id');
  binaMarga = await t.login(DEMO.puStaff);
  citizen = await t.login(DEMO.citizen);
  hasnah = await t.login('hasnah@example.com');
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
  road = await categoryId(t, 'Jalan rusak/berlubang');
  trash = await categoryId(t, 'Sampah menumpuk');
  dpuBm = await unitId(t, 'DPU-BM');
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Filed {
  id: string;
  trackingCode: string;
  accessToken?: string;
}

async function file(at: { lat: number; lng: number }, o: { session?: Session | null; category?: string; verify?: boolean; extra?: Record<string, unknown> } = {}): Promise<Filed> {
  const category = o.category ?? road;
  const res = await call(t, o.session ?? null, 'POST', '/api/v1/complaints', roadReport(category, { location: at, ...(category === road ? {} : { attributes: {} }), ...o.extra }));
  expect(res.statusCode, res.body).toBe(201);
  const c = res.json() as Filed;
  if (o.verify) expect((await call(t, admin, 'POST', `/api/v1/complaints/${c.id}/verify`, {})).statusCode).toBe(200);
  return c;
}

const merge = (s: Session | null, id: string, body: unknown) => call(t, s, 'POST', `/api/v1/complaints/${id}/merge`, body);

function support(code: string, o: { session?: Session; email?: string } = {}) {
  const headers: Record<string, string> = { 'idempotency-key': crypto.randomUUID() };
  if (o.session) Object.assign(headers, { cookie: o.session.cookie, 'x-csrf-token': o.session.csrf });
  return t.app.inject({ method: 'POST', url: `/api/v1/complaints/track/${code}/support`, headers, payload: o.email ? { email: o.email } : {}, remoteAddress: nextIp() });
}

async function row(id: string) {
  const [r] = await t.db.query<{ status: string; rejection_reason: string | null; merged_into_id: string | null; supporters_count: number }>(
    'SELECT status, rejection_reason, merged_into_id, supporters_count FROM complaints WHERE id = $1',
    [id],
  );
  return r;
}

describe('staff duplicate suggestions at verification', () => {
  it('lists open reports nearby, unverified ones included, never the report itself', async () => {
    const p = spot();
    const c = await file(p);
    const unverified = await file({ lat: p.lat + 20 * M, lng: p.lng });
    const verified = await file({ lat: p.lat - 40 * M, lng: p.lng }, { verify: true });
    const far = await file({ lat: p.lat + 70 * M, lng: p.lng }, { verify: true });
    const otherCat = await file(p, { category: trash });
    const res = await call(t, officer, 'GET', `/api/v1/complaints/${c.id}/duplicates`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; distanceM: number; similarity: number; status: string }[];
    expect(items.map((i) => i.id).sort()).toEqual([unverified.id, verified.id].sort());
    expect(items.find((i) => i.id === unverified.id)).toMatchObject({ status: 'submitted', distanceM: 20, similarity: 1 });
    for (const x of [c, far, otherCat]) expect(items.map((i) => i.id)).not.toContain(x.id);
    // Handlers, citizens and other tenants do not get it.
    expect((await call(t, binaMarga, 'GET', `/api/v1/complaints/${c.id}/duplicates`)).statusCode).toBe(403);
    expect((await call(t, citizen, 'GET', `/api/v1/complaints/${c.id}/duplicates`)).statusCode).toBe(403);
    expect((await call(t, null, 'GET', `/api/v1/complaints/${c.id}/duplicates`)).statusCode).toBe(401);
    expect((await call(t, tpiAdmin, 'GET', `/api/v1/complaints/${c.id}/duplicates`)).statusCode).toBe(404);
  });

  it('without coordinates, matches the same kelurahan', async () => {
    const noGps = { location: undefined };
    const a = await file(spot(), { extra: noGps });
    const b = await file(spot(), { extra: noGps });
    const elsewhere = await file(spot(), { extra: { ...noGps, regionCode: '73.71.01.1001' } });
    const res = await call(t, officer, 'GET', `/api/v1/complaints/${a.id}/duplicates`);
    const ids = res.json().items.map((i: { id: string }) => i.id);
    expect(ids).toContain(b.id);
    expect(ids).not.toContain(elsewhere.id);
    expect(res.json().items.find((i: { id: string }) => i.id === b.id).distanceM).toBeNull();
  });
});

describe('merging a duplicate into a primary report', () => {
  it('rejects the duplicate as duplicate, makes its reporter and supporters followers of the primary, with timeline and audit on both', async () => {
    const p = spot();
    const primary = await file(p, { verify: true });
    const dup = await file({ lat: p.lat + 10 * M, lng: p.lng }, { session: hasnah, verify: true });
    expect((await support(dup.trackingCode, { session: citizen })).statusCode).toBe(201);
    expect((await support(dup.trackingCode, { email: 'tetangga@example.com' })).statusCode).toBe(201);
    const before = await counts(t);
    const res = await merge(officer, dup.id, { into: primary.id, note: 'Lokasi dan foto sama' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: dup.id, status: 'rejected', rejectionReason: 'duplicate', mergedInto: { id: primary.id, trackingCode: primary.trackingCode } });
    expect(await row(dup.id)).toMatchObject({ status: 'rejected', rejection_reason: 'duplicate', merged_into_id: primary.id });
    // Reporter (hasnah) + 2 supporters of the duplicate now support the primary.
    expect((await row(primary.id)).supporters_count).toBe(3);
    const after = await counts(t);
    // Duplicate: reject + internal note; primary: merge + internal note.
    expect(after.complaint_events - before.complaint_events).toBe(4);
    expect(after.audit_events - before.audit_events).toBe(2);
    const audits = await t.db.query<{ action: string; entity_id: string; data: Record<string, unknown> }>(
      "SELECT action, entity_id, data FROM audit_events WHERE entity_id IN ($1, $2) AND action IN ('complaint.merged', 'complaint.reject') ORDER BY action",
      [dup.id, primary.id],
    );
    expect(audits.map((a) => [a.action, a.entity_id])).toEqual([
      ['complaint.merged', primary.id],
      ['complaint.reject', dup.id],
    ]);
    expect(audits[1].data).toMatchObject({ reason: 'duplicate', mergedInto: primary.trackingCode });
    const detail = (await call(t, admin, 'GET', `/api/v1/complaints/${primary.id}`)).json();
    expect(detail.timeline.map((e: { action: string; internal: boolean }) => [e.action, e.internal])).toEqual(expect.arrayContaining([['merge', false], ['note', true]]));
    expect(detail.timeline.find((e: { action: string; note: string }) => e.action === 'note' && e.note?.includes(dup.trackingCode)).note).toMatch(/Lokasi dan foto sama/);
    // The public timeline of the primary shows the merge without the duplicate's code.
    const track = await call(t, null, 'GET', `/api/v1/complaints/track/${primary.trackingCode}`);
    expect(track.json().timeline.map((e: { action: string }) => e.action)).toContain('merge');
    expect(track.body).not.toContain(dup.trackingCode);

    // The duplicate's tracking page (for its reporter) says where it went; the primary shows its supporters.
    expect((await call(t, hasnah, 'GET', `/api/v1/complaints/track/${dup.trackingCode}`)).json()).toMatchObject({ status: 'rejected', rejectionReason: 'duplicate', mergedInto: primary.trackingCode });
    expect(track.json()).toMatchObject({ supportersCount: 3, mergedInto: null });
    // The duplicate's reporter was told where the updates continue.
    const [told] = await t.db.query<{ title: string }>("SELECT title FROM notifications WHERE user_id = $1 AND title LIKE $2", [hasnah.userId, `%${dup.trackingCode}%digabungkan%`]);
    expect(told.title).toMatch(new RegExp(`digabungkan dengan laporan ${primary.trackingCode}`));

    // A status change of the primary reaches the merged reporter and the supporters.
    const d = await call(t, admin, 'POST', `/api/v1/complaints/${primary.id}/dispose`, { unitId: dpuBm });
    expect(d.statusCode, d.body).toBe(200);
    const notices = await t.db.query<{ user_id: string }>("SELECT user_id FROM notifications WHERE title LIKE $1 AND kind = 'complaint.followed_status_changed'", [
      `%${primary.trackingCode}%diteruskan%`,
    ]);
    expect(notices.map((n) => n.user_id).sort()).toEqual([hasnah.userId, citizen.userId].sort());
    const mails = await t.db.query<{ to_address: string }>('SELECT to_address FROM email_outbox WHERE subject LIKE $1', [`%${primary.trackingCode}%`]);
    expect(mails.map((m) => m.to_address)).toContain('tetangga@example.com');
  });

  it('follows a merged target to its primary and re-points earlier merges, so merges never chain', async () => {
    const p = spot();
    const a = await file(p, { verify: true });
    const b = await file(p, { verify: true });
    const c = await file(p);
    const d = await file(p, { verify: true });
    expect((await merge(admin, a.id, { into: b.id })).statusCode).toBe(200);
    // c into a (merged into b) lands in b.
    const res = await merge(admin, c.id, { into: a.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().mergedInto.id).toBe(b.id);
    // b into d: a and c now point at d.
    expect((await merge(admin, b.id, { into: d.id })).statusCode).toBe(200);
    for (const x of [a, b, c]) expect((await row(x.id)).merged_into_id).toBe(d.id);
    // Merging d into a (which stands for d) is merging into itself.
    const self = await merge(admin, d.id, { into: a.id });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors[0]).toMatchObject({ field: 'into', code: 'complaints.merge_self' });
  });

  it('merges across categories (the desk decides)', async () => {
    const p = spot();
    const a = await file(p, { verify: true });
    const b = await file(p, { category: trash });
    expect((await merge(admin, b.id, { into: a.id })).statusCode).toBe(200);
  });

  it('refuses bad merges with 4xx and writes nothing', async () => {
    const p = spot();
    const primary = await file(p, { verify: true });
    const dup = await file(p);
    const rejected = await file(p);
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${rejected.id}/reject`, { reason: 'spam' })).statusCode).toBe(200);
    const disposed = await file(p, { verify: true });
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${disposed.id}/dispose`, { unitId: dpuBm })).statusCode).toBe(200);
    const tpiCat = await categoryId(t, 'Sampah menumpuk', 'tanjungpinang');
    const tpiRes = await call(t, null, 'POST', '/api/v1/complaints', { categoryId: tpiCat, description: 'Sampah menumpuk di depan pasar sejak seminggu lalu, bau sekali.', location: { lat: 0.92, lng: 104.45 } }, { prefix: '/t/tanjungpinang' });
    expect(tpiRes.statusCode, tpiRes.body).toBe(201);
    const tpi = tpiRes.json() as Filed;

    const before = await counts(t);
    const check = async (s: Session | null, id: string, body: unknown, status: number, code?: string) => {
      const res = await merge(s, id, body);
      expect(res.statusCode, res.body).toBe(status);
      if (code) expect(res.json().code === code || res.json().errors?.[0]?.code === code, res.body).toBe(true);
    };
    await check(admin, dup.id, { into: dup.id }, 400, 'complaints.merge_self');
    await check(admin, dup.id, { into: rejected.id }, 409, 'complaints.merge_target_closed');
    await check(admin, dup.id, { into: tpi.id }, 404);
    await check(admin, dup.id, { into: '01900000-0000-7000-8000-000000000000' }, 404);
    await check(tpiAdmin, dup.id, { into: primary.id }, 404);
    // The duplicate must still be before disposition (the workflow's reject transition).
    await check(admin, disposed.id, { into: primary.id }, 409, 'complaint.transition_invalid');
    await check(admin, dup.id, { into: 'nope' }, 400);
    await check(admin, dup.id, {}, 400);
    await check(admin, dup.id, { into: primary.id, extra: 1 }, 400);
    // Permissions: only the triage desk.
    await check(binaMarga, dup.id, { into: primary.id }, 403);
    await check(citizen, dup.id, { into: primary.id }, 403);
    await check(null, dup.id, { into: primary.id }, 401);
    expect(await counts(t)).toEqual(before);
    expect(await row(dup.id)).toMatchObject({ status: 'submitted', merged_into_id: null });
    expect((await row(primary.id)).supporters_count).toBe(0);
  });
});
