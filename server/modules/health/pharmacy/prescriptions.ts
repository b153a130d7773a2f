import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { allocateFefo, type BatchStock, type Prescription, type PrescriptionInput } from '../../../../common/health/pharmacy.js';
import { localDate } from '../../../../common/health/rules.js';
import { maskNik } from '../../../../common/mask.js';
import type { Executor } from '../../../db/client.js';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { Conflict, type FieldError, Forbidden, Invalid, NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { can } from '../../../platform/policies/actor.js';
import { findFacility } from '../queries.js';
import { type DrugRow, presentDrug } from './drugs.js';

const STAMP = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** Visits of these statuses may get a prescription: the doctor writes it while or after seeing the patient. */
const PRESCRIBABLE = ['called', 'serving', 'done'];

/**
 * Writes the prescription of a poli visit of today, or rewrites it while the pharmacy has not
 * dispensed it: the lines are replaced as a whole. Staff with `health.prescribe` on the facility.
 */
export async function writePrescription(ctx: Ctx, visitId: string, input: PrescriptionInput): Promise<{ prescription: Prescription; created: boolean }> {
  const { actor, tenant } = ctx;
  if (actor.kind !== 'user') throw new Forbidden();
  const now = ctx.clock.now();
  const today = localDate(now, tenant.timeZone);
  const result = await inTransaction(ctx, async (tx) => {
    const [visit] = await rowsOf<{ id: string; facility_id: string; path: string[]; patient_id: string; status: string; day: string; kind: string; queue_code: string }>(
      tx.tx,
      sql`SELECT v.id::text AS id, v.facility_id::text AS facility_id, u.path::text[] AS path, v.patient_id::text AS patient_id, v.status,
                 to_char(v.day, 'YYYY-MM-DD') AS day, s.kind, v.queue_code
            FROM health_visits v
            JOIN health_services s ON s.tenant_id = v.tenant_id AND s.id = v.service_id
            JOIN units u ON u.tenant_id = v.tenant_id AND u.id = v.facility_id
           WHERE v.tenant_id = ${tenant.id} AND v.id = ${visitId}
           FOR UPDATE OF v`,
    );
    if (!visit || !can(actor, 'health.prescribe', visit.path)) throw new NotFound();
    if (visit.kind !== 'poli') throw new Conflict('conflict', {}, [{ field: '', code: 'health.prescription_not_poli' }]);
    if (visit.day !== today) throw new Conflict('conflict', {}, [{ field: '', code: 'health.visit_not_today', params: { date: visit.day } }]);
    if (!PRESCRIBABLE.includes(visit.status)) throw new Conflict('conflict', {}, [{ field: '', code: 'health.prescription_visit_state', params: { status: visit.status } }]);

    const ids = input.items.map((i) => i.drugId);
    const drugs = await rowsOf<{ id: string; active: boolean }>(
      tx.tx,
      sql`SELECT id::text AS id, active FROM health_drugs WHERE tenant_id = ${tenant.id} AND id IN (SELECT (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid)`,
    );
    const known = new Map(drugs.map((d) => [d.id, d.active]));
    const unknown: FieldError[] = input.items.flatMap((item, i) => (known.get(item.drugId) ? [] : [{ field: `items.${i}.drugId`, code: 'health.drug_unknown', params: {} }]));
    if (unknown.length) throw new Invalid('validation', {}, unknown);

    const [existing] = await rowsOf<{ id: string; status: string }>(
      tx.tx,
      sql`SELECT id::text AS id, status FROM health_prescriptions WHERE tenant_id = ${tenant.id} AND visit_id = ${visit.id} FOR UPDATE`,
    );
    if (existing && existing.status !== 'pending') throw new Conflict('conflict', {}, [{ field: '', code: 'health.prescription_not_pending', params: { status: existing.status } }]);
    const id = existing?.id ?? uuidv7();
    const note = input.note || null;
    if (existing) {
      await tx.tx.execute(sql`DELETE FROM health_prescription_items WHERE tenant_id = ${tenant.id} AND prescription_id = ${id}`);
      await tx.tx.execute(
        sql`UPDATE health_prescriptions SET note = ${note}, prescribed_by = ${actor.id!}, prescriber_name = ${actor.name ?? ''}, created_at = ${now}
             WHERE tenant_id = ${tenant.id} AND id = ${id}`,
      );
    } else {
      await tx.tx.execute(
        sql`INSERT INTO health_prescriptions (tenant_id, id, facility_id, visit_id, patient_id, status, note, prescribed_by, prescriber_name, created_at)
            VALUES (${tenant.id}, ${id}, ${visit.facility_id}, ${visit.id}, ${visit.patient_id}, 'pending', ${note}, ${actor.id!}, ${actor.name ?? ''}, ${now})`,
      );
    }
    const lines = input.items.map((item, i) => ({ line: i + 1, drug_id: item.drugId, dose: item.dose, quantity: item.quantity }));
    await tx.tx.execute(
      sql`INSERT INTO health_prescription_items (tenant_id, prescription_id, line, drug_id, dose, quantity)
          SELECT ${tenant.id}, ${id}, r.line, r.drug_id, r.dose, r.quantity
            FROM jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) AS r(line smallint, drug_id uuid, dose text, quantity integer)`,
    );
    await tx.audit({
      action: existing ? 'health.prescription.rewritten' : 'health.prescription.written',
      entityType: 'health_prescription',
      entityId: id,
      unitId: visit.facility_id,
      data: { visitId: visit.id, queueCode: visit.queue_code, lines: lines.length },
    });
    return { prescription: (await readPrescriptionRow(tx.tx, tenant.id, id, today))!, created: !existing };
  });
  return result;
}

/** A visit's prescription, for its prescriber's poli or the pharmacy (each read audited: health data). */
export async function readVisitPrescription(ctx: Ctx, visitId: string): Promise<Prescription> {
  const [row] = await rowsOf<{ id: string }>(ctx.db.orm, sql`SELECT id::text AS id FROM health_prescriptions WHERE tenant_id = ${ctx.tenant.id} AND visit_id = ${visitId}`);
  if (!row) throw new NotFound();
  return readPrescription(ctx, row.id);
}

/** One prescription with its lines and the stock of each drug now; the read is audited. */
export async function readPrescription(ctx: Ctx, id: string): Promise<Prescription> {
  const { actor, tenant } = ctx;
  const today = localDate(ctx.clock.now(), tenant.timeZone);
  const p = await readPrescriptionRow(ctx.db.orm, tenant.id, id, today);
  if (!p || !mayRead(ctx, p.path)) throw new NotFound();
  await inTransaction(ctx, (tx) =>
    tx.audit({ action: 'health.prescription.read', entityType: 'health_prescription', entityId: id, unitId: p.facility.id, data: { queueCode: p.visit.queueCode, by: actor.id ?? null } }),
  );
  const { path: _path, ...view } = p;
  return view;
}

function mayRead(ctx: Ctx, path: string[]): boolean {
  return can(ctx.actor, 'health.prescribe', path) || can(ctx.actor, 'health.pharmacy.dispense', path);
}

interface HeadRow {
  id: string;
  status: Prescription['status'];
  facility_id: string;
  facility_name: string;
  path: string[];
  visit_id: string;
  queue_code: string;
  service_name: string;
  day: string;
  patient_id: string;
  patient_name: string;
  nik: string;
  pharmacy_code: string | null;
  prescriber_name: string;
  note: string | null;
  created_at: string;
  dispensed_at: string | null;
}

/** The patient's number in the facility's pharmacy queue on the prescription's day (subquery on p and v). */
const PHARMACY_CODE = sql`(SELECT pv.queue_code FROM health_visits pv
    JOIN health_services ps ON ps.tenant_id = pv.tenant_id AND ps.id = pv.service_id AND ps.kind = 'pharmacy'
   WHERE pv.tenant_id = p.tenant_id AND pv.patient_id = p.patient_id AND pv.day = v.day AND pv.facility_id = p.facility_id AND pv.status <> 'cancelled'
   ORDER BY pv.number DESC LIMIT 1)`;

async function readPrescriptionRow(ex: Executor, tenantId: string, id: string, today: string): Promise<(Prescription & { path: string[] }) | undefined> {
  const [h] = await rowsOf<HeadRow>(
    ex,
    sql`SELECT p.id::text AS id, p.status, p.facility_id::text AS facility_id, u.name AS facility_name, u.path::text[] AS path,
               v.id::text AS visit_id, v.queue_code, s.name AS service_name, to_char(v.day, 'YYYY-MM-DD') AS day,
               pt.id::text AS patient_id, pt.name AS patient_name, pt.nik, ${PHARMACY_CODE} AS pharmacy_code,
               p.prescriber_name, p.note, ${STAMP('p.created_at')} AS created_at, ${STAMP('p.dispensed_at')} AS dispensed_at
          FROM health_prescriptions p
          JOIN health_visits v ON v.tenant_id = p.tenant_id AND v.id = p.visit_id
          JOIN health_services s ON s.tenant_id = v.tenant_id AND s.id = v.service_id
          JOIN health_patients pt ON pt.tenant_id = p.tenant_id AND pt.id = p.patient_id
          JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.facility_id
         WHERE p.tenant_id = ${tenantId} AND p.id = ${id}`,
  );
  if (!h) return undefined;
  const items = await rowsOf<DrugRow & { line: number; dose: string; quantity: number; available: number; dispensed: { batchNo: string; expiresOn: string; quantity: number }[] | null }>(
    ex,
    sql`SELECT i.line, d.id::text AS id, d.code, d.name, d.form, d.unit, i.dose, i.quantity,
               (SELECT coalesce(sum(b.quantity), 0)::int FROM health_stock_batches b
                 WHERE b.tenant_id = i.tenant_id AND b.facility_id = ${h.facility_id} AND b.drug_id = i.drug_id AND b.quantity > 0 AND b.expires_on > ${today}::date) AS available,
               (SELECT json_agg(json_build_object('batchNo', b.batch_no, 'expiresOn', to_char(b.expires_on, 'YYYY-MM-DD'), 'quantity', -m.quantity) ORDER BY b.expires_on, b.batch_no)
                  FROM health_stock_moves m JOIN health_stock_batches b ON b.tenant_id = m.tenant_id AND b.id = m.batch_id
                 WHERE m.tenant_id = i.tenant_id AND m.prescription_id = i.prescription_id AND m.drug_id = i.drug_id) AS dispensed
          FROM health_prescription_items i
          JOIN health_drugs d ON d.tenant_id = i.tenant_id AND d.id = i.drug_id
         WHERE i.tenant_id = ${tenantId} AND i.prescription_id = ${id}
         ORDER BY i.line`,
  );
  return {
    id: h.id,
    status: h.status,
    path: h.path,
    facility: { id: h.facility_id, name: h.facility_name },
    visit: { id: h.visit_id, queueCode: h.queue_code, serviceName: h.service_name, date: h.day },
    patient: { id: h.patient_id, name: h.patient_name, nikMasked: maskNik(h.nik) ?? '' },
    pharmacyQueueCode: h.pharmacy_code,
    prescriber: h.prescriber_name,
    note: h.note,
    createdAt: h.created_at,
    dispensedAt: h.dispensed_at,
    items: items.map((i) => ({ line: i.line, drug: presentDrug(i), dose: i.dose, quantity: i.quantity, available: i.available, dispensed: i.dispensed ?? [] })),
  };
}

/**
 * The pharmacy's list of a facility's prescriptions of a day (pending first, then in the order
 * they were written), with the patient's pharmacy queue number; no drugs.
 */
export async function listPrescriptions(ctx: Ctx, facilityId: string, date: string, status: 'pending' | 'dispensed' | undefined) {
  const f = await findFacility(ctx.db.orm, ctx.tenant.id, facilityId);
  if (!f || !can(ctx.actor, 'health.pharmacy.dispense', f.path)) throw new NotFound();
  const rows = await rowsOf<Omit<HeadRow, 'facility_id' | 'facility_name' | 'path' | 'note' | 'visit_id' | 'patient_id'> & { item_count: number }>(
    ctx.db.orm,
    sql`SELECT p.id::text AS id, p.status, v.queue_code, s.name AS service_name, to_char(v.day, 'YYYY-MM-DD') AS day, pt.name AS patient_name, pt.nik,
               ${PHARMACY_CODE} AS pharmacy_code, p.prescriber_name, ${STAMP('p.created_at')} AS created_at, ${STAMP('p.dispensed_at')} AS dispensed_at,
               (SELECT count(*)::int FROM health_prescription_items i WHERE i.tenant_id = p.tenant_id AND i.prescription_id = p.id) AS item_count
          FROM health_prescriptions p
          JOIN health_visits v ON v.tenant_id = p.tenant_id AND v.id = p.visit_id
          JOIN health_services s ON s.tenant_id = v.tenant_id AND s.id = v.service_id
          JOIN health_patients pt ON pt.tenant_id = p.tenant_id AND pt.id = p.patient_id
         WHERE p.tenant_id = ${ctx.tenant.id} AND p.facility_id = ${facilityId} AND v.day = ${date}::date
           ${status ? sql`AND p.status = ${status}` : sql`AND p.status <> 'cancelled'`}
         ORDER BY p.status = 'pending' DESC, p.created_at
         LIMIT 500`,
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    visit: { queueCode: r.queue_code, serviceName: r.service_name, date: r.day },
    patient: { name: r.patient_name, nikMasked: maskNik(r.nik) ?? '' },
    pharmacyQueueCode: r.pharmacy_code,
    itemCount: r.item_count,
    prescriber: r.prescriber_name,
    createdAt: r.created_at,
    dispensedAt: r.dispensed_at,
  }));
}

