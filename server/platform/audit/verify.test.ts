import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeClock } from '../../../test/support/clock.js';
import { createTestDb, explainPlan } from '../../../test/support/db.js';
import type { Database } from '../../db/client.js';
import { type Ctx, inTransaction } from '../context.js';
import { systemActor } from '../policies/actor.js';
import { tenants } from '../tenancy/schema.js';
import type { Tenant } from '../tenancy/tenants.js';
import { sealAudit, UNSEALED_SETTING, UNSEALED_SQL } from './seal.js';
import { verifyAudit } from './verify.js';
import { sealAllAudit } from '../../../test/support/audit.js';

let db: Database;
let makassar: Tenant;
let tpi: Tenant;
const clock = new FakeClock('2026-11-27T02:00:00Z');
/** Several transactions open at once need PostgreSQL (the embedded database has one connection). */
const onPostgres = Boolean(inject('pgTemplate'));
/** Sealing waits for transactions elsewhere on a shared server (see sealAll). */
const SEAL_TIMEOUT = 90_000;

beforeAll(async () => {
  db = await createTestDb();
  [makassar] = await db.orm.select().from(tenants).where(eq(tenants.slug, 'makassar'));
  [tpi] = await db.orm.select().from(tenants).where(eq(tenants.slug, 'tanjungpinang'));
});
afterAll(async () => {
  await db.close();
});

const ctxOf = (tenant: Tenant): Ctx => ({ db, tenant, actor: systemActor, clock, locale: 'id' });

async function writeEvents(tenant: Tenant, n: number, action = 'test.event'): Promise<void> {
  await inTransaction(ctxOf(tenant), async (tx) => {
    for (let i = 0; i < n; i++) await tx.audit({ action, entityType: 'test', entityId: String(i), data: { i } });
  });
}

/**
 * Seals until nothing is left: on a shared PostgreSQL server a transaction running in another
 * database holds the sealer back for a moment (xids are cluster-wide).
 */
async function sealAll(): Promise<void> {
  await sealAllAudit(db, () => clock.now());
}

async function chain(tenantId: string) {
  return db.query<{ seq: number; xid: string; id: string }>(
    'SELECT s.seq::int AS seq, e.xid::text AS xid, e.id::text FROM audit_seals s JOIN audit_events e ON e.tenant_id = s.tenant_id AND e.id = s.event_id WHERE s.tenant_id = $1 ORDER BY s.seq',
    [tenantId],
  );
}

/** Runs SQL with the append-only guards off (as an intruder would), checks, and puts things back. */
async function untampered<T>(sqlText: string, fn: () => Promise<T>, undo: string): Promise<T> {
  const off = 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_guard; ALTER TABLE audit_seals DISABLE TRIGGER audit_seals_guard';
  const on = 'ALTER TABLE audit_events ENABLE TRIGGER audit_events_guard; ALTER TABLE audit_seals ENABLE TRIGGER audit_seals_guard';
  await db.exec(`${off}; ${sqlText}; ${on};`);
  try {
    return await fn();
  } finally {
    await db.exec(`${off}; ${undo}; ${on};`);
  }
}

const sealedSeq = async (action: string) =>
  (
    await db.query<{ seq: number | null }>(
      `SELECT s.seq::int AS seq FROM audit_events e LEFT JOIN audit_seals s ON s.tenant_id = e.tenant_id AND s.event_id = e.id WHERE e.action = $1`,
      [action],
    )
  )[0];

