import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, DEMO, type Session, type TestApp } from '../../../test/support/app.js';
import { type AppInstance, buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { inTransaction } from '../context.js';
import { Conflict, Invalid } from '../errors.js';
import { systemActor } from '../policies/actor.js';
import { nextNumber } from '../numbering/counter.js';
import { IdempotencyHeaders, idempotent } from './http.js';
import { canonicalJson, claimIdempotencyKey, expireIdempotencyKeys, IDEMPOTENCY_TTL_MS, requestHash, storeIdempotentResponse } from './idempotency.js';

let t: TestApp;
let app: AppInstance;
/** Set by a test: the next command fails after writing (a transient error). */
let failNext = false;

const ThingBody = z.strictObject({ title: z.string().min(1).max(100), tags: z.array(z.string()).optional(), reject: z.boolean().optional() });
const ThingView = z.object({ id: z.string(), title: z.string(), n: z.number(), createdAt: z.string() });

beforeAll(async () => {
  t = await createTestApp();
  await t.db.exec('CREATE TABLE test_things (id uuid PRIMARY KEY, n integer NOT NULL, title text NOT NULL)');
  app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), db: t.db, clock: t.clock });
  // A tiny citizen-facing command: writes a row numbered gap-free, answers 201 with Location.
  const handler = (route: string, required: boolean) => async (req: any, reply: any) =>
    idempotent(
      req,
      reply,
      route,
      async (tx) => {
        const id = randomUUID();
        const n = await nextNumber(tx, { key: 'test:things', period: '' });
        await tx.tx.execute(sql`INSERT INTO test_things (id, n, title) VALUES (${id}, ${n}, ${req.body.title})`);
        // Overlap concurrent duplicates on PostgreSQL.
        await new Promise((r) => setTimeout(r, 20));
        if (req.body.reject) throw Invalid.field('reject', 'field.invalid');
        if (failNext) {
          failNext = false;
          throw new Conflict('conflict');
        }
        return { status: 201, body: { id, title: req.body.title as string, n, createdAt: new Date(tx.clock.now()).toISOString() }, headers: { location: `/api/v1/__things/${id}` } };
      },
      { required },
    );
  app.post(
    '/api/v1/__things',
    { config: { access: { public: true } }, schema: { body: ThingBody, headers: IdempotencyHeaders, response: { 201: ThingView } } },
    handler('test.things.create', false),
  );
  app.post('/api/v1/__things_required', { config: { access: { public: true } }, schema: { body: ThingBody } }, handler('test.things.required', true));
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

function post(body: unknown, key?: string, session?: Session, url = '/api/v1/__things') {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers['idempotency-key'] = key;
  if (session) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = session.csrf;
  }
  return app.inject({ method: 'POST', url, headers, payload: body as object });
}

async function counts(): Promise<{ things: number; keys: number }> {
  const [r] = await t.db.query<{ things: number; keys: number }>(
    'SELECT (SELECT count(*)::int FROM test_things) AS things, (SELECT count(*)::int FROM idempotency_keys) AS keys',
  );
  return r!;
}

