import { v7 as uuidv7 } from 'uuid';
import { canNest, type UnitKind } from '../../../../common/org.js';
import { type Ctx, inTransaction } from '../../context.js';
import { Conflict, Invalid, isUniqueViolation } from '../../errors.js';
import { unitInScope } from '../queries.js';
import { units } from '../schema.js';
import { checkRegion, lockTree } from './tree.js';

export interface CreateUnitInput {
  /** The unit to create it under; must be active and inside the actor's scope. */
  parentId: string;
  kind: UnitKind;
  /** Official name, e.g. "Bidang Bina Marga". */
  name: string;
  /** Short code, unique in the tenant (e.g. DPU-BM); letter numbering uses it later. */
  code?: string | null;
  /** Kemendagri code of the area the unit serves (kecamatan, kelurahan). */
  regionCode?: string | null;
}

/** Adds a unit to the tenant's tree below a unit the actor manages. */
export async function createUnit(ctx: Ctx, input: CreateUnitInput): Promise<string> {
  const id = uuidv7();
  const now = ctx.clock.now();
  try {
    await inTransaction(ctx, async (tx) => {
      await lockTree(tx);
      const parent = await unitInScope(tx.tx, ctx, input.parentId, 'units.manage');
      if (!parent.active) throw Invalid.field('parentId', 'field.unit_parent_inactive');
      if (!canNest(parent.kind, input.kind)) throw Invalid.field('kind', 'field.unit_kind_nesting', { parent: parent.kind, kind: input.kind });
      if (input.regionCode) await checkRegion(tx, input.regionCode);
      const row = {
        tenantId: ctx.tenant.id,
        id,
        parentId: parent.id,
        kind: input.kind,
        name: input.name,
        code: input.code ?? null,
        regionCode: input.regionCode ?? null,
        path: [...parent.path, id],
        active: true,
        createdAt: now,
        updatedAt: now,
      };
      await tx.tx.insert(units).values(row);
      const after = { parentId: parent.id, kind: input.kind, name: input.name, code: row.code, regionCode: row.regionCode };
      await tx.audit({ action: 'unit.created', entityType: 'unit', entityId: id, unitId: id, data: { after } });
      await tx.emit({ type: 'unit.created', aggregateType: 'unit', aggregateId: id, unitId: id, payload: after });
    });
  } catch (e) {
    if (isUniqueViolation(e, 'units_code_uq')) throw codeTaken(input.code);
    throw e;
  }
  return id;
}

export function codeTaken(code: string | null | undefined): Conflict {
  return new Conflict('unit_code_taken', { code }, [{ field: 'code', code: 'field.unit_code_taken', params: { code } }]);
}
