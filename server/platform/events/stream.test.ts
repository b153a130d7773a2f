import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/support/app.js';
import { createTestDb } from '../../../test/support/db.js';
import { httpLogin, SseClient } from '../../../test/support/sse.js';
import { type AppInstance, buildApp } from '../../app.js';
import { type Background, startBackground } from '../../background.js';
import { loadConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import { hashToken } from '../auth/tokens.js';
import { inTransaction, systemClock } from '../context.js';
import { systemActor } from '../policies/actor.js';
import type { Tenant } from '../tenancy/tenants.js';
import { eventHubOf } from './routes.js';
import { registerEventVisibility } from './visibility.js';

/**
 * The signed-in and public event streams over real HTTP, with the background relay running as in
 * `npm start`: who receives what, heartbeats, Last-Event-ID resume, limits and clean-up.
 */
let db: Database;
let app: AppInstance;
let bg: Background;
let base: string;
let makassar: Tenant;
const unit: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDb();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '.tmp/test-data', AUTH_RATE_PER_MINUTE: '10000', SSE_HEARTBEAT_SECONDS: '0.25' });
  bg = await startBackground({ config, db, clock: systemClock, log: pino({ level: 'silent' }) });
  app = await buildApp({ config, db, clock: systemClock, afterCommit: bg.afterCommit });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  [makassar] = await db.query<any>(`SELECT id, slug, name, time_zone AS "timeZone" FROM tenants WHERE slug = 'makassar'`);
  for (const r of await db.query<{ code: string; id: string }>(`SELECT code, id FROM units WHERE tenant_id = $1 AND code IS NOT NULL`, [makassar.id])) unit[r.code] = r.id;
});

afterAll(async () => {
  await app?.close();
  await bg?.stop();
  await db?.close();
});

async function post(session: { cookie: string; csrf: string }, path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify(body),
  });
}

async function stream(session: { cookie: string } | null, query = '', headers: Record<string, string> = {}, path = '/api/v1/events/stream'): Promise<SseClient> {
  const c = await SseClient.open(`${base}${path}${query}`, { ...(session ? { cookie: session.cookie } : {}), ...headers });
  if (c.response.ok) await c.waitFor((m) => m.id !== undefined);
  return c;
}

/** Emits an event as a command would (system actor), in its own transaction. */
async function emit(type: string, payload: Record<string, unknown>, unitId: string | null = null): Promise<void> {
  await inTransaction({ db, tenant: makassar, actor: systemActor, clock: systemClock, locale: 'id', afterCommit: bg.afterCommit }, async (tx) => {
    await tx.emit({ type, aggregateType: 'test', aggregateId: 'x', unitId, payload });
  });
}

