import { z } from 'zod';
import { CancelBody, DisplayService, FacilityView, PatientBody, PatientSummary, PatientView, QueueVisit, ServiceDay, TransferBody, VisitBody, VisitView } from '../../../common/health/contracts.js';
import { localDate, localTime } from '../../../common/health/rules.js';
import type { AppInstance } from '../../app.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { listOwnPatients, lookupPatientByNik, presentPatient, presentPatientSummary, readPatient, registerPatient } from './patients.js';
import { deskServices, findFacility, listFacilities, listServices, roomBySession, serviceDay, sessionUse } from './queries.js';
import { actOnVisit, callNext, facilityDisplay, serviceQueue } from './queue.js';
import { addPractitioner, addRosterException, addRosterShift, facilityOnDuty, facilityRoster, PRACTITIONER_KINDS, removeRosterException, removeRosterShift, updatePractitioner } from './doctors.js';
import { cancelVisit, listOwnVisits, readOwnVisit, registerVisit } from './registration.js';
import { transferVisit } from './transfer.js';

const idParams = z.object({ id: z.uuid() });

/** Queue moves of staff, by URL segment. */
const QUEUE_ACTIONS = { 'check-in': 'check_in', recall: 'recall', skip: 'skip', start: 'start', finish: 'finish' } as const;

