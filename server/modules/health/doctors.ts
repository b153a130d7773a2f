import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { isoWeekday, localDate } from '../../../common/health/rules.js';
import { dutiesOf, nextDuty, onDutyAt, type RosterException, type Shift } from '../../../common/health/roster.js';
import type { Executor } from '../../db/client.js';
import { type Ctx, inTransaction } from '../../platform/context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { rowsOf } from '../../platform/org/sql.js';
import { can } from '../../platform/policies/actor.js';
import { findFacility, findService, listServices } from './queries.js';

export const PRACTITIONER_KINDS = ['doctor', 'dentist', 'midwife', 'nurse', 'pharmacist'] as const;
export type PractitionerKind = (typeof PRACTITIONER_KINDS)[number];

interface PractitionerRow {
  id: string;
  facility_id: string;
  name: string;
  kind: PractitionerKind;
  str_number: string | null;
  active: boolean;
}

/** A day's shifts at some services, with the practitioners' names and kinds. */
export interface DayDuties {
  duties: Shift[];
  people: Map<string, { name: string; kind: PractitionerKind }>;
}

/** The shifts worked on a local date at the given services (weekly roster, leave, extra shifts). */
export async function dutiesOn(ex: Executor, tenantId: string, serviceIds: string[], date: string): Promise<DayDuties> {
  if (serviceIds.length === 0) return { duties: [], people: new Map() };
  const ids = `{${[...new Set(serviceIds)].join(',')}}`;
  const [weekly, exceptions] = await Promise.all([
    rowsOf<Shift & { name: string; kind: PractitionerKind }>(
      ex,
      sql`SELECT r.practitioner_id::text AS "practitionerId", r.service_id::text AS "serviceId", to_char(r.starts_at, 'HH24:MI') AS "startsAt",
                 to_char(r.ends_at, 'HH24:MI') AS "endsAt", p.name, p.kind
            FROM health_rosters r JOIN health_practitioners p ON p.tenant_id = r.tenant_id AND p.id = r.practitioner_id AND p.active
           WHERE r.tenant_id = ${tenantId} AND r.service_id = ANY(${ids}::uuid[]) AND r.weekday = ${isoWeekday(date)}`,
    ),
    rowsOf<RosterException & { name: string; kind: PractitionerKind }>(
      ex,
      sql`SELECT e.practitioner_id::text AS "practitionerId", e.kind, e.service_id::text AS "serviceId", to_char(e.starts_at, 'HH24:MI') AS "startsAt",
                 to_char(e.ends_at, 'HH24:MI') AS "endsAt", p.name, p.kind AS pkind
            FROM health_roster_exceptions e JOIN health_practitioners p ON p.tenant_id = e.tenant_id AND p.id = e.practitioner_id AND p.active
           WHERE e.tenant_id = ${tenantId} AND e.day = ${date}::date AND (e.kind = 'leave' OR e.service_id = ANY(${ids}::uuid[]))`,
    ),
  ]);
  const people = new Map<string, { name: string; kind: PractitionerKind }>();
  for (const w of weekly) people.set(w.practitionerId, { name: w.name, kind: w.kind });
  for (const e of exceptions as (RosterException & { name: string; pkind: PractitionerKind })[]) people.set(e.practitionerId, { name: e.name, kind: e.pkind });
  return { duties: dutiesOf(weekly, exceptions), people };
}

/** The public "dokter piket" of a facility at a local date and time: per service who is on duty, or who comes next. */
export async function facilityOnDuty(ex: Executor, tenantId: string, facilityId: string, date: string, time: string) {
  const services = await listServices(ex, tenantId, facilityId);
  const day = await dutiesOn(
    ex,
    tenantId,
    services.map((s) => s.id),
    date,
  );
  const person = (d: Shift) => ({ name: day.people.get(d.practitionerId)?.name ?? '', kind: day.people.get(d.practitionerId)?.kind ?? 'doctor', startsAt: d.startsAt, endsAt: d.endsAt });
  return services.map((s) => {
    const now = onDutyAt(day.duties, s.id, time);
    const next = now.length ? null : nextDuty(day.duties, s.id, time);
    return { serviceId: s.id, name: s.name, onDuty: now.map(person), next: next ? person(next) : null };
  });
}

/** Staff managing a facility's practitioners and rosters: health.facilities.manage on it. */
async function requireManager(ctx: Ctx, facilityId: string) {
  const f = await findFacility(ctx.db.orm, ctx.tenant.id, facilityId);
  if (!f) throw Invalid.field('facilityId', 'health.facility_unknown');
  if (!can(ctx.actor, 'health.facilities.manage', f.path)) throw new Forbidden();
  return f;
}

