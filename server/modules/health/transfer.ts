import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { localDate, queueCode } from '../../../common/health/rules.js';
import { type Ctx, inTransaction } from '../../platform/context.js';
import { Conflict, Forbidden, Invalid, isUniqueViolation, NotFound } from '../../platform/errors.js';
import { rowsOf } from '../../platform/org/sql.js';
import { findService, localInstant, serviceDay, serviceTimeChanged } from './queries.js';
import { presentQueueVisit, QUEUE_COLUMNS, QUEUE_FROM, type QueueVisitRow, queueTopic, requireOperator } from './queue.js';

/**
 * Sends a patient who was called or is being served on to another service of the same facility
 * today (poli umum → poli gigi, or to the pharmacy queue with a prescription): the source visit
 * ends (done; its service time counts when it had started) and a new visit is numbered in the
 * target's queue, checked in at once, in one transaction.
 *
 * The patient is already in the building, so the target's quota does not refuse them (the place
 * is counted as an on-site one); the target must be open today with a session not yet over. The
 * number is taken under the target day's counter lock like any registration, so the day's numbers
 * stay gap-free. Locks: the source visit, then the two counters in (service, day) order, the order
 * registration batches use, so neither waits for the other in a circle.
 */
export async function transferVisit(ctx: Ctx, id: string, targetServiceId: string) {
  const { actor, tenant } = ctx;
  if (actor.kind !== 'user') throw new Forbidden();
  const now = ctx.clock.now();
  const today = localDate(now, tenant.timeZone);
  const result = await inTransaction(ctx, async (tx) => {
    const [src] = await rowsOf<QueueVisitRow>(tx.tx, sql`SELECT ${QUEUE_COLUMNS} FROM ${QUEUE_FROM} WHERE v.tenant_id = ${tenant.id} AND v.id = ${id} FOR UPDATE OF v`);
    if (!src) throw new NotFound();
    requireOperator(ctx, src.facility_path);
    if (src.day !== today) throw new Conflict('conflict', {}, [{ field: '', code: 'health.visit_not_today', params: { date: src.day } }]);
    if (src.status !== 'called' && src.status !== 'serving') {
      throw new Conflict('conflict', {}, [{ field: '', code: 'health.visit_transition_invalid', params: { action: 'transfer', status: src.status } }]);
    }
    const target = await findService(tx.tx, tenant.id, targetServiceId);
    if (!target?.active || target.facility_id !== src.facility_id || target.id === src.service_id) throw Invalid.field('serviceId', 'health.transfer_target_invalid');
    const day = await serviceDay(tx.tx, tenant.id, target.id, today);
    const session = day.closed ? undefined : day.sessions.find((x) => localInstant(today, x.closes_at, tenant.timeZone) > now);
    if (!session) throw Invalid.field('serviceId', 'health.transfer_target_closed', { service: target.name });

    const pairs = [src.service_id, target.id].sort().map((serviceId) => ({ service_id: serviceId, day: today }));
    const counters = await rowsOf<{ service_id: string; last_number: number }>(
      tx.tx,
      sql`INSERT INTO health_queue_days AS q (tenant_id, service_id, day, last_number)
          SELECT ${tenant.id}, r.service_id, r.day, 0 FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) AS r(service_id uuid, day date) ORDER BY r.service_id
          ON CONFLICT (tenant_id, service_id, day) DO UPDATE SET last_number = q.last_number
          RETURNING q.service_id::text AS service_id, q.last_number`,
    );
    const [held] = await rowsOf<{ queue_code: string }>(
      tx.tx,
      sql`SELECT queue_code FROM health_visits
           WHERE tenant_id = ${tenant.id} AND patient_id = (SELECT patient_id FROM health_visits WHERE tenant_id = ${tenant.id} AND id = ${src.id})
             AND service_id = ${target.id} AND status IN ('booked', 'checked_in', 'called', 'serving')`,
    );
    if (held) throw new Conflict('conflict', {}, [{ field: 'serviceId', code: 'health.already_registered', params: { queueCode: held.queue_code } }]);

    const number = (counters.find((c) => c.service_id === target.id)?.last_number ?? 0) + 1;
    const code = queueCode(target.queue_prefix, number);
    const newId = uuidv7();
    await tx.tx.execute(
      sql`INSERT INTO health_visits (tenant_id, id, facility_id, service_id, patient_id, day, session, number, queue_code, channel, status, booked_by, created_at, checked_in_at, transferred_from)
          SELECT tenant_id, ${newId}, facility_id, ${target.id}, patient_id, day, ${session.session}, ${number}, ${code}, 'onsite', 'checked_in', ${actor.id!}, ${now}, ${now}, id
            FROM health_visits WHERE tenant_id = ${tenant.id} AND id = ${src.id}`,
    );
    await tx.tx.execute(
      sql`UPDATE health_queue_days SET last_number = ${number}, onsite[${session.session}] = onsite[${session.session}] + 1
           WHERE tenant_id = ${tenant.id} AND service_id = ${target.id} AND day = ${today}::date`,
    );
    await tx.tx.execute(sql`UPDATE health_visits SET status = 'done', finished_at = ${now} WHERE tenant_id = ${tenant.id} AND id = ${src.id}`);
    await tx.tx.execute(
      sql`UPDATE health_queue_days SET closed[${src.session}] = closed[${src.session}] + 1
           WHERE tenant_id = ${tenant.id} AND service_id = ${src.service_id} AND day = ${today}::date`,
    );
    const facts = { queueCode: src.queue_code, serviceId: src.service_id, date: today, from: src.status, to: 'done', toVisitId: newId, toQueueCode: code, toServiceId: target.id };
    await tx.audit({ action: 'health.visit.transferred', entityType: 'health_visit', entityId: src.id, unitId: src.facility_id, data: facts });
    await tx.audit({
      action: 'health.visit.registered',
      entityType: 'health_visit',
      entityId: newId,
      unitId: src.facility_id,
      data: { queueCode: code, serviceId: target.id, facilityId: src.facility_id, date: today, session: session.session, channel: 'onsite', transferredFrom: src.id },
    });
    // Both queues move: on the facility's public stream, numbers only.
    const topic = queueTopic(src.facility_id);
    await tx.emit({ type: 'health.visit.transferred', aggregateType: 'health_visit', aggregateId: src.id, unitId: src.facility_id, payload: { ...facts, public: true, topic } });
    await tx.emit({
      type: 'health.visit.registered',
      aggregateType: 'health_visit',
      aggregateId: newId,
      unitId: src.facility_id,
      payload: { queueCode: code, serviceId: target.id, facilityId: src.facility_id, date: today, session: session.session, channel: 'onsite', public: true, topic },
    });
    const rows = await rowsOf<QueueVisitRow>(tx.tx, sql`SELECT ${QUEUE_COLUMNS} FROM ${QUEUE_FROM} WHERE v.tenant_id = ${tenant.id} AND v.id IN (${src.id}, ${newId})`);
    const from = rows.find((r) => r.id === src.id)!;
    const to = rows.find((r) => r.id === newId)!;
    return { from: presentQueueVisit(from), to: presentQueueVisit(to), started: src.status === 'serving' };
  }).catch((e) => {
    // The same patient booked for the target on another day by a batch committing meanwhile.
    if (isUniqueViolation(e, 'health_visits_active_uq')) throw new Conflict('conflict', {}, [{ field: 'serviceId', code: 'health.already_registered', params: { queueCode: '' } }]);
    throw e;
  });
  if (result.started) serviceTimeChanged(result.from.service.id);
  return { from: result.from, to: result.to };
}
