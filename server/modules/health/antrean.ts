import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { localDate, localTime, sessionRoom } from '../../../common/health/rules.js';
import type { AppInstance } from '../../app.js';
import type { Ctx } from '../../platform/context.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { rowsOf } from '../../platform/org/sql.js';
import { facilityOnDuty } from './doctors.js';
import { findFacility, listServices, localInstant, roomBySession, serviceDay, serviceTimes, sessionUse } from './queries.js';
import { facilityDisplay } from './queue.js';
import { visitStanding } from './registration.js';

/**
 * The queue in the shape BPJS Kesehatan's antrean integration (Mobile JKN "WS Antrean") uses:
 * per poli the total, the remaining, the number being called, the quotas and the estimated wait in
 * seconds; and per booking (`kodebooking`, the visit id on the ticket) the remaining ahead, the
 * number called and the wait. Field names are BPJS's; the envelope is `{ response, metadata }`.
 *
 * Mapping: `kuotajkn`/`sisakuotajkn` are the online quota and what is left of it (Mobile JKN books
 * online), `kuotanonjkn`/`sisakuotanonjkn` the share kept for the counter and what of it is left.
 * Refusals are RFC 9457 problems (4xx).
 */

const Metadata = z.object({ message: z.string(), code: z.number().int() });
const OK = { message: 'Ok', code: 200 };

const PoliStatus = z.object({
  kodepoli: z.string(),
  namapoli: z.string(),
  namadokter: z.string(),
  totalantrean: z.number().int(),
  sisaantrean: z.number().int(),
  antreanpanggil: z.string(),
  sisakuotajkn: z.number().int(),
  kuotajkn: z.number().int(),
  sisakuotanonjkn: z.number().int(),
  kuotanonjkn: z.number().int(),
  /** Estimated wait of a patient joining the queue now, in seconds. */
  waktutunggu: z.number().int(),
  keterangan: z.string(),
});
type PoliStatusType = z.infer<typeof PoliStatus>;

const SisaAntrean = z.object({
  nomorantrean: z.string(),
  namapoli: z.string(),
  namadokter: z.string(),
  sisaantrean: z.number().int(),
  antreanpanggil: z.string(),
  waktutunggu: z.number().int(),
  keterangan: z.string(),
});

/** Every poli of a facility on a date (default today), in BPJS's status shape. */
export async function poliStatuses(ctx: Ctx, facilityId: string, date: string): Promise<PoliStatusType[]> {
  const f = await findFacility(ctx.db.orm, ctx.tenant.id, facilityId);
  if (!f) throw new NotFound();
  const now = ctx.clock.now();
  const tz = ctx.tenant.timeZone;
  const today = localDate(now, tz);
  const services = (await listServices(ctx.db.orm, ctx.tenant.id, f.id)).filter((s) => s.active);
  const display = new Map((await facilityDisplay(ctx.db.orm, ctx.tenant.id, f.id, date)).map((d) => [d.serviceId, d]));
  const time = date === today ? localTime(now, tz) : '00:00';
  const duty = new Map((await facilityOnDuty(ctx.db.orm, ctx.tenant.id, f.id, date, time)).map((d) => [d.serviceId, d]));
  const times = await serviceTimes(ctx.db.orm, ctx.tenant.id, services, localInstant(today, '00:00', tz), now);
  const out: PoliStatusType[] = [];
  for (const s of services) {
    const day = await serviceDay(ctx.db.orm, ctx.tenant.id, s.id, date);
    const use = day.closed ? new Map() : await sessionUse(ctx.db.orm, ctx.tenant.id, s.id, date);
    const sessions = day.closed ? [] : roomBySession(day.sessions, use, s.onsite_share);
    const d = display.get(s.id);
    const who = duty.get(s.id);
    const doctors = who?.onDuty.length ? who.onDuty.map((p) => p.name) : who?.next ? [who.next.name] : [];
    const [total] = await totalsOf(ctx, s.id, date);
    const waiting = d?.waiting ?? 0;
    const minutes = times.get(s.id)?.minutes ?? s.default_service_minutes;
    out.push({
      kodepoli: s.code,
      namapoli: s.name,
      namadokter: doctors.join(', '),
      totalantrean: total ?? 0,
      sisaantrean: waiting,
      antreanpanggil: d?.nowServing?.queueCode ?? '',
      kuotajkn: sessions.reduce((n, x) => n + sessionRoom(x.quota, s.onsite_share, { online: 0, onsite: 0 }, 'online'), 0),
      sisakuotajkn: sessions.reduce((n, x) => n + x.onlineRoom, 0),
      kuotanonjkn: sessions.reduce((n, x) => n + x.quota - sessionRoom(x.quota, s.onsite_share, { online: 0, onsite: 0 }, 'online'), 0),
      sisakuotanonjkn: sessions.reduce((n, x) => n + Math.max(0, x.onsiteRoom - x.onlineRoom), 0),
      waktutunggu: Math.round((waiting * minutes * 60) / Math.max(1, who?.onDuty.length ?? 1)),
      keterangan: day.closed ? (day.closed === 'holiday' ? 'Libur' : 'Tutup') : '',
    });
  }
  return out;
}