async function findPractitioner(ctx: Ctx, id: string): Promise<PractitionerRow> {
  const [p] = await rowsOf<PractitionerRow>(
    ctx.db.orm,
    sql`SELECT id::text AS id, facility_id::text AS facility_id, name, kind, str_number, active FROM health_practitioners WHERE tenant_id = ${ctx.tenant.id} AND id = ${id}`,
  );
  if (!p) throw new NotFound();
  const f = await findFacility(ctx.db.orm, ctx.tenant.id, p.facility_id);
  if (!f || !can(ctx.actor, 'health.facilities.manage', f.path)) throw new NotFound();
  return p;
}

export async function addPractitioner(ctx: Ctx, input: { facilityId: string; name: string; kind: PractitionerKind; strNumber?: string }) {
  await requireManager(ctx, input.facilityId);
  const id = uuidv7();
  const now = ctx.clock.now();
  await inTransaction(ctx, async (tx) => {
    await tx.tx.execute(
      sql`INSERT INTO health_practitioners (tenant_id, id, facility_id, name, kind, str_number, created_at, updated_at)
          VALUES (${ctx.tenant.id}, ${id}, ${input.facilityId}, ${input.name}, ${input.kind}, ${input.strNumber ?? null}, ${now}, ${now})`,
    );
    await tx.audit({ action: 'health.practitioner.added', entityType: 'health_practitioner', entityId: id, unitId: input.facilityId, data: { name: input.name, kind: input.kind } });
  });
  return { id, facilityId: input.facilityId, name: input.name, kind: input.kind, strNumber: input.strNumber ?? null };
}

/** A service of the practitioner's own facility, or a 400 on the field. */
async function ownService(ctx: Ctx, p: PractitionerRow, serviceId: string) {
  const s = await findService(ctx.db.orm, ctx.tenant.id, serviceId);
  if (!s || s.facility_id !== p.facility_id) throw Invalid.field('serviceId', 'health.service_unknown');
  return s;
}

export async function addRosterShift(ctx: Ctx, practitionerId: string, input: { serviceId: string; weekday: number; startsAt: string; endsAt: string }) {
  const p = await findPractitioner(ctx, practitionerId);
  await ownService(ctx, p, input.serviceId);
  if (input.endsAt <= input.startsAt) throw Invalid.field('endsAt', 'health.shift_order');
  const id = uuidv7();
  await inTransaction(ctx, async (tx) => {
    await tx.tx.execute(
      sql`INSERT INTO health_rosters (tenant_id, id, practitioner_id, service_id, weekday, starts_at, ends_at, created_at)
          VALUES (${ctx.tenant.id}, ${id}, ${p.id}, ${input.serviceId}, ${input.weekday}, ${input.startsAt}::time, ${input.endsAt}::time, ${ctx.clock.now()})`,
    );
    await tx.audit({ action: 'health.roster.shift_added', entityType: 'health_practitioner', entityId: p.id, unitId: p.facility_id, data: { ...input } });
  });
  rostersChanged();
  return { id, practitionerId: p.id, ...input };
}

export async function addRosterException(
  ctx: Ctx,
  practitionerId: string,
  input: { day: string; kind: 'leave' | 'extra'; serviceId?: string; startsAt?: string; endsAt?: string; note?: string },
) {
  const p = await findPractitioner(ctx, practitionerId);
  if (input.kind === 'extra') {
    if (!input.serviceId) throw Invalid.field('serviceId', 'field.required');
    await ownService(ctx, p, input.serviceId);
  } else if (input.serviceId) throw Invalid.field('serviceId', 'health.leave_no_service');
  const startsAt = input.startsAt ?? '00:00';
  const endsAt = input.endsAt ?? '23:59';
  if (endsAt <= startsAt) throw Invalid.field('endsAt', 'health.shift_order');
  const id = uuidv7();
  await inTransaction(ctx, async (tx) => {
    await tx.tx.execute(
      sql`INSERT INTO health_roster_exceptions (tenant_id, id, practitioner_id, day, kind, service_id, starts_at, ends_at, note, created_by, created_at)
          VALUES (${ctx.tenant.id}, ${id}, ${p.id}, ${input.day}::date, ${input.kind}, ${input.serviceId ?? null}, ${startsAt}::time, ${endsAt}::time,
                  ${input.note || null}, ${ctx.actor.id ?? null}, ${ctx.clock.now()})`,
    );
    await tx.audit({ action: `health.roster.${input.kind}`, entityType: 'health_practitioner', entityId: p.id, unitId: p.facility_id, data: { day: input.day, serviceId: input.serviceId ?? null, startsAt, endsAt } });
  });
  rostersChanged();
  return { id, practitionerId: p.id, day: input.day, kind: input.kind, serviceId: input.serviceId ?? null, startsAt, endsAt, note: input.note ?? null };
}

