import { type SQL, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { VisitInput, VisitStatus } from '../../../common/health/contracts.js';
import { type Channel, checkBookingDate, type EstimateBasis, estimateAt, localDate, localTime, queueCode, sessionRoom } from '../../../common/health/rules.js';
import type { Shift } from '../../../common/health/roster.js';
import type { Database, Executor } from '../../db/client.js';
import { auditInsertSql, writeAudit } from '../../platform/audit/write.js';
import type { Ctx } from '../../platform/context.js';
import { GroupCommitter } from '../../platform/db/groupCommit.js';
import { type AppError, Conflict, Forbidden, Invalid, isUniqueViolation, NotFound } from '../../platform/errors.js';
import { eventsInsertSql, writeEvent } from '../../platform/events/write.js';
import { rowsOf } from '../../platform/org/sql.js';
import { can } from '../../platform/policies/actor.js';
import { serversFrom, serviceDuties } from './doctors.js';
import type { PatientRow } from './patients.js';
import { queueTopic } from './queue.js';
import { batchReference, localInstant, type ServiceDayInfo, type ServiceRow, type SessionRow, serviceTimes } from './queries.js';

/** Statuses of a registration that still holds its place (one per patient and service). */
export const ACTIVE_STATUSES: VisitStatus[] = ['booked', 'checked_in', 'called', 'serving'];

export interface RegisteredVisit {
  id: string;
  number: number;
  queueCode: string;
  status: VisitStatus;
  channel: Channel;
  date: string;
  session: number;
  facility: { id: string; name: string };
  service: { id: string; name: string };
  patient: { id: string; name: string };
  estimatedAt: string;
  /** Where the service time of the estimate comes from, and that time (minutes). */
  estimateBasis: EstimateBasis;
  serviceMinutes: number;
  ahead: number;
  createdAt: string;
  /** Where staff sent the patient on from this visit (another poli or the pharmacy), if they did. */
  transferredTo: { id: string; queueCode: string; serviceName: string } | null;
}

/** A registration as asked, checked for what needs no database; the batch checks the rest. */
interface Pending {
  ctx: Ctx;
  id: string;
  serviceId: string;
  patientId: string;
  date: string;
  /** The session asked for; otherwise the first with room. */
  session: number | null;
  /** Today in the tenant's time zone, when the request came. */
  today: string;
}

type Outcome = { visit: RegisteredVisit } | { error: AppError };

/**
 * Registers a visit and gives it the next queue number of the service's local day.
 *
 * Online (a resident, for a patient they registered) or on site (counter staff with
 * health.patients.register on the facility). The date must be today up to 7 days ahead, the
 * service open that day (not a calendar holiday, sessions on that weekday) and the session not over.
 *
 * Numbers are unique and gap-free per service and local day, across processes: registrations are
 * written in batches (see GroupCommitter), of any services and days. A batch locks the counter
 * rows of its service-days, reads the services, their days, the patients and the sessions' use
 * once for all its items, checks every item under those locks, takes consecutive numbers and
 * writes the visits, the session use, the counters, the audit and the events in one transaction.
 * A failed transaction takes its numbers back with it. A registration costs no query of its own.
 */
export async function registerVisit(ctx: Ctx, input: VisitInput): Promise<RegisteredVisit> {
  const pending = prepare(ctx, input);
  const outcome = await committerFor(ctx.db, ctx.tenant.id).submit(pending);
  if ('error' in outcome) throw outcome.error;
  return outcome.visit;
}

function prepare(ctx: Ctx, input: VisitInput): Pending {
  const { actor, tenant } = ctx;
  if (actor.kind !== 'user') throw new Forbidden();
  const today = localDate(ctx.clock.now(), tenant.timeZone);
  const dateError = checkBookingDate(input.date, today);
  if (dateError) throw Invalid.field('date', dateError);
  return { ctx, id: uuidv7(), serviceId: input.serviceId, patientId: input.patientId, date: input.date, session: input.session ?? null, today };
}

/**
 * One committer per tenant and process: a batch takes registrations of any services and days, so
 * that a quiet poli's registration shares a transaction with the others instead of paying for its
 * own (the spread of a city's morning over hundreds of polis).
 */
const committers = new WeakMap<Database, Map<string, GroupCommitter<Pending, Outcome>>>();

function committerFor(db: Database, tenantId: string): GroupCommitter<Pending, Outcome> {
  let perDb = committers.get(db);
  if (!perDb) committers.set(db, (perDb = new Map()));
  let c = perDb.get(tenantId);
  if (!c) {
    c = new GroupCommitter<Pending, Outcome>({
      flush: async (items) => (await writeBatch(db, items)).map((o) => ({ ok: o })),
      // A batch fails as a whole only on a race the locks do not cover: the same patient
      // registered for the same service on another day by the other process at the same moment
      // (the active-registration index refuses the second). Alone, the item gets that answer.
      single: async (item) => {
        try {
          return (await writeBatch(db, [item]))[0];
        } catch (e) {
          if (isUniqueViolation(e, 'health_visits_active_uq')) {
            return { error: new Conflict('conflict', {}, [{ field: 'patientId', code: 'health.already_registered', params: { queueCode: '' } }]) };
          }
          throw e;
        }
      },
      // One batch at a time per process. Batches of one service-day meet at its counter row anyway;
      // a second batch in flight only queued behind the first's lock (and its commit's WAL flush)
      // and halved the batches: measured with two app processes, one batch at a time gave 2,700
      // registrations/s for one poli instead of 2,200, and a p99 at 1,000/s of 140 ms instead of
      // 290 ms (npm run bench, health-register-*).
      concurrency: 1,
      maxBatch: 200,
    });
    perDb.set(tenantId, c);
  }
  return c;
}

interface SessionCount {
  online: number;
  onsite: number;
  closed: number;
}

/** Everything a batch checks its items against, read once with the counter rows locked. */
interface BatchState {
  services: Map<string, ServiceRow>;
  /** Per service and date (`service|date`): closed or its sessions. */
  days: Map<string, ServiceDayInfo>;
  patients: Map<string, PatientRow>;
  /** Last number given per service-day. */
  last: Map<string, number>;
  /** Session use per `service|date|session`. */
  use: Map<string, SessionCount>;
  /** Active registration (its queue code) per `patient|service`. */
  active: Map<string, string>;
  /** The service time estimates assume, per service. */
  times: Map<string, { minutes: number; basis: EstimateBasis }>;
  /** The shifts per service-day (`service|date`): the doctors serving in parallel. */
  shifts: Map<string, Shift[]>;
}

const dayKey = (serviceId: string, date: string) => `${serviceId}|${date}`;

/** The ids as one array literal (drizzle would bind a JS array as a list of parameters); uuids validated by the route. */
const uuidArray = (ids: Iterable<string>) => `{${[...new Set(ids)].join(',')}}`;

/** One day counter row as the batch locks and reads it. */
interface DayRow {
  service_id: string;
  day: string;
  last_number: number;
  online: number[];
  onsite: number[];
  closed: number[];
}

async function readUnderLock(ex: Executor, tenantId: string, items: Pending[]): Promise<BatchState> {
  // First, in one statement, what needs no lock: the services, their days and the patients.
  const ref = await batchReference(ex, tenantId, items);
  const { services } = ref;
  const pairs = [...new Map(items.filter((i) => services.has(i.serviceId)).map((i) => [dayKey(i.serviceId, i.date), { service_id: i.serviceId, day: i.date }])).values()];
  const state: BatchState = { services, days: ref.days(pairs), patients: ref.patients, last: new Map(), use: new Map(), active: new Map(), times: new Map(), shifts: new Map() };
  if (pairs.length === 0) return state;
  // The service times of the estimates (cached for half a minute: mostly no query at all).
  const first = items[0];
  state.times = await serviceTimes(ex, tenantId, [...services.values()], localInstant(first.today, '00:00', first.ctx.tenant.timeZone), first.ctx.clock.now());
  state.shifts = await serviceDuties(ex, tenantId, pairs);
  // Then the day counters of the batch, created when missing and locked in one order (service,
  // day) by every batch of every process, so that two batches never wait for each other in a
  // circle. The rows come back as they are once the lock is granted (the latest version, with the
  // sessions' use, which only ever changes under this lock). From here to the commit every round
  // trip is time the others wait: this statement reads, one more writes.
  //
  // The patients' active registrations are read in the same statement, from its snapshot: a batch
  // that committed while this one waited may have registered one of them for the same service.
  // Then the insert meets health_visits_active_uq, the batch fails as a whole and its items go one
  // by one (see committerFor), each getting its own answer.
  const rows = await rowsOf<{ kind: 'day' | 'active'; row: DayRow | { patient_id: string; service_id: string; queue_code: string } }>(
    ex,
    sql`WITH locked AS (
          INSERT INTO health_queue_days AS q (tenant_id, service_id, day, last_number)
          SELECT ${tenantId}, r.service_id, r.day, 0 FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) AS r(service_id uuid, day date) ORDER BY r.service_id, r.day
          ON CONFLICT (tenant_id, service_id, day) DO UPDATE SET last_number = q.last_number
          RETURNING q.service_id, q.day, q.last_number, q.online, q.onsite, q.closed)
        SELECT 'day' AS kind, json_build_object('service_id', service_id, 'day', to_char(day, 'YYYY-MM-DD'), 'last_number', last_number,
                                                'online', online, 'onsite', onsite, 'closed', closed) AS row
          FROM locked
        UNION ALL
        SELECT 'active', json_build_object('patient_id', patient_id, 'service_id', service_id, 'queue_code', queue_code) FROM health_visits
         WHERE tenant_id = ${tenantId} AND patient_id = ANY(${uuidArray(items.map((i) => i.patientId))}::uuid[])
           AND service_id = ANY(${uuidArray(pairs.map((p) => p.service_id))}::uuid[])
           AND status IN ('booked', 'checked_in', 'called', 'serving')`,
  );
  for (const { kind, row } of rows) {
    const r = typeof row === 'string' ? JSON.parse(row) : row;
    if (kind === 'active') {
      state.active.set(`${r.patient_id}|${r.service_id}`, r.queue_code);
      continue;
    }
    const d = r as DayRow;
    state.last.set(dayKey(d.service_id, d.day), d.last_number);
    for (let i = 0; i < 9; i++) state.use.set(`${d.service_id}|${d.day}|${i + 1}`, { online: d.online[i] ?? 0, onsite: d.onsite[i] ?? 0, closed: d.closed[i] ?? 0 });
  }
  return state;
}

/**
 * Why an item of the batch cannot be registered (its own error), or the sessions it may take:
 * the checks of a single registration, in the order a caller meets them.
 */
function checkItem(item: Pending, state: BatchState): { error: AppError } | { service: ServiceRow; channel: Channel; patient: PatientRow; sessions: SessionRow[] } {
  const { actor, tenant } = item.ctx;
  const service = state.services.get(item.serviceId);
  if (!service?.active) return { error: Invalid.field('serviceId', 'health.service_unknown') };
  let channel: Channel;
  if (actor.userKind === 'citizen') {
    channel = 'online';
    if (!service.online_registration) return { error: Invalid.field('serviceId', 'health.online_closed') };
  } else {
    if (!can(actor, 'health.patients.register', service.facility_path)) return { error: new Forbidden() };
    channel = 'onsite';
  }
  const patient = state.patients.get(item.patientId);
  if (!patient || (channel === 'online' && patient.owner_user_id !== actor.id)) return { error: Invalid.field('patientId', 'health.patient_unknown') };
  const day = state.days.get(dayKey(item.serviceId, item.date)) ?? { closed: 'no_sessions', sessions: [] };
  if (day.closed === 'holiday') return { error: Invalid.field('date', 'health.closed_holiday', { date: item.date }) };
  if (day.closed) return { error: Invalid.field('date', 'health.closed_day', { date: item.date }) };
  const now = item.ctx.clock.now();
  const over = (x: SessionRow) => item.date === item.today && localInstant(item.date, x.closes_at, tenant.timeZone) <= now;
  if (item.session !== null) {
    const asked = day.sessions.find((x) => x.session === item.session);
    if (!asked) return { error: Invalid.field('session', 'health.session_unknown', { session: item.session }) };
    if (over(asked)) return { error: Invalid.field('session', 'health.session_over') };
    return { service, channel, patient, sessions: [asked] };
  }
  // Today, sessions already over take no one.
  const open = day.sessions.filter((x) => !over(x));
  if (open.length === 0) return { error: Invalid.field('date', 'health.session_over') };
  return { service, channel, patient, sessions: open };
}

/**
 * Writes a batch of registrations (see registerVisit). Each item gets its visit or its own error
 * (unknown patient, quota full, already registered…); the others are written regardless.
 */
async function writeBatch(db: Database, items: Pending[]): Promise<Outcome[]> {
  const tenantId = items[0].ctx.tenant.id;
  const tz = items[0].ctx.tenant.timeZone;
  const now = items[0].ctx.clock.now();
  const result = await db.orm.transaction(async (tx) => {
    const state = await readUnderLock(tx, tenantId, items);
    const outcomes: Outcome[] = [];
    const accepted: { item: Pending; visit: RegisteredVisit; facilityId: string }[] = [];
    const zero = { online: 0, onsite: 0, closed: 0 };
    for (const item of items) {
      const checked = checkItem(item, state);
      if ('error' in checked) {
        outcomes.push(checked);
        continue;
      }
      const { service, channel, patient } = checked;
      const held = state.active.get(`${patient.id}|${service.id}`);
      if (held) {
        outcomes.push({ error: new Conflict('conflict', {}, [{ field: 'patientId', code: 'health.already_registered', params: { queueCode: held } }]) });
        continue;
      }
      const sessionKey = (x: SessionRow) => `${service.id}|${item.date}|${x.session}`;
      const session = checked.sessions.find((x) => sessionRoom(x.quota, service.onsite_share, state.use.get(sessionKey(x)) ?? zero, channel) > 0);
      if (!session) {
        outcomes.push({ error: Invalid.field(item.session === null ? 'date' : 'session', channel === 'online' ? 'health.quota_full_online' : 'health.quota_full_onsite') });
        continue;
      }
      const time = state.times.get(service.id) ?? { minutes: service.default_service_minutes, basis: 'default' as const };
      const used = state.use.get(sessionKey(session)) ?? { ...zero };
      // Still waiting in the session, before this one.
      const ahead = used.online + used.onsite - used.closed;
      used[channel]++;
      state.use.set(sessionKey(session), used);
      state.active.set(`${patient.id}|${service.id}`, 'x');
      const counter = dayKey(service.id, item.date);
      const number = (state.last.get(counter) ?? 0) + 1;
      state.last.set(counter, number);
      const visit: RegisteredVisit = {
        id: item.id,
        number,
        queueCode: queueCode(service.queue_prefix, number),
        status: channel === 'onsite' ? 'checked_in' : 'booked',
        channel,
        date: item.date,
        session: session.session,
        facility: { id: service.facility_id, name: service.facility_name },
        service: { id: service.id, name: service.name },
        patient: { id: patient.id, name: patient.name },
        estimatedAt: estimate(item.date, session.opens_at, tz, now, ahead, time.minutes, state.shifts.get(dayKey(service.id, item.date)), service.id).toISOString(),
        estimateBasis: time.basis,
        serviceMinutes: Math.round(time.minutes * 10) / 10,
        ahead,
        createdAt: now.toISOString(),
        transferredTo: null,
      };
      outcomes.push({ visit });
      accepted.push({ item, visit, facilityId: service.facility_id });
    }
    if (accepted.length === 0) return outcomes;
    const rows = accepted.map(({ item, visit, facilityId }) => ({
      id: visit.id,
      facility_id: facilityId,
      service_id: visit.service.id,
      patient_id: visit.patient.id,
      day: visit.date,
      session: visit.session,
      number: visit.number,
      queue_code: visit.queueCode,
      channel: visit.channel,
      booked_by: item.ctx.actor.id ?? null,
    }));
    // Each touched day's counter and sessions' use as they stand now (computed under its lock).
    const touched = new Map(accepted.map(({ visit }) => [dayKey(visit.service.id, visit.date), { service_id: visit.service.id, day: visit.date }]));
    const counters = [...touched].map(([k, v]) => {
      const per = Array.from({ length: 9 }, (_, i) => state.use.get(`${k}|${i + 1}`) ?? zero);
      return { ...v, last: state.last.get(k), online: per.map((u) => u.online), onsite: per.map((u) => u.onsite) };
    });
    const facts = (visit: RegisteredVisit, facilityId: string) => ({
      queueCode: visit.queueCode,
      serviceId: visit.service.id,
      facilityId,
      date: visit.date,
      session: visit.session,
      channel: visit.channel,
    });
    const audits = auditInsertSql(
      accepted.map(({ item, visit, facilityId }) => ({
        ctx: item.ctx,
        entry: { action: 'health.visit.registered', entityType: 'health_visit', entityId: visit.id, unitId: facilityId, data: { ...facts(visit, facilityId), patientId: visit.patient.id } },
      })),
    );
    // The event carries no patient data: on the facility's public stream (TV display, patients'
    // pages) only the number is needed.
    const events = eventsInsertSql(
      accepted.map(({ item, visit, facilityId }) => ({
        ctx: item.ctx,
        event: {
          type: 'health.visit.registered',
          aggregateType: 'health_visit',
          aggregateId: visit.id,
          unitId: facilityId,
          payload: { ...facts(visit, facilityId), public: true, topic: queueTopic(facilityId) },
        },
      })),
    );
    // Everything the batch writes, in one statement while the counters are locked: the visits (a
    // walk-in registered at the counter is there, checked in at once; an online booking checks in
    // on arrival), the counters with their sessions' use, the audit and the events.
    await tx.execute(
      sql`WITH visits AS (
            INSERT INTO health_visits (tenant_id, id, facility_id, service_id, patient_id, day, session, number, queue_code, channel, status, booked_by, created_at, checked_in_at)
            SELECT ${tenantId}, r.id, r.facility_id, r.service_id, r.patient_id, r.day, r.session, r.number, r.queue_code, r.channel,
                   CASE r.channel WHEN 'onsite' THEN 'checked_in' ELSE 'booked' END, r.booked_by, ${now}, CASE r.channel WHEN 'onsite' THEN ${now}::timestamptz END
              FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id uuid, facility_id uuid, service_id uuid, patient_id uuid, day date, session smallint,
                   number integer, queue_code text, channel text, booked_by uuid)
          ), counters AS (
            UPDATE health_queue_days q SET last_number = r.last, online = r.online, onsite = r.onsite
              FROM jsonb_to_recordset(${JSON.stringify(counters)}::jsonb) AS r(service_id uuid, day date, last integer, online integer[], onsite integer[])
             WHERE q.tenant_id = ${tenantId} AND q.service_id = r.service_id AND q.day = r.day
          ), audit AS (${audits}), events AS (${events})
          SELECT 1`,
    );
    return outcomes;
  });
  if (result.some((o) => 'visit' in o)) {
    items[0].ctx.afterCommit?.auditWritten();
    items[0].ctx.afterCommit?.eventsWritten();
  }
  return result;
}

/**
 * Cancels a registration that has not been called yet: its owner (online) or counter staff of
 * the facility. The number stays the visit's (the day's numbers keep no gap; a display skips it).
 */
export async function cancelVisit(ctx: Ctx, id: string, reason: string | undefined): Promise<void> {
  const { actor, tenant } = ctx;
  if (actor.kind !== 'user') throw new Forbidden();
  await ctx.db.orm.transaction(async (tx) => {
    const [v] = await rowsOf<{ status: VisitStatus; owner: string | null; path: string[]; facility_id: string; queue_code: string; service_id: string; day: string; session: number; channel: Channel }>(
      tx,
      sql`SELECT v.status, p.owner_user_id::text AS owner, u.path::text[] AS path, v.facility_id::text AS facility_id, v.queue_code,
                 v.service_id::text AS service_id, to_char(v.day, 'YYYY-MM-DD') AS day, v.session, v.channel
            FROM health_visits v
            JOIN health_patients p ON p.tenant_id = v.tenant_id AND p.id = v.patient_id
            JOIN units u ON u.tenant_id = v.tenant_id AND u.id = v.facility_id
           WHERE v.tenant_id = ${tenant.id} AND v.id = ${id}
           FOR UPDATE OF v`,
    );
    const allowed = v && (actor.userKind === 'citizen' ? v.owner === actor.id : can(actor, 'health.patients.register', v.path));
    if (!allowed) throw new NotFound();
    if (v.status !== 'booked' && v.status !== 'checked_in') throw new Conflict('conflict', {}, [{ field: '', code: 'health.visit_not_cancellable', params: {} }]);
    const now = ctx.clock.now();
    await tx.execute(
      sql`UPDATE health_visits SET status = 'cancelled', cancelled_at = ${now}, cancel_reason = ${reason || null} WHERE tenant_id = ${tenant.id} AND id = ${id}`,
    );
    // The place goes back to the session's quota (under the day counter's lock, as registrations).
    await tx.execute(
      sql`UPDATE health_queue_days
             SET online[${v.session}] = online[${v.session}] - (${v.channel} = 'online')::int, onsite[${v.session}] = onsite[${v.session}] - (${v.channel} = 'onsite')::int
           WHERE tenant_id = ${tenant.id} AND service_id = ${v.service_id} AND day = ${v.day}::date`,
    );
    await writeAudit(tx, ctx, { action: 'health.visit.cancelled', entityType: 'health_visit', entityId: id, unitId: v.facility_id, data: { queueCode: v.queue_code, reason: reason || null } });
    // Public: the numbers behind it move up on the display and the patients' pages.
    await writeEvent(tx, ctx, {
      type: 'health.visit.cancelled',
      aggregateType: 'health_visit',
      aggregateId: id,
      unitId: v.facility_id,
      payload: { queueCode: v.queue_code, serviceId: v.service_id, date: v.day, public: true, topic: queueTopic(v.facility_id) },
    });
  });
  ctx.afterCommit?.auditWritten();
  ctx.afterCommit?.eventsWritten();
}

/** A resident's visits (newest day first), with what is ahead of each that is still waiting. */
export async function listOwnVisits(ctx: Ctx): Promise<RegisteredVisit[]> {
  return ownVisits(ctx, null);
}

/**
 * One of a resident's visits, with the number its service is at now (for the patient's page,
 * which reloads it on each move of the facility's queue). Other people's visits are not found.
 */
export async function readOwnVisit(ctx: Ctx, id: string): Promise<RegisteredVisit & { nowServing: string | null }> {
  const [visit] = await ownVisits(ctx, id);
  if (!visit) throw new NotFound();
  const [cur] = await rowsOf<{ queue_code: string }>(
    ctx.db.orm,
    sql`SELECT queue_code FROM health_visits
         WHERE tenant_id = ${ctx.tenant.id} AND service_id = ${visit.service.id} AND day = ${visit.date}::date AND status IN ('called', 'serving')
         ORDER BY called_at DESC NULLS LAST LIMIT 1`,
  );
  return { ...visit, nowServing: cur?.queue_code ?? null };
}

interface OwnVisitRow {
    id: string;
    number: number;
    queue_code: string;
    status: VisitStatus;
    channel: Channel;
    day: string;
    session: number;
    facility_id: string;
    facility_name: string;
    service_id: string;
    service_name: string;
    minutes: number;
    patient_id: string;
    patient_name: string;
    opens_at: string | null;
    ahead: number;
    created_at: string;
    to_id: string | null;
    to_code: string | null;
    to_service: string | null;
  }

async function ownVisits(ctx: Ctx, id: string | null): Promise<RegisteredVisit[]> {
  return visitsWhere(ctx, sql`p.owner_user_id = ${ctx.actor.id!}${id ? sql` AND v.id = ${id}` : sql``}`);
}

/**
 * One visit with its standing now (what is ahead, the estimate), whoever asks: the BPJS-shaped
 * queue API answers by booking code (the visit id on the ticket), numbers only.
 */
export async function visitStanding(ctx: Ctx, id: string): Promise<RegisteredVisit | undefined> {
  const [visit] = await visitsWhere(ctx, sql`v.id = ${id}`);
  return visit;
}

async function visitsWhere(ctx: Ctx, filter: SQL): Promise<RegisteredVisit[]> {
  const rows = await rowsOf<OwnVisitRow>(
    ctx.db.orm,
    sql`SELECT v.id::text AS id, v.number, v.queue_code, v.status, v.channel, to_char(v.day, 'YYYY-MM-DD') AS day, v.session,
               v.facility_id::text AS facility_id, u.name AS facility_name, v.service_id::text AS service_id, s.name AS service_name,
               s.default_service_minutes AS minutes, p.id::text AS patient_id, p.name AS patient_name,
               (SELECT to_char(ss.opens_at, 'HH24:MI') FROM health_service_sessions ss
                 WHERE ss.tenant_id = v.tenant_id AND ss.service_id = v.service_id AND ss.weekday = extract(isodow FROM v.day) AND ss.session = v.session) AS opens_at,
               (SELECT count(*)::int FROM health_visits a
                 WHERE a.tenant_id = v.tenant_id AND a.service_id = v.service_id AND a.day = v.day AND a.session = v.session
                   AND a.number < v.number AND a.status IN ('booked', 'checked_in', 'called', 'serving')) AS ahead,
               to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
               tv.id::text AS to_id, tv.queue_code AS to_code, ts.name AS to_service
          FROM health_visits v
          JOIN health_patients p ON p.tenant_id = v.tenant_id AND p.id = v.patient_id
          JOIN health_services s ON s.tenant_id = v.tenant_id AND s.id = v.service_id
          JOIN units u ON u.tenant_id = v.tenant_id AND u.id = v.facility_id
          LEFT JOIN health_visits tv ON tv.tenant_id = v.tenant_id AND tv.transferred_from = v.id
          LEFT JOIN health_services ts ON ts.tenant_id = tv.tenant_id AND ts.id = tv.service_id
         WHERE v.tenant_id = ${ctx.tenant.id} AND ${filter}
         ORDER BY v.day DESC, v.created_at DESC
         LIMIT 50`,
  );
  const now = ctx.clock.now();
  const tz = ctx.tenant.timeZone;
  const times = await serviceTimes(
    ctx.db.orm,
    ctx.tenant.id,
    [...new Map(rows.map((r) => [r.service_id, { id: r.service_id, default_service_minutes: r.minutes }])).values()],
    localInstant(localDate(now, tz), '00:00', tz),
    now,
  );
  const shifts = await serviceDuties(ctx.db.orm, ctx.tenant.id, [...new Map(rows.map((r) => [`${r.service_id}|${r.day}`, { service_id: r.service_id, day: r.day }])).values()]);
  return rows.map((r) => {
    const time = times.get(r.service_id) ?? { minutes: r.minutes, basis: 'default' as const };
    return visitOf(r, time, estimate(r.day, r.opens_at ?? '00:00', tz, now, r.ahead, time.minutes, shifts.get(`${r.service_id}|${r.day}`), r.service_id));
  });
}

/**
 * The estimate of a visit: from the session's opening or now, the visits ahead shared among the
 * doctors on duty at that moment (the roster; one when nobody is rostered).
 */
function estimate(date: string, opensAt: string, tz: string, now: Date, ahead: number, minutes: number, shifts: Shift[] | undefined, serviceId: string): Date {
  const opens = localInstant(date, opensAt, tz);
  const from = opens > now ? opens : now;
  return estimateAt(opens, now, ahead, minutes, serversFrom(shifts, serviceId, localTime(from, tz)));
}

function visitOf(r: OwnVisitRow, time: { minutes: number; basis: EstimateBasis }, estimate: Date): RegisteredVisit {
  return {
    id: r.id,
    number: r.number,
    queueCode: r.queue_code,
    status: r.status,
    channel: r.channel,
    date: r.day,
    session: r.session,
    facility: { id: r.facility_id, name: r.facility_name },
    service: { id: r.service_id, name: r.service_name },
    patient: { id: r.patient_id, name: r.patient_name },
    estimatedAt: estimate.toISOString(),
    estimateBasis: time.basis,
    serviceMinutes: Math.round(time.minutes * 10) / 10,
    ahead: r.ahead,
    createdAt: r.created_at,
    transferredTo: r.to_id ? { id: r.to_id, queueCode: r.to_code!, serviceName: r.to_service ?? '' } : null,
  };
}
