import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { expiryState, NEAR_EXPIRY_DAYS } from '../../../../common/health/pharmacy.js';
import { localDate } from '../../../../common/health/rules.js';
import type { Executor } from '../../../db/client.js';
import { type Ctx, inTransaction, type TxCtx } from '../../../platform/context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { can } from '../../../platform/policies/actor.js';
import { findFacility } from '../queries.js';
import { DRUG_COLUMNS, type DrugRow, presentDrug } from './drugs.js';

const STAMP = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** The facility, when the actor may see its pharmacy stock (dispensing or stock staff). */
async function stockFacility(ctx: Ctx, facilityId: string, manage: boolean) {
  const f = await findFacility(ctx.db.orm, ctx.tenant.id, facilityId);
  if (!f) throw new NotFound();
  const ok = can(ctx.actor, 'health.pharmacy.stock', f.path) || (!manage && can(ctx.actor, 'health.pharmacy.dispense', f.path));
  if (!ok) throw new NotFound();
  return f;
}

interface StockRow extends DrugRow {
  available: number;
  expired: number;
  min_stock: number;
  next_expiry: string | null;
}

/** Sums of a drug's batches at a facility (lateral on d, for the facility and today given). */
function stockColumns(facilityId: string, today: string) {
  return sql`coalesce(st.min_stock, 0) AS min_stock, coalesce(b.available, 0)::int AS available, coalesce(b.expired, 0)::int AS expired, b.next_expiry
    FROM health_drugs d
    LEFT JOIN health_stock st ON st.tenant_id = d.tenant_id AND st.facility_id = ${facilityId} AND st.drug_id = d.id
    LEFT JOIN LATERAL (
      SELECT sum(x.quantity) FILTER (WHERE x.expires_on > ${today}::date) AS available,
             sum(x.quantity) FILTER (WHERE x.expires_on <= ${today}::date) AS expired,
             to_char(min(x.expires_on) FILTER (WHERE x.expires_on > ${today}::date), 'YYYY-MM-DD') AS next_expiry
        FROM health_stock_batches x
       WHERE x.tenant_id = d.tenant_id AND x.facility_id = ${facilityId} AND x.drug_id = d.id AND x.quantity > 0
    ) b ON true`;
}

function presentStock(r: StockRow, today: string) {
  return {
    drug: presentDrug(r),
    available: r.available,
    expired: r.expired,
    minStock: r.min_stock,
    nextExpiry: r.next_expiry,
    low: r.min_stock > 0 && r.available <= r.min_stock,
    nearExpiry: r.next_expiry !== null && expiryState(r.next_expiry, today) === 'near',
  };
}

/**
 * A facility's stock per drug of the catalogue (drugs never received show 0), searchable and
 * filtered to the low-stock or expiring ones, with the alert counts of the whole facility.
 */
