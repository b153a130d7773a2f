import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type Admission, type AdmissionInput, BED_CLASS_LABELS, type BedClass, type DISCHARGE_TYPES } from '../../../../common/health/beds.js';
import { maskNik } from '../../../../common/mask.js';
import type { Executor } from '../../../db/client.js';
import { type Ctx, inTransaction, type TxCtx } from '../../../platform/context.js';
import { Conflict, Forbidden, Invalid, isUniqueViolation, NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { can } from '../../../platform/policies/actor.js';
import { admissionFacility } from './beds.js';

const STAMP = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

interface BedRow {
  id: string;
  code: string;
  bed_class: BedClass;
  out_of_service: boolean;
  admission_id: string | null;
  room_sex: 'any' | 'male' | 'female';
}

/**
 * Takes a bed for an admission in one conditional UPDATE: the bed asked for if it is free and in
 * service, or — with only a class — the first free bed of that class no other transaction is taking
 * (SKIP LOCKED), so two admissions never get one bed and concurrent ones get different beds.
 */
async function takeBed(tx: TxCtx, facilityId: string, admissionId: string, want: { bedId?: string; bedClass?: BedClass }, sex: 'male' | 'female'): Promise<BedRow> {
  const now = tx.clock.now();
  const tenantId = tx.tenant.id;
  if (want.bedId) {
    const [bed] = await rowsOf<BedRow>(
      tx.tx,
      sql`SELECT b.id::text AS id, b.code, b.bed_class, b.out_of_service, b.admission_id::text AS admission_id, r.sex AS room_sex
            FROM health_beds b JOIN health_rooms r ON r.tenant_id = b.tenant_id AND r.id = b.room_id
           WHERE b.tenant_id = ${tenantId} AND b.id = ${want.bedId} AND b.facility_id = ${facilityId}`,
    );
    if (!bed) throw Invalid.field('bedId', 'health.bed_unknown');
    if (want.bedClass && bed.bed_class !== want.bedClass) throw Invalid.field('bedId', 'health.bed_class_mismatch', { bedClass: BED_CLASS_LABELS[want.bedClass] });
    if (bed.room_sex !== 'any' && bed.room_sex !== sex) throw Invalid.field('bedId', 'health.bed_room_sex');
    if (bed.out_of_service) throw new Conflict('conflict', {}, [{ field: 'bedId', code: 'health.bed_out_of_service', params: { code: bed.code } }]);
    const [taken] = await rowsOf<{ id: string }>(
      tx.tx,
      sql`UPDATE health_beds SET admission_id = ${admissionId}, changed_at = ${now}
           WHERE tenant_id = ${tenantId} AND id = ${bed.id} AND admission_id IS NULL AND NOT out_of_service
          RETURNING id::text AS id`,
    );
    if (!taken) throw new Conflict('conflict', {}, [{ field: 'bedId', code: 'health.bed_taken', params: { code: bed.code } }]);
    return { ...bed, admission_id: admissionId };
  }
  const bedClass = want.bedClass!;
  const [taken] = await rowsOf<BedRow>(
    tx.tx,
    sql`UPDATE health_beds b SET admission_id = ${admissionId}, changed_at = ${now}
          FROM health_rooms r
         WHERE b.tenant_id = ${tenantId} AND r.tenant_id = b.tenant_id AND r.id = b.room_id AND b.admission_id IS NULL
           AND b.id = (SELECT x.id FROM health_beds x JOIN health_rooms xr ON xr.tenant_id = x.tenant_id AND xr.id = x.room_id
                        WHERE x.tenant_id = ${tenantId} AND x.facility_id = ${facilityId} AND x.bed_class = ${bedClass}
                          AND x.admission_id IS NULL AND NOT x.out_of_service AND xr.sex IN ('any', ${sex})
                        ORDER BY xr.name, x.code
                        LIMIT 1
                        FOR UPDATE OF x SKIP LOCKED)
        RETURNING b.id::text AS id, b.code, b.bed_class, b.out_of_service, b.admission_id::text AS admission_id, r.sex AS room_sex`,
  );
  if (!taken) throw new Conflict('conflict', {}, [{ field: 'bedClass', code: 'health.no_free_bed', params: { bedClass: BED_CLASS_LABELS[bedClass] } }]);
  return taken;
}

/**
 * Admits a patient into a bed of the hospital: from a referral (rujukan), an online
 * pre-registration (which it closes) or the emergency department. One open admission per patient.
 */
export async function admitPatient(ctx: Ctx, facilityId: string, input: AdmissionInput): Promise<Admission> {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  const f = await admissionFacility(ctx, facilityId);
  const id = uuidv7();
  await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const [patient] = await rowsOf<{ id: string; sex: 'male' | 'female'; name: string }>(
      tx.tx,
      sql`SELECT id::text AS id, sex, name FROM health_patients WHERE tenant_id = ${ctx.tenant.id} AND id = ${input.patientId}`,
    );
    if (!patient) throw Invalid.field('patientId', 'health.patient_not_found');
    const [open] = await rowsOf<{ name: string }>(
      tx.tx,
      sql`SELECT u.name FROM health_admissions a JOIN units u ON u.tenant_id = a.tenant_id AND u.id = a.facility_id
           WHERE a.tenant_id = ${ctx.tenant.id} AND a.patient_id = ${patient.id} AND a.status = 'admitted'`,
    );
    if (open) throw new Conflict('conflict', {}, [{ field: 'patientId', code: 'health.already_admitted', params: { facility: open.name } }]);
    if (input.requestId) {
      const [req] = await rowsOf<{ status: string; patient_id: string; facility_id: string }>(
        tx.tx,
        sql`SELECT status, patient_id::text AS patient_id, facility_id::text AS facility_id FROM health_inpatient_requests
             WHERE tenant_id = ${ctx.tenant.id} AND id = ${input.requestId} FOR UPDATE`,
      );
      if (!req || req.facility_id !== f.id || req.patient_id !== patient.id) throw Invalid.field('requestId', 'health.request_unknown');
      if (req.status !== 'pending') throw new Conflict('conflict', {}, [{ field: 'requestId', code: 'health.request_not_pending' }]);
      await tx.tx.execute(sql`UPDATE health_inpatient_requests SET status = 'admitted' WHERE tenant_id = ${ctx.tenant.id} AND id = ${input.requestId}`);
    }
    // The admission row first (the bed points at it), with the class of the bed it gets.
    const bedClassHint = input.bedClass ?? (await bedClassOf(tx.tx, ctx.tenant.id, input.bedId!));
    if (!bedClassHint) throw Invalid.field('bedId', 'health.bed_unknown');
    await tx.tx.execute(
      sql`INSERT INTO health_admissions (tenant_id, id, facility_id, patient_id, status, source, referral_from, referral_number, request_id, bed_class, diagnosis, admitted_at, admitted_by)
          VALUES (${ctx.tenant.id}, ${id}, ${f.id}, ${patient.id}, 'admitted', ${input.source}, ${input.referralFrom ?? null}, ${input.referralNumber ?? null},
                  ${input.requestId ?? null}, ${bedClassHint}, ${input.diagnosis || null}, ${now}, ${ctx.actor.id!})`,
    );
    const bed = await takeBed(tx, f.id, id, { bedId: input.bedId, bedClass: input.bedClass }, patient.sex);
    await tx.tx.execute(sql`INSERT INTO health_bed_stays (tenant_id, admission_id, seq, bed_id, from_at) VALUES (${ctx.tenant.id}, ${id}, 1, ${bed.id}, ${now})`);
    await tx.audit({
      action: 'health.admission.admitted',
      entityType: 'health_admission',
      entityId: id,
      unitId: f.id,
      data: { bed: bed.code, bedClass: bed.bed_class, source: input.source, referralFrom: input.referralFrom ?? null, requestId: input.requestId ?? null },
    });
    await tx.emit({ type: 'health.bed.changed', aggregateType: 'health_admission', aggregateId: id, unitId: f.id, payload: { public: true, topic: 'beds', facilityId: f.id, bedClass: bed.bed_class } });
  }).catch((e) => {
    // A concurrent admission of the same patient committed first.
    if (isUniqueViolation(e, 'health_admissions_open_uq')) throw new Conflict('conflict', {}, [{ field: 'patientId', code: 'health.already_admitted', params: { facility: f.name } }]);
    throw e;
  });
  return readAdmission(ctx.db.orm, ctx.tenant.id, id);
}