describe('idempotent()', () => {
  it('runs the command once: a retry gets the same status, body and Location, marked as replayed', async () => {
    const before = await counts();
    const key = randomUUID();
    const first = await post({ title: 'Jalan berlubang', tags: ['a'] }, key);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const body = first.json();
    expect(first.headers.location).toBe(`/api/v1/__things/${body.id}`);
    t.clock.advance(60_000);
    // Same content, other key order: the same request.
    const retry = await app.inject({ method: 'POST', url: '/api/v1/__things', headers: { 'idempotency-key': key, 'content-type': 'application/json' }, payload: '{"tags":["a"],"title":"Jalan berlubang"}' });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.body).toBe(first.body);
    expect(await counts()).toEqual({ things: before.things + 1, keys: before.keys + 1 });
  });

  it('refuses the same key with a different body (422) and writes nothing', async () => {
    const key = randomUUID();
    expect((await post({ title: 'Lampu jalan mati' }, key)).statusCode).toBe(201);
    const before = await counts();
    const other = await post({ title: 'Lampu jalan mati!' }, key);
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.json().code).toBe('idempotency_mismatch');
    expect((await post({ title: 'Lampu jalan mati', tags: [] }, key)).json().code).toBe('idempotency_mismatch');
    expect(await counts()).toEqual(before);
  });

  it('without a key runs the command every time, unless the route requires one', async () => {
    const before = await counts();
    expect((await post({ title: 'Sampah' })).statusCode).toBe(201);
    expect((await post({ title: 'Sampah' })).statusCode).toBe(201);
    expect(await counts()).toEqual({ things: before.things + 2, keys: before.keys });
    const missing = await post({ title: 'Sampah' }, undefined, undefined, '/api/v1/__things_required');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([expect.objectContaining({ field: 'headers.idempotency-key', code: 'field.idempotency_key_required' })]);
    expect((await post({ title: 'Sampah' }, 'k-1', undefined, '/api/v1/__things_required')).statusCode).toBe(201);
    expect(await counts()).toEqual({ things: before.things + 3, keys: before.keys + 1 });
  });

  it('answers a malformed key with 400 and writes nothing, with or without the header schema', async () => {
    const before = await counts();
    for (const url of ['/api/v1/__things', '/api/v1/__things_required']) {
      for (const key of ['', 'x'.repeat(101), 'a b', 'kunci/1', '<script>', 'ключ', 'a,b']) {
        const res = await post({ title: 'Banjir' }, key, undefined, url);
        expect(res.statusCode, `${url} ${JSON.stringify(key)}`).toBe(400);
        expect(res.json().errors[0].field).toBe('headers.idempotency-key');
        expect(res.json().errors[0].code).toBe('field.idempotency_key');
      }
    }
    // The longest and the most varied valid keys pass.
    expect((await post({ title: 'Banjir' }, 'x'.repeat(100))).statusCode).toBe(201);
    expect((await post({ title: 'Banjir' }, 'aZ09_-:.')).statusCode).toBe(201);
    expect(await counts()).toEqual({ things: before.things + 2, keys: before.keys + 2 });
  });

  it('keeps nothing when the command fails: no row, no key, no number; the retry then runs', async () => {
    const before = await counts();
    const key = randomUUID();
    const invalid = await post({ title: 'Pohon tumbang', reject: true }, key);
    expect(invalid.statusCode).toBe(400);
    expect(await counts()).toEqual(before);
    failNext = true;
    const failed = await post({ title: 'Pohon tumbang' }, key);
    expect(failed.statusCode).toBe(409);
    expect(await counts()).toEqual(before);
    const ok = await post({ title: 'Pohon tumbang' }, key);
    expect(ok.statusCode).toBe(201);
    expect(ok.headers['idempotent-replayed']).toBeUndefined();
    expect(await counts()).toEqual({ things: before.things + 1, keys: before.keys + 1 });
    // The numbers of the committed rows have no gaps although two attempts took one and rolled back.
    const ns = (await t.db.query<{ n: number }>('SELECT n FROM test_things ORDER BY n')).map((r) => r.n);
    expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
  });

  it('scopes keys by route and signed-in actor', async () => {
    const citizen = await t.login(DEMO.citizen);
    const staff = await t.login(DEMO.puStaff);
    const key = randomUUID();
    const before = await counts();
    const anon = await post({ title: 'Drainase' }, key);
    const mine = await post({ title: 'Drainase' }, key, citizen);
    const theirs = await post({ title: 'Drainase' }, key, staff);
    const otherRoute = await post({ title: 'Drainase' }, key, undefined, '/api/v1/__things_required');
    for (const r of [anon, mine, theirs, otherRoute]) {
      expect(r.statusCode).toBe(201);
      expect(r.headers['idempotent-replayed']).toBeUndefined();
    }
    expect(new Set([anon, mine, theirs, otherRoute].map((r) => r.json().id)).size).toBe(4);
    const again = await post({ title: 'Drainase' }, key, citizen);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(mine.json().id);
    // A key is the tenant's own: the same key in another tenant is another request.
    const tpi = await app.inject({ method: 'POST', url: '/t/tanjungpinang/api/v1/__things', headers: { 'idempotency-key': key }, payload: { title: 'Drainase' } });
    expect(tpi.statusCode).toBe(201);
    expect(tpi.headers['idempotent-replayed']).toBeUndefined();
    expect(await counts()).toEqual({ things: before.things + 5, keys: before.keys + 5 });
  });

  it('answers 409 while a key has no stored response yet', async () => {
    const key = randomUUID();
    const [tenant] = await t.db.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'makassar'`);
    await t.db.query('INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
      tenant!.id,
      'test.things.create',
      key,
      requestHash({ params: {}, body: { title: 'Parkir liar' } }),
      t.clock.now().toISOString(),
    ]);
    const before = await counts();
    const res = await post({ title: 'Parkir liar' }, key);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('idempotency_in_progress');
    expect(await counts()).toEqual(before);
  });

  it('forgets keys after 24 hours; the cleanup deletes only expired keys', async () => {
    const key = randomUUID();
    const first = await post({ title: 'Air PDAM mati' }, key);
    t.clock.advance(IDEMPOTENCY_TTL_MS - 1000);
    expect((await post({ title: 'Air PDAM mati' }, key)).headers['idempotent-replayed']).toBe('true');
    t.clock.advance(2000);
    // Expired: the key is free again, even for another body.
    const reused = await post({ title: 'Air PDAM mati lagi' }, key);
    expect(reused.statusCode).toBe(201);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    expect(reused.json().id).not.toBe(first.json().id);
    const fresh = randomUUID();
    expect((await post({ title: 'Pasar becek' }, fresh)).statusCode).toBe(201);
    t.clock.advance(IDEMPOTENCY_TTL_MS - 5000);
    const total = (await counts()).keys;
    const [expired] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_keys WHERE created_at <= $1', [
      new Date(t.clock.now().getTime() - IDEMPOTENCY_TTL_MS).toISOString(),
    ]);
    // Small batches, to cover the loop.
    const deleted = await expireIdempotencyKeys(t.db, t.clock.now(), 2);
    expect(deleted).toBe(expired!.n);
    expect(deleted).toBeGreaterThan(5);
    const left = await t.db.query<{ key: string }>('SELECT key FROM idempotency_keys');
    expect(left.length).toBe(total - deleted);
    expect(left.map((r) => r.key).sort()).toEqual([key, fresh].sort());
    expect((await post({ title: 'Air PDAM mati lagi' }, key)).headers['idempotent-replayed']).toBe('true');
    expect(await expireIdempotencyKeys(t.db, t.clock.now())).toBe(0);
  });

  it('lets concurrent duplicates write exactly once; all get the same answer', async () => {
    const before = await counts();
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 20 }, () => post({ title: 'Serentak' }, key)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await counts()).toEqual({ things: before.things + 1, keys: before.keys + 1 });
  });
});

describe('claimIdempotencyKey and storeIdempotentResponse (commands that own their transaction)', () => {
  it('claims once, replays after commit, and refuses to store without a claim', async () => {
    const [tenant] = await t.db.query<any>(`SELECT id, slug, name, time_zone AS "timeZone", region_code AS "regionCode" FROM tenants WHERE slug = 'makassar'`);
    const ctx = { db: t.db, tenant, actor: systemActor, clock: t.clock, locale: 'id' as const };
    const request = { scope: 'test.direct', key: randomUUID(), requestHash: requestHash({ a: 1 }) };
    const first = await inTransaction(ctx, async (tx) => {
      expect(await claimIdempotencyKey(tx, request)).toBeNull();
      return storeIdempotentResponse(tx, request, { status: 200, body: { at: new Date('2026-11-27T03:00:00Z'), none: undefined } });
    });
    expect(first).toEqual({ status: 200, body: { at: '2026-11-27T03:00:00.000Z' } });
    const replay = await inTransaction(ctx, (tx) => claimIdempotencyKey(tx, request));
    expect(replay).toEqual({ status: 200, body: { at: '2026-11-27T03:00:00.000Z' }, replayed: true });
    await expect(inTransaction(ctx, (tx) => claimIdempotencyKey(tx, { ...request, requestHash: requestHash({ a: 2 }) }))).rejects.toMatchObject({ status: 422, code: 'idempotency_mismatch' });
    await expect(inTransaction(ctx, (tx) => storeIdempotentResponse(tx, request, { status: 200, body: {} }))).rejects.toThrow(/without a key claimed/);
    await expect(inTransaction(ctx, (tx) => storeIdempotentResponse(tx, { ...request, key: 'never-claimed' }, { status: 200, body: {} }))).rejects.toThrow(/without a key claimed/);
  });
});

describe('request hash', () => {
  it('ignores key order but not values, nesting or array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
    expect(requestHash({ a: 1, b: 2 })).not.toBe(requestHash({ a: 1, b: '2' }));
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }));
    expect(requestHash({ a: { b: 1 } })).not.toBe(requestHash({ a: 1, b: 1 }));
    expect(requestHash(undefined)).toBe(requestHash(null));
    expect(requestHash({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
