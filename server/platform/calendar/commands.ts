import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Executor } from '../../db/client.js';
import { type Ctx, inTransaction } from '../context.js';
import { Conflict, Forbidden, Invalid, isUniqueViolation, NotFound } from '../errors.js';
import { can } from '../policies/actor.js';
import { tenants } from '../tenancy/schema.js';
import { type CalendarDayKind, calendarDays } from './schema.js';
import { DEFAULT_OFFICE_END, DEFAULT_OFFICE_START, DEFAULT_WORK_WEEK } from './workingTime.js';

export const CALENDAR_DAY_KINDS = ['national_holiday', 'collective_leave', 'local_holiday', 'extra_workday'] as const satisfies readonly CalendarDayKind[];

export interface CalendarDay {
  /** 'YYYY-MM-DD' in the tenant's calendar. */
  day: string;
  kind: CalendarDayKind;
  name: string;
  /** ISO weekday of the day (1 = Monday … 7 = Sunday). */
  weekday: number;
}

export interface CalendarYear {
  year: number;
  timeZone: string;
  workWeek: number[];
  officeStart: string;
  officeEnd: string;
  days: CalendarDay[];
}

function weekdayOf(day: string): number {
  return DateTime.fromISO(day, { zone: 'UTC' }).weekday;
}

function present(row: { day: string; kind: CalendarDayKind; name: string }): CalendarDay {
  return { day: row.day, kind: row.kind, name: row.name, weekday: weekdayOf(row.day) };
}

/** Calendar changes apply to the whole government: a grant on the root unit is needed. */
function requireTenantWide(ctx: Ctx): void {
  if (!can(ctx.actor, 'calendar.manage')) throw new Forbidden('tenant_wide_required', { permission: 'calendar.manage' });
}

async function workSettings(ex: Executor, tenantId: string) {
  const [t] = await ex.select({ timeZone: tenants.timeZone, settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
  return {
    timeZone: t.timeZone,
    workWeek: [...(t.settings.workWeek ?? DEFAULT_WORK_WEEK)],
    officeStart: t.settings.officeStart ?? DEFAULT_OFFICE_START,
    officeEnd: t.settings.officeEnd ?? DEFAULT_OFFICE_END,
  };
}

/** An extra working day only makes sense on a day the work week leaves free (a weekend day). */
function checkKind(kind: CalendarDayKind, day: string, workWeek: number[]): void {
  if (kind === 'extra_workday' && workWeek.includes(weekdayOf(day))) {
    throw Invalid.field('kind', 'calendar.extra_workday_on_workday', { day });
  }
}

/** The special days of one year with the tenant's work week (served by the primary key). */
export async function getCalendarYear(ctx: Ctx, year: number): Promise<CalendarYear> {
  requireTenantWide(ctx);
  const settings = await workSettings(ctx.db.orm, ctx.tenant.id);
  const rows = await ctx.db.orm
    .select({ day: calendarDays.day, kind: calendarDays.kind, name: calendarDays.name })
    .from(calendarDays)
    .where(and(eq(calendarDays.tenantId, ctx.tenant.id), gte(calendarDays.day, `${year}-01-01`), lt(calendarDays.day, `${year + 1}-01-01`)))
    .orderBy(asc(calendarDays.day));
  return { year, ...settings, days: rows.map(present) };
}

export interface AddCalendarDayInput {
  /** The date, 'YYYY-MM-DD'. */
  day: string;
  kind: CalendarDayKind;
  /** What the day is, e.g. "Hari Jadi Kota Makassar". */
  name: string;
}

/** Adds a holiday, collective leave day, local holiday or extra working day. 409 when the day is already there. */
export async function addCalendarDay(ctx: Ctx, input: AddCalendarDayInput): Promise<CalendarDay> {
  requireTenantWide(ctx);
  try {
    return await inTransaction(ctx, async (tx) => {
      const { workWeek } = await workSettings(tx.tx, ctx.tenant.id);
      checkKind(input.kind, input.day, workWeek);
      const [existing] = await tx.tx
        .select({ day: calendarDays.day })
        .from(calendarDays)
        .where(and(eq(calendarDays.tenantId, ctx.tenant.id), eq(calendarDays.day, input.day)));
      if (existing) throw dayExists(input.day);
      await tx.tx.insert(calendarDays).values({ tenantId: ctx.tenant.id, day: input.day, kind: input.kind, name: input.name, createdAt: ctx.clock.now() });
      await tx.audit({ action: 'calendar.day_added', entityType: 'calendar_day', entityId: input.day, data: { day: input.day, kind: input.kind, name: input.name } });
      return present(input);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw dayExists(input.day);
    throw e;
  }
}

function dayExists(day: string): Conflict {
  return new Conflict('calendar.day_exists', { day }, [{ field: 'day', code: 'calendar.day_exists', params: { day } }]);
}

export interface ChangeCalendarDayInput {
  day: string;
  kind?: CalendarDayKind;
  name?: string;
}

/** Changes the kind or the name of a day in the calendar. */
export async function changeCalendarDay(ctx: Ctx, input: ChangeCalendarDayInput): Promise<CalendarDay> {
  requireTenantWide(ctx);
  if (input.kind === undefined && input.name === undefined) throw new Invalid('nothing_to_change');
  return inTransaction(ctx, async (tx) => {
    const where = and(eq(calendarDays.tenantId, ctx.tenant.id), eq(calendarDays.day, input.day));
    const [before] = await tx.tx.select().from(calendarDays).where(where).for('update');
    if (!before) throw new NotFound('calendar.day_not_found', { day: input.day });
    const after = { kind: input.kind ?? before.kind, name: input.name ?? before.name };
    if (after.kind === before.kind && after.name === before.name) return present(before);
    const { workWeek } = await workSettings(tx.tx, ctx.tenant.id);
    checkKind(after.kind, input.day, workWeek);
    await tx.tx.update(calendarDays).set(after).where(where);
    await tx.audit({
      action: 'calendar.day_changed',
      entityType: 'calendar_day',
      entityId: input.day,
      data: { day: input.day, before: { kind: before.kind, name: before.name }, after },
    });
    return present({ day: input.day, ...after });
  });
}

/** Removes a day from the calendar: it becomes an ordinary day of the work week again. */
export async function removeCalendarDay(ctx: Ctx, day: string): Promise<void> {
  requireTenantWide(ctx);
  await inTransaction(ctx, async (tx) => {
    const [removed] = await tx.tx
      .delete(calendarDays)
      .where(and(eq(calendarDays.tenantId, ctx.tenant.id), eq(calendarDays.day, day)))
      .returning();
    if (!removed) throw new NotFound('calendar.day_not_found', { day });
    await tx.audit({ action: 'calendar.day_removed', entityType: 'calendar_day', entityId: day, data: { day, kind: removed.kind, name: removed.name } });
  });
}