/** Health: facilities and their services (public), patients and visits with queue numbers. */
export function healthRoutes(app: AppInstance): void {
  const tags = ['health'];
  const signedIn = { access: { authenticated: true as const } };
  const resident = { access: { authenticated: true as const, userKind: 'citizen' as const } };

  app.get(
    '/api/v1/health/facilities',
    { config: { access: { public: true } }, schema: { tags, summary: 'Puskesmas and hospitals of the tenant', response: { 200: z.object({ items: z.array(FacilityView) }) } } },
    async (req) => {
      const rows = await listFacilities(req.ctx().db.orm, req.tenant.id);
      return { items: rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, address: r.address, phone: r.phone, lat: r.lat, lng: r.lng, onlineRegistration: r.online_registration })) };
    },
  );

  app.get(
    '/api/v1/health/facilities/:id/services',
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: 'A facility’s services on a date (default: today, local time): open or closed, sessions, and the room left online and on site',
        params: idParams,
        querystring: z.object({ date: z.iso.date().optional() }),
        response: { 200: z.object({ facility: FacilityView, date: z.string(), items: z.array(ServiceDay) }) },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      const ex = ctx.db.orm;
      const f = await findFacility(ex, req.tenant.id, req.params.id);
      if (!f) throw new NotFound();
      const date = req.query.date ?? localDate(ctx.clock.now(), req.tenant.timeZone);
      const services = await listServices(ex, req.tenant.id, f.id);
      const items = await Promise.all(
        services.map(async (s) => {
          const day = await serviceDay(ex, req.tenant.id, s.id, date);
          const use = day.closed ? new Map() : await sessionUse(ex, req.tenant.id, s.id, date);
          return { id: s.id, code: s.code, name: s.name, kind: s.kind, queuePrefix: s.queue_prefix, date, closed: day.closed, sessions: roomBySession(day.sessions, use, s.onsite_share) };
        }),
      );
      return {
        facility: { id: f.id, name: f.name, kind: f.kind, address: f.address, phone: f.phone, lat: f.lat, lng: f.lng, onlineRegistration: f.online_registration },
        date,
        items,
      };
    },
  );

  const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { message: 'health.time_format' });
  const strNumber = z.string().trim().regex(/^[0-9A-Z./-]{6,30}$/, { message: 'health.str_number' });
  const Person = z.object({ name: z.string(), kind: z.enum(PRACTITIONER_KINDS), startsAt: z.string(), endsAt: z.string() });

  app.get(
    '/api/v1/health/facilities/:id/on-duty',
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: 'Dokter piket: per service, who is on duty at a local date and time (default now), or who comes next that day',
        params: idParams,
        querystring: z.object({ date: z.iso.date().optional(), time: hhmm.optional() }),
        response: { 200: z.object({ date: z.string(), time: z.string(), items: z.array(z.object({ serviceId: z.uuid(), name: z.string(), onDuty: z.array(Person), next: Person.nullable() })) }) },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      const f = await findFacility(ctx.db.orm, req.tenant.id, req.params.id);
      if (!f) throw new NotFound();
      const now = ctx.clock.now();
      const date = req.query.date ?? localDate(now, req.tenant.timeZone);
      const time = req.query.time ?? localTime(now, req.tenant.timeZone);
      return { date, time, items: await facilityOnDuty(ctx.db.orm, req.tenant.id, f.id, date, time) };
    },
  );

  const manage = { access: { permission: 'health.facilities.manage' as const } };

  app.post(
    '/api/v1/health/practitioners',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add a practitioner (doctor, dentist, midwife, nurse, pharmacist) to a facility',
        body: z.strictObject({ facilityId: z.uuid(), name: z.string().trim().min(3).max(100), kind: z.enum(PRACTITIONER_KINDS), strNumber: strNumber.optional() }),
        response: { 201: z.object({ id: z.uuid(), facilityId: z.uuid(), name: z.string(), kind: z.enum(PRACTITIONER_KINDS), strNumber: z.string().nullable() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await addPractitioner(req.ctx(), req.body)),
  );

  app.post(
    '/api/v1/health/practitioners/:id/shifts',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add a weekly shift: the practitioner serves a service of their facility on a weekday (1 = Monday) between two local times',
        params: idParams,
        body: z.strictObject({ serviceId: z.uuid(), weekday: z.number().int().min(1).max(7), startsAt: hhmm, endsAt: hhmm }),
        response: { 201: z.object({ id: z.uuid(), practitionerId: z.uuid(), serviceId: z.uuid(), weekday: z.number(), startsAt: z.string(), endsAt: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await addRosterShift(req.ctx(), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/health/practitioners/:id/exceptions',
    {
      config: manage,
      schema: {
        tags,
        summary: 'An exception on a date: leave (between two times, the whole day by default) or an extra shift at a service (a swap is one leave and one extra shift)',
        params: idParams,
        body: z.strictObject({ day: z.iso.date(), kind: z.enum(['leave', 'extra']), serviceId: z.uuid().optional(), startsAt: hhmm.optional(), endsAt: hhmm.optional(), note: z.string().trim().max(300).optional() }),
        response: {
          201: z.object({ id: z.uuid(), practitionerId: z.uuid(), day: z.string(), kind: z.enum(['leave', 'extra']), serviceId: z.uuid().nullable(), startsAt: z.string(), endsAt: z.string(), note: z.string().nullable() }),
        },
      },
    },
    async (req, reply) => reply.code(201).send(await addRosterException(req.ctx(), req.params.id, req.body)),
  );

  const Practitioner = z.object({ id: z.uuid(), facilityId: z.uuid(), name: z.string(), kind: z.enum(PRACTITIONER_KINDS), strNumber: z.string().nullable(), active: z.boolean() });

  app.get(
    '/api/v1/health/facilities/:id/roster',
    {
      config: manage,
      schema: {
        tags,
        summary: 'A facility’s practitioners (inactive ones last) with their weekly shifts, and their leave and extra shifts from a local date (default today) for 60 days',
        params: idParams,
        querystring: z.object({ from: z.iso.date().optional() }),
        response: {
          200: z.object({
            from: z.string(),
            practitioners: z.array(
              Practitioner.extend({
                shifts: z.array(z.object({ id: z.uuid(), serviceId: z.uuid(), weekday: z.number().int(), startsAt: z.string(), endsAt: z.string() })),
                exceptions: z.array(z.object({ id: z.uuid(), day: z.string(), kind: z.enum(['leave', 'extra']), serviceId: z.uuid().nullable(), startsAt: z.string(), endsAt: z.string(), note: z.string().nullable() })),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      return facilityRoster(ctx, req.params.id, req.query.from ?? localDate(ctx.clock.now(), req.tenant.timeZone));
    },
  );

  app.patch(
    '/api/v1/health/practitioners/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Rename a practitioner, set or clear their STR number, or take them off duty (inactive: on no roster, public page or estimate) and back',
        params: idParams,
        body: z
          .strictObject({ name: z.string().trim().min(3).max(100).optional(), strNumber: strNumber.nullable().optional(), active: z.boolean().optional() })
          .refine((b) => Object.keys(b).length > 0, { message: 'health.nothing_to_change' }),
        response: { 200: Practitioner },
      },
    },
    async (req) => updatePractitioner(req.ctx(), req.params.id, req.body),
  );

  const shiftParams = z.object({ id: z.uuid(), shiftId: z.uuid() });
  app.delete(
    '/api/v1/health/practitioners/:id/shifts/:shiftId',
    { config: manage, schema: { tags, summary: 'Take a weekly shift off the practitioner’s roster', params: shiftParams } },
    async (req, reply) => {
      await removeRosterShift(req.ctx(), req.params.id, req.params.shiftId);
      return reply.code(204).send();
    },
  );

  const exceptionParams = z.object({ id: z.uuid(), exceptionId: z.uuid() });
  app.delete(
    '/api/v1/health/practitioners/:id/exceptions/:exceptionId',
    { config: manage, schema: { tags, summary: 'Withdraw a leave or an extra shift of today or later (past ones are kept)', params: exceptionParams } },
    async (req, reply) => {
      await removeRosterException(req.ctx(), req.params.id, req.params.exceptionId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/health/patients',
    { config: resident, schema: { tags, summary: 'The patients a resident registered (NIK masked)', response: { 200: z.object({ items: z.array(PatientSummary) }) } } },
    async (req) => ({ items: (await listOwnPatients(req.ctx().db.orm, req.tenant.id, req.actor.id!)).map(presentPatientSummary) }),
  );

  app.post(
    '/api/v1/health/patients',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Register a patient: a resident for themselves or a family member (relation), counter staff a walk-in. The NIK must agree with the birth date and sex; one patient per NIK.',
        body: PatientBody,
        response: { 201: PatientView },
      },
    },
    async (req, reply) => reply.code(201).send(presentPatient(await registerPatient(req.ctx(), req.body))),
  );

  app.post(
    '/api/v1/health/patients/lookup',
    {
      config: { access: { authenticated: true as const, userKind: 'staff' as const } },
      schema: {
        tags,
        summary: 'Counter staff: find a walk-in’s patient record by NIK (sent in the body, not the URL; audited). 404 when nobody has that NIK.',
        body: z.strictObject({ nik: z.string().trim() }),
        response: { 200: PatientSummary },
      },
    },
    async (req) => presentPatientSummary(await lookupPatientByNik(req.ctx(), req.body.nik)),
  );

  app.get(
    '/api/v1/health/patients/:id',
    { config: signedIn, schema: { tags, summary: 'A patient’s full record, for its owner or counter staff (every read is audited)', params: idParams, response: { 200: PatientView } } },
    async (req) => presentPatient(await readPatient(req.ctx(), req.params.id)),
  );

  app.post(
    '/api/v1/health/visits',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Register a visit (online by a resident, on site by counter staff): the queue number of the service’s day (e.g. A-023) and an estimated service time',
        body: VisitBody,
        response: { 201: VisitView },
      },
    },
    async (req, reply) => reply.code(201).send(await registerVisit(req.ctx(), req.body)),
  );

  app.get(
    '/api/v1/health/visits/:id',
    {
      config: resident,
      schema: {
        tags,
        summary: 'One of a resident’s registrations, with its estimate and the number its service is at now',
        params: idParams,
        response: { 200: VisitView.extend({ nowServing: z.string().nullable() }) },
      },
    },
    async (req) => readOwnVisit(req.ctx(), req.params.id),
  );

  app.get(
    '/api/v1/health/visits',
    { config: resident, schema: { tags, summary: 'A resident’s registrations for their patients, newest day first (last 50)', response: { 200: z.object({ items: z.array(VisitView) }) } } },
    async (req) => ({ items: await listOwnVisits(req.ctx()) }),
  );

  const operate = { access: { permission: 'health.queue.operate' as const } };

  app.get(
    '/api/v1/health/facilities/:id/display',
    {
      config: { access: { public: true } },
      schema: { tags, summary: 'The facility’s queue display today (TV): per service the number called or served and the next numbers; no names', params: idParams, response: { 200: z.object({ date: z.string(), items: z.array(DisplayService) }) } },
    },
    async (req) => {
      const ctx = req.ctx();
      const f = await findFacility(ctx.db.orm, req.tenant.id, req.params.id);
      if (!f) throw new NotFound();
      const date = localDate(ctx.clock.now(), req.tenant.timeZone);
      return { date, items: await facilityDisplay(ctx.db.orm, req.tenant.id, f.id, date) };
    },
  );

  app.get(
    '/api/v1/health/desk',
    {
      config: operate,
      schema: {
        tags,
        summary: 'The facilities and services whose queues the signed-in staff member operates',
        response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string(), services: z.array(z.object({ id: z.uuid(), name: z.string(), kind: z.enum(['poli', 'pharmacy']), queuePrefix: z.string() })) })) }) },
      },
    },
    async (req) => ({ items: await deskServices(req.ctx()) }),
  );

  app.get(
    '/api/v1/health/services/:id/queue',
    {
      config: operate,
      schema: { tags, summary: 'A service’s queue of a day (default today) for its staff, in number order', params: idParams, querystring: z.object({ date: z.iso.date().optional() }), response: { 200: z.object({ service: z.object({ id: z.uuid(), name: z.string(), queuePrefix: z.string() }), date: z.string(), items: z.array(QueueVisit) }) } },
    },
    async (req) => serviceQueue(req.ctx(), req.params.id, req.query.date ?? localDate(req.ctx().clock.now(), req.tenant.timeZone)),
  );

  app.post(
    '/api/v1/health/services/:id/queue/call-next',
    { config: operate, schema: { tags, summary: 'Call the next checked-in patient of the service today (lowest number); `visit` is null when nobody waits', params: idParams, response: { 200: z.object({ visit: QueueVisit.nullable() }) } } },
    async (req) => ({ visit: await callNext(req.ctx(), req.params.id) }),
  );

  app.post(
    '/api/v1/health/visits/:id/:action',
    {
      config: operate,
      schema: {
        tags,
        summary: 'Move a visit along today’s queue: check-in (on arrival, e.g. scanning its QR code), recall, skip (no-show), start, finish (records the service time)',
        params: z.object({ id: z.uuid(), action: z.enum(Object.keys(QUEUE_ACTIONS) as [keyof typeof QUEUE_ACTIONS, ...(keyof typeof QUEUE_ACTIONS)[]]) }),
        response: { 200: QueueVisit },
      },
    },
    async (req) => actOnVisit(req.ctx(), req.params.id, QUEUE_ACTIONS[req.params.action]),
  );

  app.post(
    '/api/v1/health/visits/:id/transfer',
    {
      config: operate,
      schema: {
        tags,
        summary:
          'Send a called or served patient on to another service of the facility today (another poli, or the pharmacy queue): the visit ends and a new one is numbered in the target’s queue, checked in, in one transaction. The target must be open now; its quota does not apply (the patient is already there).',
        params: idParams,
        body: TransferBody,
        response: { 200: z.object({ from: QueueVisit, to: QueueVisit }) },
      },
    },
    async (req) => transferVisit(req.ctx(), req.params.id, req.body.serviceId),
  );

  app.post(
    '/api/v1/health/visits/:id/cancel',
    { config: signedIn, schema: { tags, summary: 'Cancel a registration not yet called (its owner, or counter staff of the facility)', params: idParams, body: CancelBody } },
    async (req, reply) => {
      if (!req.body) throw Invalid.field('', 'field.required');
      await cancelVisit(req.ctx(), req.params.id, req.body.reason);
      return reply.code(204).send();
    },
  );
}