/** How far ahead the roster page lists leave and extra shifts. */
const EXCEPTIONS_AHEAD_DAYS = 60;

/**
 * A facility's practitioners (inactive ones last) with their weekly shifts and their leave and
 * extra shifts from a local date on (default today, for the next 60 days): the roster page.
 */
export async function facilityRoster(ctx: Ctx, facilityId: string, from: string) {
  const f = await findFacility(ctx.db.orm, ctx.tenant.id, facilityId);
  if (!f || !can(ctx.actor, 'health.facilities.manage', f.path)) throw new NotFound();
  const [people, shifts, exceptions] = await Promise.all([
    rowsOf<PractitionerRow>(
      ctx.db.orm,
      sql`SELECT id::text AS id, facility_id::text AS facility_id, name, kind, str_number, active FROM health_practitioners
           WHERE tenant_id = ${ctx.tenant.id} AND facility_id = ${f.id} ORDER BY active DESC, name`,
    ),
    rowsOf<{ id: string; practitioner_id: string; service_id: string; weekday: number; starts_at: string; ends_at: string }>(
      ctx.db.orm,
      sql`SELECT r.id::text AS id, r.practitioner_id::text AS practitioner_id, r.service_id::text AS service_id, r.weekday,
                 to_char(r.starts_at, 'HH24:MI') AS starts_at, to_char(r.ends_at, 'HH24:MI') AS ends_at
            FROM health_rosters r JOIN health_practitioners p ON p.tenant_id = r.tenant_id AND p.id = r.practitioner_id
           WHERE r.tenant_id = ${ctx.tenant.id} AND p.facility_id = ${f.id} ORDER BY r.weekday, r.starts_at`,
    ),
    rowsOf<{ id: string; practitioner_id: string; day: string; kind: 'leave' | 'extra'; service_id: string | null; starts_at: string; ends_at: string; note: string | null }>(
      ctx.db.orm,
      sql`SELECT e.id::text AS id, e.practitioner_id::text AS practitioner_id, to_char(e.day, 'YYYY-MM-DD') AS day, e.kind, e.service_id::text AS service_id,
                 to_char(e.starts_at, 'HH24:MI') AS starts_at, to_char(e.ends_at, 'HH24:MI') AS ends_at, e.note
            FROM health_roster_exceptions e JOIN health_practitioners p ON p.tenant_id = e.tenant_id AND p.id = e.practitioner_id
           WHERE e.tenant_id = ${ctx.tenant.id} AND p.facility_id = ${f.id}
             AND e.day >= ${from}::date AND e.day < ${from}::date + ${EXCEPTIONS_AHEAD_DAYS}::int
           ORDER BY e.day, e.starts_at`,
    ),
  ]);
  return {
    from,
    practitioners: people.map((p) => ({
      ...presentPractitioner(p),
      shifts: shifts.filter((r) => r.practitioner_id === p.id).map((r) => ({ id: r.id, serviceId: r.service_id, weekday: r.weekday, startsAt: r.starts_at, endsAt: r.ends_at })),
      exceptions: exceptions
        .filter((e) => e.practitioner_id === p.id)
        .map((e) => ({ id: e.id, day: e.day, kind: e.kind, serviceId: e.service_id, startsAt: e.starts_at, endsAt: e.ends_at, note: e.note })),
    })),
  };
}

function presentPractitioner(p: PractitionerRow) {
  return { id: p.id, facilityId: p.facility_id, name: p.name, kind: p.kind, strNumber: p.str_number, active: p.active };
}

/**
 * Renames a practitioner, corrects their STR number, or takes them off (inactive: no longer on
 * duty anywhere, their roster kept for when they return) and back on.
 */
export async function updatePractitioner(ctx: Ctx, practitionerId: string, input: { name?: string; strNumber?: string | null; active?: boolean }) {
  const p = await findPractitioner(ctx, practitionerId);
  const next: PractitionerRow = {
    ...p,
    name: input.name ?? p.name,
    str_number: input.strNumber === undefined ? p.str_number : input.strNumber,
    active: input.active ?? p.active,
  };
  await inTransaction(ctx, async (tx) => {
    await tx.tx.execute(
      sql`UPDATE health_practitioners SET name = ${next.name}, str_number = ${next.str_number}, active = ${next.active}, updated_at = ${tx.clock.now()}
           WHERE tenant_id = ${ctx.tenant.id} AND id = ${p.id}`,
    );
    const changed = Object.fromEntries(
      (['name', 'str_number', 'active'] as const).filter((k) => next[k] !== p[k]).map((k) => [k === 'str_number' ? 'strNumber' : k, { from: p[k], to: next[k] }]),
    );
    await tx.audit({ action: 'health.practitioner.updated', entityType: 'health_practitioner', entityId: p.id, unitId: p.facility_id, data: changed });
  });
  rostersChanged();
  return presentPractitioner(next);
}

