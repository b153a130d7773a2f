import { and, eq, sql } from 'drizzle-orm';
import { canNest } from '../../../../common/org.js';
import { type Ctx, inTransaction, type TxCtx } from '../../context.js';
import { Conflict, Invalid, isUniqueViolation } from '../../errors.js';
import { unitInScope } from '../queries.js';
import type { UnitRow } from '../presenters.js';
import { units } from '../schema.js';
import { rowsOf } from '../sql.js';
import { codeTaken } from './createUnit.js';
import { checkRegion, lockTree } from './tree.js';
import { authChanged } from '../../auth/sessionCache.js';

export interface UpdateUnitInput {
  name?: string;
  /** New code, or null to remove it. */
  code?: string | null;
  regionCode?: string | null;
  /** Move the unit (and everything below it) under another unit. */
  parentId?: string;
  /** false deactivates (only without active children); true reactivates (only under an active parent). */
  active?: boolean;
}

/**
 * Renames, recodes, moves, deactivates or reactivates a unit the actor manages. Each kind of
 * change writes its own audit event with the values before and after.
 */
export async function updateUnit(ctx: Ctx, id: string, input: UpdateUnitInput): Promise<void> {
  try {
    await inTransaction(ctx, async (tx) => {
      await lockTree(tx);
      const unit = await unitInScope(tx.tx, ctx, id, 'units.manage');
      const now = ctx.clock.now();
      const set = (values: Partial<typeof units.$inferInsert>) =>
        tx.tx
          .update(units)
          .set({ ...values, updatedAt: now })
          .where(and(eq(units.tenantId, ctx.tenant.id), eq(units.id, id)));
      const record = async (action: string, before: Record<string, unknown>, after: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
        await tx.audit({ action, entityType: 'unit', entityId: id, unitId: id, data: { before, after, ...extra } });
        await tx.emit({ type: action, aggregateType: 'unit', aggregateId: id, unitId: id, payload: { before, after, ...extra } });
      };

      if (input.parentId !== undefined && input.parentId !== unit.parent_id) await moveUnit(tx, unit, input.parentId, record);

      if (input.name !== undefined && input.name !== unit.name) {
        await set({ name: input.name });
        await record('unit.renamed', { name: unit.name }, { name: input.name });
      }

      const codeChanged = input.code !== undefined && input.code !== unit.code;
      const regionChanged = input.regionCode !== undefined && input.regionCode !== unit.region_code;
      if (regionChanged && input.regionCode) await checkRegion(tx, input.regionCode);
      if (codeChanged || regionChanged) {
        const after = { code: codeChanged ? input.code! : unit.code, regionCode: regionChanged ? input.regionCode! : unit.region_code };
        await set(after);
        await record('unit.updated', { code: unit.code, regionCode: unit.region_code }, after);
      }

      if (input.active !== undefined && input.active !== unit.active) {
        if (input.active) {
          const [parent] = await rowsOf<{ active: boolean }>(tx.tx, sql`SELECT active FROM units WHERE tenant_id = ${ctx.tenant.id} AND id = ${unit.parent_id}`);
          if (parent && !parent.active) throw new Conflict('unit_parent_inactive');
          await set({ active: true });
          await record('unit.reactivated', { active: false }, { active: true });
        } else {
          if (unit.parent_id === null) throw Invalid.field('active', 'field.unit_root_deactivate');
          const [{ n }] = await rowsOf<{ n: number }>(
            tx.tx,
            sql`SELECT count(*)::int AS n FROM units WHERE tenant_id = ${ctx.tenant.id} AND parent_id = ${id} AND active`,
          );
          if (n > 0) throw new Conflict('unit_has_active_children', { count: n });
          await set({ active: false });
          await record('unit.deactivated', { active: true }, { active: false });
        }
      }
    });
    authChanged(ctx.db);
  } catch (e) {
    if (isUniqueViolation(e, 'units_code_uq')) throw codeTaken(input.code);
    throw e;
  }
}

/**
 * Moves a unit and its whole subtree in one statement: every path that runs through the unit gets
 * the new parent's path in front of the unit's part.
 */
async function moveUnit(
  tx: TxCtx,
  unit: UnitRow,
  parentId: string,
  record: (action: string, before: Record<string, unknown>, after: Record<string, unknown>, extra?: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  if (unit.parent_id === null) throw Invalid.field('parentId', 'field.unit_root_immovable');
  const parent = await unitInScope(tx.tx, tx, parentId, 'units.manage');
  if (parent.path.includes(unit.id)) throw Invalid.field('parentId', 'field.unit_move_cycle');
  if (!parent.active) throw Invalid.field('parentId', 'field.unit_parent_inactive');
  if (!canNest(parent.kind, unit.kind)) throw Invalid.field('parentId', 'field.unit_kind_nesting', { parent: parent.kind, kind: unit.kind });
  const newPrefix = sql`ARRAY[${sql.join(
    parent.path.map((p) => sql`${p}`),
    sql`, `,
  )}]::uuid[]`;
  const moved = await rowsOf<{ id: string }>(
    tx.tx,
    sql`UPDATE units
           SET path = ${newPrefix} || path[${unit.path.length}::int:],
               parent_id = CASE WHEN id = ${unit.id} THEN ${parent.id}::uuid ELSE parent_id END,
               updated_at = CASE WHEN id = ${unit.id} THEN ${tx.clock.now().toISOString()}::timestamptz ELSE updated_at END
         WHERE tenant_id = ${tx.tenant.id} AND path @> ARRAY[${unit.id}]::uuid[]
     RETURNING id`,
  );
  await record('unit.moved', { parentId: unit.parent_id }, { parentId: parent.id }, { subtreeSize: moved.length });
}
