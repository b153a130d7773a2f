import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/support/app.js';
import { createTestDb, databaseUrlOf } from '../../../test/support/db.js';
import { type ServerProcess, startServer } from '../../../test/support/server-process.js';
import { httpLogin, SseClient } from '../../../test/support/sse.js';
import type { Database } from '../../db/client.js';
import { hashPassword } from '../auth/passwords.js';

/**
 * Several real processes on one PostgreSQL database (`tsx server/main.ts`, as `npm start` runs
 * it): an event committed in process A reaches an SSE client of process B through the relay and
 * LISTEN/NOTIFY; then `balai worker` alone relays for two web processes without workers.
 * The embedded database is one process by nature, so this suite needs DATABASE_URL.
 */
const onPostgres = Boolean(process.env.DATABASE_URL);

let db: Database;
let url: string;
let a: ServerProcess | undefined;
let b: ServerProcess | undefined;
let worker: ChildProcess | undefined;
let workerOut = '';
let dpu: string;

beforeAll(async () => {
  if (!onPostgres) return;
  db = await createTestDb();
  url = databaseUrlOf(db)!;
  [{ id: dpu }] = await db.query<{ id: string }>(`SELECT u.id FROM units u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'makassar' AND u.code = 'DPU'`);
  // A staff member of another agency (Perhubungan), to prove they hear nothing of PU.
  await db.query(
    `WITH t AS (SELECT id FROM tenants WHERE slug = 'makassar'), u AS (
       INSERT INTO users (tenant_id, id, kind, name, email, password_hash)
       SELECT t.id, gen_random_uuid(), 'staff', 'Rahmat Dishub', 'staf.dishub@makassarkota.go.id', $1 FROM t RETURNING tenant_id, id)
     INSERT INTO grants (tenant_id, id, user_id, role_id, unit_id)
     SELECT u.tenant_id, gen_random_uuid(), u.id, r.id, un.id FROM u
       JOIN roles r ON r.tenant_id = u.tenant_id AND r.key = 'admin'
       JOIN units un ON un.tenant_id = u.tenant_id AND un.code = 'DISHUB'`,
    [await hashPassword(DEMO.password)],
  );
  const common = { SEED_DEMO: 'true', LOG_LEVEL: 'warn', SSE_HEARTBEAT_SECONDS: '1' };
  [a, b] = await Promise.all([
    startServer({ databaseUrl: url, env: { ...common, RUN_WORKERS: 'true' } }),
    startServer({ databaseUrl: url, env: { ...common, RUN_WORKERS: 'false' } }),
  ]);
}, 120_000);

afterAll(async () => {
  worker?.kill('SIGKILL');
  await Promise.all([a?.cleanup(), b?.cleanup()]);
  await db?.close();
});