export async function listStock(ctx: Ctx, facilityId: string, opts: { q?: string; filter: 'all' | 'low' | 'expiring'; page: number; pageSize: number }) {
  const f = await stockFacility(ctx, facilityId, false);
  const today = localDate(ctx.clock.now(), ctx.tenant.timeZone);
  const nearBy = nearLimit(today);
  const like = opts.q ? `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const filter =
    opts.filter === 'low'
      ? sql`AND coalesce(st.min_stock, 0) > 0 AND coalesce(b.available, 0) <= st.min_stock`
      : opts.filter === 'expiring'
        ? sql`AND (coalesce(b.expired, 0) > 0 OR b.next_expiry <= ${nearBy})`
        : sql``;
  const where = sql`WHERE d.tenant_id = ${ctx.tenant.id} AND d.active ${like ? sql`AND (d.name ILIKE ${like} OR d.code ILIKE ${like})` : sql``} ${filter}`;
  const rows = await rowsOf<StockRow & { total: number }>(
    ctx.db.orm,
    sql`SELECT ${DRUG_COLUMNS}, count(*) OVER ()::int AS total, ${stockColumns(f.id, today)}
        ${where}
        ORDER BY lower(d.name)
        LIMIT ${opts.pageSize} OFFSET ${(opts.page - 1) * opts.pageSize}`,
  );
  const [alerts] = await rowsOf<{ low: number; near: number; expired: number }>(
    ctx.db.orm,
    sql`SELECT count(*) FILTER (WHERE x.min_stock > 0 AND x.available <= x.min_stock)::int AS low,
               count(*) FILTER (WHERE x.next_expiry <= ${nearBy})::int AS near,
               count(*) FILTER (WHERE x.expired > 0)::int AS expired
          FROM (SELECT ${stockColumns(f.id, today)} WHERE d.tenant_id = ${ctx.tenant.id} AND d.active) x`,
  );
  return {
    facility: { id: f.id, name: f.name },
    today,
    items: rows.map((r) => presentStock(r, today)),
    // Past the last page the window count is not there: count alone.
    total: rows[0]?.total ?? (opts.page > 1 ? ((await rowsOf<{ n: number }>(ctx.db.orm, sql`SELECT count(*)::int AS n FROM (SELECT ${stockColumns(f.id, today)} ${where}) x`))[0]?.n ?? 0) : 0),
    page: opts.page,
    pageSize: opts.pageSize,
    alerts: { low: alerts?.low ?? 0, nearExpiry: alerts?.near ?? 0, expired: alerts?.expired ?? 0 },
  };
}

/** The last day that counts as near expiry (YYYY-MM-DD). */
function nearLimit(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + NEAR_EXPIRY_DAYS);
  return d.toISOString().slice(0, 10);
}

/** One drug's stock at a facility: its batches holding stock, and the last 50 moves of the ledger. */
export async function drugStock(ctx: Ctx, facilityId: string, drugId: string) {
  const f = await stockFacility(ctx, facilityId, false);
  const today = localDate(ctx.clock.now(), ctx.tenant.timeZone);
  const [row] = await rowsOf<StockRow>(ctx.db.orm, sql`SELECT ${DRUG_COLUMNS}, ${stockColumns(f.id, today)} WHERE d.tenant_id = ${ctx.tenant.id} AND d.id = ${drugId}`);
  if (!row) throw new NotFound();
  const batches = await rowsOf<{ id: string; batch_no: string; expires_on: string; quantity: number; received_at: string }>(
    ctx.db.orm,
    sql`SELECT id::text AS id, batch_no, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, quantity, ${STAMP('received_at')} AS received_at
          FROM health_stock_batches
         WHERE tenant_id = ${ctx.tenant.id} AND facility_id = ${f.id} AND drug_id = ${drugId} AND quantity > 0
         ORDER BY expires_on, id`,
  );
  const moves = await rowsOf<{ id: string; kind: 'receipt' | 'dispense' | 'adjustment'; quantity: number; balance: number; batch_no: string; reason: string | null; actor: string | null; created_at: string }>(
    ctx.db.orm,
    sql`SELECT m.id::text AS id, m.kind, m.quantity, m.balance, b.batch_no, m.reason, us.name AS actor, ${STAMP('m.created_at')} AS created_at
          FROM health_stock_moves m
          JOIN health_stock_batches b ON b.tenant_id = m.tenant_id AND b.id = m.batch_id
          LEFT JOIN users us ON us.tenant_id = m.tenant_id AND us.id = m.actor_id
         WHERE m.tenant_id = ${ctx.tenant.id} AND m.facility_id = ${f.id} AND m.drug_id = ${drugId}
         ORDER BY m.created_at DESC, m.id DESC
         LIMIT 50`,
  );
  return {
    stock: presentStock(row, today),
    batches: batches.map((b) => ({ id: b.id, batchNo: b.batch_no, expiresOn: b.expires_on, quantity: b.quantity, receivedAt: b.received_at, state: expiryState(b.expires_on, today) })),
    moves: moves.map((m) => ({ id: m.id, kind: m.kind, quantity: m.quantity, balance: m.balance, batchNo: m.batch_no, reason: m.reason, actor: m.actor, createdAt: m.created_at })),
  };
}

/** Locks (creating it when new) the facility's stock row of a drug: every stock change starts here. */
async function lockStockRow(tx: TxCtx, facilityId: string, drugId: string): Promise<{ on_hand: number }> {
  const [row] = await rowsOf<{ on_hand: number }>(
    tx.tx,
    sql`INSERT INTO health_stock AS s (tenant_id, facility_id, drug_id, on_hand, min_stock, updated_at)
        VALUES (${tx.tenant.id}, ${facilityId}, ${drugId}, 0, 0, ${tx.clock.now()})
        ON CONFLICT (tenant_id, facility_id, drug_id) DO UPDATE SET on_hand = s.on_hand
        RETURNING s.on_hand`,
  );
  return row!;
}

async function activeDrug(ex: Executor, tenantId: string, drugId: string): Promise<DrugRow> {
  const [d] = await rowsOf<DrugRow & { active: boolean }>(ex, sql`SELECT ${DRUG_COLUMNS}, d.active FROM health_drugs d WHERE d.tenant_id = ${tenantId} AND d.id = ${drugId}`);
  if (!d?.active) throw Invalid.field('drugId', 'health.drug_unknown');
  return d;
}

/**
 * Stock received (from the Dinas Kesehatan's warehouse or bought): adds to the batch of that
 * number, or starts it. A batch number already held keeps its expiry; an expired batch is refused.
 */
export async function receiveStock(ctx: Ctx, facilityId: string, input: { drugId: string; batchNo: string; expiresOn: string; quantity: number; note?: string }) {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  const f = await stockFacility(ctx, facilityId, true);
  const now = ctx.clock.now();
  const today = localDate(now, ctx.tenant.timeZone);
  const drug = await activeDrug(ctx.db.orm, ctx.tenant.id, input.drugId);
  if (input.expiresOn <= today) throw Invalid.field('expiresOn', 'health.batch_expired');
  const batchId = await inTransaction(ctx, async (tx) => {
    await lockStockRow(tx, f.id, drug.id);
    const [held] = await rowsOf<{ id: string; expires_on: string; quantity: number }>(
      tx.tx,
      sql`SELECT id::text AS id, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, quantity FROM health_stock_batches
           WHERE tenant_id = ${ctx.tenant.id} AND facility_id = ${f.id} AND drug_id = ${drug.id} AND batch_no = ${input.batchNo}
           FOR UPDATE`,
    );
    if (held && held.expires_on !== input.expiresOn) throw Invalid.field('expiresOn', 'health.batch_expiry_mismatch', { batchNo: input.batchNo, expiresOn: held.expires_on });
    const id = held?.id ?? uuidv7();
    const balance = (held?.quantity ?? 0) + input.quantity;
    if (held) {
      await tx.tx.execute(sql`UPDATE health_stock_batches SET quantity = ${balance} WHERE tenant_id = ${ctx.tenant.id} AND id = ${id}`);
    } else {
      await tx.tx.execute(
        sql`INSERT INTO health_stock_batches (tenant_id, id, facility_id, drug_id, batch_no, expires_on, quantity, received_at)
            VALUES (${ctx.tenant.id}, ${id}, ${f.id}, ${drug.id}, ${input.batchNo}, ${input.expiresOn}::date, ${balance}, ${now})`,
      );
    }
    await moveStock(tx, { facilityId: f.id, drugId: drug.id, batchId: id, kind: 'receipt', quantity: input.quantity, balance, reason: input.note || null });
    await tx.audit({
      action: 'health.stock.received',
      entityType: 'health_stock_batch',
      entityId: id,
      unitId: f.id,
      data: { drug: drug.code, batchNo: input.batchNo, expiresOn: input.expiresOn, quantity: input.quantity, balance },
    });
    return id;
  });
  return { batchId, ...(await drugStock(ctx, f.id, drug.id)) };
}

/**
 * A batch's quantity corrected: a stock count (opname) difference, damage, loss, or an expired
 * batch written off. The reason is required; the batch never goes below zero.
 */
export async function adjustBatch(ctx: Ctx, batchId: string, input: { delta: number; reason: string }) {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  const [b] = await rowsOf<{ facility_id: string; drug_id: string; path: string[]; batch_no: string; code: string }>(
    ctx.db.orm,
    sql`SELECT b.facility_id::text AS facility_id, b.drug_id::text AS drug_id, u.path::text[] AS path, b.batch_no, d.code
          FROM health_stock_batches b
          JOIN units u ON u.tenant_id = b.tenant_id AND u.id = b.facility_id
          JOIN health_drugs d ON d.tenant_id = b.tenant_id AND d.id = b.drug_id
         WHERE b.tenant_id = ${ctx.tenant.id} AND b.id = ${batchId}`,
  );
  if (!b || !can(ctx.actor, 'health.pharmacy.stock', b.path)) throw new NotFound();
  await inTransaction(ctx, async (tx) => {
    await lockStockRow(tx, b.facility_id, b.drug_id);
    const [held] = await rowsOf<{ quantity: number }>(tx.tx, sql`SELECT quantity FROM health_stock_batches WHERE tenant_id = ${ctx.tenant.id} AND id = ${batchId} FOR UPDATE`);
    const balance = held!.quantity + input.delta;
    if (balance < 0) throw new Conflict('conflict', {}, [{ field: 'delta', code: 'health.stock_negative', params: { quantity: held!.quantity } }]);
    await tx.tx.execute(sql`UPDATE health_stock_batches SET quantity = ${balance} WHERE tenant_id = ${ctx.tenant.id} AND id = ${batchId}`);
    await moveStock(tx, { facilityId: b.facility_id, drugId: b.drug_id, batchId, kind: 'adjustment', quantity: input.delta, balance, reason: input.reason });
    await tx.audit({
      action: 'health.stock.adjusted',
      entityType: 'health_stock_batch',
      entityId: batchId,
      unitId: b.facility_id,
      data: { drug: b.code, batchNo: b.batch_no, delta: input.delta, balance, reason: input.reason },
    });
  });
  return drugStock(ctx, b.facility_id, b.drug_id);
}

/** The level under which the pharmacy is warned that a drug runs low. */
export async function setMinStock(ctx: Ctx, facilityId: string, drugId: string, minStock: number) {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  const f = await stockFacility(ctx, facilityId, true);
  const drug = await activeDrug(ctx.db.orm, ctx.tenant.id, drugId);
  await inTransaction(ctx, async (tx) => {
    await lockStockRow(tx, f.id, drug.id);
    const [before] = await rowsOf<{ min_stock: number }>(
      tx.tx,
      sql`SELECT min_stock FROM health_stock WHERE tenant_id = ${ctx.tenant.id} AND facility_id = ${f.id} AND drug_id = ${drug.id}`,
    );
    await tx.tx.execute(
      sql`UPDATE health_stock SET min_stock = ${minStock}, updated_at = ${tx.clock.now()} WHERE tenant_id = ${ctx.tenant.id} AND facility_id = ${f.id} AND drug_id = ${drug.id}`,
    );
    await tx.audit({ action: 'health.stock.min_set', entityType: 'health_stock', entityId: drug.id, unitId: f.id, data: { drug: drug.code, from: before?.min_stock ?? 0, to: minStock } });
  });
  return drugStock(ctx, f.id, drug.id);
}

/** One ledger line, and the facility's on-hand total moved by the same quantity. */
async function moveStock(
  tx: TxCtx,
  m: { facilityId: string; drugId: string; batchId: string; kind: 'receipt' | 'adjustment'; quantity: number; balance: number; reason: string | null },
): Promise<void> {
  const now = tx.clock.now();
  await tx.tx.execute(
    sql`UPDATE health_stock SET on_hand = on_hand + ${m.quantity}, updated_at = ${now}
         WHERE tenant_id = ${tx.tenant.id} AND facility_id = ${m.facilityId} AND drug_id = ${m.drugId}`,
  );
  await tx.tx.execute(
    sql`INSERT INTO health_stock_moves (tenant_id, id, facility_id, drug_id, batch_id, kind, quantity, balance, reason, actor_id, created_at)
        VALUES (${tx.tenant.id}, ${uuidv7()}, ${m.facilityId}, ${m.drugId}, ${m.batchId}, ${m.kind}, ${m.quantity}, ${m.balance}, ${m.reason}, ${tx.actor.id ?? null}, ${now})`,
  );
}

/** Facilities whose pharmacy the actor works in or manages (the pharmacy page's picker). */
export async function pharmacyDesk(ctx: Ctx) {
  const rows = await rowsOf<{ id: string; name: string; path: string[] }>(
    ctx.db.orm,
    sql`SELECT u.id::text AS id, u.name, u.path::text[] AS path
          FROM health_facilities f JOIN units u ON u.tenant_id = f.tenant_id AND u.id = f.unit_id AND u.active
         WHERE f.tenant_id = ${ctx.tenant.id}
         ORDER BY u.kind DESC, u.name`,
  );
  return rows
    .map((r) => ({ id: r.id, name: r.name, dispense: can(ctx.actor, 'health.pharmacy.dispense', r.path), stock: can(ctx.actor, 'health.pharmacy.stock', r.path) }))
    .filter((r) => r.dispense || r.stock);
}
