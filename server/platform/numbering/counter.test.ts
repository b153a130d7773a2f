import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, databaseUrlOf } from '../../../test/support/db.js';
import { type Database, openDatabase } from '../../db/client.js';
import { type Ctx, inTransaction, systemClock } from '../context.js';
import { systemActor } from '../policies/actor.js';
import type { Tenant } from '../tenancy/tenants.js';
import { currentNumber, nextNumber, periodOf } from './counter.js';

let db: Database;
let makassar: Tenant;
let tanjungpinang: Tenant;

const TENANT_SQL = `SELECT id, slug, name, time_zone AS "timeZone", region_code AS "regionCode" FROM tenants WHERE slug = $1`;

beforeAll(async () => {
  db = await createTestDb();
  [makassar] = await db.query<any>(TENANT_SQL, ['makassar']);
  [tanjungpinang] = await db.query<any>(TENANT_SQL, ['tanjungpinang']);
});
afterAll(async () => {
  await db?.close();
});

function ctxOf(tenant: Tenant, database = db): Ctx {
  return { db: database, tenant, actor: systemActor, clock: systemClock, locale: 'id' };
}

const take = (ctx: Ctx, key: string, period: string) => inTransaction(ctx, (tx) => nextNumber(tx, { key, period }));

class Rollback extends Error {}

describe('nextNumber', () => {
  it('counts 1, 2, 3 … per scope, and a rolled-back command gives its number back', async () => {
    const ctx = ctxOf(makassar);
    expect(await take(ctx, 'test:basic', '2026')).toBe(1);
    expect(await take(ctx, 'test:basic', '2026')).toBe(2);
    await expect(
      inTransaction(ctx, async (tx) => {
        expect(await nextNumber(tx, { key: 'test:basic', period: '2026' })).toBe(3);
        throw new Rollback('command failed after taking a number');
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect(await currentNumber(ctx, { key: 'test:basic', period: '2026' })).toBe(2);
    expect(await take(ctx, 'test:basic', '2026')).toBe(3);
    // Two numbers in one transaction are consecutive, and the transaction sees its own count.
    await inTransaction(ctx, async (tx) => {
      expect(await nextNumber(tx, { key: 'test:basic', period: '2026' })).toBe(4);
      expect(await nextNumber(tx, { key: 'test:basic', period: '2026' })).toBe(5);
      expect(await currentNumber(tx, { key: 'test:basic', period: '2026' })).toBe(5);
    });
  });

  it('starts again at 1 in a new period and keeps keys apart', async () => {
    const ctx = ctxOf(makassar);
    expect(await take(ctx, 'queue:f1:umum', '2026-11-27')).toBe(1);
    expect(await take(ctx, 'queue:f1:umum', '2026-11-27')).toBe(2);
    expect(await take(ctx, 'queue:f1:umum', '2026-11-28')).toBe(1);
    expect(await take(ctx, 'queue:f1:gigi', '2026-11-27')).toBe(1);
    expect(await take(ctx, 'queue:f1:umum', '2026-11-27')).toBe(3);
    expect(await currentNumber(ctx, { key: 'queue:f1:umum', period: '2026-11-29' })).toBe(0);
  });

  it('keeps each tenant its own counters', async () => {
    expect(await take(ctxOf(makassar), 'test:tenant', '')).toBe(1);
    expect(await take(ctxOf(makassar), 'test:tenant', '')).toBe(2);
    expect(await take(ctxOf(tanjungpinang), 'test:tenant', '')).toBe(1);
    expect(await take(ctxOf(makassar), 'test:tenant', '')).toBe(3);
    const rows = await db.query<{ slug: string; value: number }>(
      `SELECT t.slug, c.value::int AS value FROM number_counters c JOIN tenants t ON t.id = c.tenant_id WHERE c.key = 'test:tenant' ORDER BY t.slug`,
    );
    expect(rows).toEqual([
      { slug: 'makassar', value: 3 },
      { slug: 'tanjungpinang', value: 1 },
    ]);
  });

  it('refuses an empty or oversized scope and writes nothing', async () => {
    const ctx = ctxOf(makassar);
    const [before] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM number_counters');
    await expect(take(ctx, '', '2026')).rejects.toThrow(/counter key/);
    await expect(take(ctx, 'x'.repeat(201), '2026')).rejects.toThrow(/counter key/);
    await expect(take(ctx, 'test:bad', 'p'.repeat(41))).rejects.toThrow(/counter period/);
    const [after] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM number_counters');
    expect(after!.n).toBe(before!.n);
  });
});

describe('periodOf', () => {
  it('uses the tenant time zone for the local day, month and year', () => {
    // 23:30 UTC on 31 December is already 1 January in Makassar (UTC+8); Jakarta (UTC+7) turns at 17:00 UTC.
    const at = new Date('2026-12-31T23:30:00Z');
    expect(periodOf(at, 'Asia/Makassar', 'day')).toBe('2027-01-01');
    expect(periodOf(at, 'Asia/Makassar', 'month')).toBe('2027-01');
    expect(periodOf(at, 'Asia/Makassar', 'year')).toBe('2027');
    expect(periodOf(new Date('2026-12-31T16:59:00Z'), 'Asia/Jakarta', 'day')).toBe('2026-12-31');
    expect(periodOf(new Date('2026-12-31T17:00:00Z'), 'Asia/Jakarta', 'day')).toBe('2027-01-01');
    expect(() => periodOf(at, 'Mars/Olympus', 'day')).toThrow(/time zone/);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('nextNumber under concurrency (PostgreSQL, two connection pools)', () => {
  it('gives 200 concurrent transactions, some rolled back, exactly 1..N committed numbers', async () => {
    // A second pool to the same database stands in for a second app process.
    const other = await openDatabase({ url: databaseUrlOf(db)!, poolSize: 20 });
    try {
      await db.exec('CREATE TABLE test_numbered (n integer NOT NULL)');
      const scope = { key: 'queue:concurrent:umum', period: '2026-11-27' };
      let rolledBack = 0;
      const attempts = Array.from({ length: 200 }, async (_, i) => {
        const ctx = ctxOf(makassar, i % 2 ? other : db);
        try {
          await inTransaction(ctx, async (tx) => {
            const n = await nextNumber(tx, scope);
            // Hold the number a moment, so that transactions really overlap.
            await new Promise((r) => setTimeout(r, i % 3));
            await tx.tx.execute(sql`INSERT INTO test_numbered (n) VALUES (${n})`);
            if (i % 7 === 3) throw new Rollback(`attempt ${i} rolls back`);
          });
        } catch (e) {
          if (!(e instanceof Rollback)) throw e;
          rolledBack++;
        }
      });
      await Promise.all(attempts);
      expect(rolledBack).toBe(29);
      const committed = (await db.query<{ n: number }>('SELECT n FROM test_numbered ORDER BY n')).map((r) => r.n);
      expect(committed).toEqual(Array.from({ length: 171 }, (_, i) => i + 1));
      expect(await currentNumber(ctxOf(makassar), scope)).toBe(171);
    } finally {
      await other.close();
    }
  });
});
