import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../../test/support/app.js';
import { call, categoryId, roadReport, unitId } from '../testSupport.js';

let t: TestApp;
let admin: Session;
let puAdmin: Session;
let tpiAdmin: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
  puAdmin = await t.login(DEMO.puAdmin);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
});
afterAll(async () => {
  await t.close();
});

async function tableCounts() {
  const q = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return { categories: await q('complaint_categories'), rules: await q('complaint_routing_rules'), audit: await q('audit_events') };
}

const pohon = {
  name: 'Baliho roboh',
  icon: 'IconSignRight',
  kind: 'pengaduan',
  defaultUnitId: '',
  deadlineHours: { verification: 2, resolution: 8 },
  attributes: [
    { code: 'ukuran', description: 'Ukuran baliho', datatype: 'singlevaluelist', required: true, values: [{ key: 'kecil', name: 'Kecil' }, { key: 'besar', name: 'Besar' }] },
    { code: 'keterangan', description: 'Keterangan tambahan', datatype: 'string', required: false },
  ],
};

describe('categories', () => {
  it('lists the seeded Makassar categories publicly, icon grid order, with the road attribute', async () => {
    const res = await call(t, null, 'GET', '/api/v1/complaints/categories');
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((c: { name: string }) => c.name)).toEqual([
      'Jalan rusak/berlubang',
      'Lampu lalu lintas mati',
      'Sampah menumpuk',
      'Drainase tersumbat/banjir',
      'Lampu jalan (PJU) padam',
      'Pohon tumbang',
      'Parkir liar',
      'Pelayanan publik',
      'Aspirasi pembangunan',
      'Permintaan informasi',
    ]);
    expect(items[0].attributes[0]).toMatchObject({ code: 'jenis_kerusakan', datatype: 'singlevaluelist', required: true });
    expect(items.find((c: { name: string }) => c.name === 'Permintaan informasi').kind).toBe('informasi');
    const tpi = (await call(t, null, 'GET', '/api/v1/complaints/categories', undefined, { prefix: '/t/tanjungpinang' })).json().items;
    expect(tpi.map((c: { name: string }) => c.name)).toEqual(['Jalan rusak/berlubang', 'Sampah menumpuk']);
  });

  it('creates and updates a category; a hidden one leaves the public grid', async () => {
    const dlh = await unitId(t, 'DLH');
    const res = await call(t, admin, 'POST', '/api/v1/admin/complaints/categories', { ...pohon, defaultUnitId: dlh });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Baliho roboh', defaultUnitName: 'Dinas Lingkungan Hidup', public: true, active: true });
    const id = res.json().id;
    const upd = await call(t, admin, 'PATCH', `/api/v1/admin/complaints/categories/${id}`, { public: false, name: 'Baliho/reklame roboh' });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({ name: 'Baliho/reklame roboh', public: false });
    const grid = (await call(t, null, 'GET', '/api/v1/complaints/categories')).json().items;
    expect(grid.map((c: { id: string }) => c.id)).not.toContain(id);
    const all = (await call(t, admin, 'GET', '/api/v1/admin/complaints/categories')).json().items;
    expect(all.map((c: { id: string }) => c.id)).toContain(id);
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action LIKE 'complaint_category.%'", [id]);
    expect(n).toBe(2);
  });

  it('refuses bad categories and writes nothing', async () => {
    const dlh = await unitId(t, 'DLH');
    const before = await tableCounts();
    const bad: [unknown, string][] = [
      [{ ...pohon, defaultUnitId: '01900000-0000-7000-8000-000000000000' }, 'defaultUnitId'],
      [{ ...pohon, defaultUnitId: await unitId(t, 'DLH', 'tanjungpinang') }, 'defaultUnitId'],
      [{ ...pohon, defaultUnitId: dlh, name: 'Sampah menumpuk' }, 'name'],
      [{ ...pohon, defaultUnitId: dlh, name: 'sampah MENUMPUK' }, 'name'],
      [{ ...pohon, defaultUnitId: dlh, kind: 'keluhan' }, 'kind'],
      [{ ...pohon, defaultUnitId: dlh, icon: '<svg>' }, 'icon'],
      [{ ...pohon, defaultUnitId: dlh, attributes: [pohon.attributes[0], pohon.attributes[0]] }, 'attributes'],
      [{ ...pohon, defaultUnitId: dlh, attributes: [{ ...pohon.attributes[1], datatype: 'singlevaluelist' }] }, 'attributes'],
      [{ ...pohon, defaultUnitId: dlh, attributes: [{ ...pohon.attributes[1], code: 'Bad Code' }] }, 'attributes.0.code'],
    ];
    for (const [body, field] of bad) {
      const res = await call(t, admin, 'POST', '/api/v1/admin/complaints/categories', body);
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(410);
      expect(res.json().errors.map((e: { field: string }) => e.field), res.body).toContain(field);
    }
    expect((await call(t, admin, 'PATCH', '/api/v1/admin/complaints/categories/01900000-0000-7000-8000-000000000000', { active: false })).statusCode).toBe(404);
    expect((await call(t, admin, 'PATCH', `/api/v1/admin/complaints/categories/${await categoryId(t, 'Parkir liar')}`, {})).statusCode).toBe(400);
    // Another tenant's category is not found; a unit admin without the permission is refused.
    expect((await call(t, tpiAdmin, 'PATCH', `/api/v1/admin/complaints/categories/${await categoryId(t, 'Parkir liar')}`, { active: false })).statusCode).toBe(404);
    expect((await call(t, puAdmin, 'POST', '/api/v1/admin/complaints/categories', { ...pohon, defaultUnitId: dlh })).statusCode).toBe(403);
    expect(await tableCounts()).toEqual(before);
  });
});

