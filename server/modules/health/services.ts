import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { localDate } from '../../../common/health/rules.js';
import type { AppInstance } from '../../app.js';
import { type Ctx, inTransaction } from '../../platform/context.js';
import { Conflict, Forbidden, isUniqueViolation, NotFound } from '../../platform/errors.js';
import { rowsOf } from '../../platform/org/sql.js';
import { can } from '../../platform/policies/actor.js';
import { type FacilityRow, findFacility, listFacilities } from './queries.js';

/**
 * The Dinas Kesehatan's (or the facility's) settings of its services: add a poli or the pharmacy,
 * rename it, set its on-site share and assumed service time, close it, and set its opening hours
 * per weekday with each session's quota. Staff with health.facilities.manage on the facility.
 */

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { message: 'health.time_format' });

const ServiceCreateBody = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,29}$/, { message: 'health.service_code' }),
  name: z.string().trim().min(3).max(80),
  kind: z.enum(['poli', 'pharmacy']),
  queuePrefix: z.string().regex(/^[A-Z]{1,2}$/, { message: 'health.queue_prefix' }),
  onsiteShare: z.number().int().min(0).max(100).default(40),
  defaultServiceMinutes: z.number().int().min(1).max(240).default(10),
});

const ServicePatchBody = z
  .strictObject({
    name: z.string().trim().min(3).max(80).optional(),
    onsiteShare: z.number().int().min(0).max(100).optional(),
    defaultServiceMinutes: z.number().int().min(1).max(240).optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'health.nothing_to_change' });

const HoursBody = z
  .strictObject({
    weekdays: z
      .array(
        z.strictObject({
          weekday: z.number().int().min(1).max(7),
          sessions: z.array(z.strictObject({ opensAt: hhmm, closesAt: hhmm, quota: z.number().int().min(1).max(999) })).max(9),
        }),
      )
      .min(1)
      .max(7),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<number>();
    b.weekdays.forEach((d, i) => {
      if (seen.has(d.weekday)) ctx.addIssue({ code: 'custom', path: ['weekdays', i, 'weekday'], message: 'health.weekday_repeated' });
      seen.add(d.weekday);
      d.sessions.forEach((s, j) => {
        if (s.closesAt <= s.opensAt) ctx.addIssue({ code: 'custom', path: ['weekdays', i, 'sessions', j, 'closesAt'], message: 'health.shift_order' });
        const prev = d.sessions[j - 1];
        if (prev && s.opensAt < prev.closesAt) ctx.addIssue({ code: 'custom', path: ['weekdays', i, 'sessions', j, 'opensAt'], message: 'health.session_overlap' });
      });
    });
  });

const FacilitySettings = z.object({ id: z.uuid(), name: z.string(), kind: z.enum(['puskesmas', 'hospital']), onlineRegistration: z.boolean() });

const ServiceSettings = z.object({
  id: z.uuid(),
  facilityId: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(['poli', 'pharmacy']),
  queuePrefix: z.string(),
  onsiteShare: z.number().int(),
  defaultServiceMinutes: z.number().int(),
  active: z.boolean(),
  hours: z.array(z.object({ weekday: z.number().int(), sessions: z.array(z.object({ session: z.number().int(), opensAt: z.string(), closesAt: z.string(), quota: z.number().int() })) })),
});
type ServiceSettingsType = z.infer<typeof ServiceSettings>;

async function managedFacility(ctx: Ctx, facilityId: string) {
  const f = await findFacility(ctx.db.orm, ctx.tenant.id, facilityId);
  if (!f || !can(ctx.actor, 'health.facilities.manage', f.path)) throw new NotFound();
  return f;
}

async function managedService(ctx: Ctx, serviceId: string): Promise<{ id: string; facility_id: string }> {
  const [s] = await rowsOf<{ id: string; facility_id: string }>(
    ctx.db.orm,
    sql`SELECT id::text AS id, facility_id::text AS facility_id FROM health_services WHERE tenant_id = ${ctx.tenant.id} AND id = ${serviceId}`,
  );
  if (!s) throw new NotFound();
  await managedFacility(ctx, s.facility_id);
  return s;
}

