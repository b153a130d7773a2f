import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { Invalid } from '../../errors.js';
import { rowsOf } from '../sql.js';

/** Advisory lock namespace for changes to a tenant's unit tree (create, move, (de)activate). */
const TREE_LOCK = 7_305_010;

/**
 * Serialises structural changes of one tenant's tree, so that two moves cannot build a cycle and a
 * unit created under a parent that is being moved gets the parent's new path. Other tenants and
 * every other write are not affected.
 */
export async function lockTree(tx: TxCtx): Promise<void> {
  await tx.tx.execute(sql`SELECT pg_advisory_xact_lock(${TREE_LOCK}, hashtext(${tx.tenant.id}))`);
}

/**
 * A unit's region must be a known Kemendagri code inside the tenant's own region (a kecamatan of
 * Makassar cannot point at a district of another city).
 */
export async function checkRegion(tx: TxCtx, code: string, field = 'regionCode'): Promise<void> {
  const own = tx.tenant.regionCode;
  const [found] = await rowsOf<{ code: string }>(tx.tx, sql`SELECT code FROM regions WHERE code = ${code}`);
  if (!found) throw Invalid.field(field, 'field.region_unknown', { code });
  if (code !== own && !code.startsWith(`${own}.`)) throw Invalid.field(field, 'field.region_outside_tenant', { code, tenant: own });
}
