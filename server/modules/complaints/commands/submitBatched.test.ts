import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { anonymous as anonymousActor } from '../../../platform/policies/actor.js';
import { tenants } from '../../../platform/tenancy/schema.js';
import { call, categoryId, counts, nextIp, roadReport, unitId } from '../testSupport.js';
import { flushBatch, prepareBatchItem } from './submitBatched.js';

/**
 * The batched way of filing reports (submitBatched.ts): what it writes is what the one-by-one way
 * writes, concurrent reports share transactions, and whatever the batch cannot decide goes the
 * one-by-one way with fresh reads.
 */
let t: TestApp;
let road: string;
let rubbish: string;

beforeAll(async () => {
  t = await createTestApp();
  road = await categoryId(t, 'Jalan rusak/berlubang');
  rubbish = await categoryId(t, 'Sampah menumpuk');
});
afterAll(async () => {
  await t.close();
});

function post(body: unknown, key?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    headers: key ? { 'idempotency-key': key } : {},
    remoteAddress: nextIp(),
    payload: body as object,
  });
}

const rubbishReport = (n: number) => ({
  categoryId: rubbish,
  description: `Sampah menumpuk di TPS lorong ${n} dan belum diangkut tiga hari, baunya menyengat.`,
  regionCode: '73.71.01.1001',
  address: `Jl. Racing Centre lorong ${n}`,
  reporter: { name: 'Daeng Sau', phone: '081234567890' },
});