type SettingsRow = { id: string; facility_id: string; code: string; name: string; kind: 'poli' | 'pharmacy'; queue_prefix: string; onsite_share: number; default_service_minutes: number; active: boolean };

/** Services with their weekly hours: one service, or all of a facility's (closed ones too), in two queries. */
async function readSettingsOf(ctx: Ctx, by: { serviceId: string } | { facilityId: string }): Promise<ServiceSettingsType[]> {
  const where = 'serviceId' in by ? sql`s.id = ${by.serviceId}` : sql`s.facility_id = ${by.facilityId}`;
  const services = await rowsOf<SettingsRow>(
    ctx.db.orm,
    sql`SELECT s.id::text AS id, s.facility_id::text AS facility_id, s.code, s.name, s.kind, s.queue_prefix, s.onsite_share, s.default_service_minutes, s.active
          FROM health_services s WHERE s.tenant_id = ${ctx.tenant.id} AND ${where} ORDER BY s.active DESC, s.sort_order, s.name`,
  );
  const sessions = await rowsOf<{ service_id: string; weekday: number; session: number; opens_at: string; closes_at: string; quota: number }>(
    ctx.db.orm,
    sql`SELECT x.service_id::text AS service_id, x.weekday, x.session, to_char(x.opens_at, 'HH24:MI') AS opens_at, to_char(x.closes_at, 'HH24:MI') AS closes_at, x.quota
          FROM health_service_sessions x JOIN health_services s ON s.tenant_id = x.tenant_id AND s.id = x.service_id
         WHERE x.tenant_id = ${ctx.tenant.id} AND ${where} ORDER BY x.service_id, x.weekday, x.session`,
  );
  return services.map((s) => {
    const hours: ServiceSettingsType['hours'] = [];
    for (const r of sessions) {
      if (r.service_id !== s.id) continue;
      let day = hours.at(-1);
      if (day?.weekday !== r.weekday) hours.push((day = { weekday: r.weekday, sessions: [] }));
      day.sessions.push({ session: r.session, opensAt: r.opens_at, closesAt: r.closes_at, quota: r.quota });
    }
    return {
      id: s.id,
      facilityId: s.facility_id,
      code: s.code,
      name: s.name,
      kind: s.kind,
      queuePrefix: s.queue_prefix,
      onsiteShare: s.onsite_share,
      defaultServiceMinutes: s.default_service_minutes,
      active: s.active,
      hours,
    };
  });
}

async function readSettings(ctx: Ctx, serviceId: string): Promise<ServiceSettingsType> {
  const [one] = await readSettingsOf(ctx, { serviceId });
  if (!one) throw new NotFound();
  return one;
}

type FacilitySettingsType = z.infer<typeof FacilitySettings>;

const presentFacility = (f: FacilityRow): FacilitySettingsType => ({ id: f.id, name: f.name, kind: f.kind, onlineRegistration: f.online_registration });

/** The facilities whose services the actor manages (health.facilities.manage on them), puskesmas first. */
export async function managedFacilities(ctx: Ctx): Promise<FacilitySettingsType[]> {
  const all = await listFacilities(ctx.db.orm, ctx.tenant.id);
  return all.filter((f) => can(ctx.actor, 'health.facilities.manage', f.path)).map(presentFacility);
}

/** Opens or closes a facility's online registration (residents booking from home); the counter keeps registering walk-ins. */
export async function updateFacility(ctx: Ctx, facilityId: string, input: { onlineRegistration: boolean }): Promise<FacilitySettingsType> {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  const f = await managedFacility(ctx, facilityId);
  await inTransaction(ctx, async (tx) => {
    await tx.tx.execute(
      sql`UPDATE health_facilities SET online_registration = ${input.onlineRegistration}, updated_at = ${tx.clock.now()} WHERE tenant_id = ${ctx.tenant.id} AND unit_id = ${f.id}`,
    );
    await tx.audit({ action: 'health.facility.updated', entityType: 'health_facility', entityId: f.id, unitId: f.id, data: { onlineRegistration: { from: f.online_registration, to: input.onlineRegistration } } });
  });
  return { ...presentFacility(f), onlineRegistration: input.onlineRegistration };
}

