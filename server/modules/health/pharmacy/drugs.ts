import { sql } from 'drizzle-orm';
import type { Drug } from '../../../../common/health/pharmacy.js';
import type { Ctx } from '../../../platform/context.js';
import { rowsOf } from '../../../platform/org/sql.js';

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

/** The tenant's active drug catalogue, by name; `q` matches the name or the code. */
export async function listDrugs(ctx: Ctx, q: string | undefined): Promise<Drug[]> {
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
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
