import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import { NotFound } from '../errors.js';
import { tenants } from '../tenancy/schema.js';
import { calendarDays } from './schema.js';
import { makeCalendar, type WorkingCalendar } from './workingTime.js';

/**
 * Reads a tenant's working calendar (work week and office hours from its settings, special days
 * from calendar_days) for the working-time functions. Reads fresh every time: nothing is cached
 * across requests, so an admin's change applies to the next deadline computed. Pass the open
 * transaction (`tx.tx`) inside a command, the base `db` (or `db.orm`) outside one.
 */
export async function loadCalendar(db: Database | Executor, tenant: { id: string }): Promise<WorkingCalendar> {
  const q = 'orm' in db ? db.orm : db;
  const [row] = await q.select({ timeZone: tenants.timeZone, settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenant.id));
  if (!row) throw new NotFound('tenant_not_found', { slug: tenant.id });
  const days = await q.select({ day: calendarDays.day, kind: calendarDays.kind }).from(calendarDays).where(eq(calendarDays.tenantId, tenant.id));
  return makeCalendar({
    timeZone: row.timeZone,
    workWeek: row.settings.workWeek,
    officeStart: row.settings.officeStart,
    officeEnd: row.settings.officeEnd,
    nonWorkingDates: days.filter((d) => d.kind !== 'extra_workday').map((d) => d.day),
    extraWorkingDates: days.filter((d) => d.kind === 'extra_workday').map((d) => d.day),
  });
}
