import { sql } from 'drizzle-orm';
import type { VisitStatus } from '../../../common/health/contracts.js';
import { nextVisitStatus, type QueueAction } from '../../../common/health/queue.js';
import { localDate } from '../../../common/health/rules.js';
import { maskNik } from '../../../common/mask.js';
import type { Executor } from '../../db/client.js';
import { type Ctx, inTransaction, type TxCtx } from '../../platform/context.js';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.js';
import { rowsOf } from '../../platform/org/sql.js';
import { can } from '../../platform/policies/actor.js';
import { findService, serviceTimeChanged } from './queries.js';

/** A visit as the queue's staff see and change it. */
export interface QueueVisitRow {
  id: string;
  status: VisitStatus;
  number: number;
  queue_code: string;
  day: string;
  service_id: string;
  service_name: string;
  facility_id: string;
  facility_path: string[];
  patient_name: string;
  patient_nik: string;
  channel: 'online' | 'onsite';
  session: number;
  called_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  from_code: string | null;
  from_service: string | null;
}

export const QUEUE_COLUMNS = sql`v.id::text AS id, v.status, v.number, v.queue_code, to_char(v.day, 'YYYY-MM-DD') AS day, v.service_id::text AS service_id,
  s.name AS service_name, v.facility_id::text AS facility_id, u.path::text[] AS facility_path, p.name AS patient_name, p.nik AS patient_nik, v.channel, v.session,
  to_char(v.called_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS called_at,
  to_char(v.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at,
  to_char(v.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS finished_at,
  fv.queue_code AS from_code, fs.name AS from_service`;
export const QUEUE_FROM = sql`health_visits v
  JOIN health_services s ON s.tenant_id = v.tenant_id AND s.id = v.service_id
  JOIN health_patients p ON p.tenant_id = v.tenant_id AND p.id = v.patient_id
  JOIN units u ON u.tenant_id = v.tenant_id AND u.id = v.facility_id
  LEFT JOIN health_visits fv ON fv.tenant_id = v.tenant_id AND fv.id = v.transferred_from
  LEFT JOIN health_services fs ON fs.tenant_id = fv.tenant_id AND fs.id = fv.service_id`;

export function presentQueueVisit(r: QueueVisitRow) {
  return {
    id: r.id,
    queueCode: r.queue_code,
    number: r.number,
    status: r.status,
    channel: r.channel,
    date: r.day,
    service: { id: r.service_id, name: r.service_name },
    // Staff call the patient by name; the NIK stays masked on the queue screen.
    patient: { name: r.patient_name, nikMasked: maskNik(r.patient_nik) ?? '' },
    calledAt: r.called_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    // Sent here from another service of the facility (its number there), e.g. the pharmacy's F-012 from A-031.
    transferredFrom: r.from_code ? { queueCode: r.from_code, serviceName: r.from_service ?? '' } : null,
  };
}

/** Queue staff of a facility: health.queue.operate on it (or above it). Others see nothing. */
export function requireOperator(ctx: Ctx, facilityPath: string[]): void {
  if (!can(ctx.actor, 'health.queue.operate', facilityPath)) throw new NotFound();
}

/** The public stream topic of a facility's queue (TV display, patients' pages). */
export function queueTopic(facilityId: string): string {
  return `queue.${facilityId}`;
}

const STAMP: Partial<Record<QueueAction, string>> = { check_in: 'checked_in_at', call: 'called_at', recall: 'called_at', start: 'started_at', finish: 'finished_at' };

async function transition(tx: TxCtx, row: QueueVisitRow, action: QueueAction): Promise<QueueVisitRow> {
  const next = nextVisitStatus(row.status, action);
  if (!next) throw new Conflict('conflict', {}, [{ field: '', code: 'health.visit_transition_invalid', params: { action, status: row.status } }]);
  const now = tx.clock.now();
  const stamp = STAMP[action];
  await tx.tx.execute(
    sql`UPDATE health_visits SET status = ${next}${stamp ? sql`, ${sql.identifier(stamp)} = ${now}` : sql``}
         WHERE tenant_id = ${tx.tenant.id} AND id = ${row.id}`,
  );
  // A visit finished or skipped no longer waits in its session.
  if (next === 'done' || next === 'no_show') {
    await tx.tx.execute(
      sql`UPDATE health_queue_days SET closed[${row.session}] = closed[${row.session}] + 1
           WHERE tenant_id = ${tx.tenant.id} AND service_id = ${row.service_id} AND day = ${row.day}::date`,
    );
  }
  const facts = { queueCode: row.queue_code, serviceId: row.service_id, date: row.day, from: row.status, to: next };
  await tx.audit({ action: `health.visit.${action}`, entityType: 'health_visit', entityId: row.id, unitId: row.facility_id, data: facts });
  // Calls go to the facility's public stream (TV display, the patient's page): number only.
  await tx.emit({
    type: `health.visit.${action}`,
    aggregateType: 'health_visit',
    aggregateId: row.id,
    unitId: row.facility_id,
    payload: { ...facts, public: true, topic: queueTopic(row.facility_id) },
  });
  const [after] = await rowsOf<QueueVisitRow>(tx.tx, sql`SELECT ${QUEUE_COLUMNS} FROM ${QUEUE_FROM} WHERE v.tenant_id = ${tx.tenant.id} AND v.id = ${row.id}`);
  return after;
}