export async function createService(ctx: Ctx, facilityId: string, input: z.infer<typeof ServiceCreateBody>): Promise<ServiceSettingsType> {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  const f = await managedFacility(ctx, facilityId);
  const id = uuidv7();
  await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    await tx.tx.execute(
      sql`INSERT INTO health_services (tenant_id, id, facility_id, code, name, kind, queue_prefix, onsite_share, default_service_minutes, active, sort_order, created_at, updated_at)
          VALUES (${ctx.tenant.id}, ${id}, ${f.id}, ${input.code}, ${input.name}, ${input.kind}, ${input.queuePrefix}, ${input.onsiteShare}, ${input.defaultServiceMinutes}, true,
                  (SELECT coalesce(max(sort_order), 0) + 10 FROM health_services WHERE tenant_id = ${ctx.tenant.id} AND facility_id = ${f.id}), ${now}, ${now})`,
    );
    await tx.audit({ action: 'health.service.created', entityType: 'health_service', entityId: id, unitId: f.id, data: { code: input.code, name: input.name, kind: input.kind, queuePrefix: input.queuePrefix } });
  }).catch((e) => {
    if (isUniqueViolation(e, 'health_services_tenant_id_facility_id_code_key')) throw new Conflict('conflict', {}, [{ field: 'code', code: 'health.service_code_taken' }]);
    if (isUniqueViolation(e, 'health_services_tenant_id_facility_id_queue_prefix_key')) throw new Conflict('conflict', {}, [{ field: 'queuePrefix', code: 'health.queue_prefix_taken' }]);
    throw e;
  });
  return readSettings(ctx, id);
}

export async function updateService(ctx: Ctx, serviceId: string, input: z.infer<typeof ServicePatchBody>): Promise<ServiceSettingsType> {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  const s = await managedService(ctx, serviceId);
  const before = await readSettings(ctx, serviceId);
  await inTransaction(ctx, async (tx) => {
    await tx.tx.execute(
      sql`UPDATE health_services SET
            name = coalesce(${input.name ?? null}, name),
            onsite_share = coalesce(${input.onsiteShare ?? null}::smallint, onsite_share),
            default_service_minutes = coalesce(${input.defaultServiceMinutes ?? null}::smallint, default_service_minutes),
            active = coalesce(${input.active ?? null}::boolean, active),
            updated_at = ${tx.clock.now()}
          WHERE tenant_id = ${ctx.tenant.id} AND id = ${serviceId}`,
    );
    const changed = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, { from: (before as unknown as Record<string, unknown>)[k], to: v }]));
    await tx.audit({ action: 'health.service.updated', entityType: 'health_service', entityId: serviceId, unitId: s.facility_id, data: changed });
  });
  return readSettings(ctx, serviceId);
}

/**
 * Replaces the sessions of the weekdays given (others stay). A session that registrations from
 * today on still hold (booked or waiting) cannot be taken away: the answer says how many.
 */
export async function setServiceHours(ctx: Ctx, serviceId: string, weekdays: z.infer<typeof HoursBody>['weekdays']): Promise<ServiceSettingsType> {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  const s = await managedService(ctx, serviceId);
  const today = localDate(ctx.clock.now(), ctx.tenant.timeZone);
  await inTransaction(ctx, async (tx) => {
    const keep = weekdays.map((d) => ({ weekday: d.weekday, sessions: d.sessions.length }));
    const [held] = await rowsOf<{ n: number }>(
      tx.tx,
      sql`SELECT count(*)::int AS n FROM health_visits v
            JOIN jsonb_to_recordset(${JSON.stringify(keep)}::jsonb) AS k(weekday int, sessions int) ON k.weekday = extract(isodow FROM v.day)
           WHERE v.tenant_id = ${ctx.tenant.id} AND v.service_id = ${serviceId} AND v.day >= ${today}::date
             AND v.status IN ('booked', 'checked_in', 'called', 'serving') AND v.session > k.sessions`,
    );
    if (held && held.n > 0) throw new Conflict('conflict', {}, [{ field: 'weekdays', code: 'health.hours_in_use', params: { count: held.n } }]);
    const rows = weekdays.flatMap((d) => d.sessions.map((x, i) => ({ weekday: d.weekday, session: i + 1, opens_at: x.opensAt, closes_at: x.closesAt, quota: x.quota })));
    await tx.tx.execute(
      sql`DELETE FROM health_service_sessions WHERE tenant_id = ${ctx.tenant.id} AND service_id = ${serviceId}
            AND weekday IN (SELECT (jsonb_array_elements(${JSON.stringify(weekdays.map((d) => d.weekday))}::jsonb))::int)`,
    );
    if (rows.length) {
      await tx.tx.execute(
        sql`INSERT INTO health_service_sessions (tenant_id, service_id, weekday, session, opens_at, closes_at, quota)
            SELECT ${ctx.tenant.id}, ${serviceId}, r.weekday, r.session, r.opens_at::time, r.closes_at::time, r.quota
              FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(weekday smallint, session smallint, opens_at text, closes_at text, quota integer)`,
      );
    }
    await tx.tx.execute(sql`UPDATE health_services SET updated_at = ${tx.clock.now()} WHERE tenant_id = ${ctx.tenant.id} AND id = ${serviceId}`);
    await tx.audit({ action: 'health.service.hours_set', entityType: 'health_service', entityId: serviceId, unitId: s.facility_id, data: { weekdays } });
  });
  return readSettings(ctx, serviceId);
}

