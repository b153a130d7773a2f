import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';
import { inTransaction } from '../context.js';
import { systemActor } from '../policies/actor.js';
import { MAX_ANNOUNCEMENT_RECIPIENTS } from './commands/publishAnnouncement.js';
import { notify } from './notify.js';

let t: TestApp;
let admin: Session;
let staff: Session;
let puAdmin: Session;
let citizen: Session;
const unit: Record<string, string> = {};
let tpiRoot: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
  staff = await t.login(DEMO.puStaff);
  puAdmin = await t.login(DEMO.puAdmin);
  citizen = await t.login(DEMO.citizen);
  for (const r of await t.db.query<any>(`SELECT u.code, u.id FROM units u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'makassar' AND u.code IS NOT NULL`)) unit[r.code] = r.id;
  [{ id: tpiRoot }] = await t.db.query<any>(`SELECT u.id FROM units u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'tanjungpinang' AND u.parent_id IS NULL`);
});
afterAll(async () => {
  await t.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return r.n;
}

/** Rows that a refused request must not have written. */
async function footprint(): Promise<number[]> {
  return Promise.all(['notifications', 'email_outbox', 'domain_events', 'audit_events'].map((table) => count(`SELECT 1 FROM ${table}`)));
}

describe('announcements', () => {
  it('notifies every active staff member of the unit and its sub-units, in their language, with e-mail, audit and events', async () => {
    await t.db.query(`UPDATE users SET locale = 'en' WHERE email = $1`, [DEMO.puStaff]);
    const res = await t.request(admin, 'POST', '/api/v1/admin/announcements', {
      unitId: unit.DPU,
      title: 'Rapat koordinasi drainase',
      body: 'Rapat Kamis pukul 09.00 di ruang rapat Dinas PU.',
      link: '/admin/calendar',
      email: true,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().recipients).toBe(2);
    const rows = await t.db.query<any>(
      `SELECT u.email, n.kind, n.title, n.body, n.link FROM notifications n JOIN users u ON u.tenant_id = n.tenant_id AND u.id = n.user_id ORDER BY u.email`,
    );
    expect(rows.map((r) => r.email)).toEqual([DEMO.puAdmin, DEMO.puStaff]);
    expect(rows[0]).toMatchObject({ kind: 'announcement', title: 'Rapat koordinasi drainase', link: '/admin/calendar' });
    const mails = await t.db.query<any>(`SELECT to_address, subject, body_text, template, status FROM email_outbox WHERE template = 'notification' ORDER BY to_address`);
    expect(mails).toHaveLength(2);
    expect(mails[0].body_text).toMatch(/^Halo Muhammad Ikhsan/);
    expect(mails[1].body_text).toMatch(/^Hello Sitti Aminah/);
    expect(mails[1].body_text).toContain('/t/makassar/admin/calendar');
    expect(mails[1].subject).toBe('Rapat koordinasi drainase');
    expect(await count(`SELECT 1 FROM audit_events WHERE action = 'announcement.published' AND unit_id = $1`, [unit.DPU])).toBe(1);
    const events = await t.db.query<any>(`SELECT type, unit_id, payload FROM domain_events WHERE type IN ('notification.created', 'announcement.published') ORDER BY type`);
    expect(events.map((e) => e.type)).toEqual(['announcement.published', 'notification.created', 'notification.created']);
    expect(events[0].unit_id).toBe(unit.DPU);
    expect(events[1].payload).toMatchObject({ kind: 'announcement', unread: 1 });
    await t.db.query(`UPDATE users SET locale = 'id' WHERE email = $1`, [DEMO.puStaff]);
  });

  it('lets a unit admin announce inside their unit only', async () => {
    const ok = await t.request(puAdmin, 'POST', '/api/v1/admin/announcements', { unitId: unit['DPU-BM'], title: 'Cek alat berat', body: 'Semua alat berat dicek Jumat.' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().recipients).toBe(1);
    const before = await footprint();
    const outside = await t.request(puAdmin, 'POST', '/api/v1/admin/announcements', { unitId: unit.DISHUB, title: 'Bukan unit saya', body: 'x' });
    expect(outside.statusCode).toBe(404);
    expect(await footprint()).toEqual(before);
  });

  it.each([
    ['an unknown field', () => ({ unitId: unit.DPU, title: 'Judul', body: 'Isi', urgent: true }), 'urgent'],
    ['a malformed unit id', () => ({ unitId: 'dpu', title: 'Judul', body: 'Isi' }), 'unitId'],
    ['a missing title', () => ({ unitId: unit.DPU, body: 'Isi' }), 'title'],
    ['a too short title', () => ({ unitId: unit.DPU, title: 'Hi', body: 'Isi' }), 'title'],
    ['an empty body', () => ({ unitId: unit.DPU, title: 'Judul', body: '   ' }), 'body'],
    ['a too long body', () => ({ unitId: unit.DPU, title: 'Judul', body: 'x'.repeat(4001) }), 'body'],
    ['a link to another site', () => ({ unitId: unit.DPU, title: 'Judul', body: 'Isi', link: 'https://phish.example/login' }), 'link'],
    ['a protocol-relative link', () => ({ unitId: unit.DPU, title: 'Judul', body: 'Isi', link: '//phish.example' }), 'link'],
    ['email as text', () => ({ unitId: unit.DPU, title: 'Judul', body: 'Isi', email: 'yes' }), 'email'],
    ['a unit without staff', () => ({ unitId: unit.DUKCAPIL, title: 'Judul', body: 'Isi' }), 'unitId'],
  ])('refuses %s with a field error and writes nothing', async (_name, body, field) => {
    const before = await footprint();
    const res = await t.request(admin, 'POST', '/api/v1/admin/announcements', body());
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().errors.map((e: any) => e.field)).toContain(field);
    expect(await footprint()).toEqual(before);
  });

  it('refuses malformed JSON, missing CSRF, staff without users.manage, citizens, anonymous callers and cross-tenant units', async () => {
    const before = await footprint();
    const bad = await t.request(admin, 'POST', '/api/v1/admin/announcements', '{"unitId":', { 'content-type': 'application/json' });
    expect(bad.statusCode).toBe(400);
    const csrf = await t.request(admin, 'POST', '/api/v1/admin/announcements', { unitId: unit.DPU, title: 'Judul', body: 'Isi' }, { 'x-csrf-token': 'salah' });
    expect(csrf.statusCode).toBe(403);
    expect(csrf.json().code).toBe('csrf_invalid');
    expect((await t.request(staff, 'POST', '/api/v1/admin/announcements', { unitId: unit['DPU-BM'], title: 'Judul', body: 'Isi' })).statusCode).toBe(403);
    expect((await t.request(citizen, 'POST', '/api/v1/admin/announcements', { unitId: unit.DPU, title: 'Judul', body: 'Isi' })).statusCode).toBe(403);
    expect((await t.request(null, 'POST', '/api/v1/admin/announcements', { unitId: unit.DPU, title: 'Judul', body: 'Isi' })).statusCode).toBe(401);
    const cross = await t.request(admin, 'POST', '/api/v1/admin/announcements', { unitId: tpiRoot, title: 'Judul', body: 'Isi' });
    expect(cross.statusCode).toBe(404);
    const unknown = await t.request(admin, 'POST', '/api/v1/admin/announcements', { unitId: '0190d6a2-0000-7000-8000-000000000000', title: 'Judul', body: 'Isi' });
    expect(unknown.statusCode).toBe(404);
    expect(await footprint()).toEqual(before);
  });

  it('refuses an announcement that would reach more staff than the cap, and writes nothing', async () => {
    const [{ tenant_id, role_id }] = await t.db.query<any>(
      `SELECT u.tenant_id, r.id AS role_id FROM units u JOIN roles r ON r.tenant_id = u.tenant_id AND r.key = 'staff' WHERE u.id = $1`,
      [unit.BAPENDA],
    );
    await t.db.query(
      `WITH made AS (
         INSERT INTO users (tenant_id, id, kind, name, email)
         SELECT $1, gen_random_uuid(), 'staff', 'Staf ' || g, 'staf' || g || '@bapenda.example' FROM generate_series(1, $3::int) g
         RETURNING id)
       INSERT INTO grants (tenant_id, id, user_id, role_id, unit_id) SELECT $1, gen_random_uuid(), id, $2, $4 FROM made`,
      [tenant_id, role_id, MAX_ANNOUNCEMENT_RECIPIENTS + 1, unit.BAPENDA],
    );
    const before = await footprint();
    const res = await t.request(admin, 'POST', '/api/v1/admin/announcements', { unitId: unit.BAPENDA, title: 'Untuk semua', body: 'Isi' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'unitId', code: 'announcement.too_many_recipients' });
    expect(await footprint()).toEqual(before);
  });
});

describe('my notifications', () => {
  it('lists newest first with cursor pages, filters unread, and counts unread', async () => {
    const tenant = t.app.tenants;
    const makassar = (await tenant.bySlug('makassar'))!;
    const ctx = { db: t.db, tenant: makassar, actor: systemActor, clock: t.clock, locale: 'id' as const };
    for (let i = 1; i <= 5; i++) {
      t.clock.advance(1_000);
      await inTransaction(ctx, (tx) => notify(tx, { userId: staff.userId, kind: 'test.list', title: { id: `Pesan ${i}`, en: `Message ${i}` }, body: 'isi' }));
    }
    const page1 = await t.request(staff, 'GET', '/api/v1/notifications?limit=3');
    expect(page1.statusCode).toBe(200);
    const p1 = page1.json();
    expect(p1.items.map((n: any) => n.title)).toEqual(['Pesan 5', 'Pesan 4', 'Pesan 3']);
    expect(p1.nextCursor).toBeTruthy();
    const p2 = (await t.request(staff, 'GET', `/api/v1/notifications?limit=3&cursor=${p1.nextCursor}`)).json();
    expect(p2.items.map((n: any) => n.title).slice(0, 2)).toEqual(['Pesan 2', 'Pesan 1']);
    const all = (await t.request(staff, 'GET', '/api/v1/notifications?limit=100')).json().items;
    const unreadBefore = (await t.request(staff, 'GET', '/api/v1/notifications/unread-count')).json().count;
    expect(unreadBefore).toBe(all.length);

    const target = p1.items[0].id;
    expect((await t.request(staff, 'POST', `/api/v1/notifications/${target}/read`)).statusCode).toBe(204);
    expect((await t.request(staff, 'GET', '/api/v1/notifications/unread-count')).json().count).toBe(unreadBefore - 1);
    const unread = (await t.request(staff, 'GET', '/api/v1/notifications?unread=true&limit=100')).json().items;
    expect(unread.map((n: any) => n.id)).not.toContain(target);
    expect(unread).toHaveLength(unreadBefore - 1);
    const [readEvent] = await t.db.query<any>(`SELECT payload FROM domain_events WHERE type = 'notification.read' AND aggregate_id = $1`, [target]);
    expect(readEvent.payload).toMatchObject({ userId: staff.userId, unread: unreadBefore - 1 });

    // Reading again changes nothing and writes no second audit event.
    const audits = await count(`SELECT 1 FROM audit_events WHERE action = 'notification.read'`);
    expect((await t.request(staff, 'POST', `/api/v1/notifications/${target}/read`)).statusCode).toBe(204);
    expect(await count(`SELECT 1 FROM audit_events WHERE action = 'notification.read'`)).toBe(audits);

    const readAll = await t.request(staff, 'POST', '/api/v1/notifications/read-all');
    expect(readAll.json()).toEqual({ updated: unreadBefore - 1 });
    expect((await t.request(staff, 'GET', '/api/v1/notifications/unread-count')).json().count).toBe(0);
    expect((await t.request(staff, 'POST', '/api/v1/notifications/read-all')).json()).toEqual({ updated: 0 });
  });

  it("keeps each user's notifications to themselves: another user's id answers 404 and changes nothing", async () => {
    const [{ id }] = await t.db.query<any>(`SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.read_at IS NULL LIMIT 1`, [DEMO.puAdmin]);
    expect((await t.request(staff, 'POST', `/api/v1/notifications/${id}/read`)).statusCode).toBe(404);
    expect((await t.request(citizen, 'GET', '/api/v1/notifications')).json().items).toEqual([]);
    const tpi = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
    expect((await t.request(tpi, 'POST', `/api/v1/notifications/${id}/read`)).statusCode).toBe(404);
    expect(await count(`SELECT 1 FROM notifications WHERE id = $1 AND read_at IS NULL`, [id])).toBe(1);
  });

  it('refuses bad queries and ids, and anonymous callers', async () => {
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'unread=yes', 'cursor=bm90LWpzb24', 'sort=title']) {
      const res = await t.request(staff, 'GET', `/api/v1/notifications?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await t.request(staff, 'POST', '/api/v1/notifications/not-a-uuid/read')).statusCode).toBe(400);
    expect((await t.request(null, 'GET', '/api/v1/notifications')).statusCode).toBe(401);
    expect((await t.request(null, 'GET', '/api/v1/notifications/unread-count')).statusCode).toBe(401);
    expect((await t.request(staff, 'POST', '/api/v1/notifications/read-all', undefined, { 'x-csrf-token': 'salah' })).statusCode).toBe(403);
  });

  it('notify() skips users of another tenant and disabled users, and refuses bad kinds and links', async () => {
    const makassar = (await t.app.tenants.bySlug('makassar'))!;
    const ctx = { db: t.db, tenant: makassar, actor: systemActor, clock: t.clock, locale: 'id' as const };
    const [{ id: tpiUser }] = await t.db.query<any>(`SELECT id FROM users WHERE email = $1`, [DEMO.tpiAdmin]);
    expect(await inTransaction(ctx, (tx) => notify(tx, { userId: tpiUser, kind: 'test.x', title: 'x' }))).toBeNull();
    await expect(inTransaction(ctx, (tx) => notify(tx, { userId: staff.userId, kind: 'Bad Kind', title: 'x' }))).rejects.toThrow(/kind/);
    await expect(inTransaction(ctx, (tx) => notify(tx, { userId: staff.userId, kind: 'test.x', title: 'x', link: 'javascript:alert(1)' }))).rejects.toThrow(/link/);
  });
});

describe('API description', () => {
  it('documents the notification, announcement and event stream routes in OpenAPI', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/v1/notifications',
      '/api/v1/notifications/unread-count',
      '/api/v1/notifications/{id}/read',
      '/api/v1/notifications/read-all',
      '/api/v1/admin/announcements',
      '/api/v1/events/stream',
      '/api/v1/public/events/stream',
    ]) {
      expect(paths).toContain(p);
    }
  });
});