async function totalsOf(ctx: Ctx, serviceId: string, date: string): Promise<number[]> {
  const rows = await rowsOf<{ n: number }>(
    ctx.db.orm,
    sql`SELECT count(*)::int AS n FROM health_visits WHERE tenant_id = ${ctx.tenant.id} AND service_id = ${serviceId} AND day = ${date}::date AND status <> 'cancelled'`,
  );
  return rows.map((r) => r.n);
}

export function antreanRoutes(app: AppInstance): void {
  const tags = ['health-antrean'];
  const open = { access: { public: true as const } };
  const date = z.iso.date();

  app.get(
    '/api/v1/health/antrean/status/:facilityId',
    {
      config: open,
      schema: {
        tags,
        summary: 'Status antrean of every poli of a facility on a date (default today), in BPJS Kesehatan’s antrean shape; numbers only',
        params: z.object({ facilityId: z.uuid() }),
        querystring: z.object({ tanggal: date.optional() }),
        response: { 200: z.object({ response: z.object({ list: z.array(PoliStatus) }), metadata: Metadata }) },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      const list = await poliStatuses(ctx, req.params.facilityId, req.query.tanggal ?? localDate(ctx.clock.now(), req.tenant.timeZone));
      return { response: { list }, metadata: OK };
    },
  );

  app.post(
    '/api/v1/health/antrean/status',
    {
      config: open,
      schema: {
        tags,
        summary: 'Status antrean of one poli (BPJS “Status Antrean”): kodefaskes is the facility id, kodepoli the service code (e.g. umum), tanggalperiksa the date',
        body: z.strictObject({ kodefaskes: z.uuid(), kodepoli: z.string().trim().min(1).max(30), tanggalperiksa: date }),
        response: { 200: z.object({ response: PoliStatus, metadata: Metadata }) },
      },
    },
    async (req) => {
      const status = (await poliStatuses(req.ctx(), req.body.kodefaskes, req.body.tanggalperiksa)).find((p) => p.kodepoli === req.body.kodepoli);
      if (!status) throw Invalid.field('kodepoli', 'health.service_unknown');
      return { response: status, metadata: OK };
    },
  );

  app.post(
    '/api/v1/health/antrean/sisa',
    {
      config: open,
      schema: {
        tags,
        summary: 'Sisa antrean of a booking (BPJS “Sisa Antrean”): kodebooking is the visit id printed on the ticket; the remaining ahead, the number called and the estimated wait in seconds',
        body: z.strictObject({ kodebooking: z.uuid() }),
        response: { 200: z.object({ response: SisaAntrean, metadata: Metadata }) },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      const visit = await visitStanding(ctx, req.body.kodebooking);
      if (!visit) throw new NotFound();
      const [status] = (await poliStatuses(ctx, visit.facility.id, visit.date)).filter((p) => p.namapoli === visit.service.name);
      const waiting = visit.status === 'booked' || visit.status === 'checked_in';
      return {
        response: {
          nomorantrean: visit.queueCode,
          namapoli: visit.service.name,
          namadokter: status?.namadokter ?? '',
          sisaantrean: waiting ? visit.ahead : 0,
          antreanpanggil: status?.antreanpanggil ?? '',
          waktutunggu: waiting ? Math.max(0, Math.round((Date.parse(visit.estimatedAt) - ctx.clock.now().getTime()) / 1000)) : 0,
          keterangan: waiting ? '' : visit.status === 'called' || visit.status === 'serving' ? 'Sedang dipanggil/dilayani' : 'Antrean sudah selesai',
        },
        metadata: OK,
      };
    },
  );
}
