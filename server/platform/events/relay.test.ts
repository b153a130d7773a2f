import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, databaseUrlOf, explainPlan } from '../../../test/support/db.js';
import type { Database } from '../../db/client.js';
import { inTransaction, systemClock } from '../context.js';
import { systemActor } from '../policies/actor.js';
import type { Tenant } from '../tenancy/tenants.js';
import { EVENTS_CHANNEL, lastPosition, PENDING_EVENTS_SETTING, PENDING_EVENTS_SQL, relayEvents, tryRelayEvents } from './relay.js';

let db: Database;
let tenant: Tenant;

beforeAll(async () => {
  db = await createTestDb();
  [tenant] = await db.query<any>(`SELECT id, slug, name FROM tenants WHERE slug = 'makassar'`);
});
afterAll(async () => {
  await db?.close();
});

const INSERT = `INSERT INTO domain_events (tenant_id, id, type, aggregate_type, aggregate_id) VALUES ($1, gen_random_uuid(), $2, 'test', 'x')`;

/**
 * Relays until `expected` events are numbered: on a shared PostgreSQL server another session's
 * open transaction may hold events back for a moment (that is the point of the relay's rule).
 */
async function relayUntil(expected: number, timeoutMs = 5_000): Promise<number> {
  let total = 0;
  const deadline = Date.now() + timeoutMs;
  while (total < expected && Date.now() < deadline) {
    total += await relayEvents(db);
    if (total < expected) await new Promise((r) => setTimeout(r, 20));
  }
  return total;
}

async function positions(type: string): Promise<(number | null)[]> {
  const rows = await db.query<{ p: string | null }>(`SELECT position::text AS p FROM domain_events WHERE type = $1 ORDER BY xid, id`, [type]);
  return rows.map((r) => (r.p === null ? null : Number(r.p)));
}

describe('event relay', () => {
  it('numbers committed events in transaction order and NOTIFYs the highest position', async () => {
    const heard: string[] = [];
    const unlisten = await db.listen(EVENTS_CHANNEL, (p) => heard.push(p));
    const ctx = { db, tenant, actor: systemActor, clock: systemClock, locale: 'id' as const };
    for (let i = 0; i < 3; i++) {
      await inTransaction(ctx, async (tx) => {
        await tx.emit({ type: 'test.relayed', aggregateType: 'test', aggregateId: String(i), payload: { i } });
        await tx.emit({ type: 'test.relayed', aggregateType: 'test', aggregateId: String(i), payload: { i, second: true } });
      });
    }
    expect(await positions('test.relayed')).toEqual([null, null, null, null, null, null]);
    const before = await lastPosition(db);
    expect(await relayUntil(6)).toBe(6);
    const got = await positions('test.relayed');
    expect(got).toEqual([1, 2, 3, 4, 5, 6].map((n) => before + n));
    for (let i = 0; i < 20 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(heard).toEqual([String(before + 6)]);
    expect(await relayEvents(db)).toBe(0);
    await unlisten();
  });

  it('refuses a malformed event type', async () => {
    const ctx = { db, tenant, actor: systemActor, clock: systemClock, locale: 'id' as const };
    await expect(inTransaction(ctx, (tx) => tx.emit({ type: 'NoDots', aggregateType: 't', aggregateId: 'x' }))).rejects.toThrow(/invalid event type/);
  });
});

describe('the relay\'s search for unnumbered events', () => {
  it('reads domain_events_pending_idx by a plain index scan (which skips the dead entries), not the indexes over the position', async () => {
    for (let i = 0; i < 50; i++) await db.query(INSERT, [tenant.id, 'test.plan']);
    const plan = await explainPlan(db, PENDING_EVENTS_SQL, [], [PENDING_EVENTS_SETTING]);
    expect(plan).toMatch(/Index Scan using domain_events_pending_idx/);
    expect(plan).not.toMatch(/Bitmap|position_uq|tenant_idx/);
    await relayUntil(50);
  });

  it('keeps unnumbered events out of the indexes over the position', async () => {
    const rows = await db.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('domain_events', 'audit_events') AND indexdef ~ '\\((tenant_id, )?"?(position|seq)"?\\)'`,
    );
    // (Audit events have no seq of their own any more: their seals carry it, in audit_seals.)
    expect(rows.map((r) => r.indexname).sort()).toEqual(['domain_events_position_uq', 'domain_events_tenant_idx']);
    for (const r of rows) expect(r.indexdef).toMatch(/WHERE \("?(position|seq)"? IS NOT NULL\)/);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('event relay with concurrent writers (PostgreSQL)', () => {
  it('numbers an event when its transaction commits, after those that committed before it', async () => {
    const url = databaseUrlOf(db)!;
    const older = new pg.Client({ connectionString: url });
    await older.connect();
    try {
      await older.query('BEGIN');
      await older.query(INSERT, [tenant.id, 'test.late']); // older xid, still open
      await db.query(INSERT, [tenant.id, 'test.early']); // newer xid, committed
      expect(await relayUntil(1)).toBe(1);
      const [{ position }] = (await older.query(`SELECT position FROM domain_events WHERE type = 'test.late'`)).rows;
      expect(position).toBeNull();
      await older.query('COMMIT');
      expect(await relayUntil(1)).toBe(1);
      const [early] = await positions('test.early');
      const [late] = await positions('test.late');
      // Positions follow what readers can see, not transaction ids: the later commit comes after.
      expect(late).toBe(early! + 1);
    } finally {
      await older.end();
    }
  });

  it('is not held back by a long transaction elsewhere on the server', async () => {
    const url = databaseUrlOf(db)!;
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT pg_current_xact_id()`); // a writing transaction that stays open
      await db.query(INSERT, [tenant.id, 'test.not_held']);
      expect(await relayEvents(db)).toBe(1);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('tells the caller when another process holds the relay', async () => {
    const url = databaseUrlOf(db)!;
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(7305003)');
      await db.query(INSERT, [tenant.id, 'test.busy']);
      expect(await tryRelayEvents(db)).toBe('busy');
      await holder.query('COMMIT');
      expect(await tryRelayEvents(db)).toBe(1);
    } finally {
      await holder.end();
    }
  });

  it('gives each event one position when several processes relay at once', async () => {
    await db.query(`INSERT INTO domain_events (tenant_id, id, type, aggregate_type, aggregate_id)
                    SELECT $1, gen_random_uuid(), 'test.bulk', 'test', g::text FROM generate_series(1, 2500) g`, [tenant.id]);
    const url = databaseUrlOf(db)!;
    const { openDatabase } = await import('../../db/client.js');
    const others = await Promise.all([openDatabase({ url, poolSize: 2 }), openDatabase({ url, poolSize: 2 })]);
    try {
      const counts = await Promise.all([relayEvents(db), relayEvents(others[0]), relayEvents(others[1])]);
      const rest = await relayUntil(2500 - counts.reduce((a, b) => a + b, 0));
      expect(counts.reduce((a, b) => a + b, 0) + rest).toBe(2500);
      const got = await positions('test.bulk');
      expect(got.every((p) => p !== null)).toBe(true);
      expect(new Set(got).size).toBe(2500);
      const sorted = [...(got as number[])].sort((a, b) => a - b);
      expect(sorted[sorted.length - 1] - sorted[0]).toBe(2499);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });
});
