import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';
import { FakeClock } from '../../../test/support/clock.js';
import { rowsOf } from '../org/sql.js';
import { type AuditQuery, auditListSql } from './routes.js';

let t: TestApp;
let admin: Session;
let auditor: Session;
let makassar: string;
let tanjungpinang: string;

const GENERATED = 4_000;

beforeAll(async () => {
  // Later than the template's seed events (written at the real time the test run started).
  t = await createTestApp({ clock: new FakeClock('2031-03-02T02:00:00Z') });
  admin = await t.login(DEMO.admin);
  auditor = await t.login(DEMO.auditor);
  [{ id: makassar }] = await t.db.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'makassar'`);
  [{ id: tanjungpinang }] = await t.db.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'tanjungpinang'`);
});
afterAll(async () => {
  await t.close();
});

async function unitId(code: string, tenant = makassar): Promise<string> {
  const [u] = await t.db.query<{ id: string }>('SELECT id FROM units WHERE tenant_id = $1 AND code = $2', [tenant, code]);
  return u.id;
}
const browse = async (who: Session, qs = '') => t.request(who, 'GET', `/api/v1/admin/audit${qs ? `?${qs}` : ''}`);

describe('browsing the audit trail', () => {
  it('lists events newest first with actor, entity, data and the sealed flag', async () => {
    const dpu = await unitId('DPU');
    await t.request(admin, 'PATCH', `/api/v1/admin/units/${dpu}`, { name: 'Dinas Pekerjaan Umum Kota Makassar' });
    const res = await browse(auditor, 'limit=3');
    expect(res.statusCode).toBe(200);
    const [first] = res.json().items;
    expect(first).toMatchObject({
      action: 'unit.renamed',
      entityType: 'unit',
      entityId: dpu,
      unitId: dpu,
      unitName: 'Dinas Pekerjaan Umum Kota Makassar',
      actor: { id: admin.userId, kind: 'user', name: 'Andi Rahmat Hidayat' },
      data: { before: { name: 'Dinas Pekerjaan Umum' }, after: { name: 'Dinas Pekerjaan Umum Kota Makassar' } },
      sealed: false,
      seq: null,
    });
    expect(first.requestId).toBeTruthy();
    expect(first.occurredAt).toBe(t.clock.now().toISOString());
    await t.seal();
    const sealed = (await browse(auditor, 'limit=1')).json().items[0];
    expect(sealed).toMatchObject({ id: first.id, sealed: true });
    expect(sealed.seq).toBeGreaterThan(0);
  });

  it('never shows another tenant’s events', async () => {
    const tpi = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
    const items = (await browse(auditor, 'limit=100')).json().items;
    const theirs = await t.db.query<{ id: string }>('SELECT id FROM audit_events WHERE tenant_id = $1', [tanjungpinang]);
    expect(theirs.length).toBeGreaterThan(0);
    const ids = new Set(items.map((e: any) => e.id));
    expect(theirs.some((e) => ids.has(e.id))).toBe(false);
    const tpiItems = (await t.request(tpi, 'GET', '/api/v1/admin/audit?limit=100')).json().items;
    expect(tpiItems.every((e: any) => theirs.some((x) => x.id === e.id))).toBe(true);
  });

  it('filters by action, entity, actor and period (days in the tenant’s zone)', async () => {
    t.clock.set('2026-11-30T15:30:00Z'); // 23:30 WITA on 30 November
    const bm = await unitId('DPU-BM');
    await t.request(admin, 'PATCH', `/api/v1/admin/units/${bm}`, { name: 'Bidang Jalan' });
    t.clock.set('2026-11-30T16:30:00Z'); // 00:30 WITA on 1 December
    await t.request(admin, 'PATCH', `/api/v1/admin/units/${bm}`, { name: 'Bidang Bina Marga' });
    const names = async (qs: string) => (await browse(auditor, qs)).json().items.map((e: any) => e.data.after?.name);
    expect(await names(`entityType=unit&entityId=${bm}`)).toEqual(['Bidang Bina Marga', 'Bidang Jalan']);
    expect(await names(`action=unit.renamed&from=2026-11-30&to=2026-11-30`)).toEqual(['Bidang Jalan']);
    expect(await names(`action=unit.renamed&from=2026-12-01&to=2026-12-01`)).toEqual(['Bidang Bina Marga']);
    expect(await names(`action=unit.renamed&from=2026-11-30T16:00:00%2B08:00&to=2026-12-01T00:00:00%2B08:00`)).toEqual(['Bidang Jalan']);
    expect(await names(`action=unit.renamed&entityType=&from=2026-11-30&to=2026-11-30`)).toEqual(['Bidang Jalan']);
    const byActor = (await browse(auditor, `actorId=${admin.userId}&limit=100`)).json().items;
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((e: any) => e.actor.id === admin.userId)).toBe(true);
  });

  it('shows a unit-scoped auditor only the events of their units', async () => {
    const [{ id: auditorRole }] = await t.db.query<any>(`SELECT id FROM roles WHERE tenant_id = $1 AND key = 'auditor'`, [makassar]);
    const dpu = await unitId('DPU');
    const res = await t.request(admin, 'POST', '/api/v1/admin/users', { name: 'Inspektur PU', email: 'inspektur.pu@makassarkota.go.id', grants: [{ roleKey: 'auditor', unitId: dpu }] });
    expect(res.statusCode).toBe(201);
    expect(auditorRole).toBeTruthy();
    const [mail] = await t.db.query<any>(`SELECT body_text FROM email_outbox WHERE to_address = 'inspektur.pu@makassarkota.go.id'`);
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail.body_text)![1];
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: 'rahasiaBaru1' } });
    const inspector = await t.login('inspektur.pu@makassarkota.go.id', { password: 'rahasiaBaru1' });
    await t.request(admin, 'PATCH', `/api/v1/admin/units/${await unitId('DISHUB')}`, { name: 'Dinas Perhubungan Kota Makassar' });
    const items = (await browse(inspector, 'limit=100')).json().items;
    expect(items.length).toBeGreaterThan(0);
    const dpuSubtree = new Set((await t.db.query<any>('SELECT id FROM units WHERE tenant_id = $1 AND $2 = ANY(path)', [makassar, dpu])).map((u) => u.id));
    expect(items.every((e: any) => dpuSubtree.has(e.unitId))).toBe(true);
    expect(items.map((e: any) => e.action)).toContain('unit.renamed');
    expect(items.map((e: any) => e.action)).toContain('grant.added');
    const all = (await browse(auditor, 'limit=100')).json().items;
    expect(all.some((e: any) => e.unitId === null)).toBe(true);
    expect(all.some((e: any) => e.unitId && !dpuSubtree.has(e.unitId))).toBe(true);
  });

  it('answers 401 anonymously and 403 without audit.read', async () => {
    expect((await t.request(null, 'GET', '/api/v1/admin/audit')).statusCode).toBe(401);
    expect((await browse(await t.login(DEMO.puAdmin))).statusCode).toBe(403);
    expect((await browse(await t.login(DEMO.citizen))).statusCode).toBe(403);
    expect((await browse(admin)).statusCode).toBe(200);
  });

  it.each([
    ['from=2026-13-01', 'querystring.from', 'field.datetime'],
    ['to=yesterday', 'querystring.to', 'field.datetime'],
    ['from=2026-11-30T10:00:00', 'querystring.from', 'field.datetime'],
    ['limit=0', 'querystring.limit', 'field.too_small'],
    ['actorId=admin', 'querystring.actorId', 'field.uuid'],
    ['cursor=xyz', 'querystring.cursor', 'field.cursor'],
    ['entityId=123', 'querystring.entityId', 'field.entity_type_required'],
    ['seq=1', 'querystring.seq', 'field.unknown'],
  ])('refuses %s with a field error', async (qs, field, code) => {
    const res = await browse(auditor, qs);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual(expect.objectContaining({ field, code }));
  });
});