async function bedClassOf(ex: Executor, tenantId: string, bedId: string): Promise<BedClass | undefined> {
  const [b] = await rowsOf<{ bed_class: BedClass }>(ex, sql`SELECT bed_class FROM health_beds WHERE tenant_id = ${tenantId} AND id = ${bedId}`);
  return b?.bed_class;
}

/** The open admission, locked, when the actor runs its hospital's admission desk. */
async function openAdmission(tx: TxCtx, id: string) {
  const [a] = await rowsOf<{ id: string; facility_id: string; path: string[]; status: string; patient_sex: 'male' | 'female' }>(
    tx.tx,
    sql`SELECT a.id::text AS id, a.facility_id::text AS facility_id, u.path::text[] AS path, a.status, p.sex AS patient_sex
          FROM health_admissions a
          JOIN units u ON u.tenant_id = a.tenant_id AND u.id = a.facility_id
          JOIN health_patients p ON p.tenant_id = a.tenant_id AND p.id = a.patient_id
         WHERE a.tenant_id = ${tx.tenant.id} AND a.id = ${id}
         FOR UPDATE OF a`,
  );
  if (!a || !can(tx.actor, 'health.inpatient.manage', a.path)) throw new NotFound();
  if (a.status !== 'admitted') throw new Conflict('conflict', {}, [{ field: '', code: 'health.admission_closed' }]);
  return a;
}

