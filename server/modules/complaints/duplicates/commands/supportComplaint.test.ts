import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../../test/support/app.js';
import { call, categoryId, counts, nextIp, roadReport } from '../../testSupport.js';

let t: TestApp;
let dataDir: string;
let admin: Session;
let citizen: Session;
let hasnah: Session;
let road: string;
let trash: string;

/** Metres → degrees of latitude (haversine sphere, as the server measures). */
const M = 1 / 111_195;
let base = { lat: -5.2, lng: 119.44 };
/** Each test takes its own spot, 2 km from the previous one, so that reports of other tests are far. */
function spot(): { lat: number; lng: number } {
  base = { lat: base.lat + 0.02, lng: base.lng };
  return base;
}

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  dataDir = mkdtempSync(join('.tmp', 'complaints-support-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  admin = await t.login(DEMO.admin);
  citizen = await t.login(DEMO.citizen);
  hasnah = await t.login('hasnah@example.com');
  road = await categoryId(t, 'Jalan rusak/berlubang');
  trash = await categoryId(t, 'Sampah menumpuk');
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

async function file(at: { lat: number; lng: number }, o: { session?: Session | null; category?: string; description?: string; verify?: boolean } = {}): Promise<Filed> {
  const category = o.category ?? road;
  const body = roadReport(category, { location: at, ...(category === road ? {} : { attributes: {} }), ...(o.description ? { description: o.description } : {}) });
  const res = await call(t, o.session ?? null, 'POST', '/api/v1/complaints', body);
  expect(res.statusCode, res.body).toBe(201);
  const c = res.json() as Filed;
  if (o.verify !== false) expect((await call(t, admin, 'POST', `/api/v1/complaints/${c.id}/verify`, {})).statusCode).toBe(200);
  return c;
}

const north = (p: { lat: number; lng: number }, metres: number) => ({ lat: p.lat + metres * M, lng: p.lng });

async function nearby(p: { lat: number; lng: number }, extra: Record<string, string> = {}, prefix = '') {
  const qs = new URLSearchParams({ categoryId: road, lat: String(p.lat), lng: String(p.lng), ...extra });
  return call(t, null, 'GET', `/api/v1/complaints/nearby?${qs}`, undefined, { prefix });
}

function support(code: string, o: { session?: Session | null; key?: string | null; body?: unknown; prefix?: string; ip?: string } = {}) {
  const headers: Record<string, string> = {};
  if (o.session) Object.assign(headers, { cookie: o.session.cookie, 'x-csrf-token': o.session.csrf });
  if (o.key !== null) headers['idempotency-key'] = o.key ?? crypto.randomUUID();
  return t.app.inject({ method: 'POST', url: `${o.prefix ?? ''}/api/v1/complaints/track/${code}/support`, headers, payload: (o.body ?? {}) as object, remoteAddress: o.ip ?? nextIp() });
}

describe('duplicate suggestions for the citizen form', () => {
  it('suggests verified open reports of the category within 50 m and 30 days, and nothing else', async () => {
    const p = spot();
    // 31 days ago, verified then: too old now.
    const now = t.clock.now();
    t.clock.set(new Date(now.getTime() - 31 * 24 * 3600 * 1000));
    const old = await file(p);
    t.clock.set(now);
    const here = await file(p);
    const at49 = await file(north(p, 49));
    const at60 = await file(north(p, 60));
    const otherCategory = await file(p, { category: trash });
    const unverified = await file(p, { verify: false });
    const rejected = await file(p, { verify: false });
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${rejected.id}/reject`, { reason: 'spam' })).statusCode).toBe(200);

    const res = await nearby(p);
    expect(res.statusCode, res.body).toBe(200);
    const codes = res.json().items.map((i: { trackingCode: string }) => i.trackingCode);
    expect(codes).toContain(here.trackingCode);
    expect(codes).toContain(at49.trackingCode);
    for (const c of [old, at60, otherCategory, unverified, rejected]) expect(codes).not.toContain(c.trackingCode);
    expect(codes).toHaveLength(2);
    // Public facts only: no id, no reporter, no coordinates.
    const item = res.json().items.find((i: { trackingCode: string }) => i.trackingCode === at49.trackingCode);
    expect(Object.keys(item).sort()).toEqual(['category', 'distanceM', 'status', 'submittedAt', 'summary', 'supportersCount', 'trackingCode']);
    expect(item).toMatchObject({ status: 'verified', distanceM: 49, supportersCount: 0, category: { id: road, name: 'Jalan rusak/berlubang' } });
    expect(res.body).not.toMatch(/reporter|accessToken|Rusli|"lat"|"description"/);
    // From the trash category's point of view, only its own report.
    const other = await nearby(p, { categoryId: trash });
    expect(other.json().items.map((i: { trackingCode: string }) => i.trackingCode)).toEqual([otherCategory.trackingCode]);
  });

  it('ranks by text similarity combined with distance', async () => {
    const p = spot();
    const near = await file(north(p, 5), { description: 'Tumpukan pasir dan batu menutup separuh jalan di depan sekolah dasar.' });
    const similar = await file(north(p, 30), { description: 'Jalan berlubang besar di depan masjid, sudah dua motor jatuh minggu ini.' });
    const res = await nearby(p, { text: 'Lubang besar di jalan depan masjid, motor jatuh' });
    const codes = res.json().items.map((i: { trackingCode: string }) => i.trackingCode);
    expect(codes).toEqual([similar.trackingCode, near.trackingCode]);
    // Without text, the nearest comes first.
    const plain = await nearby(p);
    expect(plain.json().items.map((i: { trackingCode: string }) => i.trackingCode)).toEqual([near.trackingCode, similar.trackingCode]);
  });

  it('hides hidden reports, other tenants and inactive input; refuses bad input with 400', async () => {
    const p = spot();
    const c = await file(p);
    expect((await call(t, admin, 'POST', `/api/v1/complaints/${c.id}/visibility`, { hidden: true, reason: 'Foto wajah warga' })).statusCode).toBe(200);
    expect((await nearby(p)).json().items).toEqual([]);
    // Another tenant asking about the same point and category id sees nothing.
    const tpi = await nearby(p, {}, '/t/tanjungpinang');
    expect(tpi.statusCode).toBe(200);
    expect(tpi.json().items).toEqual([]);
    const bads: Record<string, string>[] = [{ lat: '91' }, { categoryId: 'nope' }, { lng: 'abc' }, { text: 'x'.repeat(2001) }];
    for (const bad of bads) {
      expect((await nearby(p, bad)).statusCode).toBe(400);
    }
    const missing = await call(t, null, 'GET', `/api/v1/complaints/nearby?categoryId=${road}`);
    expect(missing.statusCode).toBe(400);
  });
});

describe('supporting a report ("saya juga mengalami ini")', () => {
  it('counts an anonymous supporter once per Idempotency-Key, and a signed-in resident once', async () => {
    const p = spot();
    const c = await file(p);
    let before = await counts(t);
    const key = crypto.randomUUID();
    const first = await support(c.trackingCode, { key, body: { email: 'tetangga@example.com' } });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ trackingCode: c.trackingCode, supportersCount: 1, alreadySupported: false, following: true });
    const retry = await support(c.trackingCode, { key, body: { email: 'tetangga@example.com' } });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const after = await counts(t);
    expect(after.audit_events - before.audit_events).toBe(1);
    expect(after.domain_events - before.domain_events).toBe(1);

    // The same e-mail address again (new key): already counted.
    const sameMail = await support(c.trackingCode, { body: { email: 'TETANGGA@example.com' } });
    expect(sameMail.statusCode).toBe(200);
    expect(sameMail.json()).toMatchObject({ supportersCount: 1, alreadySupported: true });

    const anon = await support(c.trackingCode);
    expect(anon.json()).toMatchObject({ supportersCount: 2, alreadySupported: false, following: false });

    const signed = await support(c.trackingCode, { session: citizen, key: null });
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json()).toMatchObject({ supportersCount: 3, following: true });
    before = await counts(t);
    const twice = await support(c.trackingCode, { session: citizen, key: null });
    expect(twice.statusCode).toBe(200);
    expect(twice.json()).toMatchObject({ supportersCount: 3, alreadySupported: true });
    expect(await counts(t)).toEqual(before);
    const [row] = await t.db.query<{ supporters_count: number; n: number }>(
      'SELECT supporters_count, (SELECT count(*)::int FROM complaint_supporters s WHERE s.complaint_id = c.id) AS n FROM complaints c WHERE id = $1',
      [c.id],
    );
    expect(row).toEqual({ supporters_count: 3, n: 3 });
    // The count shows in the suggestions.
    expect((await nearby(p)).json().items).toEqual([expect.objectContaining({ trackingCode: c.trackingCode, supportersCount: 3 })]);
  });

  it('refuses with 4xx and writes nothing', async () => {
    const c = await file(spot());
    const unverified = await file(spot(), { verify: false });
    const mine = await file(spot(), { session: hasnah });
    const resolved = await file(spot());
    await t.db.query("UPDATE complaints SET status = 'resolved' WHERE id = $1", [resolved.id]);
    const before = await counts(t);
    const supportersBefore = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM complaint_supporters'))[0].n;
    // Anonymous without Idempotency-Key.
    const noKey = await support(c.trackingCode, { key: null });
    expect(noKey.statusCode).toBe(400);
    // Malformed key, bad e-mail, unknown field.
    expect((await support(c.trackingCode, { key: 'bad key!' })).statusCode).toBe(400);
    expect((await support(c.trackingCode, { body: { email: 'bukan-email' } })).statusCode).toBe(400);
    expect((await support(c.trackingCode, { body: { name: 'x' } })).statusCode).toBe(400);
    // A signed-in resident does not leave an address.
    const withMail = await support(c.trackingCode, { session: citizen, body: { email: 'a@example.com' } });
    expect(withMail.statusCode).toBe(400);
    expect(withMail.json().errors[0]).toMatchObject({ field: 'email', code: 'complaints.support_email_anonymous_only' });
    // Unverified, forged, other tenant: the same 404.
    expect((await support(unverified.trackingCode)).statusCode).toBe(404);
    expect((await support('ADU-0000-0000-0000')).statusCode).toBe(404);
    expect((await support(c.trackingCode, { prefix: '/t/tanjungpinang' })).statusCode).toBe(404);
    // One's own report; a resolved report.
    const own = await support(mine.trackingCode, { session: hasnah, key: null });
    expect(own.statusCode).toBe(409);
    expect(own.json().code).toBe('complaints.support_own');
    const done = await support(resolved.trackingCode);
    expect(done.statusCode).toBe(409);
    expect(done.json().code).toBe('complaints.support_closed');
    expect(await counts(t)).toEqual(before);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM complaint_supporters'))[0].n).toBe(supportersBefore);
  });

  it('is rate limited per address', async () => {
    const c = await file(spot());
    const ip = nextIp();
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await support(c.trackingCode, { ip })).statusCode);
    expect(codes.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(codes.at(-1)).toBe(429);
  });

  it('followers hear of status changes: signed-in supporters in-app and by e-mail, anonymous ones by e-mail', async () => {
    const c = await file(spot(), { session: hasnah });
    expect((await support(c.trackingCode, { session: citizen, key: null })).statusCode).toBe(201);
    expect((await support(c.trackingCode, { body: { email: 'ikut@example.com' } })).statusCode).toBe(201);
    expect((await support(c.trackingCode)).statusCode).toBe(201);
    const dpuBm = (await t.db.query<{ id: string }>("SELECT id FROM units WHERE code = 'DPU-BM' AND tenant_id = (SELECT tenant_id FROM complaints WHERE id = $1)", [c.id]))[0].id;
    const res = await call(t, admin, 'POST', `/api/v1/complaints/${c.id}/dispose`, { unitId: dpuBm });
    expect(res.statusCode, res.body).toBe(200);
    const notices = await t.db.query<{ user_id: string; kind: string; title: string }>(
      "SELECT user_id, kind, title FROM notifications WHERE title LIKE $1 AND kind LIKE 'complaint.%' ORDER BY created_at, id",
      [`%${c.trackingCode}%diteruskan%`],
    );
    expect(notices.map((n) => [n.user_id, n.kind])).toEqual(
      expect.arrayContaining([
        [hasnah.userId, 'complaint.status_changed'],
        [citizen.userId, 'complaint.followed_status_changed'],
      ]),
    );
    expect(notices).toHaveLength(2);
    expect(notices.find((n) => n.user_id === citizen.userId)!.title).toMatch(/yang Anda dukung/);
    const mails = await t.db.query<{ to_address: string }>('SELECT to_address FROM email_outbox WHERE subject LIKE $1 ORDER BY to_address', [`%${c.trackingCode}%`]);
    expect(mails.map((m) => m.to_address)).toContain('ikut@example.com');
  });
});
