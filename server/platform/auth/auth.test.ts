import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return r.n;
}

describe('sign-in and sessions', () => {
  it('signs a demo admin in, shows permissions and navigation, and stores only the token hash', async () => {
    const s = await t.login(DEMO.admin);
    const me = await t.request(s, 'GET', '/api/v1/me');
    expect(me.statusCode).toBe(200);
    const body = me.json();
    expect(body.user.kind).toBe('staff');
    expect(body.permissions).toContain('units.manage');
    expect(body.nav.map((n: any) => n.path)).toContain('/admin/units');
    const token = decodeURIComponent(s.cookie.split('=')[1]);
    const stored = await t.db.query<{ token_hash: Buffer }>('SELECT token_hash FROM sessions');
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((r) => Buffer.from(r.token_hash).toString('base64url') === token)).toBe(false);
  });

  it('sets an HttpOnly SameSite=Lax cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: DEMO.citizen, password: DEMO.password } });
    const c = String(res.headers['set-cookie']);
    expect(c).toMatch(/HttpOnly/);
    expect(c).toMatch(/SameSite=Lax/);
  });

  it('answers a wrong password with 401 in Indonesian and English', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: DEMO.auditor, password: 'salah12345' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().title).toMatch(/kata sandi salah/);
    const en = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'accept-language': 'en-US,en;q=0.9' }, payload: { login: DEMO.auditor, password: 'salah12345' } });
    expect(en.json().title).toMatch(/Wrong/);
  });

  it('locks an account after 5 failures, even with the right password, until the lock passes', async () => {
    const email = DEMO.puStaff;
    for (let i = 0; i < 5; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: email, password: `wrong-${i}-pass` } });
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: email, password: DEMO.password } });
    expect(locked.statusCode).toBe(401);
    expect(locked.json().code).toBe('login_locked');
    t.clock.advanceMinutes(16);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: email, password: DEMO.password } });
    expect(ok.statusCode).toBe(200);
    expect(await count(`SELECT 1 FROM audit_events WHERE action = 'user.locked'`)).toBe(1);
  });

  it('rejects a forged or expired session cookie', async () => {
    const forged = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `balai_makassar=${'A'.repeat(43)}` } });
    expect(forged.statusCode).toBe(401);
    const s = await t.login(DEMO.citizen);
    t.clock.advance(15 * 24 * 3600_000);
    const expired = await t.request(s, 'GET', '/api/v1/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('session_expired');
    t.clock.advance(-15 * 24 * 3600_000);
  });

  it('refuses a mutation without the CSRF token and writes nothing', async () => {
    const s = await t.login(DEMO.citizen);
    const before = await count('SELECT 1 FROM sessions');
    const res = await t.request(s, 'POST', '/api/v1/auth/logout-all', undefined, { 'x-csrf-token': 'nope' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_invalid');
    expect(await count('SELECT 1 FROM sessions')).toBe(before);
  });

  it('logs out everywhere', async () => {
    const a = await t.login(DEMO.citizen);
    const b = await t.login(DEMO.citizen);
    expect((await t.request(a, 'POST', '/api/v1/auth/logout-all')).statusCode).toBe(204);
    expect((await t.request(b, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('keeps tenants apart: a Makassar session is not valid in Tanjungpinang', async () => {
    const s = await t.login(DEMO.admin);
    const res = await t.app.inject({ method: 'GET', url: '/t/tanjungpinang/api/v1/me', headers: { cookie: s.cookie.replace('balai_makassar', 'balai_tanjungpinang') } });
    expect(res.statusCode).toBe(401);
    const tpi = await t.login(DEMO.tpiAdmin, { tenant: 'tanjungpinang' });
    expect((await t.request(tpi, 'GET', '/api/v1/me')).json().user.name).toMatch(/Raja/);
  });
});

describe('citizen registration', () => {
  it('registers a resident by phone and signs them in', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { name: 'Muhammad Fadli', phone: '0812-4455-6677', password: 'rahasia123' } });
    expect(res.statusCode).toBe(201);
    const [u] = await t.db.query<any>(`SELECT phone, kind FROM users WHERE name = 'Muhammad Fadli'`);
    expect(u).toEqual({ phone: '6281244556677', kind: 'citizen' });
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: '+6281244556677', password: 'rahasia123' } });
    expect(login.statusCode).toBe(200);
  });

  it.each([
    [{ name: 'A', email: 'a@b.id', password: 'rahasia123' }, 'name'],
    [{ name: 'Budi', email: 'bukan-email', password: 'rahasia123' }, 'email'],
    [{ name: 'Budi', phone: '12345', password: 'rahasia123' }, 'phone'],
    [{ name: 'Budi', email: 'budi@example.com', password: 'pendek' }, 'password'],
    [{ name: 'Budi', email: 'budi@example.com', password: 'rahasia123', role: 'admin' }, 'role'],
    [{ name: 'Budi', password: 'rahasia123' }, 'email'],
  ])('refuses %j with a field error on %s and writes nothing', async (payload, field) => {
    const before = await count('SELECT 1 FROM users');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: any) => e.field)).toContain(field);
    expect(await count('SELECT 1 FROM users')).toBe(before);
  });

  it('refuses a duplicate e-mail with 409', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { name: 'Orang Lain', email: 'WARGA@example.com', password: 'rahasia123' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].field).toBe('email');
  });
});

describe('password reset', () => {
  it('sends a reset link through the outbox and the link works once', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'hasnah@example.com' } });
    expect(res.statusCode).toBe(202);
    const [mail] = await t.db.query<any>(`SELECT body_text, to_address FROM email_outbox WHERE template = 'password_reset' ORDER BY created_at DESC LIMIT 1`);
    expect(mail.to_address).toBe('hasnah@example.com');
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail.body_text)![1];
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: 'baruSekali99' } });
    expect(ok.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: 'baruLagi99x' } });
    expect(again.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'hasnah@example.com', password: 'baruSekali99' } })).statusCode).toBe(200);
  });

  it('answers 202 for an unknown account without writing an e-mail', async () => {
    const before = await count('SELECT 1 FROM email_outbox');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { login: 'tidak.ada@example.com' } });
    expect(res.statusCode).toBe(202);
    expect(await count('SELECT 1 FROM email_outbox')).toBe(before);
  });
});

describe('problem responses', () => {
  it('answers malformed JSON, oversized bodies and unknown routes with problems', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"login":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_json');
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'x'.repeat(300_000), password: 'y' } });
    expect(big.statusCode).toBe(413);
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().title).toMatch(/tidak ada/);
    const tenant = await t.app.inject({ method: 'GET', url: '/t/atlantis/api/v1/tenant' });
    expect(tenant.statusCode).toBe(404);
    expect(tenant.json().code).toBe('tenant_not_found');
  });
});

describe('rate limits', () => {
  it('answers too many sign-in attempts from one address with 429 and Retry-After', async () => {
    const limited = await createTestApp({ env: { AUTH_RATE_PER_MINUTE: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'x@y.id', password: 'salah' } });
        codes.push(r.statusCode);
        if (r.statusCode === 429) {
          expect(r.json().code).toBe('rate_limited');
          expect(r.headers['retry-after']).toBeDefined();
        }
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