/**
 * Moves one visit along the queue (check in, recall, skip, start, finish) as staff of its
 * facility, on the visit's day only. Invalid moves (finishing a visit never started…) are 409.
 */
export async function actOnVisit(ctx: Ctx, id: string, action: Exclude<QueueAction, 'call' | 'cancel'>) {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  return inTransaction(ctx, async (tx) => {
    const [row] = await rowsOf<QueueVisitRow>(tx.tx, sql`SELECT ${QUEUE_COLUMNS} FROM ${QUEUE_FROM} WHERE v.tenant_id = ${ctx.tenant.id} AND v.id = ${id} FOR UPDATE OF v`);
    if (!row) throw new NotFound();
    requireOperator(ctx, row.facility_path);
    if (row.day !== localDate(ctx.clock.now(), ctx.tenant.timeZone)) {
      throw new Conflict('conflict', {}, [{ field: '', code: 'health.visit_not_today', params: { date: row.day } }]);
    }
    return presentQueueVisit(await transition(tx, row, action));
  }).then((v) => {
    if (v.status === 'done') serviceTimeChanged(v.service.id);
    return v;
  });
}

/**
 * Calls the next patient of a service today: the checked-in visit with the lowest number. Two
 * counters calling at once never get the same patient (the candidate row is locked, SKIP LOCKED).
 * Null when nobody is waiting.
 */
export async function callNext(ctx: Ctx, serviceId: string) {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  const service = await findService(ctx.db.orm, ctx.tenant.id, serviceId);
  if (!service) throw new NotFound();
  requireOperator(ctx, service.facility_path);
  const today = localDate(ctx.clock.now(), ctx.tenant.timeZone);
  return inTransaction(ctx, async (tx) => {
    const [row] = await rowsOf<QueueVisitRow>(
      tx.tx,
      sql`SELECT ${QUEUE_COLUMNS} FROM ${QUEUE_FROM}
           WHERE v.tenant_id = ${ctx.tenant.id} AND v.service_id = ${serviceId} AND v.day = ${today}::date AND v.status = 'checked_in'
           ORDER BY v.number
           LIMIT 1
           FOR UPDATE OF v SKIP LOCKED`,
    );
    if (!row) return null;
    return presentQueueVisit(await transition(tx, row, 'call'));
  });
}

/** A service's queue of a day for its staff, in number order (cancelled visits left out). */
export async function serviceQueue(ctx: Ctx, serviceId: string, date: string) {
  const service = await findService(ctx.db.orm, ctx.tenant.id, serviceId);
  if (!service) throw new NotFound();
  requireOperator(ctx, service.facility_path);
  const rows = await listQueue(ctx.db.orm, ctx.tenant.id, serviceId, date);
  return { service: { id: service.id, name: service.name, queuePrefix: service.queue_prefix }, date, items: rows.map(presentQueueVisit) };
}

async function listQueue(ex: Executor, tenantId: string, serviceId: string, date: string): Promise<QueueVisitRow[]> {
  return rowsOf<QueueVisitRow>(
    ex,
    sql`SELECT ${QUEUE_COLUMNS} FROM ${QUEUE_FROM}
         WHERE v.tenant_id = ${tenantId} AND v.service_id = ${serviceId} AND v.day = ${date}::date AND v.status <> 'cancelled'
         ORDER BY v.number`,
  );
}

/**
 * The public display of a facility today (TV in the waiting room): per service, the number being
 * called or served and the next checked-in numbers. Numbers only, no names.
 */
export async function facilityDisplay(ex: Executor, tenantId: string, facilityId: string, today: string) {
  const rows = await rowsOf<{ service_id: string; name: string; prefix: string; now_code: string | null; now_status: string | null; next_codes: string[] | null; waiting: number }>(
    ex,
    sql`SELECT s.id::text AS service_id, s.name, s.queue_prefix AS prefix,
               cur.queue_code AS now_code, cur.status AS now_status,
               (SELECT array_agg(n.queue_code ORDER BY n.number) FROM (
                  SELECT queue_code, number FROM health_visits
                   WHERE tenant_id = s.tenant_id AND service_id = s.id AND day = ${today}::date AND status = 'checked_in'
                   ORDER BY number LIMIT 3) n) AS next_codes,
               (SELECT count(*)::int FROM health_visits
                 WHERE tenant_id = s.tenant_id AND service_id = s.id AND day = ${today}::date AND status IN ('booked', 'checked_in')) AS waiting
          FROM health_services s
          LEFT JOIN LATERAL (
            SELECT queue_code, status FROM health_visits
             WHERE tenant_id = s.tenant_id AND service_id = s.id AND day = ${today}::date AND status IN ('called', 'serving')
             ORDER BY called_at DESC NULLS LAST LIMIT 1) cur ON true
         WHERE s.tenant_id = ${tenantId} AND s.facility_id = ${facilityId} AND s.active
         ORDER BY s.sort_order, s.name`,
  );
  return rows.map((r) => ({
    serviceId: r.service_id,
    name: r.name,
    queuePrefix: r.prefix,
    nowServing: r.now_code ? { queueCode: r.now_code, status: r.now_status as 'called' | 'serving' } : null,
    next: r.next_codes ?? [],
    waiting: r.waiting,
  }));
}
