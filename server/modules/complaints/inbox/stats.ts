import { type SQL, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Executor } from '../../../db/client.js';
import { type Ctx, reader } from '../../../platform/context.js';
import { Invalid, NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { uuidArray } from '../../../platform/policies/scope.js';
import { HANDLED_STATUSES, PUBLIC_STATUSES } from '../../../../common/complaints/workflow.js';
import { mayTriage } from '../policies.js';
import { handledUnits } from '../queries.js';

/** Statuses in which a report still waits for its answer. */
export const OPEN_STATUSES = ['submitted', 'verified', 'disposed', 'in_progress', 'needs_info', 'reopened'] as const;
/** Statuses of an answered report (a reopened one waits again). */
export const ANSWERED_STATUSES = ['resolved', 'closed'] as const;
/** Longest period of the unit statistics (days). */
export const STATS_MAX_DAYS = 731;
/** Periods of the public transparency page (days). */
export const TRANSPARENCY_PERIODS = [30, 90, 365] as const;
/** How long computed transparency figures are served before they are computed again. */
export const TRANSPARENCY_TTL_MS = 10 * 60_000;

const list = (xs: readonly string[]) => sql.join(xs.map((x) => sql`${x}`), sql`, `);

/** The figures of a group of reports. Counts are of reports submitted in the period. */
export interface Figures {
  received: number;
  open: number;
  overdue: number;
  resolved: number;
  /** Answered without passing the resolution deadline (no deadline counts as in time). */
  resolvedOnTime: number;
  /** Answered in time ÷ (answered + open past their deadline); null when neither exists. */
  onTimeShare: number | null;
  /** Median hours (calendar, not working hours) from submission to the answer of answered reports. */
  medianHoursToResolve: number | null;
  averageRating: number | null;
  ratings: number;
}

interface FigureRow {
  received: number;
  open: number;
  overdue: number;
  resolved: number;
  on_time: number;
  median_hours: number | string | null;
  avg_rating: number | string | null;
  ratings: number;
}

/** The aggregate columns shared by the unit statistics and the transparency page. */
function figureColumns(now: Date): SQL {
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  return sql`count(*)::int AS received,
    count(*) FILTER (WHERE c.status IN (${list(OPEN_STATUSES)}))::int AS open,
    count(*) FILTER (WHERE c.status IN (${list(OPEN_STATUSES)}) AND c.due_at IS NOT NULL AND c.due_at < ${nowSql})::int AS overdue,
    count(*) FILTER (WHERE c.status IN (${list(ANSWERED_STATUSES)}))::int AS resolved,
    count(*) FILTER (WHERE c.status IN (${list(ANSWERED_STATUSES)}) AND c.resolved_late IS NOT TRUE)::int AS on_time,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.resolved_at - c.submitted_at) / 3600.0)
      FILTER (WHERE c.status IN (${list(ANSWERED_STATUSES)})) AS median_hours,
    avg(c.rating) AS avg_rating, count(c.rating)::int AS ratings`;
}

const round = (n: number | string | null, digits: number): number | null => (n == null ? null : Math.round(Number(n) * 10 ** digits) / 10 ** digits);

function figures(r: FigureRow | undefined): Figures {
  if (!r) return { received: 0, open: 0, overdue: 0, resolved: 0, resolvedOnTime: 0, onTimeShare: null, medianHoursToResolve: null, averageRating: null, ratings: 0 };
  const due = r.resolved + r.overdue;
  return {
    received: r.received,
    open: r.open,
    overdue: r.overdue,
    resolved: r.resolved,
    resolvedOnTime: r.on_time,
    onTimeShare: due ? round(r.on_time / due, 4) : null,
    medianHoursToResolve: round(r.median_hours, 1),
    averageRating: round(r.avg_rating, 2),
    ratings: r.ratings,
  };
}

// ---------------------------------------------------------------------------------------------
// Unit statistics (staff)

export interface StatsQuery {
  unitId?: string;
  /** First day (YYYY-MM-DD, tenant zone), inclusive; default 29 days before `to`. */
  from?: string;
  /** Last day (YYYY-MM-DD, tenant zone), inclusive; default today. */
  to?: string;
}

export interface UnitStats {
  from: string;
  to: string;
  unitId: string | null;
  totals: Figures;
  categories: (Figures & { categoryId: string; categoryName: string })[];
}

function period(ctx: Ctx, q: StatsQuery): { from: DateTime; to: DateTime } {
  const zone = ctx.tenant.timeZone;
  const today = DateTime.fromJSDate(ctx.clock.now(), { zone }).startOf('day');
  const parse = (v: string, field: string) => {
    const d = DateTime.fromISO(v, { zone });
    if (!d.isValid) throw Invalid.field(field, 'field.type', { expected: 'date' });
    return d.startOf('day');
  };
  const to = q.to ? parse(q.to, 'to') : today;
  const from = q.from ? parse(q.from, 'from') : to.minus({ days: 29 });
  if (from > to) throw Invalid.field('from', 'complaints.stats_period');
  if (to.diff(from, 'days').days >= STATS_MAX_DAYS) throw Invalid.field('from', 'complaints.stats_period');
  return { from, to };
}

/** Units (ids) of the subtree of a unit of the tenant, or undefined when there is no such unit. */
async function subtree(ex: Executor, tenantId: string, unitId: string): Promise<string[] | undefined> {
  const rows = await rowsOf<{ id: string }>(ex, sql`SELECT id FROM units WHERE tenant_id = ${tenantId} AND path @> ARRAY[${unitId}]::uuid[]`);
  return rows.length ? rows.map((r) => r.id) : undefined;
}

/**
 * Statistics of the reports submitted in a period, for the triage desk (the tenant, or a unit's
 * subtree) and for handlers (their units' disposed reports, as in their inbox). A unit outside the
 * actor's view is 404; staff without a complaints role get zeros, like their empty inbox.
 */
export async function unitStats(ctx: Ctx, q: StatsQuery): Promise<UnitStats> {
  const { from, to } = period(ctx, q);
  const ex = reader(ctx);
  const triage = mayTriage(ctx.actor);
  let units: string[] | 'all' = triage ? 'all' : await handledUnits(ex, ctx);
  if (q.unitId) {
    const sub = await subtree(ex, ctx.tenant.id, q.unitId);
    if (!sub) throw new NotFound();
    if (units !== 'all') {
      const visible = new Set(units);
      if (!visible.has(q.unitId)) throw new NotFound();
      units = sub.filter((u) => visible.has(u));
    } else units = sub;
  }
  const out: UnitStats = { from: from.toISODate()!, to: to.toISODate()!, unitId: q.unitId ?? null, totals: figures(undefined), categories: [] };
  if (units !== 'all' && units.length === 0) return out;
  const conds: SQL[] = [
    sql`c.tenant_id = ${ctx.tenant.id}`,
    sql`c.submitted_at >= ${from.toUTC().toISO()}::timestamptz`,
    sql`c.submitted_at < ${to.plus({ days: 1 }).toUTC().toISO()}::timestamptz`,
  ];
  if (units !== 'all') conds.push(sql`c.unit_id = ANY(${uuidArray(units)})`);
  if (!triage) conds.push(sql`c.status IN (${list(HANDLED_STATUSES)})`);
  const rows = await rowsOf<FigureRow & { category_id: string | null; category_name: string | null }>(
    ex,
    sql`SELECT c.category_id, cat.name AS category_name, ${figureColumns(ctx.clock.now())}
          FROM complaints c
          JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id
         WHERE ${sql.join(conds, sql` AND `)}
         GROUP BY GROUPING SETS ((c.category_id, cat.name), ())
         ORDER BY count(*) DESC, cat.name`,
  );
  out.totals = figures(rows.find((r) => r.category_id == null));
  out.categories = rows.filter((r) => r.category_id != null).map((r) => ({ categoryId: r.category_id!, categoryName: r.category_name!, ...figures(r) }));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Transparency (public)

export interface Transparency {
  days: number;
  from: string;
  to: string;
  totals: Omit<Figures, 'open' | 'resolvedOnTime'>;
  agencies: (Omit<Figures, 'open' | 'resolvedOnTime'> & { unitId: string; unitName: string })[];
}

/**
 * The public transparency page: per agency (the unit below the tenant's root that the report's
 * unit belongs to), reports made public in the last `days` days, the share answered within the
 * deadline, the median time to an answer and the average rating. Never any report content.
 * Served by complaints_period_idx (index-only range scan on (tenant, submitted_at)).
 */
export async function transparency(ctx: Ctx, days: number): Promise<Transparency> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - days * 86_400_000);
  const rows = await rowsOf<FigureRow & { agency_id: string | null }>(
    reader(ctx),
    sql`SELECT coalesce(u.path[2], u.id) AS agency_id, ${figureColumns(now)}
          FROM complaints c
          JOIN units u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id
         WHERE c.tenant_id = ${ctx.tenant.id} AND c.submitted_at >= ${since.toISOString()}::timestamptz
           AND c.submitted_at <= ${now.toISOString()}::timestamptz AND c.status IN (${list(PUBLIC_STATUSES)})
         GROUP BY GROUPING SETS ((coalesce(u.path[2], u.id)), ())`,
  );
  const ids = rows.flatMap((r) => (r.agency_id ? [r.agency_id] : []));
  const names = ids.length
    ? new Map(
        (await rowsOf<{ id: string; name: string }>(reader(ctx), sql`SELECT id, name FROM units WHERE tenant_id = ${ctx.tenant.id} AND id = ANY(${uuidArray(ids)})`)).map((u) => [
          u.id,
          u.name,
        ]),
      )
    : new Map<string, string>();
  const zone = ctx.tenant.timeZone;
  const strip = ({ open: _o, resolvedOnTime: _r, ...f }: Figures) => f;
  return {
    days,
    from: DateTime.fromJSDate(since, { zone }).toISODate()!,
    to: DateTime.fromJSDate(now, { zone }).toISODate()!,
    totals: strip(figures(rows.find((r) => r.agency_id == null))),
    agencies: rows
      .filter((r) => r.agency_id != null)
      .map((r) => ({ unitId: r.agency_id!, unitName: names.get(r.agency_id!) ?? '—', ...strip(figures(r)) }))
      .sort((a, b) => b.received - a.received || a.unitName.localeCompare(b.unitName)),
  };
}

