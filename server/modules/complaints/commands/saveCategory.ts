import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { CategoryBody, CategoryPatch } from '../../../../common/complaints/contracts.js';
import { type Ctx, inTransaction, type TxCtx } from '../../../platform/context.js';
import { Conflict, Invalid, isUniqueViolation, NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { can } from '../../../platform/policies/actor.js';
import { findCategory } from '../queries.js';
import { complaintCategories } from '../schema.js';

export type CreateCategoryInput = z.infer<typeof CategoryBody>;
export type UpdateCategoryInput = z.infer<typeof CategoryPatch>;

/** Categories are tenant-wide: only holders of complaints.categories.manage on the root manage them. */
export function requireCategoryManager(ctx: Ctx): void {
  if (!can(ctx.actor, 'complaints.categories.manage')) throw new NotFound();
}

async function checkUnit(tx: TxCtx, unitId: string, field: string): Promise<void> {
  const [unit] = await rowsOf<{ active: boolean }>(tx.tx, sql`SELECT active FROM units WHERE tenant_id = ${tx.tenant.id} AND id = ${unitId}`);
  if (!unit?.active) throw Invalid.field(field, 'complaints.unit_unknown');
}

function nameTaken(name: string | undefined): Conflict {
  return new Conflict('conflict', {}, [{ field: 'name', code: 'complaints.category_name_taken', params: { name } }]);
}

/** Adds a report category with its default unit, deadlines and attributes. */
export async function createCategory(ctx: Ctx, input: CreateCategoryInput): Promise<string> {
  requireCategoryManager(ctx);
  const id = uuidv7();
  const now = ctx.clock.now();
  try {
    await inTransaction(ctx, async (tx) => {
      await checkUnit(tx, input.defaultUnitId, 'defaultUnitId');
      await tx.tx.insert(complaintCategories).values({ tenantId: ctx.tenant.id, id, ...input, createdAt: now, updatedAt: now });
      await tx.audit({ action: 'complaint_category.created', entityType: 'complaint_category', entityId: id, data: { after: input } });
      await tx.emit({ type: 'complaint_category.created', aggregateType: 'complaint_category', aggregateId: id, payload: { name: input.name } });
    });
  } catch (e) {
    if (isUniqueViolation(e, 'complaint_categories_name_uq')) throw nameTaken(input.name);
    throw e;
  }
  return id;
}

/** Changes a category; reports already filed keep their unit and answers. */
export async function updateCategory(ctx: Ctx, id: string, input: UpdateCategoryInput): Promise<void> {
  requireCategoryManager(ctx);
  if (Object.keys(input).length === 0) throw Invalid.field('', 'field.patch_empty');
  try {
    await inTransaction(ctx, async (tx) => {
      const before = await findCategory(tx.tx, ctx.tenant.id, id);
      if (!before) throw new NotFound();
      if (input.defaultUnitId) await checkUnit(tx, input.defaultUnitId, 'defaultUnitId');
      await tx.tx
        .update(complaintCategories)
        .set({ ...input, updatedAt: ctx.clock.now() })
        .where(and(eq(complaintCategories.tenantId, ctx.tenant.id), eq(complaintCategories.id, id)));
      await tx.audit({ action: 'complaint_category.updated', entityType: 'complaint_category', entityId: id, data: { changes: input } });
      await tx.emit({ type: 'complaint_category.updated', aggregateType: 'complaint_category', aggregateId: id, payload: { fields: Object.keys(input) } });
    });
  } catch (e) {
    if (isUniqueViolation(e, 'complaint_categories_name_uq')) throw nameTaken(input.name);
    throw e;
  }
}