describe('paging and indexes on a few thousand events', () => {
  beforeAll(async () => {
    const dpu = await unitId('DPU');
    for (const tenant of [makassar, tanjungpinang]) {
      await t.db.query(
        `INSERT INTO audit_events (tenant_id, id, occurred_at, actor_id, actor_kind, actor_name, action, entity_type, entity_id, unit_id, data)
         SELECT $1, gen_random_uuid(), timestamptz '2026-06-01T00:00:00Z' + (i / 3) * interval '1 minute',
                CASE WHEN i % 10 = 0 THEN $2::uuid END, 'user', 'Generator',
                'generated.' || (i % 25), 'thing', 'thing-' || (i % 400), CASE WHEN i % 7 = 0 THEN $3::uuid END, jsonb_build_object('i', i)
           FROM generate_series(1, $4::int) AS i`,
        [tenant, admin.userId, tenant === makassar ? dpu : null, GENERATED],
      );
    }
    await t.db.query('ANALYZE audit_events');
  });

  it('walks every page without gaps or repeats, also across equal timestamps', async () => {
    const expected = await t.db.query<{ id: string }>(
      `SELECT id FROM audit_events WHERE tenant_id = $1 AND action LIKE 'generated.%' ORDER BY occurred_at DESC, id DESC`,
      [makassar],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = (await browse(auditor, `entityType=thing&limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...res.items.map((e: any) => e.id));
      cursor = res.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(GENERATED / 100);
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  async function plan(q: Partial<AuditQuery>, scope = { tenantWide: true, unitIds: [] as string[] }): Promise<string> {
    const query = auditListSql(makassar, 'Asia/Makassar', scope, { limit: 25, ...q } as AuditQuery);
    const rows = await rowsOf<Record<string, string>>(t.db.orm, sql`EXPLAIN ${query}`);
    return rows.map((r) => Object.values(r)[0]).join('\n');
  }

  it.each([
    ['no filter', {}, 'audit_browse_idx'],
    ['an action', { action: 'generated.7' }, 'audit_action_idx'],
    ['an entity', { entityType: 'thing', entityId: 'thing-42' }, 'audit_entity_idx'],
    ['an actor', { actorId: '01900000-0000-7000-8000-000000000000' }, 'audit_actor_idx'],
  ])('serves %s from an index', async (_label, q, index) => {
    const p = await plan(q);
    expect(p).toContain(index);
    expect(p).not.toMatch(/Seq Scan on audit_events/);
  });

  it('serves a unit-scoped auditor from an index', async () => {
    const p = await plan({}, { tenantWide: false, unitIds: [await unitId('DPU')] });
    expect(p).toMatch(/Index.*audit_(unit|browse)_idx/);
    expect(p).not.toMatch(/Seq Scan on audit_events/);
  });
});