/** Frees the admission's bed and closes its stay; returns the freed bed. */
async function leaveBed(tx: TxCtx, admissionId: string): Promise<{ id: string; code: string; bed_class: BedClass } | undefined> {
  const now = tx.clock.now();
  const [bed] = await rowsOf<{ id: string; code: string; bed_class: BedClass }>(
    tx.tx,
    sql`UPDATE health_beds SET admission_id = NULL, changed_at = ${now} WHERE tenant_id = ${tx.tenant.id} AND admission_id = ${admissionId}
        RETURNING id::text AS id, code, bed_class`,
  );
  await tx.tx.execute(sql`UPDATE health_bed_stays SET to_at = ${now} WHERE tenant_id = ${tx.tenant.id} AND admission_id = ${admissionId} AND to_at IS NULL`);
  return bed;
}

/** Moves an admitted patient to another free bed of the hospital (another room or class). */
export async function transferBed(ctx: Ctx, id: string, bedId: string): Promise<Admission> {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  await inTransaction(ctx, async (tx) => {
    const a = await openAdmission(tx, id);
    const from = await leaveBed(tx, id);
    if (from?.id === bedId) throw Invalid.field('bedId', 'health.bed_same');
    const to = await takeBed(tx, a.facility_id, id, { bedId }, a.patient_sex);
    const [{ seq }] = await rowsOf<{ seq: number }>(tx.tx, sql`SELECT coalesce(max(seq), 0) + 1 AS seq FROM health_bed_stays WHERE tenant_id = ${ctx.tenant.id} AND admission_id = ${id}`);
    await tx.tx.execute(sql`INSERT INTO health_bed_stays (tenant_id, admission_id, seq, bed_id, from_at) VALUES (${ctx.tenant.id}, ${id}, ${seq}, ${to.id}, ${tx.clock.now()})`);
    await tx.tx.execute(sql`UPDATE health_admissions SET bed_class = ${to.bed_class} WHERE tenant_id = ${ctx.tenant.id} AND id = ${id}`);
    await tx.audit({ action: 'health.admission.transferred', entityType: 'health_admission', entityId: id, unitId: a.facility_id, data: { from: from?.code ?? null, to: to.code, bedClass: to.bed_class } });
    await tx.emit({ type: 'health.bed.changed', aggregateType: 'health_admission', aggregateId: id, unitId: a.facility_id, payload: { public: true, topic: 'beds', facilityId: a.facility_id } });
  });
  return readAdmission(ctx.db.orm, ctx.tenant.id, id);
}