describe('routing rules', () => {
  it('adds a kelurahan rule that wins over the kecamatan and the default, and removes it', async () => {
    const road = await categoryId(t, 'Jalan rusak/berlubang');
    const seksi = await unitId(t, 'DPU-BM-JLN');
    const res = await call(t, admin, 'POST', '/api/v1/admin/complaints/routing-rules', { categoryId: road, regionCode: '73.71.10.1004', unitId: seksi });
    expect(res.statusCode, res.body).toBe(201);
    const rules = (await call(t, admin, 'GET', `/api/v1/admin/complaints/routing-rules?categoryId=${road}`)).json().items;
    expect(rules).toEqual([expect.objectContaining({ regionCode: '73.71.10.1004', regionName: 'Mangasa', unitId: seksi })]);

    const filed = (await call(t, null, 'POST', '/api/v1/complaints', roadReport(road))).json();
    const [row] = await t.db.query<{ unit_id: string }>('SELECT unit_id FROM complaints WHERE id = $1', [filed.id]);
    expect(row.unit_id).toBe(seksi);
    const elsewhere = (await call(t, null, 'POST', '/api/v1/complaints', roadReport(road, { regionCode: '73.71.10.1001' }))).json();
    const [row2] = await t.db.query<{ unit_id: string }>('SELECT unit_id FROM complaints WHERE id = $1', [elsewhere.id]);
    expect(row2.unit_id).toBe(await unitId(t, 'DPU-BM'));

    expect((await call(t, admin, 'DELETE', `/api/v1/admin/complaints/routing-rules/${res.json().id}`)).statusCode).toBe(204);
    expect((await call(t, admin, 'DELETE', `/api/v1/admin/complaints/routing-rules/${res.json().id}`)).statusCode).toBe(404);
  });

  it('refuses bad rules and writes nothing', async () => {
    const road = await categoryId(t, 'Jalan rusak/berlubang');
    const bm = await unitId(t, 'DPU-BM');
    await call(t, admin, 'POST', '/api/v1/admin/complaints/routing-rules', { categoryId: road, regionCode: '73.71.01', unitId: bm });
    const before = await tableCounts();
    const bad: [unknown, number, string][] = [
      [{ categoryId: road, regionCode: '73.71.01', unitId: bm }, 409, 'regionCode'],
      [{ categoryId: road, regionCode: '21.72.01', unitId: bm }, 400, 'regionCode'],
      [{ categoryId: road, regionCode: '73.71', unitId: bm }, 400, 'regionCode'],
      [{ categoryId: '01900000-0000-7000-8000-000000000000', regionCode: '73.71.02', unitId: bm }, 400, 'categoryId'],
      [{ categoryId: await categoryId(t, 'Sampah menumpuk', 'tanjungpinang'), regionCode: '73.71.02', unitId: bm }, 400, 'categoryId'],
      [{ categoryId: road, regionCode: '73.71.02', unitId: await unitId(t, 'DLH', 'tanjungpinang') }, 400, 'unitId'],
    ];
    for (const [body, status, field] of bad) {
      const res = await call(t, admin, 'POST', '/api/v1/admin/complaints/routing-rules', body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await tableCounts()).toEqual(before);
  });
});
