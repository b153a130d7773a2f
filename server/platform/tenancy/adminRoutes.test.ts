import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';
import { loadCalendar } from '../calendar/load.js';
import sharp from 'sharp';
import { multipart } from '../files/testSamples.js';

let t: TestApp;
let admin: Session;
let tpiAdmin: Session;
let makassarId: string;
let tpiId: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
  tpiAdmin = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
  const rows = await t.db.query<{ id: string; slug: string }>(`SELECT id::text, slug FROM tenants`);
  makassarId = rows.find((r) => r.slug === 'makassar')!.id;
  tpiId = rows.find((r) => r.slug === 'tanjungpinang')!.id;
});
afterAll(async () => {
  await t.close();
});

async function tenantRow(id = makassarId) {
  const [row] = await t.db.query<any>(`SELECT name, hosts, contact, settings, logo_file_id::text AS logo, updated_at::text AS updated FROM tenants WHERE id = $1`, [id]);
  return row;
}
async function updates(): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'tenant.updated'`);
  return r.n;
}
async function addFile(tenantId: string, mime: string, uploadedBy: string | null = admin.userId): Promise<string> {
  const id = uuidv7();
  await t.db.query(`INSERT INTO files (tenant_id, id, sha256, mime, size, purpose, uploaded_by) VALUES ($1, $2, $3, $4, 1234, 'upload', $5)`, [
    tenantId,
    id,
    'a'.repeat(64),
    mime,
    tenantId === makassarId ? uploadedBy : null,
  ]);
  return id;
}

describe('GET /api/v1/admin/tenant', () => {
  it('shows the settings of the government', async () => {
    const res = await t.request(admin, 'GET', '/api/v1/admin/tenant');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: makassarId,
      slug: 'makassar',
      name: 'Kota Makassar',
      kind: 'kota',
      regionCode: '73.71',
      regionName: 'Kota Makassar',
      timeZone: 'Asia/Makassar',
      hosts: [],
      logoFileId: null,
      logoUrl: null,
      contact: { phone: '112', email: 'pengaduan@makassarkota.go.id', website: 'https://makassarkota.go.id' },
      settings: { workWeek: [1, 2, 3, 4, 5], officeStart: '08:00', officeEnd: '16:00' },
      active: true,
    });
  });

  it('is for tenant admins only', async () => {
    for (const email of [DEMO.auditor, DEMO.puAdmin, DEMO.citizen]) {
      expect((await t.request(await t.login(email), 'GET', '/api/v1/admin/tenant')).statusCode).toBe(403);
    }
    expect((await t.request(null, 'GET', '/api/v1/admin/tenant')).statusCode).toBe(401);
  });
});

describe('PATCH /api/v1/admin/tenant', () => {
  it('changes the name and contact, audits before and after, and the public tenant shows it at once', async () => {
    const audits = await updates();
    const res = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', {
      name: 'Pemerintah Kota Makassar',
      contact: { address: 'Jl. Ahmad Yani No. 2', phone: '(0411) 3617017', email: 'Humas@MakassarKota.go.id', website: 'https://makassarkota.go.id/layanan' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('Pemerintah Kota Makassar');
    expect(res.json().contact).toEqual({ address: 'Jl. Ahmad Yani No. 2', phone: '(0411) 3617017', email: 'humas@makassarkota.go.id', website: 'https://makassarkota.go.id/layanan' });
    expect(await updates()).toBe(audits + 1);
    const [audit] = await t.db.query<any>(`SELECT data, actor_id::text FROM audit_events WHERE action = 'tenant.updated' ORDER BY occurred_at DESC, id DESC LIMIT 1`);
    expect(audit.actor_id).toBe(admin.userId);
    expect(audit.data.before.name).toBe('Kota Makassar');
    expect(audit.data.after.name).toBe('Pemerintah Kota Makassar');
    expect(Object.keys(audit.data.after).sort()).toEqual(['contact', 'name']);
    const pub = await t.app.inject({ method: 'GET', url: '/api/v1/tenant' });
    expect(pub.json().name).toBe('Pemerintah Kota Makassar');
  });

  it('clears contact fields left out or empty, and an unchanged value writes no audit event', async () => {
    const res = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { contact: { phone: '112', email: '' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().contact).toEqual({ phone: '112' });
    const audits = await updates();
    const same = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { name: 'Pemerintah Kota Makassar' });
    expect(same.statusCode).toBe(200);
    expect(await updates()).toBe(audits);
  });

  it('sets host names (lower-cased, deduplicated) that then select the tenant', async () => {
    const res = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { hosts: ['Layanan.MakassarKota.go.id', 'layanan.makassarkota.go.id', 'balai.makassarkota.go.id'] });
    expect(res.statusCode).toBe(200);
    expect(res.json().hosts).toEqual(['layanan.makassarkota.go.id', 'balai.makassarkota.go.id']);
    const viaHost = await t.app.inject({ method: 'GET', url: '/api/v1/tenant', headers: { host: 'balai.makassarkota.go.id:443' } });
    expect(viaHost.json().slug).toBe('makassar');
  });

  it('answers 409 when another government already uses a host name, and writes nothing', async () => {
    const before = await tenantRow(tpiId);
    const res = await t.request(tpiAdmin, 'PATCH', '/api/v1/admin/tenant', { hosts: ['tanjungpinang.go.id', 'BALAI.makassarkota.go.id'] });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('tenant.host_taken');
    expect(res.json().errors[0]).toMatchObject({ field: 'hosts.1', code: 'tenant.host_taken' });
    expect(await tenantRow(tpiId)).toEqual(before);
    const own = await t.request(tpiAdmin, 'PATCH', '/api/v1/admin/tenant', { hosts: ['layanan.tanjungpinangkota.go.id'] });
    expect(own.statusCode).toBe(200);
    expect(own.json().slug).toBe('tanjungpinang');
  });

  it('merges work week and office hours, and the working calendar follows', async () => {
    const res = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { settings: { workWeek: [6, 1, 2, 3, 4, 5], officeStart: '07:30' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().settings).toEqual({ workWeek: [1, 2, 3, 4, 5, 6], officeStart: '07:30', officeEnd: '16:00' });
    const cal = await loadCalendar(t.db, { id: makassarId });
    expect(cal.workWeek).toEqual([1, 2, 3, 4, 5, 6]);
    expect(cal.officeStart).toBe('07:30');
    const back = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { settings: { workWeek: [1, 2, 3, 4, 5], officeStart: '08:00' } });
    expect(back.json().settings).toEqual({ workWeek: [1, 2, 3, 4, 5], officeStart: '08:00', officeEnd: '16:00' });
  });

  it('sets a logo from an image of its own and removes it with null', async () => {
    const png = await addFile(makassarId, 'image/png');
    const res = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { logoFileId: png });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ logoFileId: png, logoUrl: `/api/v1/files/${png}` });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tenant' })).json().logoUrl).toBe(`/api/v1/files/${png}`);
    const cleared = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { logoFileId: null });
    expect(cleared.json().logoFileId).toBeNull();
  });

  it('publishes an uploaded logo so that anonymous visitors of the portal can load it', async () => {
    const { payload, headers } = multipart([{ name: 'file', filename: 'lambang-makassar.png', contentType: 'image/png', data: await sharp({ create: { width: 200, height: 240, channels: 3, background: '#0b7285' } }).png().toBuffer() }]);
    const up = await t.app.inject({ method: 'POST', url: '/api/v1/files', payload, headers: { ...headers, cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect(up.statusCode).toBe(201);
    const id = up.json().id;
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/files/${id}` })).statusCode).toBe(404);
    expect((await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { logoFileId: id })).statusCode).toBe(200);
    const anon = await t.app.inject({ method: 'GET', url: `/api/v1/files/${id}` });
    expect(anon.statusCode).toBe(200);
    expect(anon.headers['content-type']).toBe('image/webp');
    // Setting it again is fine; the file stays public.
    expect((await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { logoFileId: null })).statusCode).toBe(200);
    expect((await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { logoFileId: id })).statusCode).toBe(200);
  });

  it('refuses a logo that is not an image, is someone else\'s upload or belongs to another government', async () => {
    const pdf = await addFile(makassarId, 'application/pdf');
    const foreign = await addFile(tpiId, 'image/png');
    const othersUpload = await addFile(makassarId, 'image/png', null);
    const before = await tenantRow();
    for (const [id, code] of [
      [pdf, 'tenant.logo_not_image'],
      [foreign, 'tenant.logo_unknown'],
      [othersUpload, 'field.file_unusable'],
      ['01900000-0000-7000-8000-000000000000', 'tenant.logo_unknown'],
    ]) {
      const res = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', { logoFileId: id });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field: expect.stringMatching(/^logoFileId/), code });
    }
    expect(await tenantRow()).toEqual(before);
  });

  it.each([
    [{ slug: 'mks' }, 'slug', 'tenant.field_fixed'],
    [{ timeZone: 'Asia/Jakarta' }, 'timeZone', 'tenant.field_fixed'],
    [{ regionCode: '73.72' }, 'regionCode', 'tenant.field_fixed'],
    [{ kind: 'kabupaten', name: 'Kabupaten Makassar' }, 'kind', 'tenant.field_fixed'],
    [{ name: 'AB' }, 'name', 'field.too_short'],
    [{ hosts: ['https://makassarkota.go.id'] }, 'hosts.0', 'field.host'],
    [{ hosts: ['makassarkota.go.id:3000'] }, 'hosts.0', 'field.host'],
    [{ hosts: ['bad_host.go.id'] }, 'hosts.0', 'field.host'],
    [{ hosts: ['-awal.go.id'] }, 'hosts.0', 'field.host'],
    [{ hosts: ['dua..titik.id'] }, 'hosts.0', 'field.host'],
    [{ hosts: 'makassarkota.go.id' }, 'hosts', 'field.type'],
    [{ settings: { officeStart: '16:00' } }, 'settings.officeStart', 'tenant.office_hours_order'],
    [{ settings: { officeStart: '09:00', officeEnd: '08:00' } }, 'settings.officeEnd', 'tenant.office_hours_order'],
    [{ settings: { officeEnd: '24:00' } }, 'settings.officeEnd', 'field.time'],
    [{ settings: { workWeek: [1, 1, 2] } }, 'settings.workWeek', 'field.weekdays'],
    [{ settings: { workWeek: [0, 1] } }, 'settings.workWeek.0', 'field.too_small'],
    [{ settings: { workWeek: [] } }, 'settings.workWeek', 'field.too_few'],
    [{ settings: { timeZone: 'Asia/Jakarta' } }, 'settings.timeZone', 'field.unknown'],
    [{ contact: { website: 'javascript:alert(1)' } }, 'contact.website', 'field.invalid'],
    [{ contact: { email: 'bukan-email' } }, 'contact.email', 'field.invalid'],
    [{ contact: { phone: 'telepon saya' } }, 'contact.phone', 'tenant.contact_phone'],
    [{ contact: { fax: '123' } }, 'contact.fax', 'field.unknown'],
    [{ logoFileId: 'logo.png' }, 'logoFileId', 'field.uuid'],
    [{ active: false }, 'active', 'field.unknown'],
  ])('refuses %j (%s: %s) and writes nothing', async (payload, field, code) => {
    const before = await tenantRow();
    const audits = await updates();
    const res = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', payload);
    expect(res.statusCode).toBe(400);
    const err = res.json().errors.find((e: any) => e.field === field);
    expect(err, JSON.stringify(res.json().errors)).toBeDefined();
    if (code !== 'field.invalid') expect(err.code).toBe(code);
    expect(await tenantRow()).toEqual(before);
    expect(await updates()).toBe(audits);
  });

  it('refuses an empty change', async () => {
    const res = await t.request(admin, 'PATCH', '/api/v1/admin/tenant', {});
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('nothing_to_change');
  });

  it('needs tenant.manage on the root unit', async () => {
    const [{ unit_id, user_id }] = await t.db.query<any>(
      `SELECT u.id::text AS unit_id, usr.id::text AS user_id FROM units u, users usr
        WHERE u.tenant_id = $1 AND u.code = 'DPU' AND usr.tenant_id = $1 AND usr.email = $2`,
      [makassarId, DEMO.puAdmin],
    );
    const roleId = uuidv7();
    await t.db.query(`INSERT INTO roles (tenant_id, id, key, name, permissions) VALUES ($1, $2, 'pengaturan_dinas', 'Pengaturan dinas', '{tenant.manage}')`, [makassarId, roleId]);
    await t.db.query(`INSERT INTO grants (tenant_id, id, user_id, role_id, unit_id) VALUES ($1, $2, $3, $4, $5)`, [makassarId, uuidv7(), user_id, roleId, unit_id]);
    const puAdmin = await t.login(DEMO.puAdmin);
    const before = await tenantRow();
    const res = await t.request(puAdmin, 'PATCH', '/api/v1/admin/tenant', { name: 'Dinas PU Berkuasa' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('tenant_wide_required');
    expect(await tenantRow()).toEqual(before);
  });
});
