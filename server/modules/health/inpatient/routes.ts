import { z } from 'zod';
import {
  AdmissionBody,
  AdmissionView,
  BED_CLASSES,
  BedAvailabilityQuery,
  BedBoard,
  BedServiceBody,
  BedTransferBody,
  DischargeBody,
  HospitalBeds,
  InpatientRequestBody,
  InpatientRequestView,
} from '../../../../common/health/beds.js';
import type { AppInstance } from '../../../app.js';
import { admitPatient, dischargePatient, listAdmissions, transferBed } from './admissions.js';
import { bedAvailability, bedBoard, inpatientDesk, setBedService, siranapFeed } from './beds.js';
import { cancelOwnRequest, listFacilityRequests, listOwnRequests, requestInpatient } from './requests.js';

const idParams = z.object({ id: z.uuid() });

/** Hospital beds: public availability (and its SIRANAP-shaped feed), the admission desk, pre-registration. */
export function inpatientRoutes(app: AppInstance): void {
  const tags = ['health-inpatient'];
  const open = { access: { public: true as const } };
  const resident = { access: { authenticated: true as const, userKind: 'citizen' as const } };
  const desk = { access: { permission: 'health.inpatient.manage' as const } };

  app.get(
    '/api/v1/health/beds',
    {
      config: open,
      schema: {
        tags,
        summary: 'Hospitals with their free beds per class (counted from occupancy) and when they changed; with lat/lng, nearest first; with class, only that class and hospitals with a free bed first',
        querystring: BedAvailabilityQuery,
        response: { 200: z.object({ items: z.array(HospitalBeds) }) },
      },
    },
    async (req, reply) => {
      // Shared caches (a CDN in front) may keep it 15 s; browsers ask again, so a reload shows the beds now.
      reply.header('cache-control', 'public, max-age=0, s-maxage=15');
      return { items: await bedAvailability(req.ctx(), { bedClass: req.query.class, lat: req.query.lat, lng: req.query.lng }) };
    },
  );

  app.get(
    '/api/v1/health/beds/siranap',
    {
      config: open,
      schema: {
        tags,
        summary: 'Bed availability in the shape the Ministry of Health’s SIRANAP publishes: per hospital, per room class the beds, beds in use, free beds, waiting pre-registrations and the update time',
        response: {
          200: z.object({
            tanggal_update: z.string(),
            rumah_sakit: z.array(
              z.object({
                kode_rs: z.string(),
                nama_rs: z.string(),
                alamat: z.string(),
                telepon: z.string().nullable(),
                lat: z.number().nullable(),
                lon: z.number().nullable(),
                tgl_update: z.string(),
                tempat_tidur: z.array(
                  z.object({ kode_tt: z.enum(BED_CLASSES), nama_tt: z.string(), jumlah: z.number().int(), terpakai: z.number().int(), kosong: z.number().int(), antrian: z.number().int(), tgl_update: z.string() }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (req, reply) => {
      // Shared caches (a CDN in front) may keep it 15 s; browsers ask again, so a reload shows the beds now.
      reply.header('cache-control', 'public, max-age=0, s-maxage=15');
      return siranapFeed(req.ctx());
    },
  );

  app.get(
    '/api/v1/health/inpatient/desk',
    { config: desk, schema: { tags, summary: 'Hospitals whose admission desk the signed-in staff member runs', response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string() })) }) } } },
    async (req) => ({ items: await inpatientDesk(req.ctx()) }),
  );

  app.get(
    '/api/v1/health/facilities/:id/beds',
    { config: desk, schema: { tags, summary: 'The admission desk’s bed board: wards, rooms and beds with who lies in each', params: idParams, response: { 200: BedBoard } } },
    async (req) => bedBoard(req.ctx(), req.params.id),
  );

  app.post(
    '/api/v1/health/beds/:id/service',
    { config: desk, schema: { tags, summary: 'Take a free bed out of service (repair, cleaning) or put it back', params: idParams, body: BedServiceBody } },
    async (req, reply) => {
      await setBedService(req.ctx(), req.params.id, req.body.outOfService);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/health/facilities/:id/admissions',
    {
      config: desk,
      schema: { tags, summary: 'A hospital’s admissions: in a bed now, or the last 100 discharged', params: idParams, querystring: z.object({ status: z.enum(['admitted', 'discharged']).default('admitted') }), response: { 200: z.object({ items: z.array(AdmissionView) }) } },
    },
    async (req) => ({ items: await listAdmissions(req.ctx(), req.params.id, req.query.status) }),
  );

  app.post(
    '/api/v1/health/facilities/:id/admissions',
    {
      config: desk,
      schema: {
        tags,
        summary: 'Admit a patient into a free bed (one given, or the first free of a class), from a referral, a pre-registration or the emergency department; two admissions never get one bed',
        params: idParams,
        body: AdmissionBody,
        response: { 201: AdmissionView },
      },
    },
    async (req, reply) => reply.code(201).send(await admitPatient(req.ctx(), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/health/admissions/:id/transfer',
    { config: desk, schema: { tags, summary: 'Move an admitted patient to another free bed of the hospital; the old bed is free at once', params: idParams, body: BedTransferBody, response: { 200: AdmissionView } } },
    async (req) => transferBed(req.ctx(), req.params.id, req.body.bedId),
  );

  app.post(
    '/api/v1/health/admissions/:id/discharge',
    { config: desk, schema: { tags, summary: 'Discharge an admitted patient; the bed is free at once', params: idParams, body: DischargeBody, response: { 200: AdmissionView } } },
    async (req) => dischargePatient(req.ctx(), req.params.id, req.body.type),
  );

  app.get(
    '/api/v1/health/facilities/:id/inpatient-requests',
    { config: desk, schema: { tags, summary: 'Pending online pre-registrations at the hospital, by planned day', params: idParams, response: { 200: z.object({ items: z.array(InpatientRequestView) }) } } },
    async (req) => ({ items: await listFacilityRequests(req.ctx(), req.params.id) }),
  );

  app.post(
    '/api/v1/health/inpatient-requests',
    { config: resident, schema: { tags, summary: 'A resident pre-registers an inpatient stay for one of their patients (today up to 14 days ahead)', body: InpatientRequestBody, response: { 201: InpatientRequestView } } },
    async (req, reply) => reply.code(201).send(await requestInpatient(req.ctx(), req.body)),
  );

  app.get(
    '/api/v1/health/inpatient-requests',
    { config: resident, schema: { tags, summary: 'The resident’s pre-registrations, newest first', response: { 200: z.object({ items: z.array(InpatientRequestView) }) } } },
    async (req) => ({ items: await listOwnRequests(req.ctx()) }),
  );

  app.post(
    '/api/v1/health/inpatient-requests/:id/cancel',
    { config: resident, schema: { tags, summary: 'The resident withdraws a pending pre-registration', params: idParams, response: { 200: InpatientRequestView } } },
    async (req) => cancelOwnRequest(req.ctx(), req.params.id),
  );
}
