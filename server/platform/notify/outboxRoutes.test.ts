import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
let admin: Session;
let auditor: Session;
let makassarId: string;
let tpiId: string;
/** Ids of Makassar's e-mails, newest first (created_at DESC, id DESC). */
let expectedOrder: string[];
let tpiMailId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login(DEMO.admin);
  auditor = await t.login(DEMO.auditor);
  const rows = await t.db.query<{ id: string; slug: string }>(`SELECT id::text, slug FROM tenants`);
  makassarId = rows.find((r) => r.slug === 'makassar')!.id;
  tpiId = rows.find((r) => r.slug === 'tanjungpinang')!.id;
  // 30 e-mails: a few share one created_at (ties are broken by id), some carry microseconds.
  const statuses = ['pending', 'sent', 'failed', 'kept'];
  for (let i = 0; i < 30; i++) {
    const at = i < 5 ? '2026-11-01T01:00:00.000001Z' : new Date(Date.UTC(2026, 10, 1, 2, i, 0) + i * 0.001).toISOString().replace('Z', `${i % 10}11Z`);
    await t.db.query(
      `INSERT INTO email_outbox (tenant_id, id, to_address, subject, body_text, template, status, attempts, last_error, created_at, sent_at)
       VALUES ($1, $2, $3, $4, $5, 'notification', $6, $7, $8, $9::timestamptz, $10)`,
      [
        makassarId,
        uuidv7(),
        `warga${i}@example.com`,
        `Pemberitahuan ${i}`,
        `Isi pesan ${i}`,
        statuses[i % 4],
        i % 4 === 2 ? 3 : 1,
        i % 4 === 2 ? 'SMTP 550 mailbox unavailable' : null,
        at,
        i % 4 === 1 ? at : null,
      ],
    );
  }
  tpiMailId = uuidv7();
  await t.db.query(
    `INSERT INTO email_outbox (tenant_id, id, to_address, subject, body_text, template) VALUES ($1, $2, 'warga.tpi@example.com', 'Rahasia Tanjungpinang', 'Isi', 'notification')`,
    [tpiId, tpiMailId],
  );
  // A real reset e-mail through the platform (its body holds a secret link).
  await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'hasnah@example.com' } });
  expectedOrder = (await t.db.query<{ id: string }>(`SELECT id::text FROM email_outbox WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC`, [makassarId])).map((r) => r.id);
});
afterAll(async () => {
  await t.close();
});

async function viewedEvents(): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'outbox.viewed'`);
  return r.n;
}

async function pageThrough(session: Session, query: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const res = await t.request(session, 'GET', `/api/v1/admin/outbox?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    items.push(...res.json().items);
    cursor = res.json().nextCursor;
    if (!cursor) break;
  }
  return items;
}

