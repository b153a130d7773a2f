import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';
import { databaseUrlOf } from '../../../test/support/db.js';
import { type AppInstance, buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { type Database, openDatabase } from '../../db/client.js';
import { SessionCache } from './sessionCache.js';

/**
 * Sessions answered from the process's cache (sessionCache.ts): what a change does to them, in
 * the process that made it and (PostgreSQL) in another process on the same database. The cache
 * is set to keep entries for five minutes, so that only the invalidation can explain a change
 * seen within the test.
 */
const CACHE = { SESSION_CACHE_SECONDS: '300' };
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: CACHE });
});
afterAll(async () => {
  await t?.close();
});

async function grantsOfUser(admin: Session, userId: string): Promise<{ id: string; roleKey: string }[]> {
  const res = await t.request(admin, 'GET', `/api/v1/admin/users/${userId}`);
  expect(res.statusCode).toBe(200);
  return res.json().grants;
}

describe('session cache in one process', () => {
  it('answers from the cache without reading the session again', async () => {
    const staff = await t.login(DEMO.puStaff);
    expect((await t.request(staff, 'GET', '/api/v1/me')).statusCode).toBe(200);
    // Moving a session's expiry tells no one (sessions notify only on delete): the cached session
    // still answers; with a cache it would be 401.
    await t.db.query('UPDATE sessions SET expires_at = $2 WHERE user_id = $1', [staff.userId, new Date(t.clock.now().getTime() - 60_000)]);
    expect((await t.request(staff, 'GET', '/api/v1/me')).statusCode).toBe(200);
    // Someone else signing in (which clears out their expired sessions, none here) tells no one either.
    await t.login(DEMO.citizen);
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.request(staff, 'GET', '/api/v1/me')).statusCode).toBe(200);
    await t.request(staff, 'POST', '/api/v1/auth/logout');
  });

  it('drops a revoked grant, a disabled account and a signed-out session at once', async () => {
    const admin = await t.login(DEMO.admin);
    const staff = await t.login(DEMO.puStaff);
    const other = await t.login(DEMO.puStaff);
    const me = await t.request(staff, 'GET', '/api/v1/me');
    expect(me.json().grants.length).toBeGreaterThan(0);

    const [grant] = await grantsOfUser(admin, staff.userId);
    expect((await t.request(admin, 'DELETE', `/api/v1/admin/users/${staff.userId}/grants/${grant.id}`)).statusCode).toBe(204);
    const after = await t.request(staff, 'GET', '/api/v1/me');
    expect(after.json().grants).toHaveLength(me.json().grants.length - 1);

    expect((await t.request(staff, 'POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await t.request(staff, 'GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await t.request(other, 'GET', '/api/v1/me')).statusCode).toBe(200);

    expect((await t.request(admin, 'PATCH', `/api/v1/admin/users/${staff.userId}`, { status: 'disabled' })).statusCode).toBe(200);
    expect((await t.request(other, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });
});

describe('session cache', () => {
  const session = { actor: { kind: 'user' as const, id: 'u', grants: [] }, expired: false, locale: 'id' as const, stale: false };

  it('keeps an entry for its age at most, and never past the session expiry', async () => {
    const now = new Date('2026-11-29T02:00:00Z');
    const cache = new SessionCache(50, 600_000);
    cache.set('t', 'a', { ...session, expiresAt: new Date(now.getTime() + 1_000), lastSeenAt: now }, now);
    expect(cache.get('t', 'a', now)?.actor.id).toBe('u');
    expect(cache.get('t', 'a', new Date(now.getTime() + 1_000))).toBeNull();
    cache.set('t', 'a', { ...session, expiresAt: new Date(now.getTime() + 1_000), lastSeenAt: now }, now);
    await new Promise((r) => setTimeout(r, 80));
    expect(cache.get('t', 'a', now)).toBeNull();
  });

  it('says when the sliding expiry is due, and not again once touched', () => {
    const now = new Date('2026-11-29T02:00:00Z');
    const cache = new SessionCache(60_000, 600_000);
    cache.set('t', 'a', { ...session, expiresAt: new Date(now.getTime() + 86_400_000), lastSeenAt: now }, now);
    const later = new Date(now.getTime() + 600_001);
    expect(cache.get('t', 'a', later)?.stale).toBe(true);
    cache.touched('t', 'a', later);
    expect(cache.get('t', 'a', later)?.stale).toBe(false);
  });

  it('reads a session once for the requests that miss together, and keeps no read that began before a change', async () => {
    const now = new Date('2026-11-29T02:00:00Z');
    const cache = new SessionCache(60_000, 600_000);
    let reads = 0;
    let release!: () => void;
    const read = async () => {
      reads++;
      await new Promise<void>((r) => (release = r));
      return { ...session, expiresAt: new Date(now.getTime() + 86_400_000), lastSeenAt: now };
    };
    const together = [cache.lookup('t', 'a', now, read), cache.lookup('t', 'a', now, read), cache.lookup('t', 'a', now, read)];
    release();
    const answers = await Promise.all(together);
    expect(reads).toBe(1);
    expect(answers.every((a) => a.found?.actor.id === 'u')).toBe(true);
    expect(cache.get('t', 'a', now)).not.toBeNull();

    // A grant revoked while the session was being read: what was read may predate it.
    cache.clear();
    const during = cache.lookup('t', 'a', now, read);
    await new Promise((r) => setTimeout(r, 0));
    cache.clear();
    release();
    expect((await during).found).not.toBeNull();
    expect(cache.get('t', 'a', now)).toBeNull();
    expect(reads).toBe(2);
  });

  it('keeps nothing of an expired session, nor anything when switched off', () => {
    const now = new Date('2026-11-29T02:00:00Z');
    const on = new SessionCache(60_000, 600_000);
    on.set('t', 'a', { ...session, expired: true }, now);
    expect(on.size).toBe(0);
    const off = new SessionCache(0, 600_000);
    off.set('t', 'a', { ...session, expiresAt: new Date(now.getTime() + 1_000), lastSeenAt: now }, now);
    expect(off.get('t', 'a', now)).toBeNull();
  });
});

/** Two app processes on one PostgreSQL database: what one changes, the other's cache lets go of. */
describe.runIf(Boolean(process.env.DATABASE_URL))('session cache across processes', () => {
  let db2: Database;
  let app2: AppInstance;

  beforeAll(async () => {
    db2 = await openDatabase({ url: databaseUrlOf(t.db)!, poolSize: 2 });
    app2 = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '.tmp/test-data', ...CACHE }), db: db2, clock: t.clock });
    await app2.ready();
  });
  afterAll(async () => {
    await app2?.close();
    await db2?.close();
  });

  const inB = (s: Session) => app2.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie } });

  /** The other process's answer, until it is what is expected or two seconds have passed. */
  async function eventually(s: Session, expected: (res: Awaited<ReturnType<typeof inB>>) => boolean): Promise<boolean> {
    const until = Date.now() + 2_000;
    while (Date.now() < until) {
      if (expected(await inB(s))) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  it('lets go of a revoked grant and a disabled account as soon as the change commits', async () => {
    const admin = await t.login(DEMO.admin);
    const staff = await t.login(DEMO.puAdmin);
    const before = (await inB(staff)).json();
    expect(before.grants.length).toBeGreaterThan(0);

    const [grant] = await grantsOfUser(admin, staff.userId);
    expect((await t.request(admin, 'DELETE', `/api/v1/admin/users/${staff.userId}/grants/${grant.id}`)).statusCode).toBe(204);
    expect(await eventually(staff, (r) => r.json().grants.length === before.grants.length - 1)).toBe(true);

    expect((await t.request(admin, 'PATCH', `/api/v1/admin/users/${staff.userId}`, { status: 'disabled' })).statusCode).toBe(200);
    expect(await eventually(staff, (r) => r.statusCode === 401)).toBe(true);
  });

  it('lets go of a session signed out in the other process', async () => {
    const citizen = await t.login(DEMO.citizen);
    expect((await inB(citizen)).statusCode).toBe(200);
    expect((await t.request(citizen, 'POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    expect(await eventually(citizen, (r) => r.statusCode === 401)).toBe(true);
  });
});
