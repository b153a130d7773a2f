import { type SQL, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { type EstimateBasis, isoWeekday, serviceMinutes, sessionRoom } from '../../../common/health/rules.js';
import type { Executor } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { rowsOf } from '../../platform/org/sql.js';
import { can } from '../../platform/policies/actor.js';
import { PATIENT_COLUMNS, type PatientRow } from './patients.js';

export interface FacilityRow {
  id: string;
  name: string;
  kind: 'puskesmas' | 'hospital';
  path: string[];
  address: string;
  phone: string | null;
  lat: number | null;
  lng: number | null;
  online_registration: boolean;
}

const FACILITY_COLUMNS = sql`u.id::text AS id, u.name, u.kind, u.path::text[] AS path, f.address, f.phone, f.lat, f.lng, f.online_registration`;

/** The tenant's active health facilities, puskesmas first, by name. */
export async function listFacilities(ex: Executor, tenantId: string): Promise<FacilityRow[]> {
  return rowsOf<FacilityRow>(
    ex,
    sql`SELECT ${FACILITY_COLUMNS}
          FROM health_facilities f JOIN units u ON u.tenant_id = f.tenant_id AND u.id = f.unit_id
         WHERE f.tenant_id = ${tenantId} AND u.active
         ORDER BY u.kind DESC, u.name`,
  );
}

export async function findFacility(ex: Executor, tenantId: string, id: string): Promise<FacilityRow | undefined> {
  const [row] = await rowsOf<FacilityRow>(
    ex,
    sql`SELECT ${FACILITY_COLUMNS}
          FROM health_facilities f JOIN units u ON u.tenant_id = f.tenant_id AND u.id = f.unit_id
         WHERE f.tenant_id = ${tenantId} AND f.unit_id = ${id} AND u.active`,
  );
  return row;
}

export interface ServiceRow {
  id: string;
  facility_id: string;
  facility_name: string;
  facility_path: string[];
  online_registration: boolean;
  code: string;
  name: string;
  kind: 'poli' | 'pharmacy';
  queue_prefix: string;
  onsite_share: number;
  default_service_minutes: number;
  active: boolean;
}

const SERVICE_COLUMNS = sql`s.id::text AS id, s.facility_id::text AS facility_id, u.name AS facility_name, u.path::text[] AS facility_path,
  f.online_registration, s.code, s.name, s.kind, s.queue_prefix, s.onsite_share, s.default_service_minutes, s.active AND u.active AS active`;

const SERVICE_FROM = sql`health_services s
  JOIN health_facilities f ON f.tenant_id = s.tenant_id AND f.unit_id = s.facility_id
  JOIN units u ON u.tenant_id = s.tenant_id AND u.id = s.facility_id`;

export async function findService(ex: Executor, tenantId: string, id: string): Promise<ServiceRow | undefined> {
  const [row] = await findServices(ex, tenantId, [id]);
  return row;
}

/** Services by id, in one query (a registration batch's). */
export async function findServices(ex: Executor, tenantId: string, ids: string[]): Promise<ServiceRow[]> {
  if (ids.length === 0) return [];
  // One array literal: drizzle would bind a JS array as a list of parameters. Uuids validated by the route.
  return rowsOf<ServiceRow>(
    ex,
    sql`SELECT ${SERVICE_COLUMNS} FROM ${SERVICE_FROM} WHERE s.tenant_id = ${tenantId} AND s.id = ANY(${list(ids)}::uuid[])`,
  );
}

export async function listServices(ex: Executor, tenantId: string, facilityId: string): Promise<ServiceRow[]> {
  return rowsOf<ServiceRow>(
    ex,
    sql`SELECT ${SERVICE_COLUMNS} FROM ${SERVICE_FROM}
         WHERE s.tenant_id = ${tenantId} AND s.facility_id = ${facilityId} AND s.active
         ORDER BY s.sort_order, s.name`,
  );
}

export interface SessionRow {
  session: number;
  opens_at: string;
  closes_at: string;
  quota: number;
}

/** How a service's day stands: closed (and why) or its sessions. */
export interface ServiceDayInfo {
  closed: 'holiday' | 'no_sessions' | null;
  sessions: SessionRow[];
}

/**
 * A service's sessions on a local date: none on the platform calendar's non-working days (national
 * and local holidays, collective leave) or on a weekday without opening hours.
 */
export async function serviceDay(ex: Executor, tenantId: string, serviceId: string, date: string): Promise<ServiceDayInfo> {
  return (await serviceDays(ex, tenantId, [{ service_id: serviceId, day: date }])).get(`${serviceId}|${date}`)!;
}

/** serviceDay for several services and dates at once (keyed `service|date`), in two queries. */
export async function serviceDays(ex: Executor, tenantId: string, pairs: { service_id: string; day: string }[]): Promise<Map<string, ServiceDayInfo>> {
  const dates = [...new Set(pairs.map((p) => p.day))];
  const services = [...new Set(pairs.map((p) => p.service_id))];
  const [holidays, sessions] = await Promise.all([
    rowsOf<{ day: string }>(ex, sql`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM ${holidaysOf(tenantId, dates)}`),
    rowsOf<WeekdaySession>(ex, sql`SELECT ${SESSION_COLUMNS} FROM ${sessionsOf(tenantId, services, dates)} ORDER BY service_id, weekday, session`),
  ]);
  return dayInfos(
    pairs,
    holidays.map((h) => h.day),
    sessions,
  );
}

type WeekdaySession = SessionRow & { service_id: string; weekday: number };

const SESSION_COLUMNS = sql`service_id::text AS service_id, weekday, session, to_char(opens_at, 'HH24:MI') AS opens_at, to_char(closes_at, 'HH24:MI') AS closes_at, quota`;
const list = (values: Iterable<string | number>) => `{${[...new Set(values)].join(',')}}`;
const holidaysOf = (tenantId: string, dates: string[]) =>
  sql`calendar_days WHERE tenant_id = ${tenantId} AND day = ANY(${list(dates)}::date[]) AND kind <> 'extra_workday'`;
const sessionsOf = (tenantId: string, services: string[], dates: string[]) =>
  sql`health_service_sessions WHERE tenant_id = ${tenantId} AND service_id = ANY(${list(services)}::uuid[]) AND weekday = ANY(${list(dates.map(isoWeekday))}::smallint[])`;

/** Each service-day closed (a holiday, no opening hours that weekday) or with its sessions. */
function dayInfos(pairs: { service_id: string; day: string }[], holidays: string[], sessions: WeekdaySession[]): Map<string, ServiceDayInfo> {
  const closed = new Set(holidays);
  const out = new Map<string, ServiceDayInfo>();
  for (const p of pairs) {
    if (closed.has(p.day)) {
      out.set(`${p.service_id}|${p.day}`, { closed: 'holiday', sessions: [] });
      continue;
    }
    const wd = isoWeekday(p.day);
    const own = sessions.filter((x) => x.service_id === p.service_id && x.weekday === wd).map(({ session, opens_at, closes_at, quota }) => ({ session, opens_at, closes_at, quota }));
    out.set(`${p.service_id}|${p.day}`, { closed: own.length ? null : 'no_sessions', sessions: own });
  }
  return out;
}

/**
 * What a registration batch checks its items against besides the counters, in one statement:
 * the services, the patients, and the holidays and sessions of the days asked for.
 */
export async function batchReference(ex: Executor, tenantId: string, items: { serviceId: string; patientId: string; date: string }[]) {
  const dates = [...new Set(items.map((i) => i.date))];
  const serviceIds = [...new Set(items.map((i) => i.serviceId))];
  const [row] = await rowsOf<{ services: ServiceRow[] | string; patients: PatientRow[] | string; holidays: string[] | string; sessions: WeekdaySession[] | string }>(
    ex,
    sql`SELECT (SELECT coalesce(json_agg(x), '[]') FROM (SELECT ${SERVICE_COLUMNS} FROM ${SERVICE_FROM} WHERE s.tenant_id = ${tenantId} AND s.id = ANY(${list(serviceIds)}::uuid[])) x) AS services,
               (SELECT coalesce(json_agg(x), '[]') FROM (SELECT ${PATIENT_COLUMNS} FROM health_patients WHERE tenant_id = ${tenantId} AND id = ANY(${list(items.map((i) => i.patientId))}::uuid[])) x) AS patients,
               (SELECT coalesce(json_agg(to_char(day, 'YYYY-MM-DD')), '[]') FROM ${holidaysOf(tenantId, dates)}) AS holidays,
               (SELECT coalesce(json_agg(x), '[]') FROM (SELECT ${SESSION_COLUMNS} FROM ${sessionsOf(tenantId, serviceIds, dates)} ORDER BY service_id, weekday, session) x) AS sessions`,
  );
  const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  const holidays = json(row.holidays);
  const sessions = json(row.sessions);
  return {
    services: new Map(json(row.services).map((x) => [x.id, x])),
    patients: new Map(json(row.patients).map((x) => [x.id, x])),
    days: (pairs: { service_id: string; day: string }[]) => dayInfos(pairs, holidays, sessions),
  };
}

export type SessionUse = Map<number, { online: number; onsite: number }>;

/** Visits not cancelled per session and channel of a service's day (kept in its counter row). */
export async function sessionUse(ex: Executor, tenantId: string, serviceId: string, date: string): Promise<SessionUse> {
  const [row] = await rowsOf<{ online: number[]; onsite: number[] }>(
    ex,
    sql`SELECT online, onsite FROM health_queue_days WHERE tenant_id = ${tenantId} AND service_id = ${serviceId} AND day = ${date}::date`,
  );
  const use: SessionUse = new Map();
  if (row) for (let i = 0; i < 9; i++) use.set(i + 1, { online: row.online[i] ?? 0, onsite: row.onsite[i] ?? 0 });
  return use;
}

/** Room left per session and channel (for the public page and the registration form). */
export function roomBySession(sessions: SessionRow[], use: SessionUse, onsiteShare: number) {
  return sessions.map((s) => {
    const used = use.get(s.session) ?? { online: 0, onsite: 0 };
    return {
      session: s.session,
      opensAt: s.opens_at,
      closesAt: s.closes_at,
      quota: s.quota,
      onlineRoom: sessionRoom(s.quota, onsiteShare, used, 'online'),
      onsiteRoom: sessionRoom(s.quota, onsiteShare, used, 'onsite'),
    };
  });
}

/** Instants already worked out: a registration batch asks for each session's times once per item. */
const instants = new Map<string, number>();

/** The instant a local date and HH:MM mean in a time zone. */
export function localInstant(date: string, hhmm: string, timeZone: string): Date {
  const key = `${date}T${hhmm}|${timeZone}`;
  let ms = instants.get(key);
  if (ms === undefined) {
    if (instants.size >= 10_000) instants.clear();
    ms = DateTime.fromISO(`${date}T${hhmm}`, { zone: timeZone }).toMillis();
    instants.set(key, ms);
  }
  return new Date(ms);
}

/** Today's and recent weeks' median service time (seconds) of a service, as SQL over `sid` (a uuid expression). */
export function medianSql(tenantId: string, sid: SQL, todayStart: Date, now: Date): SQL {
  const median = (since: Date, limit: number) =>
    sql`(SELECT json_build_object('medianS', percentile_cont(0.5) WITHIN GROUP (ORDER BY x.d), 'n', count(*))
           FROM (SELECT extract(epoch FROM v.finished_at - v.started_at) AS d FROM health_visits v
                  WHERE v.tenant_id = ${tenantId} AND v.service_id = ${sid} AND v.finished_at >= ${since} AND v.finished_at <= ${now} AND v.started_at IS NOT NULL
                  ORDER BY v.finished_at DESC LIMIT ${limit}) x)`;
  return sql`json_build_object('today', ${median(todayStart, TODAY_SAMPLES)}, 'recent', ${median(new Date(now.getTime() - RECENT_DAYS * 86_400_000), RECENT_SAMPLES)})`;
}

/** The last finished visits of today a median takes (it follows the day's pace). */
const TODAY_SAMPLES = 20;
/** Recent weeks: four, up to the last 200 finished visits. */
const RECENT_DAYS = 28;
const RECENT_SAMPLES = 200;

export interface Medians {
  today: { medianS: number | null; n: number };
  recent: { medianS: number | null; n: number };
}

/** How long a service's measured time is reused before it is read again. */
const TIMES_TTL_MS = 30_000;
const timesCache = new Map<string, { at: number; value: { minutes: number; basis: EstimateBasis } }>();

/**
 * The service minutes of estimates per service (see serviceMinutes): read in one query for the
 * services not read in the last 30 seconds (registrations come in bursts; a median moves slowly).
 */
export async function serviceTimes(ex: Executor, tenantId: string, services: { id: string; default_service_minutes: number }[], todayStart: Date, now: Date) {
  const out = new Map<string, { minutes: number; basis: EstimateBasis }>();
  const stale: { id: string; default_service_minutes: number }[] = [];
  const day = todayStart.getTime();
  for (const svc of services) {
    const hit = timesCache.get(`${svc.id}|${day}`);
    if (hit && Date.now() - hit.at < TIMES_TTL_MS) out.set(svc.id, hit.value);
    else if (!stale.some((x) => x.id === svc.id)) stale.push(svc);
  }
  if (stale.length === 0) return out;
  const rows = await rowsOf<{ id: string; m: Medians | string }>(
    ex,
    sql`SELECT s.id::text AS id, ${medianSql(tenantId, sql`s.id`, todayStart, now)} AS m FROM unnest(${list(stale.map((x) => x.id))}::uuid[]) AS s(id)`,
  );
  if (timesCache.size > 20_000) timesCache.clear();
  for (const r of rows) {
    const m = typeof r.m === 'string' ? (JSON.parse(r.m) as Medians) : r.m;
    const value = serviceMinutes(m.today, m.recent, stale.find((x) => x.id === r.id)!.default_service_minutes);
    timesCache.set(`${r.id}|${day}`, { at: Date.now(), value });
    out.set(r.id, value);
  }
  return out;
}

/** A visit of the service finished here: its next estimate reads the times again. */
export function serviceTimeChanged(serviceId: string): void {
  for (const k of timesCache.keys()) if (k.startsWith(`${serviceId}|`)) timesCache.delete(k);
}

/** The facilities (with their active services) whose queues the actor operates. */
export async function deskServices(ctx: Ctx) {
  const rows = await rowsOf<{ facility_id: string; facility_name: string; path: string[]; id: string; name: string; kind: 'poli' | 'pharmacy'; queue_prefix: string }>(
    ctx.db.orm,
    sql`SELECT u.id::text AS facility_id, u.name AS facility_name, u.path::text[] AS path, s.id::text AS id, s.name, s.kind, s.queue_prefix
          FROM health_facilities f
          JOIN units u ON u.tenant_id = f.tenant_id AND u.id = f.unit_id AND u.active
          JOIN health_services s ON s.tenant_id = f.tenant_id AND s.facility_id = f.unit_id AND s.active
         WHERE f.tenant_id = ${ctx.tenant.id}
         ORDER BY u.kind DESC, u.name, s.sort_order, s.name`,
  );
  const out: { id: string; name: string; services: { id: string; name: string; kind: 'poli' | 'pharmacy'; queuePrefix: string }[] }[] = [];
  for (const r of rows) {
    if (!can(ctx.actor, 'health.queue.operate', r.path)) continue;
    let f = out.at(-1);
    if (f?.id !== r.facility_id) out.push((f = { id: r.facility_id, name: r.facility_name, services: [] }));
    f.services.push({ id: r.id, name: r.name, kind: r.kind, queuePrefix: r.queue_prefix });
  }
  return out;
}
