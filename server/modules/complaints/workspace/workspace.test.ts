import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { call, categoryId, unitId } from '../testSupport.js';

/** The detail page's helpers: the unit picker of a disposition and the response templates. */
let t: TestApp;
let admin: Session;
let triage: Session;
let lalin: Session;
let puAdmin: Session;
let citizen: Session;
let tpiAdmin: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
  triage = await t.login('pengaduan@makassarkota.go.id');
  lalin = await t.login('staf.lalulintas@makassarkota.go.id');
  puAdmin = await t.login(DEMO.puAdmin);
  citizen = await t.login(DEMO.citizen);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
});
afterAll(async () => {
  await t.close();
});

async function tableCounts() {
  const q = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return { templates: await q('complaint_response_templates'), audit: await q('audit_events') };
}

describe('unit lookup for the dispose picker', () => {
  it('finds active units of the tenant by name or code, with their parents, at most 20', async () => {
    const res = await call(t, triage, 'GET', '/api/v1/complaints/units?q=lalu%20lintas');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; name: string; code: string; kind: string; path: string[] }[];
    expect(items.map((u) => u.code)).toEqual(expect.arrayContaining(['DISHUB-LL', 'DISHUB-LL-APILL']));
    expect(items.find((u) => u.code === 'DISHUB-LL')).toEqual({ id: await unitId(t, 'DISHUB-LL'), name: 'Bidang Lalu Lintas', code: 'DISHUB-LL', kind: 'bidang', path: ['Dinas Perhubungan'] });
    expect(items.find((u) => u.code === 'DISHUB-LL-APILL')?.path).toEqual(['Dinas Perhubungan', 'Bidang Lalu Lintas']);
    // By code, case-insensitive; the exact code comes first.
    const byCode = (await call(t, triage, 'GET', '/api/v1/complaints/units?q=dishub')).json().items;
    expect(byCode[0].code).toBe('DISHUB');
    // Without a query: a page of 20 (Makassar has 15 kecamatan and 153 kelurahan units alone).
    expect((await call(t, triage, 'GET', '/api/v1/complaints/units')).json().items).toHaveLength(20);
    // LIKE wildcards are taken literally.
    expect((await call(t, triage, 'GET', '/api/v1/complaints/units?q=%25')).json().items).toEqual([]);
  });

  it('leaves out inactive units and other tenants’ units', async () => {
    const apill = await unitId(t, 'DISHUB-LL-APILL');
    await t.db.query('UPDATE units SET active = false WHERE id = $1', [apill]);
    try {
      const items = (await call(t, triage, 'GET', '/api/v1/complaints/units?q=isyarat')).json().items;
      expect(items).toEqual([]);
    } finally {
      await t.db.query('UPDATE units SET active = true WHERE id = $1', [apill]);
    }
    const tpi = (await call(t, admin, 'GET', '/api/v1/complaints/units?q=DPUPR')).json().items;
    expect(tpi).toEqual([]);
    const own = (await call(t, tpiAdmin, 'GET', '/api/v1/complaints/units?q=DPUPR', undefined, { prefix: '/t/tanjungpinang' })).json().items;
    expect(own.map((u: { code: string }) => u.code)).toEqual(['DPUPR']);
  });

  it('is for the triage desk only and refuses a too long query', async () => {
    expect((await call(t, lalin, 'GET', '/api/v1/complaints/units?q=dishub')).statusCode).toBe(403);
    expect((await call(t, citizen, 'GET', '/api/v1/complaints/units?q=dishub')).statusCode).toBe(403);
    expect((await call(t, null, 'GET', '/api/v1/complaints/units?q=dishub')).statusCode).toBe(401);
    const long = await call(t, triage, 'GET', `/api/v1/complaints/units?q=${'a'.repeat(101)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json().errors.map((e: { field: string }) => e.field).join()).toContain('q');
  });
});

describe('response templates', () => {
  it('seeds Makassar templates that staff read, the category’s own first', async () => {
    const lampu = await categoryId(t, 'Lampu lalu lintas mati');
    const all = (await call(t, lalin, 'GET', '/api/v1/complaints/templates')).json().items as { title: string; categoryId: string | null; body: string }[];
    expect(all.length).toBeGreaterThanOrEqual(4);
    const forLampu = (await call(t, triage, 'GET', `/api/v1/complaints/templates?categoryId=${lampu}`)).json().items as typeof all;
    expect(forLampu[0]).toMatchObject({ title: 'Lampu lalu lintas sudah diperbaiki', categoryId: lampu, categoryName: 'Lampu lalu lintas mati' });
    // Other categories' templates are left out; general ones stay.
    expect(forLampu.every((x) => x.categoryId === null || x.categoryId === lampu)).toBe(true);
    expect(forLampu.some((x) => x.categoryId === null)).toBe(true);
    // Tanjungpinang has none of Makassar's.
    expect((await call(t, tpiAdmin, 'GET', '/api/v1/complaints/templates', undefined, { prefix: '/t/tanjungpinang' })).json().items).toEqual([]);
  });

  it('hides templates from staff who neither triage nor handle, and from residents', async () => {
    expect((await call(t, await t.login(DEMO.auditor), 'GET', '/api/v1/complaints/templates')).statusCode).toBe(404);
    expect((await call(t, citizen, 'GET', '/api/v1/complaints/templates')).statusCode).toBe(403);
    expect((await call(t, null, 'GET', '/api/v1/complaints/templates')).statusCode).toBe(401);
  });

  it('lets the category manager add, change, deactivate and remove a template, audited', async () => {
    const sampah = await categoryId(t, 'Sampah menumpuk');
    const created = await call(t, admin, 'POST', '/api/v1/admin/complaints/templates', { title: 'Pengangkutan terjadwal', body: 'Sampah di lokasi akan diangkut pada jadwal pengangkutan berikutnya.', categoryId: sampah });
    expect(created.statusCode, created.body).toBe(201);
    const tpl = created.json();
    expect(tpl).toMatchObject({ title: 'Pengangkutan terjadwal', categoryId: sampah, categoryName: 'Sampah menumpuk', active: true });
    const patched = await call(t, admin, 'PATCH', `/api/v1/admin/complaints/templates/${tpl.id}`, { active: false, categoryId: null });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ active: false, categoryId: null });
    // Inactive: in the admin list, not offered to staff.
    expect((await call(t, admin, 'GET', '/api/v1/admin/complaints/templates')).json().items.map((x: { id: string }) => x.id)).toContain(tpl.id);
    expect((await call(t, lalin, 'GET', '/api/v1/complaints/templates')).json().items.map((x: { id: string }) => x.id)).not.toContain(tpl.id);
    const audit = await t.db.query<{ action: string }>("SELECT action FROM audit_events WHERE entity_type = 'complaint_template' AND entity_id = $1 ORDER BY action", [tpl.id]);
    expect(audit.map((a) => a.action)).toEqual(['complaint_template.created', 'complaint_template.updated']);
    expect((await call(t, admin, 'DELETE', `/api/v1/admin/complaints/templates/${tpl.id}`)).statusCode).toBe(204);
    expect((await call(t, admin, 'DELETE', `/api/v1/admin/complaints/templates/${tpl.id}`)).statusCode).toBe(404);
    const [gone] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint_template.deleted' AND entity_id = $1", [tpl.id]);
    expect(gone.n).toBe(1);
  });

  it('refuses bad input, foreign categories, other tenants and non-managers, writing nothing', async () => {
    const [any] = (await call(t, admin, 'GET', '/api/v1/admin/complaints/templates')).json().items;
    const before = await tableCounts();
    const ok = { title: 'Judul templat', body: 'Isi templat yang cukup panjang.' };
    const bad: [unknown, number, string][] = [
      [{ ...ok, title: 'x' }, 400, 'title'],
      [{ ...ok, title: '   ' }, 400, 'title'],
      [{ ...ok, body: 'abc' }, 400, 'body'],
      [{ ...ok, body: 'x'.repeat(2001) }, 400, 'body'],
      [{ ...ok, categoryId: 'nope' }, 400, 'categoryId'],
      [{ ...ok, categoryId: '01900000-0000-7000-8000-000000000000' }, 400, 'categoryId'],
      [{ ...ok, categoryId: await categoryId(t, 'Sampah menumpuk', 'tanjungpinang') }, 400, 'categoryId'],
      [{ ...ok, extra: true }, 400, ''],
    ];
    for (const [body, status, field] of bad) {
      const res = await call(t, admin, 'POST', '/api/v1/admin/complaints/templates', body);
      expect(res.statusCode, res.body).toBe(status);
      if (field) expect(res.json().errors.map((e: { field: string }) => e.field), res.body).toContain(field);
    }
    expect((await call(t, admin, 'PATCH', `/api/v1/admin/complaints/templates/${any.id}`, {})).statusCode).toBe(400);
    expect((await call(t, admin, 'PATCH', `/api/v1/admin/complaints/templates/${any.id}`, { body: 'abc' })).statusCode).toBe(400);
    expect((await call(t, admin, 'PATCH', '/api/v1/admin/complaints/templates/01900000-0000-7000-8000-000000000000', { active: false })).statusCode).toBe(404);
    // Another tenant's administrator does not find Makassar's template.
    expect((await call(t, tpiAdmin, 'PATCH', `/api/v1/admin/complaints/templates/${any.id}`, { active: false }, { prefix: '/t/tanjungpinang' })).statusCode).toBe(404);
    expect((await call(t, tpiAdmin, 'DELETE', `/api/v1/admin/complaints/templates/${any.id}`, undefined, { prefix: '/t/tanjungpinang' })).statusCode).toBe(404);
    // Staff without complaints.categories.manage.
    expect((await call(t, puAdmin, 'POST', '/api/v1/admin/complaints/templates', ok)).statusCode).toBe(403);
    expect((await call(t, triage, 'POST', '/api/v1/admin/complaints/templates', ok)).statusCode).toBe(403);
    expect((await call(t, lalin, 'DELETE', `/api/v1/admin/complaints/templates/${any.id}`)).statusCode).toBe(403);
    expect((await call(t, citizen, 'GET', '/api/v1/admin/complaints/templates')).statusCode).toBe(403);
    expect(await tableCounts()).toEqual(before);
    expect((await call(t, admin, 'GET', `/api/v1/admin/complaints/templates`)).json().items.find((x: { id: string }) => x.id === any.id)).toEqual(any);
  });
});