/**
 * The transparency figures, from the shared cache table while they are younger than
 * TRANSPARENCY_TTL_MS, else computed and stored. At 1M reports a year's aggregate costs ~1.5 s on
 * PostgreSQL: at most one visitor per tenant, period and 10 minutes pays it (two processes may
 * compute at the same moment; the last write wins, both answers are right).
 */
export async function cachedTransparency(ctx: Ctx, days: number): Promise<Transparency> {
  const now = ctx.clock.now();
  const [hit] = await rowsOf<{ body: Transparency; computed_at: string | Date }>(
    ctx.db.orm,
    sql`SELECT body, computed_at FROM complaint_transparency_cache WHERE tenant_id = ${ctx.tenant.id} AND days = ${days}`,
  );
  if (hit) {
    const age = now.getTime() - new Date(hit.computed_at).getTime();
    if (age >= 0 && age < TRANSPARENCY_TTL_MS) return hit.body;
  }
  const fresh = await transparency(ctx, days);
  await ctx.db.orm.execute(
    sql`INSERT INTO complaint_transparency_cache (tenant_id, days, computed_at, body)
        VALUES (${ctx.tenant.id}, ${days}, ${now.toISOString()}::timestamptz, ${JSON.stringify(fresh)}::jsonb)
        ON CONFLICT (tenant_id, days) DO UPDATE SET computed_at = EXCLUDED.computed_at, body = EXCLUDED.body`,
  );
  return fresh;
}
