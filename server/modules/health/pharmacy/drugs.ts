import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Drug, DrugCreateBody, DrugPatchBody } from '../../../../common/health/pharmacy.js';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { Conflict, Forbidden, isUniqueViolation, NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { can } from '../../../platform/policies/actor.js';

export interface DrugRow {
  id: string;
  code: string;
  name: string;
  form: Drug['form'];
  unit: string;
}

export const DRUG_COLUMNS = sql`d.id::text AS id, d.code, d.name, d.form, d.unit`;

export function presentDrug(r: DrugRow): Drug {
  return { id: r.id, code: r.code, name: r.name, form: r.form, unit: r.unit };
}

/** An ILIKE pattern for a search typed by staff (its own % and _ taken literally), or null. */
function likePattern(q: string | undefined): string | null {
  return q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
}

/** The tenant's active drug catalogue, by name; `q` matches the name or the code. */
export async function listDrugs(ctx: Ctx, q: string | undefined): Promise<Drug[]> {
  const like = likePattern(q);
  const rows = await rowsOf<DrugRow>(
    ctx.db.orm,
    sql`SELECT ${DRUG_COLUMNS} FROM health_drugs d
         WHERE d.tenant_id = ${ctx.tenant.id} AND d.active
           ${like ? sql`AND (d.name ILIKE ${like} OR d.code ILIKE ${like})` : sql``}
         ORDER BY lower(d.name)
         LIMIT 500`,
  );
  return rows.map(presentDrug);
}

/**
 * The catalogue is the whole government's (one list for every puskesmas and hospital): it is kept
 * by those who hold health.pharmacy.stock tenant-wide (on the root unit), not by one facility's
 * pharmacy.
 */
export function canManageCatalogue(ctx: Ctx): boolean {
  return ctx.actor.kind === 'user' && can(ctx.actor, 'health.pharmacy.stock');
}

function requireCatalogueManager(ctx: Ctx): void {
  if (!canManageCatalogue(ctx)) throw new Forbidden('health.drug_catalogue_forbidden');
}

type CatalogueRow = DrugRow & { active: boolean };

/** The whole catalogue for its page, withdrawn drugs too (after the active ones), by name. */
export async function drugCatalogue(ctx: Ctx, q: string | undefined) {
  const like = likePattern(q);
  const rows = await rowsOf<CatalogueRow>(
    ctx.db.orm,
    sql`SELECT ${DRUG_COLUMNS}, d.active FROM health_drugs d
         WHERE d.tenant_id = ${ctx.tenant.id} ${like ? sql`AND (d.name ILIKE ${like} OR d.code ILIKE ${like})` : sql``}
         ORDER BY d.active DESC, lower(d.name)
         LIMIT 1000`,
  );
  return { canManage: canManageCatalogue(ctx), items: rows.map((r) => ({ ...presentDrug(r), active: r.active })) };
}

async function readCatalogueDrug(ctx: Ctx, id: string): Promise<CatalogueRow> {
  const [row] = await rowsOf<CatalogueRow>(ctx.db.orm, sql`SELECT ${DRUG_COLUMNS}, d.active FROM health_drugs d WHERE d.tenant_id = ${ctx.tenant.id} AND d.id = ${id}`);
  if (!row) throw new NotFound();
  return row;
}

/** Adds a drug to the catalogue (its code is unique in the tenant); it can be prescribed and stocked at once. */
export async function addDrug(ctx: Ctx, input: DrugCreateBody) {
  requireCatalogueManager(ctx);
  const id = uuidv7();
  await inTransaction(ctx, async (tx) => {
    await tx.tx.execute(
      sql`INSERT INTO health_drugs (tenant_id, id, code, name, form, unit, active, created_at)
          VALUES (${ctx.tenant.id}, ${id}, ${input.code}, ${input.name}, ${input.form}, ${input.unit}, true, ${tx.clock.now()})`,
    );
    await tx.audit({ action: 'health.drug.added', entityType: 'health_drug', entityId: id, data: { ...input } });
  }).catch((e) => {
    if (isUniqueViolation(e, 'health_drugs_tenant_id_code_key')) throw new Conflict('conflict', {}, [{ field: 'code', code: 'health.drug_code_taken' }]);
    throw e;
  });
  return { ...presentDrug(await readCatalogueDrug(ctx, id)), active: true };
}

/**
 * Renames a drug, corrects its form, withdraws it from prescribing (inactive: stock stays and can
 * still be adjusted) or brings it back. Its unit is what stock and prescriptions count in: it can
 * change only while no facility has stock of it and no prescription names it.
 */
export async function updateDrug(ctx: Ctx, id: string, input: DrugPatchBody) {
  requireCatalogueManager(ctx);
  const before = await readCatalogueDrug(ctx, id);
  await inTransaction(ctx, async (tx) => {
    if (input.unit !== undefined && input.unit !== before.unit) {
      const [used] = await rowsOf<{ used: boolean }>(
        tx.tx,
        sql`SELECT EXISTS (SELECT 1 FROM health_stock WHERE tenant_id = ${ctx.tenant.id} AND drug_id = ${id})
                OR EXISTS (SELECT 1 FROM health_prescription_items WHERE tenant_id = ${ctx.tenant.id} AND drug_id = ${id}) AS used`,
      );
      if (used?.used) throw new Conflict('conflict', {}, [{ field: 'unit', code: 'health.drug_unit_in_use', params: { unit: before.unit } }]);
    }
    await tx.tx.execute(
      sql`UPDATE health_drugs SET name = coalesce(${input.name ?? null}, name), form = coalesce(${input.form ?? null}, form),
                 unit = coalesce(${input.unit ?? null}, unit), active = coalesce(${input.active ?? null}::boolean, active)
           WHERE tenant_id = ${ctx.tenant.id} AND id = ${id}`,
    );
    const changed = Object.fromEntries(
      Object.entries(input)
        .filter(([k, v]) => before[k as keyof CatalogueRow] !== v)
        .map(([k, v]) => [k, { from: before[k as keyof CatalogueRow], to: v }]),
    );
    await tx.audit({ action: 'health.drug.updated', entityType: 'health_drug', entityId: id, data: changed });
  });
  const after = await readCatalogueDrug(ctx, id);
  return { ...presentDrug(after), active: after.active };
}