describe('sealAudit', () => {
  it('chains each tenant with a gap-free seq from 1 and verifies', async () => {
    await writeEvents(makassar, 5);
    await writeEvents(tpi, 3);
    await writeEvents(makassar, 2);
    await sealAll();
    expect(await sealAudit(db, clock.now())).toBe(0);
    for (const t of [makassar, tpi]) {
      const rows = await chain(t.id);
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      const [head] = await db.query<{ last_seq: number }>('SELECT last_seq::int AS last_seq FROM audit_chain_heads WHERE tenant_id = $1', [t.id]);
      expect(head.last_seq).toBe(rows.length);
    }
    const report = await verifyAudit(db, { graceMinutes: 10, now: clock.now() });
    expect(report.problems).toEqual([]);
    expect(report.unsealed).toBe(0);
    expect(report.perTenant.map((p) => p.tenant)).toEqual(['makassar', 'tanjungpinang']);
    expect(report.perTenant[0].lastHash).toMatch(/^[0-9a-f]{64}$/);
  }, SEAL_TIMEOUT);

  it.runIf(onPostgres)('leaves events of a transaction still open unsealed, and seals in commit order after it (PostgreSQL)', async () => {
    const client = await db.pool!.connect();
    try {
      await client.query('BEGIN');
      const slowId = uuidv7();
      await client.query(`INSERT INTO audit_events (tenant_id, id, actor_kind, action, entity_type) VALUES ($1, $2, 'system', 'test.slow', 'test')`, [makassar.id, slowId]);
      await writeEvents(makassar, 1, 'test.fast');
      await sealAudit(db, clock.now());
      expect((await sealedSeq('test.fast')).seq).toBeNull(); // a transaction older than it is still running
      await client.query('COMMIT');
      await sealAll();
      const slow = await sealedSeq('test.slow');
      const fast = await sealedSeq('test.fast');
      expect(fast.seq).toBe(slow.seq! + 1);
    } finally {
      client.release();
    }
  }, SEAL_TIMEOUT);

  it.runIf(onPostgres)('seals many concurrent writers with contiguous seq and a valid chain while sealers race (PostgreSQL)', async () => {
    const before = { m: (await chain(makassar.id)).length, t: (await chain(tpi.id)).length };
    let writing = true;
    const sealers = [0, 1].map(async () => {
      let n = 0;
      while (writing) {
        n += await sealAudit(db, clock.now());
        await new Promise((r) => setTimeout(r, 2));
      }
      return n;
    });
    const WRITERS = 8;
    const TX_PER_WRITER = 20;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < TX_PER_WRITER; i++) await writeEvents((w + i) % 2 ? makassar : tpi, 2, 'test.concurrent');
      }),
    );
    writing = false;
    await Promise.all(sealers);
    await sealAll();
    const m = await chain(makassar.id);
    const t = await chain(tpi.id);
    expect(m.length + t.length - before.m - before.t).toBe(WRITERS * TX_PER_WRITER * 2);
    for (const rows of [m, t]) {
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      // Sealed in commit order: seq follows the writing transactions' ids.
      for (let i = 1; i < rows.length; i++) expect(BigInt(rows[i].xid) >= BigInt(rows[i - 1].xid)).toBe(true);
    }
    const report = await verifyAudit(db, { graceMinutes: 10, now: clock.now() });
    expect(report.problems).toEqual([]);
    expect(report.unsealed).toBe(0);
  }, SEAL_TIMEOUT);
});

