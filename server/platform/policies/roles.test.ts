import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS } from '../../../common/permissions.js';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
let admin: Session;
let puAdmin: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
  puAdmin = await t.login(DEMO.puAdmin);
});
afterAll(async () => {
  await t.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return r.n;
}
async function snapshot() {
  return { roles: await count('SELECT 1 FROM roles'), audit: await count('SELECT 1 FROM audit_events'), perms: (await t.db.query<any>('SELECT key, name, permissions FROM roles ORDER BY tenant_id, key')).map((r) => JSON.stringify(r)).join() };
}

describe('roles', () => {
  it('lists the system roles with labelled permissions, and the catalogue', async () => {
    const res = await t.request(puAdmin, 'GET', '/api/v1/admin/roles');
    expect(res.statusCode).toBe(200);
    const { items, nextCursor } = res.json();
    expect(nextCursor).toBeNull();
    expect(items.map((r: any) => r.key).sort()).toEqual(['admin', 'auditor', 'complaints_handler', 'complaints_officer', 'health_admin', 'health_admission', 'health_clinician', 'health_counter', 'health_pharmacist', 'staff', 'unit_admin', 'unit_head']);
    const admin_ = items.find((r: any) => r.key === 'admin');
    expect(admin_).toMatchObject({ system: true, grantCount: 1 });
    expect(admin_.permissions).toContainEqual({ key: 'units.manage', label: { id: 'Mengelola unit organisasi', en: 'Manage organisation units' } });
    const cat = (await t.request(puAdmin, 'GET', '/api/v1/admin/permissions')).json().items;
    expect(cat.map((p: any) => p.key)).toEqual(ALL_PERMISSIONS);
  });

  it('creates a role from the catalogue and audits it', async () => {
    const res = await t.request(admin, 'POST', '/api/v1/admin/roles', {
      key: 'operator_112',
      name: 'Operator Call Center 112',
      description: 'Mencatat laporan telepon.',
      permissions: ['files.upload', 'files.upload'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ key: 'operator_112', system: false, grantCount: 0, permissions: [{ key: 'files.upload' }] });
    const [ev] = await t.db.query<any>(`SELECT data FROM audit_events WHERE action = 'role.created' AND entity_id = $1`, [res.json().id]);
    expect(ev.data.after).toEqual({ key: 'operator_112', name: 'Operator Call Center 112', permissions: ['files.upload'] });
  });

  it('changes a tenant role with before/after, but never a system role', async () => {
    const role = (await t.request(admin, 'GET', '/api/v1/admin/roles')).json().items.find((r: any) => r.key === 'operator_112');
    const res = await t.request(admin, 'PATCH', `/api/v1/admin/roles/${role.id}`, { permissions: ['files.upload', 'outbox.read'], name: 'Operator 112' });
    expect(res.statusCode).toBe(200);
    expect(res.json().permissions.map((p: any) => p.key)).toEqual(['files.upload', 'outbox.read']);
    const [ev] = await t.db.query<any>(`SELECT data FROM audit_events WHERE action = 'role.updated' AND entity_id = $1`, [role.id]);
    expect(ev.data).toEqual({
      key: 'operator_112',
      before: { name: 'Operator Call Center 112', permissions: ['files.upload'] },
      after: { name: 'Operator 112', permissions: ['files.upload', 'outbox.read'] },
    });
    const system = (await t.request(admin, 'GET', '/api/v1/admin/roles')).json().items.find((r: any) => r.key === 'staff');
    const before = await snapshot();
    const refused = await t.request(admin, 'PATCH', `/api/v1/admin/roles/${system.id}`, { permissions: ['files.upload', 'audit.read'] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('role_system');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses role changes by unit-scoped user managers, with unheld permissions, or across tenants', async () => {
    const auditor = await t.login(DEMO.auditor);
    const before = await snapshot();
    const scoped = await t.request(puAdmin, 'POST', '/api/v1/admin/roles', { key: 'pu_role', name: 'Peran PU', permissions: ['files.upload'] });
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json().code).toBe('tenant_wide_required');
    expect((await t.request(auditor, 'POST', '/api/v1/admin/roles', { key: 'x_role', name: 'Peran X', permissions: ['audit.read'] })).statusCode).toBe(403);
    expect((await t.request(null, 'GET', '/api/v1/admin/roles')).statusCode).toBe(401);
    // A Tanjungpinang role id from a Makassar admin session.
    const [tpiRole] = await t.db.query<any>(`SELECT r.id FROM roles r JOIN tenants t ON t.id = r.tenant_id WHERE t.slug = 'tanjungpinang' AND r.key = 'staff'`);
    expect((await t.request(admin, 'PATCH', `/api/v1/admin/roles/${tpiRole.id}`, { name: 'Peran Lain' })).statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('does not let a tenant-wide user manager build a role with rights they lack', async () => {
    await t.request(admin, 'POST', '/api/v1/admin/roles', { key: 'pengelola_akun', name: 'Pengelola akun', permissions: ['users.manage'] });
    await t.request(admin, 'POST', '/api/v1/admin/users', {
      name: 'Pengelola Akun',
      email: 'akun@makassarkota.go.id',
      grants: [{ roleKey: 'pengelola_akun', unitId: (await t.db.query<any>(`SELECT id FROM units WHERE code = 'PEMDA' AND path[1] = id LIMIT 1`))[0].id }],
    });
    const [mail] = await t.db.query<any>(`SELECT body_text FROM email_outbox WHERE to_address = 'akun@makassarkota.go.id'`);
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail.body_text)![1];
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: 'rahasiaBaru1' } });
    const manager = await t.login('akun@makassarkota.go.id', { password: 'rahasiaBaru1' });
    const own = (await t.request(manager, 'GET', '/api/v1/admin/roles')).json().items.find((r: any) => r.key === 'pengelola_akun');
    const before = await snapshot();
    const raise = await t.request(manager, 'PATCH', `/api/v1/admin/roles/${own.id}`, { permissions: ['users.manage', 'personal_data.read'] });
    expect(raise.statusCode).toBe(403);
    expect(raise.json()).toMatchObject({ code: 'role_permission_not_held' });
    expect((await t.request(manager, 'POST', '/api/v1/admin/roles', { key: 'pembaca', name: 'Pembaca', permissions: ['audit.read'] })).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);
    expect((await t.request(manager, 'POST', '/api/v1/admin/roles', { key: 'pengelola_kecil', name: 'Pengelola kecil', permissions: ['users.manage'] })).statusCode).toBe(201);
  });

  it.each([
    [{ key: 'Operator', name: 'Operator', permissions: ['files.upload'] }, 'key', 'field.role_key'],
    [{ key: 'operator_112', name: 'Duplikat', permissions: ['files.upload'] }, 'key', 'field.role_key_taken'],
    [{ key: 'peran_baru', name: 'Peran', permissions: ['files.upload', 'nuclear.launch'] }, 'permissions.1', 'field.permission_unknown'],
    [{ key: 'peran_baru', name: 'Peran', permissions: [] }, 'permissions', 'field.too_few'],
    [{ key: 'peran_baru', name: 'Peran', permissions: 'files.upload' }, 'permissions', 'field.type'],
    [{ key: 'peran_baru', name: 'P'.repeat(101), permissions: ['files.upload'] }, 'name', 'field.too_long'],
    [{ key: 'peran_baru', name: 'Peran', permissions: ['files.upload'], system: true }, 'system', 'field.unknown'],
  ])('refuses %j with a field error on %s and writes nothing', async (body, field, code) => {
    const before = await snapshot();
    const res = await t.request(admin, 'POST', '/api/v1/admin/roles', body);
    expect(res.statusCode).toBe(code === 'field.role_key_taken' ? 409 : 400);
    expect(res.json().errors).toContainEqual(expect.objectContaining({ field, code }));
    expect(await snapshot()).toEqual(before);
  });
});