describe('batched filing', () => {
  it('files concurrent reports, each with its timeline, audit and outbox rows', async () => {
    const before = await counts(t);
    const res = await Promise.all(Array.from({ length: 30 }, (_, i) => post(rubbishReport(i), `batch-${i}`)));
    expect(res.map((r) => r.statusCode)).toEqual(res.map(() => 201));
    const ids = res.map((r) => r.json().id as string);
    expect(new Set(ids).size).toBe(30);
    const after = await counts(t);
    for (const table of ['complaints', 'complaint_events', 'audit_events', 'domain_events']) expect(after[table]! - before[table]!, table).toBe(30);

    const rows = await t.db.query<{ id: string; unit_id: string; status: string; due_at: string | null; channel: string; kelurahan_code: string }>(
      'SELECT id::text, unit_id::text, status, due_at, channel, kelurahan_code FROM complaints WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows).toHaveLength(30);
    for (const r of rows) expect(r).toMatchObject({ status: 'submitted', channel: 'web', kelurahan_code: '73.71.01.1001' });
    expect(rows.every((r) => r.due_at !== null)).toBe(true);
    const events = await t.db.query<{ xid: string; payload: Record<string, unknown> }>(
      "SELECT xid::text, payload FROM domain_events WHERE type = 'complaint.submitted' AND aggregate_id = ANY($1::text[])",
      [ids],
    );
    expect(events).toHaveLength(30);
    for (const e of events) expect(e.payload).toMatchObject({ status: 'submitted', anonymous: true, photos: 0, unitId: rows[0]!.unit_id });
    const audits = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'complaint.submitted' AND entity_id = ANY($1::text[]) AND actor_kind = 'anonymous'", [ids]);
    expect(audits[0]!.n).toBe(30);
    // Each retry replays its own report.
    const again = await post(rubbishReport(7), 'batch-7');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(res[7]!.json());
  });

  it('writes one report for concurrent retries with one key, and refuses the key with another body', async () => {
    const before = await counts(t);
    const same = await Promise.all(Array.from({ length: 6 }, () => post(rubbishReport(100), 'same-key-1')));
    expect(same.map((r) => r.statusCode)).toEqual(same.map(() => 201));
    expect(new Set(same.map((r) => r.json().id)).size).toBe(1);
    expect(same.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
    const mixed = await Promise.all([post(rubbishReport(101), 'same-key-2'), post(rubbishReport(102), 'same-key-2')]);
    expect(mixed.map((r) => r.statusCode).sort()).toEqual([201, 422]);
    expect(mixed.find((r) => r.statusCode === 422)!.json().code).toBe('idempotency_mismatch');
    const after = await counts(t);
    expect(after.complaints - before.complaints).toBe(2);
  });

  it('never writes against stale reference data: category, routing and calendar changed behind its back', async () => {
    // Warm the process's snapshot, then change the database directly (no command, no invalidation).
    expect((await post(roadReport(road))).statusCode).toBe(201);
    const [makassar] = (await t.db.orm.select().from(tenants)).filter((x) => x.slug === 'makassar');

    // A routing rule for the kelurahan applies to the very next report.
    const other = await unitId(t, 'DISHUB');
    await t.db.query('INSERT INTO complaint_routing_rules (tenant_id, id, category_id, region_code, unit_id) VALUES ($1, gen_random_uuid(), $2, $3, $4)', [
      makassar!.id,
      road,
      '73.71.10.1004',
      other,
    ]);
    const routed = await post(roadReport(road));
    expect(routed.statusCode).toBe(201);
    const [row] = await t.db.query<{ unit_id: string }>('SELECT unit_id::text FROM complaints WHERE id = $1', [routed.json().id]);
    expect(row!.unit_id).toBe(other);
    await t.db.query('DELETE FROM complaint_routing_rules WHERE category_id = $1 AND region_code = $2', [road, '73.71.10.1004']);

    // A holiday added today moves the deadline of the next report.
    const dueOf = async (id: string) => (await t.db.query<{ due: string }>("SELECT to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS due FROM complaints WHERE id = $1", [id]))[0]!.due;
    const plain = await post(roadReport(road));
    const today = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    await t.db.query("INSERT INTO calendar_days (tenant_id, day, kind, name, created_at) VALUES ($1, $2, 'local_holiday', 'Libur uji', now()) ON CONFLICT DO NOTHING", [makassar!.id, today]);
    const [{ n: daysNow }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM calendar_days WHERE tenant_id = $1 AND day = $2', [makassar!.id, today]);
    expect(daysNow).toBe(1);
    const holiday = await post(roadReport(road));
    expect(holiday.statusCode).toBe(201);
    expect(await dueOf(holiday.json().id)).not.toBe(await dueOf(plain.json().id));
    await t.db.query('DELETE FROM calendar_days WHERE tenant_id = $1 AND day = $2', [makassar!.id, today]);

    // A category switched off is refused at once, and nothing is written (the snapshot, just read
    // again, still has it on).
    expect((await post(roadReport(road))).statusCode).toBe(201);
    expect((await post(roadReport(road))).statusCode).toBe(201);
    await t.db.query('UPDATE complaint_categories SET active = false WHERE id = $1', [road]);
    const before = await counts(t);
    const refused = await post(roadReport(road));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ field: 'categoryId', code: 'complaints.category_unknown' });
    expect(await counts(t)).toEqual(before);
    await t.db.query('UPDATE complaint_categories SET active = true WHERE id = $1', [road]);
    expect((await post(roadReport(road))).statusCode).toBe(201);
  });

  it('writes a batch in one transaction and gives a claimed key back when its tracking code was taken', async () => {
    const first = (await call(t, null, 'POST', '/api/v1/complaints', roadReport(road))).json();
    const [makassar] = (await t.db.orm.select().from(tenants)).filter((x) => x.slug === 'makassar');
    const ctx = { db: t.db, tenant: makassar!, actor: anonymousActor, clock: t.clock, locale: 'id' as const };
    const idem = { scope: 'complaints.submit', key: 'collide-1', requestHash: 'h1' };
    let singles = 0;
    const item = await prepareBatchItem(ctx, { ...roadReport(road), kind: undefined, photos: [], attributes: { jenis_kerusakan: 'lubang' } } as never, idem, {}, async () => {
      singles++;
      throw new Error('not called by flushBatch');
    });
    expect(item).not.toBeNull();
    item!.record.tracking_code = first.trackingCode;
    const fresh = await prepareBatchItem(ctx, { ...roadReport(road), photos: [], attributes: { jenis_kerusakan: 'lubang' } } as never, null, {}, async () => {
      throw new Error('not called');
    });
    const third = await prepareBatchItem(ctx, { ...rubbishReport(200), photos: [], attributes: {} } as never, { scope: 'complaints.submit', key: 'collide-2', requestHash: 'h2' }, {}, async () => {
      throw new Error('not called');
    });
    const outcomes = await flushBatch(t.db, [item!, fresh!, third!]);
    expect(outcomes[0]).toBe('retry');
    expect(outcomes[1]).toMatchObject({ ok: { status: 201, replayed: false } });
    expect(outcomes[2]).toMatchObject({ ok: { status: 201, replayed: false } });
    // The two reports written share one transaction; the third's key answers for it.
    const xids = await t.db.query<{ xid: string }>("SELECT DISTINCT xid::text FROM domain_events WHERE aggregate_id = ANY($1::text[])", [[fresh!.record.id, third!.record.id]]);
    expect(xids).toHaveLength(1);
    const [key] = await t.db.query<{ status_code: number; response: { body: { id: string } } }>("SELECT status_code, response FROM idempotency_keys WHERE key = 'collide-2'");
    expect(key).toMatchObject({ status_code: 201, response: { body: { id: third!.record.id } } });
    expect(await t.db.query("SELECT 1 FROM idempotency_keys WHERE key = 'collide-1'")).toHaveLength(0);
    expect(await t.db.query('SELECT 1 FROM complaints WHERE id = $1', [item!.record.id])).toHaveLength(0);
    expect(await t.db.query('SELECT 1 FROM complaints WHERE id = $1', [fresh!.record.id])).toHaveLength(1);
    expect(singles).toBe(0);
  });

  it('answers bad input through the one-by-one way: 400 with every field, nothing written', async () => {
    const before = await counts(t);
    const res = await Promise.all([
      post({ ...roadReport(road), attributes: {} }),
      post({ ...roadReport(road), location: { lat: 1.2, lng: 104.5 } }),
      post({ ...roadReport(road), regionCode: '21.71.01' }),
    ]);
    expect(res.map((r) => r.statusCode)).toEqual([400, 400, 400]);
    expect(res[0]!.json().errors.map((e: { field: string }) => e.field)).toEqual(['attributes.jenis_kerusakan']);
    expect(res[1]!.json().errors.map((e: { field: string }) => e.field)).toEqual(['location']);
    expect(res[2]!.json().errors.map((e: { field: string }) => e.field)).toEqual(['regionCode']);
    expect(await counts(t)).toEqual(before);
  });
});