/** Takes a weekly shift off the practitioner's roster. */
export async function removeRosterShift(ctx: Ctx, practitionerId: string, shiftId: string): Promise<void> {
  const p = await findPractitioner(ctx, practitionerId);
  await inTransaction(ctx, async (tx) => {
    const [gone] = await rowsOf<{ service_id: string; weekday: number; starts_at: string; ends_at: string }>(
      tx.tx,
      sql`DELETE FROM health_rosters WHERE tenant_id = ${ctx.tenant.id} AND id = ${shiftId} AND practitioner_id = ${p.id}
          RETURNING service_id::text AS service_id, weekday, to_char(starts_at, 'HH24:MI') AS starts_at, to_char(ends_at, 'HH24:MI') AS ends_at`,
    );
    if (!gone) throw new NotFound();
    await tx.audit({
      action: 'health.roster.shift_removed',
      entityType: 'health_practitioner',
      entityId: p.id,
      unitId: p.facility_id,
      data: { shiftId, serviceId: gone.service_id, weekday: gone.weekday, startsAt: gone.starts_at, endsAt: gone.ends_at },
    });
  });
  rostersChanged();
}

/** Withdraws a leave or an extra shift of today or later (past ones stay as the record of who served). */
export async function removeRosterException(ctx: Ctx, practitionerId: string, exceptionId: string): Promise<void> {
  const p = await findPractitioner(ctx, practitionerId);
  const today = localDate(ctx.clock.now(), ctx.tenant.timeZone);
  await inTransaction(ctx, async (tx) => {
    const [e] = await rowsOf<{ day: string; kind: string; service_id: string | null; starts_at: string; ends_at: string }>(
      tx.tx,
      sql`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, service_id::text AS service_id, to_char(starts_at, 'HH24:MI') AS starts_at, to_char(ends_at, 'HH24:MI') AS ends_at
            FROM health_roster_exceptions WHERE tenant_id = ${ctx.tenant.id} AND id = ${exceptionId} AND practitioner_id = ${p.id} FOR UPDATE`,
    );
    if (!e) throw new NotFound();
    if (e.day < today) throw new Conflict('health.exception_past', { day: e.day });
    await tx.tx.execute(sql`DELETE FROM health_roster_exceptions WHERE tenant_id = ${ctx.tenant.id} AND id = ${exceptionId}`);
    await tx.audit({
      action: 'health.roster.exception_removed',
      entityType: 'health_practitioner',
      entityId: p.id,
      unitId: p.facility_id,
      data: { exceptionId, day: e.day, kind: e.kind, serviceId: e.service_id, startsAt: e.starts_at, endsAt: e.ends_at },
    });
  });
  rostersChanged();
}

/** How long a service-day's shifts are reused before they are read again. */
const DUTIES_TTL_MS = 30_000;
const dutiesCache = new Map<string, { at: number; shifts: Shift[] }>();

/**
 * The shifts of service-days (keyed `service|date`) for estimates, each kept for half a minute by
 * the process (and dropped when this process changes a roster).
 */
export async function serviceDuties(ex: Executor, tenantId: string, pairs: { service_id: string; day: string }[]): Promise<Map<string, Shift[]>> {
  const out = new Map<string, Shift[]>();
  const missing = new Map<string, string[]>();
  for (const p of pairs) {
    const key = `${p.service_id}|${p.day}`;
    const hit = dutiesCache.get(key);
    if (hit && Date.now() - hit.at < DUTIES_TTL_MS) out.set(key, hit.shifts);
    else missing.set(p.day, [...(missing.get(p.day) ?? []), p.service_id]);
  }
  if (dutiesCache.size > 20_000) dutiesCache.clear();
  for (const [day, services] of missing) {
    const { duties } = await dutiesOn(ex, tenantId, services, day);
    for (const s of services) {
      const shifts = duties.filter((d) => d.serviceId === s);
      dutiesCache.set(`${s}|${day}`, { at: Date.now(), shifts });
      out.set(`${s}|${day}`, shifts);
    }
  }
  return out;
}

/** How many serve a service at a local time, from its day's shifts (at least 1). */
export function serversFrom(shifts: Shift[] | undefined, serviceId: string, time: string): number {
  return Math.max(1, onDutyAt(shifts ?? [], serviceId, time).length);
}

function rostersChanged(): void {
  dutiesCache.clear();
}
