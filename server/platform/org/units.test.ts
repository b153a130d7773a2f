import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
let admin: Session;
let puAdmin: Session;
let makassar: string;
let tanjungpinang: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
  puAdmin = await t.login(DEMO.puAdmin);
  [{ id: makassar }] = await t.db.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'makassar'`);
  [{ id: tanjungpinang }] = await t.db.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'tanjungpinang'`);
});
afterAll(async () => {
  await t.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return r.n;
}

async function unit(code: string, tenant = makassar): Promise<{ id: string; path: string[]; parent_id: string | null; name: string; active: boolean }> {
  const [u] = await t.db.query<any>('SELECT id, path::text[] AS path, parent_id, name, active FROM units WHERE tenant_id = $1 AND code = $2', [tenant, code]);
  if (!u) throw new Error(`no unit ${code}`);
  return u;
}

/** Rows that a refused request must leave as they were. */
async function snapshot() {
  return {
    units: await count('SELECT 1 FROM units'),
    audit: await count('SELECT 1 FROM audit_events'),
    events: await count('SELECT 1 FROM domain_events'),
    changed: await count(`SELECT 1 FROM units WHERE updated_at > created_at`),
  };
}

describe('listing units', () => {
  it('gives a tenant admin the whole tree, depth first with siblings by name', async () => {
    const res = await t.request(admin, 'GET', '/api/v1/admin/units');
    expect(res.statusCode).toBe(200);
    const { items, nextCursor } = res.json();
    expect(nextCursor).toBeNull();
    expect(items.length).toBe(await count('SELECT 1 FROM units WHERE tenant_id = $1 AND active', [makassar]));
    expect(items[0]).toMatchObject({ kind: 'pemda', parentId: null, depth: 0, code: 'PEMDA' });
    expect(items[0].childCount).toBe(await count('SELECT 1 FROM units WHERE tenant_id = $1 AND parent_id = $2', [makassar, items[0].id]));
    const seen = new Set<string>();
    for (const u of items) {
      if (u.parentId) expect(seen.has(u.parentId)).toBe(true);
      seen.add(u.id);
    }
    const rootChildren = items.filter((u: any) => u.parentId === items[0].id).map((u: any) => u.name);
    expect(rootChildren).toEqual([...rootChildren].sort((a, b) => a.localeCompare(b, 'id')));
    const dpu = items.findIndex((u: any) => u.code === 'DPU');
    expect(items.slice(dpu + 1, dpu + 4).map((u: any) => u.code)).toEqual(['DPU-BM', 'DPU-BM-JLN', 'DPU-SDA']);
    expect(items.some((u: any) => u.kind === 'kelurahan' && u.regionCode?.startsWith('73.71.'))).toBe(true);
  });

  it('limits a unit admin to the subtree of their unit', async () => {
    const res = await t.request(puAdmin, 'GET', '/api/v1/admin/units');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((u: any) => [u.code, u.depth])).toEqual([
      ['DPU', 1],
      ['DPU-BM', 2],
      ['DPU-BM-JLN', 3],
      ['DPU-SDA', 2],
    ]);
  });

  it('searches by name, case-insensitively, with LIKE wildcards taken literally', async () => {
    const res = await t.request(admin, 'GET', '/api/v1/admin/units?q=BINA%20marga');
    expect(res.json().items.map((u: any) => u.code)).toEqual(['DPU-BM']);
    expect((await t.request(admin, 'GET', '/api/v1/admin/units?q=%25')).json().items).toEqual([]);
    expect((await t.request(puAdmin, 'GET', '/api/v1/admin/units?q=')).json().items).toHaveLength(4);
    const long = await t.request(admin, 'GET', `/api/v1/admin/units?q=${'a'.repeat(101)}`);
    expect(long.json().errors[0]).toMatchObject({ field: 'querystring.q', code: 'field.too_long' });
    expect((await t.request(puAdmin, 'GET', '/api/v1/admin/units?q=Perhubungan')).json().items).toEqual([]);
  });

  it('shows one unit with its ancestors, and hides units out of scope or of another tenant', async () => {
    const jln = await unit('DPU-BM-JLN');
    const res = await t.request(puAdmin, 'GET', `/api/v1/admin/units/${jln.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().ancestors.map((a: any) => a.name)).toEqual(['Pemerintah Kota Makassar', 'Dinas Pekerjaan Umum', 'Bidang Bina Marga']);
    expect((await t.request(puAdmin, 'GET', `/api/v1/admin/units/${(await unit('DISHUB')).id}`)).statusCode).toBe(404);
    expect((await t.request(admin, 'GET', `/api/v1/admin/units/${(await unit('DISHUB', tanjungpinang)).id}`)).statusCode).toBe(404);
  });

  it('answers 401 without a session and 403 without units.manage', async () => {
    expect((await t.request(null, 'GET', '/api/v1/admin/units')).statusCode).toBe(401);
    expect((await t.request(await t.login(DEMO.auditor), 'GET', '/api/v1/admin/units')).statusCode).toBe(403);
    expect((await t.request(await t.login(DEMO.citizen), 'GET', '/api/v1/admin/units')).statusCode).toBe(403);
    expect((await t.request(await t.login(DEMO.puStaff), 'GET', '/api/v1/admin/units')).statusCode).toBe(403);
  });

  it('refuses unknown or malformed query parameters', async () => {
    const res = await t.request(admin, 'GET', '/api/v1/admin/units?includeInactive=yes&sort=name');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: any) => e.field).sort()).toEqual(['querystring.includeInactive', 'querystring.sort']);
  });
});

describe('creating units', () => {
  it('creates a unit below a unit in scope, with its path, audit event and domain event', async () => {
    const sda = await unit('DPU-SDA');
    const res = await t.request(puAdmin, 'POST', '/api/v1/admin/units', { parentId: sda.id, kind: 'seksi', name: '  Seksi Drainase Perkotaan ', code: 'DPU-SDA-DRN' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ parentId: sda.id, kind: 'seksi', name: 'Seksi Drainase Perkotaan', code: 'DPU-SDA-DRN', active: true, childCount: 0, depth: 3 });
    expect(body.ancestors.at(-1)).toEqual({ id: sda.id, name: sda.name, kind: 'bidang' });
    const created = await unit('DPU-SDA-DRN');
    expect(created.path).toEqual([...sda.path, body.id]);
    const [audit] = await t.db.query<any>(`SELECT actor_name, unit_id, data FROM audit_events WHERE action = 'unit.created' AND entity_id = $1`, [body.id]);
    expect(audit).toMatchObject({ actor_name: 'Muhammad Ikhsan Daeng Nai', unit_id: body.id, data: { after: { name: 'Seksi Drainase Perkotaan', kind: 'seksi', parentId: sda.id } } });
    expect(await count(`SELECT 1 FROM domain_events WHERE type = 'unit.created' AND aggregate_id = $1`, [body.id])).toBe(1);
  });

  it('creates a kelurahan-level unit with a region code of the city', async () => {
    const kec = (await t.db.query<any>(`SELECT id FROM units WHERE tenant_id = $1 AND kind = 'kecamatan' ORDER BY code LIMIT 1`, [makassar]))[0];
    const res = await t.request(admin, 'POST', '/api/v1/admin/units', { parentId: kec.id, kind: 'puskesmas', name: 'Puskesmas Pembantu Contoh', regionCode: '73.71.01' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ regionCode: '73.71.01', code: null });
  });

  it.each([
    ['a unit of another unit admin', 'DISHUB', makassarTenant],
    ['a unit of another tenant', 'DISHUB', () => tanjungpinang],
  ])('answers 404 for a parent that is %s, and writes nothing', async (_label, code, tenant) => {
    const before = await snapshot();
    const parent = await unit(code, tenant());
    const res = await t.request(puAdmin, 'POST', '/api/v1/admin/units', { parentId: parent.id, kind: 'bidang', name: 'Bidang Siluman' });
    expect(res.statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
    const cross = await t.request(admin, 'POST', '/api/v1/admin/units', { parentId: (await unit('DISHUB', tanjungpinang)).id, kind: 'bidang', name: 'Bidang Siluman' });
    expect(cross.statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['kind that cannot nest', { kind: 'kelurahan', name: 'Kelurahan Salah' }, 'kind', 'field.unit_kind_nesting', 400],
    ['second pemda', { kind: 'pemda', name: 'Pemda Kedua' }, 'kind', 'field.unit_kind_nesting', 400],
    ['unknown region', { kind: 'bidang', name: 'Bidang Baru', regionCode: '73.71.99' }, 'regionCode', 'field.region_unknown', 400],
    ['region of another city', { kind: 'bidang', name: 'Bidang Baru', regionCode: '21.72' }, 'regionCode', 'field.region_outside_tenant', 400],
    ['malformed region', { kind: 'bidang', name: 'Bidang Baru', regionCode: 'Makassar' }, 'regionCode', 'field.format', 400],
    ['taken code', { kind: 'bidang', name: 'Bidang Baru', code: 'DPU-BM' }, 'code', 'field.unit_code_taken', 409],
    ['malformed code', { kind: 'bidang', name: 'Bidang Baru', code: 'DPU BM!' }, 'code', 'field.unit_code', 400],
    ['too short name', { kind: 'bidang', name: ' B ' }, 'name', 'field.too_short', 400],
    ['too long name', { kind: 'bidang', name: 'B'.repeat(201) }, 'name', 'field.too_long', 400],
    ['name of the wrong type', { kind: 'bidang', name: 42 }, 'name', 'field.type', 400],
    ['unknown kind', { kind: 'kantor', name: 'Kantor Baru' }, 'kind', 'field.enum', 400],
    ['missing kind', { name: 'Bidang Baru' }, 'kind', 'field.enum', 400],
    ['missing name', { kind: 'bidang' }, 'name', 'field.required', 400],
    ['unknown field', { kind: 'bidang', name: 'Bidang Baru', path: [] }, 'path', 'field.unknown', 400],
  ])('refuses a %s with a field error and writes nothing', async (_label, extra, field, code, status) => {
    const before = await snapshot();
    const res = await t.request(admin, 'POST', '/api/v1/admin/units', { parentId: (await unit('DPU')).id, ...extra });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().errors).toContainEqual(expect.objectContaining({ field, code }));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a bad parent id, malformed JSON and an empty body', async () => {
    const before = await snapshot();
    const bad = await t.request(admin, 'POST', '/api/v1/admin/units', { parentId: 'not-a-uuid', kind: 'bidang', name: 'Bidang Baru' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toContainEqual(expect.objectContaining({ field: 'parentId', code: 'field.uuid' }));
    const json = await t.request(admin, 'POST', '/api/v1/admin/units', '{"parentId":', { 'content-type': 'application/json' });
    expect(json.statusCode).toBe(400);
    expect(json.json().code).toBe('invalid_json');
    const empty = await t.request(admin, 'POST', '/api/v1/admin/units', []);
    expect(empty.statusCode).toBe(400);
    const unknownParent = await t.request(admin, 'POST', '/api/v1/admin/units', { parentId: '01900000-0000-7000-8000-000000000000', kind: 'bidang', name: 'Bidang Baru' });
    expect(unknownParent.statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses without the CSRF token, for an auditor and anonymously, writing nothing', async () => {
    const auditor = await t.login(DEMO.auditor);
    const before = await snapshot();
    const body = { parentId: (await unit('DPU')).id, kind: 'bidang', name: 'Bidang Baru' };
    expect((await t.request(admin, 'POST', '/api/v1/admin/units', body, { 'x-csrf-token': 'x' })).statusCode).toBe(403);
    expect((await t.request(auditor, 'POST', '/api/v1/admin/units', body)).statusCode).toBe(403);
    expect((await t.request(null, 'POST', '/api/v1/admin/units', body)).statusCode).toBe(401);
    expect(await snapshot()).toEqual(before);
  });
});

function makassarTenant() {
  return makassar;
}

describe('changing units', () => {
  it('renames and recodes with before/after in the audit trail', async () => {
    const sda = await unit('DPU-SDA');
    const res = await t.request(puAdmin, 'PATCH', `/api/v1/admin/units/${sda.id}`, { name: 'Bidang Sumber Daya Air', code: 'DPU-SDAIR' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Bidang Sumber Daya Air', code: 'DPU-SDAIR' });
    const events = await t.db.query<any>(`SELECT action, data FROM audit_events WHERE entity_id = $1 ORDER BY action`, [sda.id]);
    expect(events).toEqual([
      { action: 'unit.renamed', data: { before: { name: 'Bidang Sumber Daya Air dan Drainase' }, after: { name: 'Bidang Sumber Daya Air' } } },
      { action: 'unit.updated', data: { before: { code: 'DPU-SDA', regionCode: null }, after: { code: 'DPU-SDAIR', regionCode: null } } },
    ]);
    // Same values again: nothing to write.
    const before = await snapshot();
    expect((await t.request(puAdmin, 'PATCH', `/api/v1/admin/units/${sda.id}`, { name: 'Bidang Sumber Daya Air' })).statusCode).toBe(200);
    expect((await snapshot()).audit).toBe(before.audit);
  });

  it('moves a unit with its whole subtree in one statement', async () => {
    const bm = await unit('DPU-BM');
    const jln = await unit('DPU-BM-JLN');
    const dishub = await unit('DISHUB');
    const res = await t.request(admin, 'PATCH', `/api/v1/admin/units/${bm.id}`, { parentId: dishub.id });
    expect(res.statusCode).toBe(200);
    expect(res.json().ancestors.map((a: any) => a.id)).toEqual(dishub.path);
    expect((await unit('DPU-BM')).path).toEqual([...dishub.path, bm.id]);
    expect((await unit('DPU-BM-JLN')).path).toEqual([...dishub.path, bm.id, jln.id]);
    expect((await unit('DPU-BM-JLN')).parent_id).toBe(bm.id);
    const [ev] = await t.db.query<any>(`SELECT data FROM audit_events WHERE action = 'unit.moved' AND entity_id = $1`, [bm.id]);
    expect(ev.data).toEqual({ before: { parentId: bm.parent_id }, after: { parentId: dishub.id }, subtreeSize: 2 });
    // The PU admin no longer manages it; the Bina Marga staff grant now lies below Dishub.
    expect((await t.request(puAdmin, 'GET', `/api/v1/admin/units/${bm.id}`)).statusCode).toBe(404);
    expect((await t.request(admin, 'PATCH', `/api/v1/admin/units/${bm.id}`, { parentId: bm.parent_id })).statusCode).toBe(200);
    expect((await unit('DPU-BM-JLN')).path).toEqual(jln.path);
  });

  it.each([
    ['below itself', 'DPU', 'DPU', 'field.unit_move_cycle'],
    ['below its own descendant', 'DPU', 'DPU-BM-JLN', 'field.unit_move_cycle'],
    ['the root', 'PEMDA', 'DPU', 'field.unit_root_immovable'],
    ['a bidang below a kecamatan', 'DPU-BM', '73.71.01', 'field.unit_kind_nesting'],
  ])('refuses to move %s and writes nothing', async (_label, code, target, error) => {
    const before = await snapshot();
    const res = await t.request(admin, 'PATCH', `/api/v1/admin/units/${(await unit(code)).id}`, { parentId: (await unit(target)).id });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'parentId', code: error })]);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 404 when moving out of scope or across tenants, and writes nothing', async () => {
    const before = await snapshot();
    const bm = await unit('DPU-BM');
    expect((await t.request(puAdmin, 'PATCH', `/api/v1/admin/units/${bm.id}`, { parentId: (await unit('DISHUB')).id })).statusCode).toBe(404);
    expect((await t.request(admin, 'PATCH', `/api/v1/admin/units/${bm.id}`, { parentId: (await unit('DISHUB', tanjungpinang)).id })).statusCode).toBe(404);
    expect((await t.request(admin, 'PATCH', `/api/v1/admin/units/${(await unit('DISHUB', tanjungpinang)).id}`, { name: 'Dinas Siluman' })).statusCode).toBe(404);
    expect((await t.request(puAdmin, 'PATCH', `/api/v1/admin/units/${(await unit('DISHUB')).id}`, { name: 'Dinas Siluman' })).statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses to deactivate a unit with active children, then deactivates leaf first', async () => {
    const bm = await unit('DPU-BM');
    const jln = await unit('DPU-BM-JLN');
    const before = await snapshot();
    const refused = await t.request(puAdmin, 'PATCH', `/api/v1/admin/units/${bm.id}`, { active: false });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'unit_has_active_children' });
    expect(refused.json().title).toMatch(/1 sub-unit aktif/);
    expect(await snapshot()).toEqual(before);

    expect((await t.request(puAdmin, 'PATCH', `/api/v1/admin/units/${jln.id}`, { active: false })).json()).toMatchObject({ active: false });
    expect((await t.request(puAdmin, 'PATCH', `/api/v1/admin/units/${bm.id}`, { active: false })).statusCode).toBe(200);
    expect(await count(`SELECT 1 FROM audit_events WHERE action = 'unit.deactivated' AND entity_id IN ($1, $2)`, [bm.id, jln.id])).toBe(2);

    const listed = (await t.request(puAdmin, 'GET', '/api/v1/admin/units')).json().items.map((u: any) => u.code);
    expect(listed).not.toContain('DPU-BM');
    const all = (await t.request(puAdmin, 'GET', '/api/v1/admin/units?includeInactive=true')).json().items;
    expect(all.find((u: any) => u.code === 'DPU-BM')).toMatchObject({ active: false, childCount: 1 });

    const under = await t.request(puAdmin, 'POST', '/api/v1/admin/units', { parentId: bm.id, kind: 'seksi', name: 'Seksi Baru' });
    expect(under.statusCode).toBe(400);
    expect(under.json().errors[0]).toMatchObject({ field: 'parentId', code: 'field.unit_parent_inactive' });

    const child = await t.request(puAdmin, 'PATCH', `/api/v1/admin/units/${jln.id}`, { active: true });
    expect(child.statusCode).toBe(409);
    expect(child.json().code).toBe('unit_parent_inactive');
    expect((await t.request(puAdmin, 'PATCH', `/api/v1/admin/units/${bm.id}`, { active: true })).statusCode).toBe(200);
    expect((await t.request(puAdmin, 'PATCH', `/api/v1/admin/units/${jln.id}`, { active: true })).statusCode).toBe(200);
    expect(await count(`SELECT 1 FROM audit_events WHERE action = 'unit.reactivated'`)).toBe(2);
  });

  it('refuses to deactivate the root and refuses empty or malformed changes', async () => {
    const before = await snapshot();
    const root = await t.request(admin, 'PATCH', `/api/v1/admin/units/${(await unit('PEMDA')).id}`, { active: false });
    expect(root.statusCode).toBe(400);
    expect(root.json().errors[0].code).toBe('field.unit_root_deactivate');
    const dpu = (await unit('DPU')).id;
    for (const [body, field, code] of [
      [{}, '', 'field.patch_empty'],
      [{ active: 'no' }, 'active', 'field.type'],
      [{ name: 'x'.repeat(300) }, 'name', 'field.too_long'],
      [{ kind: 'seksi' }, 'kind', 'field.unknown'],
      [{ parentId: 'dpu' }, 'parentId', 'field.uuid'],
      [{ regionCode: '99.99' }, 'regionCode', 'field.region_unknown'],
    ] as const) {
      const res = await t.request(admin, 'PATCH', `/api/v1/admin/units/${dpu}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors).toContainEqual(expect.objectContaining({ field, code }));
    }
    const badId = await t.request(admin, 'PATCH', '/api/v1/admin/units/123', { name: 'Dinas' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors[0]).toMatchObject({ field: 'params.id', code: 'field.uuid' });
    expect(await snapshot()).toEqual(before);
  });

  it('keeps every path consistent when a parent moves while units are moved and created below it', async () => {
    const post = async (parentCode: string, kind: string, name: string, code: string) =>
      (await t.request(admin, 'POST', '/api/v1/admin/units', { parentId: (await unit(parentCode)).id, kind, name, code })).json();
    const a = await post('DLH', 'bidang', 'Bidang A', 'RACE-A');
    const sa = await post('RACE-A', 'seksi', 'Seksi A', 'RACE-SA');
    const h1 = await post('DINKES', 'hospital', 'RS Satu', 'RACE-H1');
    const bh1 = await post('RACE-H1', 'bidang', 'Bidang RS Satu', 'RACE-BH1');
    expect([a, sa, h1, bh1].every((u) => u.id)).toBe(true);
    const dlh = await unit('DLH');
    const [r1, r2, r3] = await Promise.all([
      t.request(admin, 'PATCH', `/api/v1/admin/units/${h1.id}`, { parentId: dlh.id }),
      t.request(admin, 'PATCH', `/api/v1/admin/units/${sa.id}`, { parentId: bh1.id }),
      t.request(admin, 'POST', '/api/v1/admin/units', { parentId: bh1.id, kind: 'seksi', name: 'Seksi Baru RS', code: 'RACE-NEW' }),
    ]);
    expect([r1.statusCode, r2.statusCode, r3.statusCode]).toEqual([200, 200, 201]);
    // Every stored path equals the parent's path plus the unit itself.
    const broken = await count(
      `SELECT 1 FROM units c JOIN units p ON p.tenant_id = c.tenant_id AND p.id = c.parent_id
        WHERE c.tenant_id = $1 AND c.path <> p.path || c.id`,
      [makassar],
    );
    expect(broken).toBe(0);
    expect((await unit('RACE-SA')).path).toEqual([...dlh.path, h1.id, bh1.id, sa.id]);
    expect((await unit('RACE-NEW')).path.slice(0, -1)).toEqual([...dlh.path, h1.id, bh1.id]);
  });
});
