import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type InpatientRequest, PREREGISTRATION_DAYS_AHEAD } from '../../../../common/health/beds.js';
import type { BedClass } from '../../../../common/health/beds.js';
import { daysBetween, localDate } from '../../../../common/health/rules.js';
import { maskNik } from '../../../../common/mask.js';
import type { Executor } from '../../../db/client.js';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { Conflict, Forbidden, Invalid, isUniqueViolation, NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { admissionFacility } from './beds.js';

const STAMP = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

interface RequestRow {
  id: string;
  status: InpatientRequest['status'];
  facility_id: string;
  facility_name: string;
  patient_id: string;
  patient_name: string;
  nik: string;
  bed_class: BedClass;
  planned_on: string;
  referral_from: string | null;
  referral_number: string | null;
  note: string | null;
  created_at: string;
}

const REQUEST_SELECT = sql`SELECT q.id::text AS id, q.status, q.facility_id::text AS facility_id, u.name AS facility_name, p.id::text AS patient_id, p.name AS patient_name, p.nik,
       q.bed_class, to_char(q.planned_on, 'YYYY-MM-DD') AS planned_on, q.referral_from, q.referral_number, q.note, ${STAMP('q.created_at')} AS created_at
  FROM health_inpatient_requests q
  JOIN units u ON u.tenant_id = q.tenant_id AND u.id = q.facility_id
  JOIN health_patients p ON p.tenant_id = q.tenant_id AND p.id = q.patient_id`;

function present(r: RequestRow): InpatientRequest {
  return {
    id: r.id,
    status: r.status,
    facility: { id: r.facility_id, name: r.facility_name },
    patient: { id: r.patient_id, name: r.patient_name, nikMasked: maskNik(r.nik) ?? '' },
    bedClass: r.bed_class,
    plannedOn: r.planned_on,
    referralFrom: r.referral_from,
    referralNumber: r.referral_number,
    note: r.note,
    createdAt: r.created_at,
  };
}

async function readRequest(ex: Executor, tenantId: string, id: string): Promise<InpatientRequest> {
  const [r] = await rowsOf<RequestRow>(ex, sql`${REQUEST_SELECT} WHERE q.tenant_id = ${tenantId} AND q.id = ${id}`);
  return present(r!);
}

/**
 * A resident pre-registers an inpatient stay for one of their patients at a hospital with beds of
 * the class asked, for today up to PREREGISTRATION_DAYS_AHEAD days ahead. The admission desk sees it
 * and admits from it; one pending request per patient and hospital.
 */
export async function requestInpatient(
  ctx: Ctx,
  input: { facilityId: string; patientId: string; bedClass: BedClass; plannedOn: string; referralFrom?: string; referralNumber?: string; note?: string },
): Promise<InpatientRequest> {
  if (ctx.actor.kind !== 'user' || ctx.actor.userKind !== 'citizen') throw new Forbidden();
  const today = localDate(ctx.clock.now(), ctx.tenant.timeZone);
  if (input.plannedOn < today) throw Invalid.field('plannedOn', 'health.date_past');
  if (daysBetween(today, input.plannedOn) > PREREGISTRATION_DAYS_AHEAD) throw Invalid.field('plannedOn', 'health.preregistration_too_far', { days: PREREGISTRATION_DAYS_AHEAD });
  const [patient] = await rowsOf<{ id: string }>(
    ctx.db.orm,
    sql`SELECT id::text AS id FROM health_patients WHERE tenant_id = ${ctx.tenant.id} AND id = ${input.patientId} AND owner_user_id = ${ctx.actor.id!}`,
  );
  if (!patient) throw Invalid.field('patientId', 'health.patient_unknown');
  const [beds] = await rowsOf<{ n: number }>(
    ctx.db.orm,
    sql`SELECT count(*)::int AS n FROM health_beds WHERE tenant_id = ${ctx.tenant.id} AND facility_id = ${input.facilityId} AND bed_class = ${input.bedClass} AND NOT out_of_service`,
  );
  if (!beds?.n) throw Invalid.field('bedClass', 'health.class_not_offered');
  const id = uuidv7();
  await inTransaction(ctx, async (tx) => {
    await tx.tx.execute(
      sql`INSERT INTO health_inpatient_requests (tenant_id, id, facility_id, patient_id, bed_class, planned_on, referral_from, referral_number, note, status, requested_by, created_at)
          VALUES (${ctx.tenant.id}, ${id}, ${input.facilityId}, ${patient.id}, ${input.bedClass}, ${input.plannedOn}::date, ${input.referralFrom ?? null}, ${input.referralNumber ?? null},
                  ${input.note || null}, 'pending', ${ctx.actor.id!}, ${tx.clock.now()})`,
    );
    await tx.audit({ action: 'health.inpatient_request.created', entityType: 'health_inpatient_request', entityId: id, unitId: input.facilityId, data: { bedClass: input.bedClass, plannedOn: input.plannedOn } });
  }).catch((e) => {
    if (isUniqueViolation(e, 'health_inpatient_requests_open_uq')) throw new Conflict('conflict', {}, [{ field: 'patientId', code: 'health.request_open' }]);
    throw e;
  });
  return readRequest(ctx.db.orm, ctx.tenant.id, id);
}

/** A resident's pre-registrations, newest first. */
export async function listOwnRequests(ctx: Ctx): Promise<InpatientRequest[]> {
  const rows = await rowsOf<RequestRow>(
    ctx.db.orm,
    sql`${REQUEST_SELECT} WHERE q.tenant_id = ${ctx.tenant.id} AND p.owner_user_id = ${ctx.actor.id!} ORDER BY q.created_at DESC LIMIT 50`,
  );
  return rows.map(present);
}

/** The resident withdraws a pending pre-registration of theirs. */
export async function cancelOwnRequest(ctx: Ctx, id: string): Promise<InpatientRequest> {
  const [r] = await rowsOf<{ status: string; facility_id: string }>(
    ctx.db.orm,
    sql`SELECT q.status, q.facility_id::text AS facility_id FROM health_inpatient_requests q JOIN health_patients p ON p.tenant_id = q.tenant_id AND p.id = q.patient_id
         WHERE q.tenant_id = ${ctx.tenant.id} AND q.id = ${id} AND p.owner_user_id = ${ctx.actor.id ?? null}`,
  );
  if (!r) throw new NotFound();
  await inTransaction(ctx, async (tx) => {
    const done = await rowsOf<{ id: string }>(
      tx.tx,
      sql`UPDATE health_inpatient_requests SET status = 'cancelled' WHERE tenant_id = ${ctx.tenant.id} AND id = ${id} AND status = 'pending' RETURNING id::text AS id`,
    );
    if (!done.length) throw new Conflict('conflict', {}, [{ field: '', code: 'health.request_not_pending' }]);
    await tx.audit({ action: 'health.inpatient_request.cancelled', entityType: 'health_inpatient_request', entityId: id, unitId: r.facility_id, data: {} });
  });
  return readRequest(ctx.db.orm, ctx.tenant.id, id);
}

/** The admission desk's pending pre-registrations, by planned day. */
export async function listFacilityRequests(ctx: Ctx, facilityId: string): Promise<InpatientRequest[]> {
  const f = await admissionFacility(ctx, facilityId);
  const rows = await rowsOf<RequestRow>(
    ctx.db.orm,
    sql`${REQUEST_SELECT} WHERE q.tenant_id = ${ctx.tenant.id} AND q.facility_id = ${f.id} AND q.status = 'pending' ORDER BY q.planned_on, q.created_at LIMIT 200`,
  );
  return rows.map(present);
}