describe('verifyAudit', () => {
  it('finds a broken link, a changed chain head and a missing head, each naming where', async () => {
    const [third] = await db.query<{ id: string }>('SELECT event_id::text AS id FROM audit_seals WHERE tenant_id = $1 AND seq = 3', [makassar.id]);
    const broken = await untampered(
      `UPDATE audit_seals SET prev_hash = '\\x00' WHERE tenant_id = '${makassar.id}' AND seq = 3`,
      () => verifyAudit(db, { graceMinutes: 10, now: clock.now(), tenant: 'makassar' }),
      `UPDATE audit_seals a SET prev_hash = p.hash FROM audit_seals p WHERE a.tenant_id = '${makassar.id}' AND a.seq = 3 AND p.tenant_id = a.tenant_id AND p.seq = 2`,
    );
    expect(broken.problems).toEqual([expect.objectContaining({ tenant: 'makassar', seq: 3, id: third.id, reason: 'broken_link' })]);

    await db.query(`UPDATE audit_chain_heads SET last_hash = '\\x01' WHERE tenant_id = $1`, [tpi.id]);
    const head = await verifyAudit(db, { graceMinutes: 10, now: clock.now() });
    expect(head.problems).toEqual([expect.objectContaining({ tenant: 'tanjungpinang', reason: 'head_mismatch' })]);

    await db.query('DELETE FROM audit_chain_heads WHERE tenant_id = $1', [tpi.id]);
    const noHead = await verifyAudit(db, { graceMinutes: 10, now: clock.now(), tenant: 'tanjungpinang' });
    expect(noHead.tenants).toBe(1);
    expect(noHead.problems).toEqual([expect.objectContaining({ tenant: 'tanjungpinang', seq: 1, reason: 'inserted' })]);
    expect((await verifyAudit(db, { graceMinutes: 10, now: clock.now(), tenant: 'makassar' })).problems).toEqual([]);
  });

  it('finds a sealed event deleted behind its seal, and an event slipped in among the sealed ones', async () => {
    const [fourth] = await db.query<{ id: string }>('SELECT event_id::text AS id FROM audit_seals WHERE tenant_id = $1 AND seq = 4', [makassar.id]);
    await db.exec(`CREATE TABLE kept_event AS SELECT * FROM audit_events WHERE id = '${fourth.id}'`);
    const deleted = await untampered(
      `DELETE FROM audit_events WHERE id = '${fourth.id}'`,
      () => verifyAudit(db, { graceMinutes: 10, now: clock.now(), tenant: 'makassar' }),
      'INSERT INTO audit_events SELECT * FROM kept_event; DROP TABLE kept_event',
    );
    expect(deleted.problems).toEqual([expect.objectContaining({ tenant: 'makassar', seq: 4, id: fourth.id, reason: 'missing' })]);

    // An event written straight into the table with an old transaction id, below the seal mark:
    // the sealer will never take it, and nothing chains it.
    const [mark] = await db.query<{ xid: string }>('SELECT last_xid::text AS xid FROM audit_seal_mark');
    const slippedId = uuidv7();
    const slipped = await untampered(
      `INSERT INTO audit_events (tenant_id, id, xid, actor_kind, action, entity_type) VALUES ('${makassar.id}', '${slippedId}', '${BigInt(mark.xid) - 1n}', 'system', 'test.slipped', 'test')`,
      () => verifyAudit(db, { graceMinutes: 10, now: clock.now(), tenant: 'makassar' }),
      `DELETE FROM audit_events WHERE id = '${slippedId}'`,
    );
    expect(slipped.problems).toEqual([expect.objectContaining({ tenant: 'makassar', id: slippedId, reason: 'inserted' })]);
    expect((await verifyAudit(db, { graceMinutes: 10, now: clock.now(), tenant: 'makassar' })).problems).toEqual([]);
  });

  it('reports events left unsealed past the grace period only', async () => {
    await writeEvents(makassar, 1, 'test.unsealed');
    const [ev] = await db.query<{ id: string }>(`SELECT id::text FROM audit_events WHERE action = 'test.unsealed'`);
    const soon = await verifyAudit(db, { graceMinutes: 10, now: new Date(clock.now().getTime() + 5 * 60_000), tenant: 'makassar' });
    expect(soon.problems).toEqual([]);
    expect(soon.unsealed).toBe(1);
    const late = await verifyAudit(db, { graceMinutes: 10, now: new Date(clock.now().getTime() + 11 * 60_000), tenant: 'makassar' });
    expect(late.problems).toEqual([expect.objectContaining({ tenant: 'makassar', id: ev.id, reason: 'unsealed_too_long' })]);
  });
});

describe('the sealer\'s search for unsealed events', () => {
  it('reads audit_xid_idx in order from the seal mark, without sorting every unsealed event', async () => {
    await writeEvents(makassar, 20, 'test.plan');
    const [mark] = await db.query<{ xid: string; id: string }>('SELECT last_xid::text AS xid, last_event_id::text AS id FROM audit_seal_mark');
    const plan = await explainPlan(db, UNSEALED_SQL, [mark.xid, mark.id], [UNSEALED_SETTING]);
    expect(plan).toMatch(/Index Scan using audit_xid_idx/);
    expect(plan).not.toMatch(/Sort/);
  });
});