describe('GET /api/v1/admin/outbox', () => {
  it('lists the e-mails of this government newest first, without bodies', async () => {
    const res = await t.request(admin, 'GET', '/api/v1/admin/outbox');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(25);
    expect(body.nextCursor).toEqual(expect.any(String));
    expect(body.items.map((m: any) => m.id)).toEqual(expectedOrder.slice(0, 25));
    const reset = body.items.find((m: any) => m.template === 'password_reset');
    expect(reset).toMatchObject({ to: 'hasnah@example.com', status: 'pending', attempts: 0, lastError: null, sentAt: null });
    expect(Object.keys(reset).sort()).toEqual(['attempts', 'createdAt', 'id', 'lastError', 'sentAt', 'status', 'subject', 'template', 'to']);
    const failed = body.items.find((m: any) => m.status === 'failed');
    expect(failed).toMatchObject({ attempts: 3, lastError: 'SMTP 550 mailbox unavailable' });
  });

  it('pages with a cursor through ties and microseconds without gaps or repeats', async () => {
    const all = await pageThrough(admin, 'limit=7');
    expect(all.map((m) => m.id)).toEqual(expectedOrder);
    expect(all.some((m) => m.subject === 'Rahasia Tanjungpinang')).toBe(false);
  });

  it('filters by status', async () => {
    const failed = await pageThrough(admin, 'status=failed&limit=3');
    expect(failed).toHaveLength(7);
    expect(failed.every((m) => m.status === 'failed')).toBe(true);
    expect(failed.map((m) => m.id)).toEqual(expectedOrder.filter((id) => failed.some((m) => m.id === id)));
  });

  it('masks recipients for readers without personal_data.read', async () => {
    const items = (await t.request(auditor, 'GET', '/api/v1/admin/outbox?limit=100')).json().items;
    expect(items.find((m: any) => m.template === 'password_reset').to).toBe('h***h@example.com');
    expect(items.every((m: any) => m.to.includes('***'))).toBe(true);
  });

  it('does not audit list reads', async () => {
    const before = await viewedEvents();
    await t.request(admin, 'GET', '/api/v1/admin/outbox');
    expect(await viewedEvents()).toBe(before);
  });

  it.each(['status=terkirim', 'limit=0', 'limit=101', 'cursor=sampah', `cursor=${Buffer.from('["2026-11-01T01:00:00.000001Z","bukan-uuid"]').toString('base64url')}`, 'to=warga'])(
    'refuses ?%s with 400',
    async (qs) => {
      const res = await t.request(admin, 'GET', `/api/v1/admin/outbox?${qs}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toMatch(/^querystring\./);
    },
  );
});

describe('GET /api/v1/admin/outbox/:id', () => {
  it('shows the body and audits the reading', async () => {
    const [reset] = await t.db.query<{ id: string; body_text: string }>(`SELECT id::text, body_text FROM email_outbox WHERE template = 'password_reset' AND tenant_id = $1`, [makassarId]);
    const before = await viewedEvents();
    const res = await t.request(admin, 'GET', `/api/v1/admin/outbox/${reset.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: reset.id, template: 'password_reset', to: 'hasnah@example.com', bodyText: reset.body_text });
    expect(res.json().bodyText).toMatch(/token=/);
    expect(await viewedEvents()).toBe(before + 1);
    const [audit] = await t.db.query<any>(`SELECT actor_id::text, entity_type, entity_id, data FROM audit_events WHERE action = 'outbox.viewed' ORDER BY occurred_at DESC, id DESC LIMIT 1`);
    expect(audit).toEqual({ actor_id: admin.userId, entity_type: 'email', entity_id: reset.id, data: { template: 'password_reset', status: 'pending' } });
    // The auditor reads it too, with the recipient masked, and is audited as well.
    const masked = await t.request(auditor, 'GET', `/api/v1/admin/outbox/${reset.id}`);
    expect(masked.json().to).toBe('h***h@example.com');
    expect(await viewedEvents()).toBe(before + 2);
  });

  it("answers 404 for another government's e-mail or an unknown id, without an audit event", async () => {
    const before = await viewedEvents();
    expect((await t.request(admin, 'GET', `/api/v1/admin/outbox/${tpiMailId}`)).statusCode).toBe(404);
    expect((await t.request(admin, 'GET', '/api/v1/admin/outbox/01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    const bad = await t.request(admin, 'GET', '/api/v1/admin/outbox/123');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('params.id');
    expect(await viewedEvents()).toBe(before);
    const tpi = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
    expect((await t.request(tpi, 'GET', `/api/v1/admin/outbox/${tpiMailId}`)).json().subject).toBe('Rahasia Tanjungpinang');
  });
});

describe('who may read the outbox', () => {
  it('denies unit admins, staff, citizens and anonymous callers', async () => {
    for (const email of [DEMO.puAdmin, DEMO.puStaff, DEMO.citizen]) {
      expect((await t.request(await t.login(email), 'GET', '/api/v1/admin/outbox')).statusCode).toBe(403);
    }
    expect((await t.request(null, 'GET', '/api/v1/admin/outbox')).statusCode).toBe(401);
  });

  it('needs outbox.read on the root unit, not on an agency', async () => {
    const [{ unit_id, user_id }] = await t.db.query<any>(
      `SELECT u.id::text AS unit_id, usr.id::text AS user_id FROM units u, users usr
        WHERE u.tenant_id = $1 AND u.code = 'DPU' AND usr.tenant_id = $1 AND usr.email = $2`,
      [makassarId, DEMO.puStaff],
    );
    const roleId = uuidv7();
    await t.db.query(`INSERT INTO roles (tenant_id, id, key, name, permissions) VALUES ($1, $2, 'baca_surel', 'Baca surel', '{outbox.read}')`, [makassarId, roleId]);
    await t.db.query(`INSERT INTO grants (tenant_id, id, user_id, role_id, unit_id) VALUES ($1, $2, $3, $4, $5)`, [makassarId, uuidv7(), user_id, roleId, unit_id]);
    const staff = await t.login(DEMO.puStaff);
    const res = await t.request(staff, 'GET', '/api/v1/admin/outbox');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('tenant_wide_required');
    expect((await t.request(staff, 'GET', `/api/v1/admin/outbox/${expectedOrder[0]}`)).statusCode).toBe(403);
  });
});
