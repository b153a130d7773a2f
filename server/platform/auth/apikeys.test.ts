import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
});
afterAll(async () => {
  await t.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return r.n;
}
async function snapshot() {
  return { keys: await count('SELECT 1 FROM api_keys'), audit: await count('SELECT 1 FROM audit_events'), revoked: await count('SELECT 1 FROM api_keys WHERE revoked_at IS NOT NULL') };
}
const bearer = (key: string, url: string, tenant = '') => t.app.inject({ method: 'GET', url: `${tenant}${url}`, headers: { authorization: `Bearer ${key}` } });

let auditKey: { id: string; key: string; prefix: string };

describe('API keys', () => {
  it('creates a key, shows it whole once and stores only its sha256', async () => {
    const res = await t.request(admin, 'POST', '/api/v1/admin/api-keys', { name: 'Ekspor SIEM Diskominfo', permissions: ['audit.read'] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.key).toMatch(/^bk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/);
    expect(body.key.slice(3, 11)).toBe(body.prefix);
    expect(body).toMatchObject({ name: 'Ekspor SIEM Diskominfo', permissions: ['audit.read'], unitId: null, active: true, createdBy: { id: admin.userId, name: 'Andi Rahmat Hidayat' } });
    auditKey = body;
    const [row] = await t.db.query<any>('SELECT key_hash, prefix FROM api_keys WHERE id = $1', [body.id]);
    expect(Buffer.from(row.key_hash).equals(createHash('sha256').update(body.key).digest())).toBe(true);
    const everything = JSON.stringify(await t.db.query('SELECT * FROM api_keys'));
    expect(everything).not.toContain(body.key.slice(12));
    const [ev] = await t.db.query<any>(`SELECT data FROM audit_events WHERE action = 'apikey.created' AND entity_id = $1`, [body.id]);
    expect(ev.data).toEqual({ name: 'Ekspor SIEM Diskominfo', prefix: body.prefix, permissions: ['audit.read'], unitId: null });
    const list = (await t.request(admin, 'GET', '/api/v1/admin/api-keys')).json();
    expect(list.items[0]).toMatchObject({ id: body.id, prefix: body.prefix });
    expect(list.items[0].key).toBeUndefined();
    expect(JSON.stringify(list)).not.toContain(body.key);
  });

  it('authenticates a route that allows API keys, by Bearer or X-API-Key, and records its use', async () => {
    const res = await bearer(auditKey.key, '/api/v1/admin/audit?limit=3');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBe(3);
    const alt = await t.app.inject({ method: 'GET', url: '/api/v1/admin/audit', headers: { 'x-api-key': auditKey.key } });
    expect(alt.statusCode).toBe(200);
    const [row] = await t.db.query<any>('SELECT last_used_at FROM api_keys WHERE id = $1', [auditKey.id]);
    expect(row.last_used_at).not.toBeNull();
  });

  it('is refused on routes without allowApiKey, without the permission, and on another tenant', async () => {
    const units = await t.request(admin, 'POST', '/api/v1/admin/api-keys', { name: 'Kunci unit', permissions: ['units.manage', 'audit.read'] });
    expect((await bearer(units.json().key, '/api/v1/admin/units')).statusCode).toBe(403);
    const upload = await t.request(admin, 'POST', '/api/v1/admin/api-keys', { name: 'Kunci unggah', permissions: ['files.upload'] });
    expect((await bearer(upload.json().key, '/api/v1/admin/audit')).statusCode).toBe(403);
    expect((await bearer(auditKey.key, '/api/v1/admin/audit', '/t/tanjungpinang')).statusCode).toBe(401);
    expect((await bearer(`bk_${auditKey.prefix}_${'A'.repeat(43)}`, '/api/v1/admin/audit')).statusCode).toBe(401);
    expect((await bearer('bk_short', '/api/v1/admin/audit')).statusCode).toBe(401);
  });

  it('limits a unit-bound key to its unit, and stops it when the unit is deactivated', async () => {
    const [seksi] = await t.db.query<any>(`SELECT id FROM units WHERE code = 'DPU-BM-JLN'`);
    const res = await t.request(admin, 'POST', '/api/v1/admin/api-keys', { name: 'Kunci seksi', permissions: ['audit.read'], unitId: seksi.id });
    expect(res.json()).toMatchObject({ unitId: seksi.id, unitName: 'Seksi Pemeliharaan Jalan dan Jembatan' });
    await t.request(admin, 'PATCH', `/api/v1/admin/units/${seksi.id}`, { name: 'Seksi Jalan dan Jembatan' });
    const items = (await bearer(res.json().key, '/api/v1/admin/audit')).json().items;
    // Newest first: the rename and the key's creation, then only events of that unit (the demo
    // city's reports disposed there).
    expect(items.slice(0, 2).map((e: any) => e.action)).toEqual(['unit.renamed', 'apikey.created']);
    expect(items.slice(2).every((e: any) => e.action.startsWith('complaint.') && e.unitId === seksi.id)).toBe(true);
    await t.request(admin, 'PATCH', `/api/v1/admin/units/${seksi.id}`, { active: false });
    expect((await bearer(res.json().key, '/api/v1/admin/audit')).statusCode).toBe(401);
  });

  it('revokes a key at once; a revoked key gets 401', async () => {
    const before = await snapshot();
    expect((await t.request(admin, 'DELETE', `/api/v1/admin/api-keys/${auditKey.id}`)).statusCode).toBe(204);
    expect((await bearer(auditKey.key, '/api/v1/admin/audit')).statusCode).toBe(401);
    const after = await snapshot();
    expect(after).toEqual({ ...before, audit: before.audit + 1, revoked: before.revoked + 1 });
    expect(await count(`SELECT 1 FROM audit_events WHERE action = 'apikey.revoked' AND entity_id = $1`, [auditKey.id])).toBe(1);
    expect((await t.request(admin, 'DELETE', `/api/v1/admin/api-keys/${auditKey.id}`)).statusCode).toBe(204);
    expect(await snapshot()).toEqual(after);
    const listed = (await t.request(admin, 'GET', '/api/v1/admin/api-keys')).json().items.find((k: any) => k.id === auditKey.id);
    expect(listed).toMatchObject({ active: false });
    expect(listed.revokedAt).not.toBeNull();
  });

  it('pages newest first', async () => {
    const all = (await t.request(admin, 'GET', '/api/v1/admin/api-keys?limit=100')).json().items.map((k: any) => k.id);
    expect(all.length).toBe(await count('SELECT 1 FROM api_keys'));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await t.request(admin, 'GET', `/api/v1/admin/api-keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((k: any) => k.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(all).toEqual([...all].sort().reverse());
  });

  it('keeps keys to tenant-wide key managers and to permissions they hold', async () => {
    const pu = await t.login(DEMO.puAdmin);
    const auditor = await t.login(DEMO.auditor);
    await t.request(admin, 'POST', '/api/v1/admin/roles', { key: 'integrator', name: 'Integrator', permissions: ['apikeys.manage'] });
    const [root] = await t.db.query<any>(`SELECT u.id FROM units u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'makassar' AND u.parent_id IS NULL`);
    await t.request(admin, 'POST', '/api/v1/admin/users', { name: 'Integrator Kominfo', email: 'integrasi@makassarkota.go.id', grants: [{ roleKey: 'integrator', unitId: root.id }] });
    const [mail] = await t.db.query<any>(`SELECT body_text FROM email_outbox WHERE to_address = 'integrasi@makassarkota.go.id'`);
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail.body_text)![1];
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: 'rahasiaBaru1' } });
    const integrator = await t.login('integrasi@makassarkota.go.id', { password: 'rahasiaBaru1' });

    const before = await snapshot();
    const raise = await t.request(integrator, 'POST', '/api/v1/admin/api-keys', { name: 'Kunci audit', permissions: ['audit.read'] });
    expect(raise.statusCode).toBe(403);
    expect(raise.json().code).toBe('apikey_permission_not_held');
    expect((await t.request(pu, 'POST', '/api/v1/admin/api-keys', { name: 'Kunci PU', permissions: ['files.upload'] })).statusCode).toBe(403);
    expect((await t.request(auditor, 'GET', '/api/v1/admin/api-keys')).statusCode).toBe(403);
    expect((await t.request(null, 'GET', '/api/v1/admin/api-keys')).statusCode).toBe(401);
    const [tpiUnit] = await t.db.query<any>(`SELECT u.id FROM units u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'tanjungpinang' AND u.code = 'DISHUB'`);
    expect((await t.request(admin, 'POST', '/api/v1/admin/api-keys', { name: 'Kunci lintas', permissions: ['audit.read'], unitId: tpiUnit.id })).statusCode).toBe(404);
    const tpi = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
    const someKey = (await t.request(admin, 'GET', '/api/v1/admin/api-keys')).json().items[0].id;
    expect((await t.request(tpi, 'DELETE', `/api/v1/admin/api-keys/${someKey}`)).statusCode).toBe(404);
    expect(await snapshot()).toEqual({ ...before, audit: before.audit + 1 }); // the Tanjungpinang sign-in
    expect((await t.request(integrator, 'POST', '/api/v1/admin/api-keys', { name: 'Kunci kunci', permissions: ['apikeys.manage'] })).statusCode).toBe(201);
  });

  it.each([
    [{ name: 'Kunci', permissions: ['audit.read', 'root'] }, 'permissions.1', 'field.permission_unknown'],
    [{ name: 'Kunci', permissions: [] }, 'permissions', 'field.too_few'],
    [{ name: 'K', permissions: ['audit.read'] }, 'name', 'field.too_short'],
    [{ name: 'Kunci', permissions: ['audit.read'], unitId: 'pu' }, 'unitId', 'field.uuid'],
    [{ name: 'Kunci', permissions: ['audit.read'], key: 'bk_mine' }, 'key', 'field.unknown'],
    [{ name: ['Kunci'], permissions: ['audit.read'] }, 'name', 'field.type'],
  ])('refuses %j with a field error on %s and writes nothing', async (body, field, code) => {
    const before = await snapshot();
    const res = await t.request(admin, 'POST', '/api/v1/admin/api-keys', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual(expect.objectContaining({ field, code }));
    expect(await snapshot()).toEqual(before);
  });
});