/** Discharges an admitted patient (home, referred on, against advice, deceased): the bed is free at once. */
export async function dischargePatient(ctx: Ctx, id: string, type: (typeof DISCHARGE_TYPES)[number]): Promise<Admission> {
  if (ctx.actor.kind !== 'user') throw new Forbidden();
  await inTransaction(ctx, async (tx) => {
    const a = await openAdmission(tx, id);
    const bed = await leaveBed(tx, id);
    await tx.tx.execute(
      sql`UPDATE health_admissions SET status = 'discharged', discharged_at = ${tx.clock.now()}, discharge_type = ${type}, discharged_by = ${ctx.actor.id!}
           WHERE tenant_id = ${ctx.tenant.id} AND id = ${id}`,
    );
    await tx.audit({ action: 'health.admission.discharged', entityType: 'health_admission', entityId: id, unitId: a.facility_id, data: { bed: bed?.code ?? null, type } });
    await tx.emit({ type: 'health.bed.changed', aggregateType: 'health_admission', aggregateId: id, unitId: a.facility_id, payload: { public: true, topic: 'beds', facilityId: a.facility_id } });
  });
  return readAdmission(ctx.db.orm, ctx.tenant.id, id);
}

interface AdmissionRow {
  id: string;
  status: 'admitted' | 'discharged';
  facility_id: string;
  facility_name: string;
  patient_id: string;
  patient_name: string;
  nik: string;
  sex: 'male' | 'female';
  bed_id: string | null;
  bed_code: string | null;
  room: string | null;
  ward: string | null;
  bed_class: BedClass;
  source: Admission['source'];
  referral_from: string | null;
  referral_number: string | null;
  diagnosis: string | null;
  admitted_at: string;
  discharged_at: string | null;
  discharge_type: Admission['dischargeType'];
}

const ADMISSION_SELECT = sql`SELECT a.id::text AS id, a.status, a.facility_id::text AS facility_id, u.name AS facility_name, p.id::text AS patient_id, p.name AS patient_name, p.nik, p.sex,
       b.id::text AS bed_id, b.code AS bed_code, r.name AS room, w.name AS ward, a.bed_class, a.source, a.referral_from, a.referral_number, a.diagnosis,
       ${STAMP('a.admitted_at')} AS admitted_at, ${STAMP('a.discharged_at')} AS discharged_at, a.discharge_type
  FROM health_admissions a
  JOIN units u ON u.tenant_id = a.tenant_id AND u.id = a.facility_id
  JOIN health_patients p ON p.tenant_id = a.tenant_id AND p.id = a.patient_id
  LEFT JOIN health_beds b ON b.tenant_id = a.tenant_id AND b.admission_id = a.id
  LEFT JOIN health_rooms r ON r.tenant_id = b.tenant_id AND r.id = b.room_id
  LEFT JOIN health_wards w ON w.tenant_id = r.tenant_id AND w.id = r.ward_id`;

function presentAdmission(r: AdmissionRow): Admission {
  return {
    id: r.id,
    status: r.status,
    facility: { id: r.facility_id, name: r.facility_name },
    patient: { id: r.patient_id, name: r.patient_name, nikMasked: maskNik(r.nik) ?? '', sex: r.sex },
    bed: r.bed_id ? { id: r.bed_id, code: r.bed_code!, room: r.room!, ward: r.ward!, bedClass: r.bed_class } : null,
    source: r.source,
    referralFrom: r.referral_from,
    referralNumber: r.referral_number,
    diagnosis: r.diagnosis,
    admittedAt: r.admitted_at,
    dischargedAt: r.discharged_at,
    dischargeType: r.discharge_type,
  };
}

async function readAdmission(ex: Executor, tenantId: string, id: string): Promise<Admission> {
  const [r] = await rowsOf<AdmissionRow>(ex, sql`${ADMISSION_SELECT} WHERE a.tenant_id = ${tenantId} AND a.id = ${id}`);
  return presentAdmission(r!);
}

/** A hospital's admissions: those in a bed now (by bed), or the last 100 discharged. */
export async function listAdmissions(ctx: Ctx, facilityId: string, status: 'admitted' | 'discharged'): Promise<Admission[]> {
  const f = await admissionFacility(ctx, facilityId);
  const rows = await rowsOf<AdmissionRow>(
    ctx.db.orm,
    sql`${ADMISSION_SELECT} WHERE a.tenant_id = ${ctx.tenant.id} AND a.facility_id = ${f.id} AND a.status = ${status}
        ORDER BY ${status === 'admitted' ? sql`w.name, r.name, b.code` : sql`a.discharged_at DESC`} LIMIT ${status === 'admitted' ? 2000 : 100}`,
  );
  return rows.map(presentAdmission);
}
