import { sql } from 'drizzle-orm';
import { localDate } from '../../../common/health/rules.js';
import { writeAudits } from '../../platform/audit/write.js';
import type { Ctx } from '../../platform/context.js';
import type { PeriodicDeps } from '../../platform/jobs/periodic.js';
import { rowsOf } from '../../platform/org/sql.js';
import { systemActor } from '../../platform/policies/actor.js';

/** How often the sweep looks for open visits of past days (it also runs when a worker starts). */
export const VISIT_SWEEP_INTERVAL_MS = 10 * 60_000;
/** Visits closed per transaction. */
const BATCH = 500;

/**
 * The end of a queue day: visits of past local days still open are closed, so that their places
 * stop counting as waiting and their patients may register for that service again (one active
 * registration per patient and service). Booked, checked in or called but never served: no-show.
 * Left "being served": done, without a service time (it does not count in the medians). Each is
 * audited as the system's; several worker processes may sweep at once (rows claimed with SKIP
 * LOCKED).
 */
export async function sweepPastVisits(deps: PeriodicDeps): Promise<{ closed: number }> {
  let closed = 0;
  for (const tenant of await deps.tenants()) {
    const ctx: Ctx = { db: deps.db, tenant, actor: systemActor, clock: deps.clock, locale: 'id', afterCommit: deps.afterCommit };
    const today = localDate(deps.clock.now(), tenant.timeZone);
    for (;;) {
      const n = await deps.db.orm.transaction(async (tx) => {
        const rows = await rowsOf<{ id: string; service_id: string; day: string; session: number; facility_id: string; queue_code: string; status: string }>(
          tx,
          sql`WITH open AS (
                SELECT id FROM health_visits
                 WHERE tenant_id = ${tenant.id} AND day < ${today}::date AND status IN ('booked', 'checked_in', 'called', 'serving')
                 ORDER BY day, id LIMIT ${BATCH}
                 FOR UPDATE SKIP LOCKED)
              UPDATE health_visits v SET status = CASE v.status WHEN 'serving' THEN 'done' ELSE 'no_show' END
                FROM open WHERE v.tenant_id = ${tenant.id} AND v.id = open.id
              RETURNING v.id::text AS id, v.service_id::text AS service_id, to_char(v.day, 'YYYY-MM-DD') AS day, v.session, v.facility_id::text AS facility_id,
                        v.queue_code, v.status`,
        );
        if (rows.length === 0) return 0;
        // Each closed visit no longer waits in its session (see the counter rows of migration 0019).
        const perSession = new Map<string, { service_id: string; day: string; session: number; n: number }>();
        for (const r of rows) {
          const k = `${r.service_id}|${r.day}|${r.session}`;
          const e = perSession.get(k) ?? { service_id: r.service_id, day: r.day, session: r.session, n: 0 };
          e.n++;
          perSession.set(k, e);
        }
        for (const s of perSession.values()) {
          await tx.execute(
            sql`UPDATE health_queue_days SET closed[${s.session}] = closed[${s.session}] + ${s.n}
                 WHERE tenant_id = ${tenant.id} AND service_id = ${s.service_id} AND day = ${s.day}::date`,
          );
        }
        await writeAudits(
          tx,
          rows.map((r) => ({
            ctx,
            entry: { action: 'health.visit.closed_at_day_end', entityType: 'health_visit', entityId: r.id, unitId: r.facility_id, data: { queueCode: r.queue_code, date: r.day, to: r.status } },
          })),
        );
        return rows.length;
      });
      if (n > 0) ctx.afterCommit?.auditWritten();
      closed += n;
      if (n < BATCH) break;
    }
  }
  return { closed };
}
