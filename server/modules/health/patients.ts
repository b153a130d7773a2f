import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PatientInput } from '../../../common/health/contracts.js';
import { checkPatientNik } from '../../../common/health/rules.js';
import { maskNik } from '../../../common/mask.js';
import type { Executor } from '../../db/client.js';
import { type Ctx, inTransaction } from '../../platform/context.js';
import { Conflict, Forbidden, Invalid, isUniqueViolation, NotFound } from '../../platform/errors.js';
import { rowsOf } from '../../platform/org/sql.js';
import { canAnywhere } from '../../platform/policies/actor.js';

export interface PatientRow {
  id: string;
  nik: string;
  name: string;
  birth_date: string;
  sex: 'male' | 'female';
  phone: string | null;
  address: string | null;
  bpjs_number: string | null;
  owner_user_id: string | null;
  relation: PatientInput['relation'] | null;
  created_at: string;
}

export const PATIENT_COLUMNS = sql`id::text AS id, nik, name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex, phone, address, bpjs_number,
  owner_user_id::text AS owner_user_id, relation, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at`;

/** Who registers: a resident (for themselves or family) or counter staff (a walk-in). */
function registrant(ctx: Ctx): 'resident' | 'counter' {
  if (ctx.actor.kind === 'user' && ctx.actor.userKind === 'citizen') return 'resident';
  if (ctx.actor.kind === 'user' && canAnywhere(ctx.actor, 'health.patients.register')) return 'counter';
  throw new Forbidden();
}

/**
 * Registers a patient. The NIK must be well-formed, of a registered district, and agree with the
 * birth date and sex given; a NIK is registered once per tenant. A resident says how the patient is
 * related to them (one `self` per account); counter staff register walk-ins without an owner.
 */
export async function registerPatient(ctx: Ctx, input: PatientInput): Promise<PatientRow> {
  const who = registrant(ctx);
  const now = ctx.clock.now();
  const nik = checkPatientNik(input.nik, input.birthDate, input.sex, now);
  if (!nik.ok) throw Invalid.field(nik.field, nik.error);
  if (who === 'resident' && !input.relation) throw Invalid.field('relation', 'health.relation_required');
  const relation = who === 'resident' ? input.relation! : null;
  const id = uuidv7();
  try {
    return await inTransaction(ctx, async (tx) => {
      const [district] = await rowsOf(tx.tx, sql`SELECT 1 FROM regions WHERE code = ${nik.districtCode} AND level = 3`);
      if (!district) throw Invalid.field('nik', 'health.nik_region_unknown', { code: nik.districtCode });
      if (relation === 'self') {
        const [self] = await rowsOf(
          tx.tx,
          sql`SELECT 1 FROM health_patients WHERE tenant_id = ${ctx.tenant.id} AND owner_user_id = ${ctx.actor.id!} AND relation = 'self'`,
        );
        if (self) throw new Conflict('conflict', {}, [{ field: 'relation', code: 'health.self_taken', params: {} }]);
      }
      const [row] = await rowsOf<PatientRow>(
        tx.tx,
        sql`INSERT INTO health_patients (tenant_id, id, nik, name, birth_date, sex, phone, address, bpjs_number, owner_user_id, relation, created_by, created_at, updated_at)
            VALUES (${ctx.tenant.id}, ${id}, ${input.nik.replace(/\s/g, '')}, ${input.name}, ${input.birthDate}::date, ${input.sex}, ${input.phone ?? null},
                    ${input.address || null}, ${input.bpjsNumber ?? null}, ${who === 'resident' ? ctx.actor.id! : null}, ${relation}, ${ctx.actor.id ?? null}, ${now}, ${now})
            RETURNING ${PATIENT_COLUMNS}`,
      );
      // The audit keeps who registered whom, never the NIK or health data themselves.
      await tx.audit({ action: 'health.patient.registered', entityType: 'health_patient', entityId: id, data: { relation, by: who, bpjs: Boolean(input.bpjsNumber) } });
      return row;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'health_patients_nik_uq')) throw new Conflict('conflict', {}, [{ field: 'nik', code: 'health.nik_taken', params: {} }]);
    throw e;
  }
}

/** The patients a resident registered (themselves first, then family by registration). */
export async function listOwnPatients(ex: Executor, tenantId: string, userId: string): Promise<PatientRow[]> {
  return rowsOf<PatientRow>(
    ex,
    sql`SELECT ${PATIENT_COLUMNS} FROM health_patients
         WHERE tenant_id = ${tenantId} AND owner_user_id = ${userId}
         ORDER BY relation = 'self' DESC, created_at, id`,
  );
}

export async function findPatient(ex: Executor, tenantId: string, id: string): Promise<PatientRow | undefined> {
  const [row] = await rowsOf<PatientRow>(ex, sql`SELECT ${PATIENT_COLUMNS} FROM health_patients WHERE tenant_id = ${tenantId} AND id = ${id}`);
  return row;
}

/**
 * A patient's full record, for its owner or counter staff; every read is audited (UU PDP). Other
 * residents' patients are not found.
 */
export async function readPatient(ctx: Ctx, id: string): Promise<PatientRow> {
  // Staff without the counter permission learn nothing, not even that the patient exists.
  const who = (() => {
    try {
      return registrant(ctx);
    } catch {
      throw new NotFound();
    }
  })();
  return inTransaction(ctx, async (tx) => {
    const row = await findPatient(tx.tx, ctx.tenant.id, id);
    if (!row || (who === 'resident' && row.owner_user_id !== ctx.actor.id)) throw new NotFound();
    await tx.audit({ action: 'health.patient.read', entityType: 'health_patient', entityId: id, data: { by: who } });
    return row;
  });
}

/**
 * Counter staff find a walk-in's record by NIK (read from the KTP). Audited like a full read;
 * the answer is the masked summary. Residents cannot search.
 */
export async function lookupPatientByNik(ctx: Ctx, nik: string): Promise<PatientRow> {
  if (ctx.actor.kind !== 'user' || ctx.actor.userKind === 'citizen' || !canAnywhere(ctx.actor, 'health.patients.register')) throw new Forbidden();
  const clean = nik.replace(/\s/g, '');
  if (!/^[0-9]{16}$/.test(clean)) throw Invalid.field('nik', 'nik.length');
  return inTransaction(ctx, async (tx) => {
    const [row] = await rowsOf<PatientRow>(tx.tx, sql`SELECT ${PATIENT_COLUMNS} FROM health_patients WHERE tenant_id = ${ctx.tenant.id} AND nik = ${clean}`);
    if (!row) throw new NotFound();
    await tx.audit({ action: 'health.patient.lookup', entityType: 'health_patient', entityId: row.id, data: { by: 'counter' } });
    return row;
  });
}

export function presentPatientSummary(r: PatientRow) {
  return { id: r.id, name: r.name, nikMasked: maskNik(r.nik) ?? '', birthDate: r.birth_date, sex: r.sex, relation: r.relation ?? null, hasBpjs: r.bpjs_number !== null };
}

export function presentPatient(r: PatientRow) {
  return { ...presentPatientSummary(r), nik: r.nik, phone: r.phone, address: r.address, bpjsNumber: r.bpjs_number, createdAt: r.created_at };
}
