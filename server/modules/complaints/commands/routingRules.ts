import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { Conflict, Invalid, isUniqueViolation, NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { findCategory, tenantRegion } from '../queries.js';
import { complaintRoutingRules } from '../schema.js';
import { requireCategoryManager } from './saveCategory.js';

export interface AddRoutingRuleInput {
  categoryId: string;
  /** Kecamatan or kelurahan of the tenant. */
  regionCode: string;
  /** Unit that gets reports of the category from that area instead of the default unit. */
  unitId: string;
}

/** Routes a category's reports from one kecamatan or kelurahan to another unit. */
export async function addRoutingRule(ctx: Ctx, input: AddRoutingRuleInput): Promise<string> {
  requireCategoryManager(ctx);
  const id = uuidv7();
  try {
    await inTransaction(ctx, async (tx) => {
      if (!(await findCategory(tx.tx, ctx.tenant.id, input.categoryId))) throw Invalid.field('categoryId', 'complaints.category_unknown');
      if (!(await tenantRegion(tx.tx, ctx.tenant.regionCode, input.regionCode))) {
        throw Invalid.field('regionCode', 'field.region_outside_tenant', { code: input.regionCode, tenant: ctx.tenant.name });
      }
      const [unit] = await rowsOf<{ active: boolean }>(tx.tx, sql`SELECT active FROM units WHERE tenant_id = ${ctx.tenant.id} AND id = ${input.unitId}`);
      if (!unit?.active) throw Invalid.field('unitId', 'complaints.unit_unknown');
      await tx.tx.insert(complaintRoutingRules).values({ tenantId: ctx.tenant.id, id, ...input, createdAt: ctx.clock.now() });
      await tx.audit({ action: 'complaint_routing_rule.created', entityType: 'complaint_routing_rule', entityId: id, unitId: input.unitId, data: { after: input } });
      await tx.emit({ type: 'complaint_routing_rule.created', aggregateType: 'complaint_routing_rule', aggregateId: id, unitId: input.unitId, payload: { ...input } });
    });
  } catch (e) {
    if (isUniqueViolation(e, 'complaint_routing_rules_uq')) throw new Conflict('conflict', {}, [{ field: 'regionCode', code: 'complaints.rule_exists', params: {} }]);
    throw e;
  }
  return id;
}

/** Removes a routing rule; the category's default unit applies again. */
export async function removeRoutingRule(ctx: Ctx, id: string): Promise<void> {
  requireCategoryManager(ctx);
  await inTransaction(ctx, async (tx) => {
    const [gone] = await tx.tx
      .delete(complaintRoutingRules)
      .where(and(eq(complaintRoutingRules.tenantId, ctx.tenant.id), eq(complaintRoutingRules.id, id)))
      .returning();
    if (!gone) throw new NotFound();
    await tx.audit({ action: 'complaint_routing_rule.removed', entityType: 'complaint_routing_rule', entityId: id, unitId: gone.unitId, data: { before: { categoryId: gone.categoryId, regionCode: gone.regionCode, unitId: gone.unitId } } });
    await tx.emit({ type: 'complaint_routing_rule.removed', aggregateType: 'complaint_routing_rule', aggregateId: id, unitId: gone.unitId, payload: { categoryId: gone.categoryId } });
  });
}