async function announce(base: string, session: { cookie: string; csrf: string }, title: string): Promise<number> {
  const res = await fetch(`${base}/api/v1/admin/announcements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify({ unitId: dpu, title, body: `Isi: ${title}` }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return performance.now();
}

async function open(base: string, session: { cookie: string }, headers: Record<string, string> = {}, prefix = ''): Promise<SseClient> {
  const c = await SseClient.open(`${base}${prefix}/api/v1/events/stream`, { cookie: session.cookie, ...headers });
  expect(c.response.status).toBe(200);
  await c.waitFor((m) => m.id !== undefined);
  return c;
}

describe.skipIf(!onPostgres)('events across app processes (PostgreSQL; PGlite is a single process)', () => {
  it('delivers an event committed in process A to an SSE client of process B within 2 s, to the right users only', async () => {
    const adminOnA = await httpLogin(a!.url, DEMO.admin, DEMO.password);
    const staffOnB = await httpLogin(b!.url, DEMO.puStaff, DEMO.password);
    const auditorOnB = await httpLogin(b!.url, DEMO.auditor, DEMO.password);
    const dishubOnB = await httpLogin(b!.url, 'staf.dishub@makassarkota.go.id', DEMO.password);
    const tpiOnB = await httpLogin(b!.url, DEMO.tpiAdmin, DEMO.password, '/t/tanjungpinang');
    const staff = await open(b!.url, staffOnB);
    const auditor = await open(b!.url, auditorOnB);
    const dishub = await open(b!.url, dishubOnB);
    const tpi = await open(b!.url, tpiOnB, {}, '/t/tanjungpinang');

    const latencies: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const sent = await announce(a!.url, adminOnA, `Pengumuman ${i}`);
      const got = await staff.waitForEvent('notification.created', (d) => d.payload.title === `Pengumuman ${i}`, 2_000);
      latencies.push(got.at - sent);
      expect(got.json.payload).toMatchObject({ userId: staffOnB.userId, kind: 'announcement', unread: i });
    }
    await auditor.waitForEvent('announcement.published', (d) => d.payload.title === 'Pengumuman 5');
    await new Promise((r) => setTimeout(r, 500));
    expect(auditor.events('notification.created')).toHaveLength(0);
    // Dishub's staff hear nothing of the announcement to Dinas PU (they may meanwhile get their own
    // units' report events and deadline notices: the sweep works through the overdue demo reports).
    expect(dishub.events('announcement.published')).toHaveLength(0);
    expect(dishub.events('notification.created').filter((e) => e.json.payload.kind === 'announcement')).toHaveLength(0);
    expect(dishub.events().filter((e) => !e.event?.startsWith('complaint.') && e.event !== 'notification.created')).toHaveLength(0);
    expect(tpi.events()).toHaveLength(0);
    for (const c of [staff, auditor, dishub, tpi]) c.close();
    const sorted = [...latencies].sort((x, y) => x - y);
    console.info(`event → SSE across processes (A commits, B streams), ms: ${latencies.map((l) => l.toFixed(0)).join(', ')}; median ${sorted[2].toFixed(0)}`);
    expect(Math.max(...latencies)).toBeLessThan(2_000);
  });

  it('resumes on process B with Last-Event-ID after events committed on A while disconnected', async () => {
    const adminOnA = await httpLogin(a!.url, DEMO.admin, DEMO.password);
    const staffOnB = await httpLogin(b!.url, DEMO.puStaff, DEMO.password);
    const first = await open(b!.url, staffOnB);
    await announce(a!.url, adminOnA, 'Sebelum putus');
    await first.waitForEvent('notification.created', (d) => d.payload.title === 'Sebelum putus');
    const lastId = first.lastEventId()!;
    first.close();
    await announce(a!.url, adminOnA, 'Selama putus 1');
    await announce(a!.url, adminOnA, 'Selama putus 2');
    // Give the relay on A time to number them before reconnecting.
    await new Promise((r) => setTimeout(r, 500));
    const again = await open(b!.url, staffOnB, { 'last-event-id': lastId });
    expect(again.events('notification.created').map((e) => e.json.payload.title)).toEqual(['Selama putus 1', 'Selama putus 2']);
    await announce(a!.url, adminOnA, 'Setelah sambung');
    await again.waitForEvent('notification.created', (d) => d.payload.title === 'Setelah sambung', 2_000);
    again.close();
  });

  it('lets `balai worker` do the relaying for web processes that run no workers', async () => {
    await a!.stop('SIGTERM');
    const c = await startServer({ databaseUrl: url, env: { SEED_DEMO: 'false', LOG_LEVEL: 'warn', RUN_WORKERS: 'false' } });
    try {
      worker = spawn(process.execPath, ['bin/balai.js', 'worker'], {
        cwd: process.cwd(),
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      worker.stdout!.on('data', (d) => (workerOut += d));
      worker.stderr!.on('data', (d) => (workerOut += d));
      for (let i = 0; i < 300 && !workerOut.includes('Balai worker running'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(workerOut).toContain('Balai worker running');

      const adminOnC = await httpLogin(c.url, DEMO.admin, DEMO.password);
      const staffOnB = await httpLogin(b!.url, DEMO.puStaff, DEMO.password);
      const staff = await open(b!.url, staffOnB);
      const sent = await announce(c.url, adminOnC, 'Lewat worker');
      const got = await staff.waitForEvent('notification.created', (d) => d.payload.title === 'Lewat worker', 2_000);
      console.info(`event → SSE via a separate worker process: ${(got.at - sent).toFixed(0)} ms`);
      staff.close();

      const exited = new Promise<number | null>((r) => worker!.on('exit', (code) => r(code)));
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(workerOut).toContain('worker stopped');
    } finally {
      await c.cleanup();
    }
  }, 90_000);
});