describe('signed-in event stream', () => {
  it('answers with text/event-stream, an initial id and heartbeats', async () => {
    const s = await httpLogin(base, DEMO.puStaff, DEMO.password);
    const c = await stream(s);
    expect(c.response.status).toBe(200);
    expect(c.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(c.response.headers.get('cache-control')).toMatch(/no-cache/);
    expect(c.response.headers.get('x-request-id')).toBeTruthy();
    await c.waitFor((m) => m.comments.includes('heartbeat'), 2_000);
    c.close();
  });

  it('delivers an announcement to the addressed staff only, within the unit rules, and not across tenants', async () => {
    const admin = await httpLogin(base, DEMO.admin, DEMO.password);
    const staff = await httpLogin(base, DEMO.puStaff, DEMO.password);
    const puAdmin = await httpLogin(base, DEMO.puAdmin, DEMO.password);
    const auditor = await httpLogin(base, DEMO.auditor, DEMO.password);
    const citizen = await httpLogin(base, DEMO.citizen, DEMO.password);
    const tpi = await httpLogin(base, DEMO.tpiAdmin, DEMO.password, '/t/tanjungpinang');
    const cs = await stream(staff);
    const cp = await stream(puAdmin);
    const ca = await stream(auditor);
    const cc = await stream(citizen);
    const ct = await SseClient.open(`${base}/t/tanjungpinang/api/v1/events/stream`, { cookie: tpi.cookie });
    await ct.waitFor((m) => m.id !== undefined);

    const t0 = performance.now();
    const res = await post(admin, '/api/v1/admin/announcements', { unitId: unit.DPU, title: 'Apel pagi Senin', body: 'Apel pagi di halaman kantor pukul 07.30.' });
    expect(res.status).toBe(201);
    const tPost = performance.now() - t0;
    const mine = await cs.waitForEvent('notification.created', (d) => d.payload.userId === staff.userId);
    const latency = mine.at - t0;
    expect(latency).toBeLessThan(2_000);
    expect(mine.json.payload).toMatchObject({ kind: 'announcement', title: 'Apel pagi Senin', unread: 1 });
    expect(Number(mine.id)).toBeGreaterThan(0);
    // The unit admin of PU sees its own notification and the unit's announcement event; the
    // auditor (a grant on the root) sees the unit event but nobody's notification.
    await cp.waitForEvent('notification.created', (d) => d.payload.userId === puAdmin.userId);
    await cp.waitForEvent('announcement.published');
    await ca.waitForEvent('announcement.published');
    await new Promise((r) => setTimeout(r, 300));
    expect(cs.events('notification.created').every((e) => e.json.payload.userId === staff.userId)).toBe(true);
    // Bina Marga sits below PU: a grant there gives no view of PU-level events.
    expect(cs.events('announcement.published')).toHaveLength(0);
    expect(cp.events('notification.created').every((e) => e.json.payload.userId === puAdmin.userId)).toBe(true);
    expect(ca.events('notification.created')).toHaveLength(0);
    expect(cc.events()).toHaveLength(0);
    expect(ct.events()).toHaveLength(0);
    for (const c of [cs, cp, ca, cc, ct]) c.close();
    console.info(`announcement → SSE latency (one process, ${db.kind}): ${latency.toFixed(1)} ms from the request, POST took ${tPost.toFixed(1)} ms`);
  });

  it('resumes with Last-Event-ID (header or query): replays what was missed, then goes live', async () => {
    const admin = await httpLogin(base, DEMO.admin, DEMO.password);
    const staff = await httpLogin(base, DEMO.puStaff, DEMO.password);
    const first = await stream(staff);
    await post(admin, '/api/v1/admin/announcements', { unitId: unit['DPU-BM'], title: 'Pertama', body: 'satu' });
    await first.waitForEvent('notification.created', (d) => d.payload.title === 'Pertama');
    const resumeAt = first.lastEventId()!;
    first.close();

    // Missed while disconnected.
    await post(admin, '/api/v1/admin/announcements', { unitId: unit['DPU-BM'], title: 'Kedua', body: 'dua' });
    await post(admin, '/api/v1/admin/announcements', { unitId: unit['DPU-BM'], title: 'Ketiga', body: 'tiga' });
    await new Promise((r) => setTimeout(r, 600)); // relayed

    const resumed = await stream(staff, '', { 'last-event-id': resumeAt });
    const titles = resumed.events('notification.created').map((e) => e.json.payload.title);
    expect(titles).toEqual(['Kedua', 'Ketiga']);
    const ids = resumed.events().map((e) => Number(e.id));
    expect(ids.every((id) => id > Number(resumeAt))).toBe(true);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    // Then live.
    await post(admin, '/api/v1/admin/announcements', { unitId: unit['DPU-BM'], title: 'Keempat', body: 'empat' });
    await resumed.waitForEvent('notification.created', (d) => d.payload.title === 'Keempat');
    resumed.close();

    const byQuery = await stream(staff, `?lastEventId=${resumeAt}`);
    expect(byQuery.events('notification.created').map((e) => e.json.payload.title)).toEqual(['Kedua', 'Ketiga', 'Keempat']);
    byQuery.close();
  });

  it('lets a module decide visibility for its event type', async () => {
    const off = registerEventVisibility('test.citizen_only', (_e, viewer) => viewer.userKind === 'citizen');
    try {
      const citizen = await stream(await httpLogin(base, DEMO.citizen, DEMO.password));
      const admin = await stream(await httpLogin(base, DEMO.admin, DEMO.password));
      await emit('test.citizen_only', { note: 'hello' });
      await emit('test.staff_default', { note: 'tenant-wide' });
      await citizen.waitForEvent('test.citizen_only');
      await admin.waitForEvent('test.staff_default');
      await new Promise((r) => setTimeout(r, 300));
      expect(admin.events('test.citizen_only')).toHaveLength(0);
      expect(citizen.events('test.staff_default')).toHaveLength(0);
      citizen.close();
      admin.close();
    } finally {
      off();
    }
  });

  it('refuses bad input and callers that may not stream', async () => {
    const s = await httpLogin(base, DEMO.puStaff, DEMO.password);
    for (const bad of ['abc', '-1', '1.5', '9'.repeat(20)]) {
      const r = await fetch(`${base}/api/v1/events/stream`, { headers: { cookie: s.cookie, 'last-event-id': bad } });
      expect(r.status, bad).toBe(400);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
      expect((await r.json()).errors[0].field).toBe('lastEventId');
    }
    expect((await fetch(`${base}/api/v1/events/stream?lastEventId=x1`, { headers: { cookie: s.cookie } })).status).toBe(400);
    expect((await fetch(`${base}/api/v1/events/stream?other=1`, { headers: { cookie: s.cookie } })).status).toBe(400);
    const anon = await fetch(`${base}/api/v1/events/stream`);
    expect(anon.status).toBe(401);
    // Integration API keys do not get the user stream.
    const key = 'bk_testkey1_' + 'k'.repeat(32);
    await db.query(`INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash, permissions) VALUES ($1, gen_random_uuid(), 'test', 'testkey1', $2, '{audit.read}')`, [makassar.id, hashToken(key)]);
    expect((await fetch(`${base}/api/v1/events/stream`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
  });

  it('ends the stream when the session ends (checked every four heartbeats)', async () => {
    const s = await httpLogin(base, DEMO.auditor, DEMO.password);
    const c = await stream(s);
    const out = await post(s, '/api/v1/auth/logout-all', {});
    expect(out.status).toBe(204);
    await c.waitForEnd(3_000);
  });

  it('forgets a client that disconnects, and limits streams per user', async () => {
    const hub = eventHubOf(db)!;
    const s = await httpLogin(base, DEMO.puAdmin, DEMO.password);
    const before = hub.size;
    const clients = [];
    for (let i = 0; i < 10; i++) clients.push(await stream(s));
    expect(hub.size).toBe(before + 10);
    const over = await fetch(`${base}/api/v1/events/stream`, { headers: { cookie: s.cookie } });
    expect(over.status).toBe(429);
    expect((await over.json()).code).toBe('events.too_many_streams');
    for (const c of clients) c.close();
    for (let i = 0; i < 50 && hub.size > before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hub.size).toBe(before);
  });

  it('drops a client that does not read rather than buffering without bound', async () => {
    const hub = eventHubOf(db)!;
    const s = await httpLogin(base, DEMO.admin, DEMO.password);
    const before = hub.size;
    const { port } = app.server.address() as AddressInfo;
    const sock = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write(`GET /api/v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${s.cookie}\r\nAccept: text/event-stream\r\n\r\n`);
    let got = 0;
    sock.once('data', (d) => {
      got += d.length;
      sock.pause(); // read the headers, then nothing more
    });
    for (let i = 0; i < 50 && hub.size === before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hub.size).toBe(before + 1);
    const big = 'x'.repeat(200_000);
    for (let i = 0; i < 40; i++) await emit('test.bulk', { big, i });
    for (let i = 0; i < 200 && hub.size > before; i++) await new Promise((r) => setTimeout(r, 25));
    expect(got).toBeGreaterThan(0);
    expect(hub.size).toBe(before);
    sock.destroy();
  });
});

describe('public event stream', () => {
  it('carries only events marked public, of the requested topic, without sign-in', async () => {
    const all = await stream(null, '', {}, '/api/v1/public/events/stream');
    const topic = await stream(null, '?topic=queue.pkm-batua', {}, '/api/v1/public/events/stream');
    const tpi = await SseClient.open(`${base}/t/tanjungpinang/api/v1/public/events/stream`);
    await emit('test.private_unit', { note: 'internal' }, unit.DPU);
    await emit('queue.called', { public: true, topic: 'queue.pkm-kassi', number: 'A-012' });
    await emit('queue.called', { public: true, topic: 'queue.pkm-batua', number: 'B-007' });
    await topic.waitForEvent('queue.called');
    await all.waitFor(() => all.events('queue.called').length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(all.events().map((e) => e.json.payload.number)).toEqual(['A-012', 'B-007']);
    expect(topic.events().map((e) => e.json.payload.number)).toEqual(['B-007']);
    expect(tpi.events()).toHaveLength(0);
    for (const c of [all, topic, tpi]) c.close();
    const bad = await fetch(`${base}/api/v1/public/events/stream?topic=Bad%20Topic`);
    expect(bad.status).toBe(400);
  });
});

describe('shutdown', () => {
  it('closes open streams so that app.close() does not hang', async () => {
    // A second app on the same database (the first keeps running for the other tests).
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '.tmp/test-data', RUN_WORKERS: 'false' });
    const app2 = await buildApp({ config, db, clock: systemClock });
    await app2.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app2.server.address() as AddressInfo).port}`;
    const s = await httpLogin(url, DEMO.admin, DEMO.password);
    const a = await SseClient.open(`${url}/api/v1/events/stream`, { cookie: s.cookie });
    const b = await SseClient.open(`${url}/api/v1/public/events/stream`);
    await a.waitFor((m) => m.id !== undefined);
    await b.waitFor((m) => m.id !== undefined);
    const t0 = Date.now();
    await app2.close();
    expect(Date.now() - t0).toBeLessThan(2_000);
    await a.waitForEnd();
    await b.waitForEnd();
  });
});
