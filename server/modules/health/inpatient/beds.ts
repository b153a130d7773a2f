import { sql } from 'drizzle-orm';
import { BED_CLASS_LABELS, type BedBoardType, type BedClass, type ClassAvailability, distanceKm, type HospitalBedsType, sortHospitals } from '../../../../common/health/beds.js';
import { maskNik } from '../../../../common/mask.js';
import type { Executor } from '../../../db/client.js';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { Conflict, Forbidden, NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { can } from '../../../platform/policies/actor.js';
import { findFacility } from '../queries.js';

const STAMP = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

interface ClassRow {
  facility_id: string;
  bed_class: BedClass;
  total: number;
  free: number;
  updated_at: string;
}

/** Beds in service and free beds per facility and class, counted from the beds themselves. */
async function classCounts(ex: Executor, tenantId: string, facilityId?: string): Promise<ClassRow[]> {
  return rowsOf<ClassRow>(
    ex,
    sql`SELECT facility_id::text AS facility_id, bed_class,
               count(*) FILTER (WHERE NOT out_of_service)::int AS total,
               count(*) FILTER (WHERE NOT out_of_service AND admission_id IS NULL)::int AS free,
               ${STAMP('max(changed_at)')} AS updated_at
          FROM health_beds
         WHERE tenant_id = ${tenantId} ${facilityId ? sql`AND facility_id = ${facilityId}` : sql``}
         GROUP BY facility_id, bed_class`,
  );
}

/** The latest of ISO instants (they sort as text), or '' for none. */
function latest(instants: string[]): string {
  return [...instants].sort().at(-1) ?? '';
}

const CLASS_ORDER = new Map(Object.keys(BED_CLASS_LABELS).map((c, i) => [c, i]));
const byClass = (a: { bedClass: string }, b: { bedClass: string }) => CLASS_ORDER.get(a.bedClass)! - CLASS_ORDER.get(b.bedClass)!;

/**
 * The public bed availability: every hospital of the tenant with beds, its free beds per class and
 * when they last changed; with a class, only hospitals that have it; with the user's location, the
 * distance to each and nearest first.
 */
export async function bedAvailability(ctx: Ctx, opts: { bedClass?: BedClass; lat?: number; lng?: number }): Promise<HospitalBedsType[]> {
  const counts = await classCounts(ctx.db.orm, ctx.tenant.id);
  const facilities = await rowsOf<{ id: string; name: string; address: string; phone: string | null; lat: number | null; lng: number | null }>(
    ctx.db.orm,
    sql`SELECT u.id::text AS id, u.name, f.address, f.phone, f.lat, f.lng
          FROM health_facilities f JOIN units u ON u.tenant_id = f.tenant_id AND u.id = f.unit_id AND u.active
         WHERE f.tenant_id = ${ctx.tenant.id} AND EXISTS (SELECT 1 FROM health_beds b WHERE b.tenant_id = f.tenant_id AND b.facility_id = f.unit_id)`,
  );
  const here = opts.lat !== undefined && opts.lng !== undefined ? { lat: opts.lat, lng: opts.lng } : null;
  const items = facilities
    .map((f) => {
      const classes: ClassAvailability[] = counts
        .filter((c) => c.facility_id === f.id && c.total > 0 && (!opts.bedClass || c.bed_class === opts.bedClass))
        .map((c) => ({ bedClass: c.bed_class, total: c.total, free: c.free, updatedAt: c.updated_at }))
        .sort(byClass);
      const updatedAt = latest(classes.map((c) => c.updatedAt));
      return {
        facility: f,
        name: f.name,
        distanceKm: here && f.lat !== null && f.lng !== null ? Math.round(distanceKm(here, { lat: f.lat, lng: f.lng }) * 10) / 10 : null,
        classes,
        updatedAt,
      };
    })
    .filter((h) => h.classes.length > 0);
  return sortHospitals(items, opts.bedClass).map(({ name: _name, ...h }) => h);
}

/**
 * The same availability in the shape the Ministry of Health's SIRANAP publishes per hospital: the
 * room classes with beds, beds in use, free beds, the waiting pre-registrations and the update time.
 * `kode_tt` is Balai's class key (mapping to a national code list is the integration's job).
 */
export async function siranapFeed(ctx: Ctx) {
  const counts = await classCounts(ctx.db.orm, ctx.tenant.id);
  const waiting = await rowsOf<{ facility_id: string; bed_class: string; n: number }>(
    ctx.db.orm,
    sql`SELECT facility_id::text AS facility_id, bed_class, count(*)::int AS n FROM health_inpatient_requests
         WHERE tenant_id = ${ctx.tenant.id} AND status = 'pending' GROUP BY facility_id, bed_class`,
  );
  const facilities = await rowsOf<{ id: string; code: string | null; name: string; address: string; phone: string | null; lat: number | null; lng: number | null }>(
    ctx.db.orm,
    sql`SELECT u.id::text AS id, u.code, u.name, f.address, f.phone, f.lat, f.lng
          FROM health_facilities f JOIN units u ON u.tenant_id = f.tenant_id AND u.id = f.unit_id AND u.active
         WHERE f.tenant_id = ${ctx.tenant.id} AND EXISTS (SELECT 1 FROM health_beds b WHERE b.tenant_id = f.tenant_id AND b.facility_id = f.unit_id)
         ORDER BY u.name`,
  );
  return {
    tanggal_update: ctx.clock.now().toISOString(),
    rumah_sakit: facilities.map((f) => {
      const classes = counts.filter((c) => c.facility_id === f.id).sort((a, b) => byClass({ bedClass: a.bed_class }, { bedClass: b.bed_class }));
      return {
        kode_rs: f.code ?? f.id,
        nama_rs: f.name,
        alamat: f.address,
        telepon: f.phone,
        lat: f.lat,
        lon: f.lng,
        tgl_update: latest(classes.map((c) => c.updated_at)),
        tempat_tidur: classes.map((c) => ({
          kode_tt: c.bed_class,
          nama_tt: BED_CLASS_LABELS[c.bed_class],
          jumlah: c.total,
          terpakai: c.total - c.free,
          kosong: c.free,
          antrian: waiting.find((w) => w.facility_id === f.id && w.bed_class === c.bed_class)?.n ?? 0,
          tgl_update: c.updated_at,
        })),
      };
    }),
  };
}

/** The facility, when the actor runs its admission desk. */
export async function admissionFacility(ctx: Ctx, facilityId: string) {
  const f = await findFacility(ctx.db.orm, ctx.tenant.id, facilityId);
  if (!f || !can(ctx.actor, 'health.inpatient.manage', f.path)) throw new NotFound();
  return f;
}

/** The admission desk's board of a hospital: wards → rooms → beds with their occupants. */
export async function bedBoard(ctx: Ctx, facilityId: string): Promise<BedBoardType> {
  const f = await admissionFacility(ctx, facilityId);
  const rows = await rowsOf<{
    ward_id: string;
    ward: string;
    room_id: string;
    room: string;
    bed_class: BedClass;
    sex: 'any' | 'male' | 'female';
    bed_id: string;
    code: string;
    out_of_service: boolean;
    admission_id: string | null;
    patient_name: string | null;
    nik: string | null;
    admitted_at: string | null;
  }>(
    ctx.db.orm,
    sql`SELECT w.id::text AS ward_id, w.name AS ward, r.id::text AS room_id, r.name AS room, r.bed_class, r.sex,
               b.id::text AS bed_id, b.code, b.out_of_service, b.admission_id::text AS admission_id,
               p.name AS patient_name, p.nik, ${STAMP('a.admitted_at')} AS admitted_at
          FROM health_beds b
          JOIN health_rooms r ON r.tenant_id = b.tenant_id AND r.id = b.room_id
          JOIN health_wards w ON w.tenant_id = r.tenant_id AND w.id = r.ward_id
          LEFT JOIN health_admissions a ON a.tenant_id = b.tenant_id AND a.id = b.admission_id
          LEFT JOIN health_patients p ON p.tenant_id = a.tenant_id AND p.id = a.patient_id
         WHERE b.tenant_id = ${ctx.tenant.id} AND b.facility_id = ${f.id}
         ORDER BY w.sort_order, w.name, r.name, b.code`,
  );
  const wards: BedBoardType['wards'] = [];
  for (const r of rows) {
    let ward = wards.at(-1);
    if (ward?.id !== r.ward_id) wards.push((ward = { id: r.ward_id, name: r.ward, rooms: [] }));
    let room = ward.rooms.at(-1);
    if (room?.id !== r.room_id) ward.rooms.push((room = { id: r.room_id, name: r.room, bedClass: r.bed_class, sex: r.sex, beds: [] }));
    room.beds.push({
      id: r.bed_id,
      code: r.code,
      outOfService: r.out_of_service,
      occupant: r.admission_id ? { admissionId: r.admission_id, name: r.patient_name ?? '', nikMasked: maskNik(r.nik) ?? '', admittedAt: r.admitted_at ?? '' } : null,
    });
  }
  const counts = await classCounts(ctx.db.orm, ctx.tenant.id, f.id);
  const [pending] = await rowsOf<{ n: number }>(
    ctx.db.orm,
    sql`SELECT count(*)::int AS n FROM health_inpatient_requests WHERE tenant_id = ${ctx.tenant.id} AND facility_id = ${f.id} AND status = 'pending'`,
  );
  return {
    facility: { id: f.id, name: f.name },
    classes: counts.map((c) => ({ bedClass: c.bed_class, total: c.total, free: c.free, updatedAt: c.updated_at })).sort(byClass),
    wards,
    pendingRequests: pending?.n ?? 0,
  };
}

/** Takes a free bed out of service (repair, cleaning) or back; an occupied bed cannot be. */
export async function setBedService(ctx: Ctx, bedId: string, outOfService: boolean): Promise<void> {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  const [bed] = await rowsOf<{ facility_id: string; path: string[]; code: string }>(
    ctx.db.orm,
    sql`SELECT b.facility_id::text AS facility_id, u.path::text[] AS path, b.code FROM health_beds b JOIN units u ON u.tenant_id = b.tenant_id AND u.id = b.facility_id
         WHERE b.tenant_id = ${ctx.tenant.id} AND b.id = ${bedId}`,
  );
  if (!bed || !can(ctx.actor, 'health.inpatient.manage', bed.path)) throw new NotFound();
  await inTransaction(ctx, async (tx) => {
    const changed = await rowsOf<{ id: string }>(
      tx.tx,
      sql`UPDATE health_beds SET out_of_service = ${outOfService}, changed_at = ${tx.clock.now()}
           WHERE tenant_id = ${ctx.tenant.id} AND id = ${bedId} AND admission_id IS NULL AND out_of_service <> ${outOfService}
          RETURNING id::text AS id`,
    );
    if (changed.length === 0) {
      const [now] = await rowsOf<{ out_of_service: boolean }>(tx.tx, sql`SELECT out_of_service FROM health_beds WHERE tenant_id = ${ctx.tenant.id} AND id = ${bedId}`);
      if (now?.out_of_service === outOfService) return;
      throw new Conflict('conflict', {}, [{ field: '', code: 'health.bed_occupied_service' }]);
    }
    await tx.audit({ action: outOfService ? 'health.bed.out_of_service' : 'health.bed.in_service', entityType: 'health_bed', entityId: bedId, unitId: bed.facility_id, data: { code: bed.code } });
    await tx.emit({ type: 'health.bed.changed', aggregateType: 'health_bed', aggregateId: bedId, unitId: bed.facility_id, payload: { public: true, topic: 'beds', facilityId: bed.facility_id } });
  });
}

/** Hospitals whose admission desk the actor runs (the inpatient page's picker). */
export async function inpatientDesk(ctx: Ctx): Promise<{ id: string; name: string }[]> {
  const rows = await rowsOf<{ id: string; name: string; path: string[] }>(
    ctx.db.orm,
    sql`SELECT u.id::text AS id, u.name, u.path::text[] AS path
          FROM health_facilities f JOIN units u ON u.tenant_id = f.tenant_id AND u.id = f.unit_id AND u.active
         WHERE f.tenant_id = ${ctx.tenant.id} AND EXISTS (SELECT 1 FROM health_beds b WHERE b.tenant_id = f.tenant_id AND b.facility_id = f.unit_id)
         ORDER BY u.name`,
  );
  return rows.filter((r) => can(ctx.actor, 'health.inpatient.manage', r.path)).map(({ id, name }) => ({ id, name }));
}
