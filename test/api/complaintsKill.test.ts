import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, pgliteDataDir } from '../../server/db/client.js';
import { databaseSessions, type ServerProcess, scratchDatabase, startServer } from '../support/server-process.js';

/**
 * Reliability of report intake (issue 4): a real server process is killed with SIGKILL in the
 * middle of a burst of reports, each sent with its own Idempotency-Key, and restarted on the same
 * database. Every report that was answered 201 must be there exactly once; retrying every request
 * with its key returns the same report (replayed) and creates nothing twice; the same key with
 * another body is refused. Runs on the embedded database (data directory) and on PostgreSQL.
 *
 * The server runs with TRUST_PROXY=true and every request names its own client address in
 * X-Forwarded-For, as many residents behind a reverse proxy would: the per-address limit of
 * POST /api/v1/complaints stays in force.
 */

/** More than three batches of the intake (up to 128 reports each), so the kill lands mid-burst. */
const REQUESTS = 400;
/** SIGKILL once this many reports have been answered 201 (the rest are queued or in flight). */
const KILL_AFTER = 25;

interface Outcome {
  status: number | string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

let server: ServerProcess | undefined;
let dataDir: string | undefined;
let pg: { url: string; drop(): Promise<void> } | undefined;
const run = `${process.pid}-${Date.now().toString(36)}`;

function env(): Record<string, string> {
  return { TRUST_PROXY: 'true', RUN_WORKERS: 'true', LOG_LEVEL: 'info', ...(dataDir ? { DATA_DIR: dataDir } : {}) };
}

beforeAll(async () => {
  if (process.env.DATABASE_URL) pg = await scratchDatabase(process.env.DATABASE_URL, `balai_kill_${process.pid}`);
  else dataDir = mkdtempSync(join(tmpdir(), 'balai-kill-'));
  server = await startServer({ databaseUrl: pg?.url, env: env(), timeoutMs: 120_000 });
}, 150_000);

afterAll(async () => {
  await server?.cleanup();
  await pg?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** POST JSON on a connection of its own, resolving with the answer or the socket error's code. */
function post(url: string, body: unknown, headers: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ status: e.code ?? String(e), headers: {}, body: null }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: e.code ?? String(e), headers: {}, body: null }));
    req.end(data);
  });
}

const ip = (i: number) => `10.77.${(i >> 8) & 255}.${i & 255}`;
const key = (i: number) => `kill-${run}-${i}`;

describe('report intake survives SIGKILL', () => {
  it('keeps every answered report exactly once, replays retries, refuses a changed body', { timeout: 240_000 }, async () => {
    const first = server!;
    const cats = (await (await fetch(`${first.url}/api/v1/complaints/categories`)).json()) as { items: { id: string; name: string }[] };
    const category = cats.items.find((c) => c.name === 'Sampah menumpuk')!;
    expect(category).toBeTruthy();
    const body = (i: number) => ({
      categoryId: category.id,
      description: `Uji ketahanan ${run} nomor ${i}: sampah menumpuk di lorong belakang pasar.`,
      regionCode: '73.71.09.1001',
      address: `Jl. Racing Centre lorong ${i}`,
      reporter: { name: `Pelapor ${i}`, phone: '081234567890' },
    });
    const url = `${first.url}/api/v1/complaints`;

    // The burst: every request at once, each with its key and address.
    let created = 0;
    let killed: Promise<number | null> | undefined;
    const outcomes = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        post(url, body(i), { 'idempotency-key': key(i), 'x-forwarded-for': ip(i) }).then((o) => {
          if (o.status === 201 && ++created === KILL_AFTER) killed = first.stop('SIGKILL');
          return o;
        }),
      ),
    );
    expect(killed, `only ${created} reports were answered 201 before the burst ended`).toBeDefined();
    await killed;
    await first.cleanup();
    const answered = new Map<number, { id: string; trackingCode: string }>();
    outcomes.forEach((o, i) => {
      if (o.status === 201) answered.set(i, { id: o.body.id, trackingCode: o.body.trackingCode });
    });
    // Some were answered, some were cut off by the kill (never an error answer from the server).
    expect(answered.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(answered.size).toBeLessThan(REQUESTS);
    expect(outcomes.filter((o) => typeof o.status === 'number' && o.status !== 201)).toEqual([]);

    // Restart on the same database.
    server = await startServer({ databaseUrl: pg?.url, env: env(), timeoutMs: 120_000, diagnose: pg ? () => databaseSessions(pg!.url) : undefined });
    const again = `${server.url}/api/v1/complaints`;

    // Every request retried with its key: the answered ones replay the same report; the others
    // are either replayed (committed, answer lost) or filed now, once.
    const retried = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => post(again, body(i), { 'idempotency-key': key(i), 'x-forwarded-for': ip(1000 + i) })));
    const finalIds = new Map<number, string>();
    retried.forEach((o, i) => {
      expect([200, 201], `retry ${i}: ${JSON.stringify(o.body)}`).toContain(o.status);
      const before = answered.get(i);
      if (before) {
        expect(o.headers['idempotent-replayed']).toBe('true');
        expect(o.body.id).toBe(before.id);
        expect(o.body.trackingCode).toBe(before.trackingCode);
      }
      finalIds.set(i, o.body.id);
    });
    // A second retry of everything is a pure replay.
    const replays = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => post(again, body(i), { 'idempotency-key': key(i), 'x-forwarded-for': ip(2000 + i) })));
    replays.forEach((o, i) => {
      expect(o.headers['idempotent-replayed']).toBe('true');
      expect(o.body.id).toBe(finalIds.get(i));
    });

    // The same key with another body is refused and writes nothing.
    const changed = await post(again, { ...body(0), description: `Uji ketahanan ${run}: isi laporan yang diubah setelah dikirim.` }, { 'idempotency-key': key(0), 'x-forwarded-for': ip(3000) });
    expect(changed.status).toBe(422);
    expect(changed.body.code).toBe('idempotency_mismatch');

    // Stop (the embedded database has one user at a time) and count what is stored.
    expect(await server.stop('SIGTERM')).toBe(0);
    const db = await openDatabase(pg ? { url: pg.url, poolSize: 1 } : { dataDir: pgliteDataDir(dataDir!) });
    try {
      const rows = await db.query<{ id: string; description: string }>(`SELECT id::text AS id, description FROM complaints WHERE description LIKE $1`, [`Uji ketahanan ${run} nomor %`]);
      const byIndex = new Map<number, string[]>();
      for (const r of rows) {
        const i = Number(/nomor (\d+):/.exec(r.description)![1]);
        byIndex.set(i, [...(byIndex.get(i) ?? []), r.id]);
      }
      // Exactly one report per request, the one every answer named.
      expect(rows.length).toBe(REQUESTS);
      for (let i = 0; i < REQUESTS; i++) expect(byIndex.get(i), `request ${i}`).toEqual([finalIds.get(i)]);
      const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaint_events WHERE complaint_id = ANY($1::uuid[]) AND action = 'submit'`, [rows.map((r) => r.id)]);
      expect(n).toBe(REQUESTS);
    } finally {
      await db.close();
    }
  });
});