export function serviceSettingsRoutes(app: AppInstance): void {
  const tags = ['health'];
  const manage = { access: { permission: 'health.facilities.manage' as const } };
  const idParams = z.object({ id: z.uuid() });

  app.get(
    '/api/v1/health/manage/facilities',
    { config: manage, schema: { tags, summary: 'The facilities whose services, hours and rosters the signed-in staff member manages', response: { 200: z.object({ items: z.array(FacilitySettings) }) } } },
    async (req) => ({ items: await managedFacilities(req.ctx()) }),
  );

  app.get(
    '/api/v1/health/facilities/:id/service-settings',
    {
      config: manage,
      schema: { tags, summary: 'All services of a facility (closed ones too) with their settings and weekly opening hours', params: idParams, response: { 200: z.object({ facility: FacilitySettings, items: z.array(ServiceSettings) }) } },
    },
    async (req) => {
      const f = await managedFacility(req.ctx(), req.params.id);
      return { facility: presentFacility(f), items: await readSettingsOf(req.ctx(), { facilityId: f.id }) };
    },
  );

  app.patch(
    '/api/v1/health/facilities/:id',
    {
      config: manage,
      schema: { tags, summary: 'Open or close a facility’s online registration (walk-ins at the counter are not affected)', params: idParams, body: z.strictObject({ onlineRegistration: z.boolean() }), response: { 200: FacilitySettings } },
    },
    async (req) => updateFacility(req.ctx(), req.params.id, req.body),
  );

  app.post(
    '/api/v1/health/facilities/:id/services',
    { config: manage, schema: { tags, summary: 'Add a service (poli or pharmacy) to a facility; it has no opening hours until they are set', params: idParams, body: ServiceCreateBody, response: { 201: ServiceSettings } } },
    async (req, reply) => reply.code(201).send(await createService(req.ctx(), req.params.id, req.body)),
  );

  app.get(
    '/api/v1/health/services/:id/settings',
    { config: manage, schema: { tags, summary: 'A service’s settings and weekly opening hours with each session’s quota', params: idParams, response: { 200: ServiceSettings } } },
    async (req) => {
      await managedService(req.ctx(), req.params.id);
      return readSettings(req.ctx(), req.params.id);
    },
  );

  app.patch(
    '/api/v1/health/services/:id',
    { config: manage, schema: { tags, summary: 'Rename a service, set its on-site share or assumed service time, close or reopen it', params: idParams, body: ServicePatchBody, response: { 200: ServiceSettings } } },
    async (req) => updateService(req.ctx(), req.params.id, req.body),
  );

  app.put(
    '/api/v1/health/services/:id/hours',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Set the opening hours of the weekdays given (1 = Monday): their sessions in order, each with its quota; an empty list closes that weekday',
        params: idParams,
        body: HoursBody,
        response: { 200: ServiceSettings },
      },
    },
    async (req) => setServiceHours(req.ctx(), req.params.id, req.body.weekdays),
  );
}