/**
 * Hands over a pending prescription whole: each line takes its quantity from the drug's batches at
 * the facility, earliest expiry first. Stock never goes below zero, even with many pharmacists at
 * once: the drugs' stock rows and then their batches are locked in drug order (receipts and
 * adjustments lock in the same order), and a line the dispensable stock cannot cover refuses the
 * whole prescription, naming the line and what is left.
 */
export async function dispensePrescription(ctx: Ctx, id: string): Promise<Prescription> {
  const { actor, tenant } = ctx;
  if (actor.kind !== 'user') throw new Forbidden();
  const now = ctx.clock.now();
  const today = localDate(now, tenant.timeZone);
  return inTransaction(ctx, async (tx) => {
    const [p] = await rowsOf<{ id: string; status: string; facility_id: string; path: string[]; queue_code: string }>(
      tx.tx,
      sql`SELECT p.id::text AS id, p.status, p.facility_id::text AS facility_id, u.path::text[] AS path, v.queue_code
            FROM health_prescriptions p
            JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.facility_id
            JOIN health_visits v ON v.tenant_id = p.tenant_id AND v.id = p.visit_id
           WHERE p.tenant_id = ${tenant.id} AND p.id = ${id}
           FOR UPDATE OF p`,
    );
    if (!p || !can(actor, 'health.pharmacy.dispense', p.path)) throw new NotFound();
    if (p.status !== 'pending') throw new Conflict('conflict', {}, [{ field: '', code: 'health.prescription_not_pending', params: { status: p.status } }]);
    const items = await rowsOf<{ line: number; drug_id: string; code: string; name: string; unit: string; quantity: number }>(
      tx.tx,
      sql`SELECT i.line, i.drug_id::text AS drug_id, d.code, d.name, d.unit, i.quantity
            FROM health_prescription_items i JOIN health_drugs d ON d.tenant_id = i.tenant_id AND d.id = i.drug_id
           WHERE i.tenant_id = ${tenant.id} AND i.prescription_id = ${id}
           ORDER BY i.line`,
    );
    const drugIds = JSON.stringify([...new Set(items.map((i) => i.drug_id))].sort());
    const drugSet = sql`(SELECT (jsonb_array_elements_text(${drugIds}::jsonb))::uuid)`;
    await tx.tx.execute(
      sql`SELECT 1 FROM health_stock WHERE tenant_id = ${tenant.id} AND facility_id = ${p.facility_id} AND drug_id IN ${drugSet} ORDER BY drug_id FOR UPDATE`,
    );
    const batches = await rowsOf<{ id: string; drug_id: string; batch_no: string; expires_on: string; quantity: number }>(
      tx.tx,
      sql`SELECT id::text AS id, drug_id::text AS drug_id, batch_no, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, quantity
            FROM health_stock_batches
           WHERE tenant_id = ${tenant.id} AND facility_id = ${p.facility_id} AND drug_id IN ${drugSet} AND quantity > 0
           ORDER BY drug_id, expires_on, id
           FOR UPDATE`,
    );
    const byDrug = new Map<string, BatchStock[]>();
    for (const b of batches) {
      const list = byDrug.get(b.drug_id) ?? [];
      list.push({ id: b.id, expiresOn: b.expires_on, quantity: b.quantity });
      byDrug.set(b.drug_id, list);
    }
    const short: FieldError[] = [];
    const takes: { batch_id: string; drug_id: string; take: number }[] = [];
    items.forEach((item, i) => {
      const stock = byDrug.get(item.drug_id) ?? [];
      const plan = allocateFefo(stock, item.quantity, today);
      if (!plan) {
        const available = stock.filter((b) => b.expiresOn > today).reduce((n, b) => n + b.quantity, 0);
        short.push({ field: `items.${i}.quantity`, code: 'health.stock_insufficient', params: { drug: item.name, available, unit: item.unit, quantity: item.quantity } });
        return;
      }
      for (const x of plan) takes.push({ batch_id: x.batchId, drug_id: item.drug_id, take: x.take });
    });
    if (short.length) throw new Conflict('conflict', {}, short);

    const balances = await rowsOf<{ id: string; quantity: number }>(
      tx.tx,
      sql`UPDATE health_stock_batches b SET quantity = b.quantity - r.take
            FROM jsonb_to_recordset(${JSON.stringify(takes)}::jsonb) AS r(batch_id uuid, take integer)
           WHERE b.tenant_id = ${tenant.id} AND b.id = r.batch_id
          RETURNING b.id::text AS id, b.quantity`,
    );
    const balance = new Map(balances.map((b) => [b.id, b.quantity]));
    const perDrug = [...takes.reduce((m, t) => m.set(t.drug_id, (m.get(t.drug_id) ?? 0) + t.take), new Map<string, number>())].map(([drug_id, take]) => ({ drug_id, take }));
    await tx.tx.execute(
      sql`UPDATE health_stock s SET on_hand = s.on_hand - r.take, updated_at = ${now}
            FROM jsonb_to_recordset(${JSON.stringify(perDrug)}::jsonb) AS r(drug_id uuid, take integer)
           WHERE s.tenant_id = ${tenant.id} AND s.facility_id = ${p.facility_id} AND s.drug_id = r.drug_id`,
    );
    const moves = takes.map((t) => ({ id: uuidv7(), drug_id: t.drug_id, batch_id: t.batch_id, quantity: -t.take, balance: balance.get(t.batch_id)! }));
    await tx.tx.execute(
      sql`INSERT INTO health_stock_moves (tenant_id, id, facility_id, drug_id, batch_id, kind, quantity, balance, prescription_id, actor_id, created_at)
          SELECT ${tenant.id}, r.id, ${p.facility_id}, r.drug_id, r.batch_id, 'dispense', r.quantity, r.balance, ${id}, ${actor.id!}, ${now}
            FROM jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) AS r(id uuid, drug_id uuid, batch_id uuid, quantity integer, balance integer)`,
    );
    await tx.tx.execute(sql`UPDATE health_prescriptions SET status = 'dispensed', dispensed_at = ${now}, dispensed_by = ${actor.id!} WHERE tenant_id = ${tenant.id} AND id = ${id}`);
    const batchNo = new Map(batches.map((b) => [b.id, b.batch_no]));
    await tx.audit({
      action: 'health.prescription.dispensed',
      entityType: 'health_prescription',
      entityId: id,
      unitId: p.facility_id,
      data: {
        queueCode: p.queue_code,
        lines: items.map((item) => ({ drug: item.code, quantity: item.quantity, batches: takes.filter((t) => t.drug_id === item.drug_id).map((t) => ({ batchNo: batchNo.get(t.batch_id), take: t.take })) })),
      },
    });
    const { path: _path, ...view } = (await readPrescriptionRow(tx.tx, tenant.id, id, today))!;
    return view;
  });
}
