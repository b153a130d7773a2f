import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type Ctx, inTransaction, type TxCtx } from '../../context.js';
import { Conflict, Forbidden, Invalid, isUniqueViolation, NotFound } from '../../errors.js';
import type { Executor } from '../../../db/client.js';
import { can } from '../../policies/actor.js';
import { mayDelegate } from '../../policies/scope.js';
import { grants } from '../../policies/schema.js';
import { maySeeUser, mayManageGrant } from '../policies.js';
import type { UnitRow } from '../presenters.js';
import { findUser, unitInScope } from '../queries.js';
import { rowsOf } from '../sql.js';
import { authChanged } from '../../auth/sessionCache.js';

export interface GrantInput {
  /** Key of the role to give, e.g. `staff` or `unit_admin`. */
  roleKey: string;
  /** Unit on which the role applies (and everything below it). */
  unitId: string;
}

export interface ResolvedGrant {
  role: { id: string; key: string; permissions: string[] };
  unit: UnitRow;
}

/**
 * Checks that the actor may give this role on this unit: the unit is active and inside their
 * `users.manage` scope (404 otherwise) and they hold every permission of the role there (403).
 */
export async function resolveGrant(ex: Executor, ctx: Ctx, input: GrantInput, fieldPrefix = ''): Promise<ResolvedGrant> {
  const unit = await unitInScope(ex, ctx, input.unitId, 'users.manage');
  const [role] = await rowsOf<ResolvedGrant['role']>(
    ex,
    sql`SELECT id, key, permissions FROM roles WHERE tenant_id = ${ctx.tenant.id} AND key = ${input.roleKey}`,
  );
  if (!role) throw Invalid.field(`${fieldPrefix}roleKey`, 'field.role_unknown', { key: input.roleKey });
  if (!unit.active) throw Invalid.field(`${fieldPrefix}unitId`, 'field.unit_inactive');
  if (!mayDelegate(ctx.actor, role.permissions, unit.path)) throw new Forbidden('grant_role_exceeds', { role: role.key });
  return { role, unit };
}

/** Writes a checked grant and its audit event inside the caller's transaction. */
export async function insertGrant(tx: TxCtx, userId: string, g: ResolvedGrant): Promise<string> {
  const [existing] = await rowsOf<{ id: string }>(
    tx.tx,
    sql`SELECT id FROM grants WHERE tenant_id = ${tx.tenant.id} AND user_id = ${userId} AND role_id = ${g.role.id} AND unit_id = ${g.unit.id}`,
  );
  if (existing) throw new Conflict('grant_exists', { role: g.role.key });
  const id = uuidv7();
  await tx.tx.insert(grants).values({ tenantId: tx.tenant.id, id, userId, roleId: g.role.id, unitId: g.unit.id, createdBy: tx.actor.id ?? null, createdAt: tx.clock.now() });
  await tx.audit({ action: 'grant.added', entityType: 'user', entityId: userId, unitId: g.unit.id, data: { grantId: id, roleKey: g.role.key, unitId: g.unit.id } });
  return id;
}

/** Gives a staff user a role on a unit. */
export async function addGrant(ctx: Ctx, userId: string, input: GrantInput): Promise<string> {
  try {
    const id = await inTransaction(ctx, async (tx) => {
      const target = await findUser(tx.tx, ctx.tenant.id, userId);
      if (!target || !maySeeUser(ctx.actor, target)) throw new NotFound();
      if (target.user.kind !== 'staff') throw new Conflict('user_not_staff');
      const resolved = await resolveGrant(tx.tx, ctx, input);
      return insertGrant(tx, userId, resolved);
    });
    authChanged(ctx.db);
    return id;
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict('grant_exists', { role: input.roleKey });
    throw e;
  }
}

/**
 * Takes a grant back. The actor must be able to give it; an administrator cannot remove their own
 * last `admin` grant on the root, so that a tenant never locks itself out.
 */
export async function removeGrant(ctx: Ctx, userId: string, grantId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const target = await findUser(tx.tx, ctx.tenant.id, userId);
    const grant = target?.grants.find((g) => g.id === grantId);
    if (!target || !grant || !maySeeUser(ctx.actor, target)) throw new NotFound();
    // Out of scope hides the grant; in scope but above the actor's own rights is a refusal.
    if (!can(ctx.actor, 'users.manage', grant.unit_path)) throw new NotFound();
    if (!mayManageGrant(ctx.actor, grant)) throw new Forbidden('grant_role_exceeds', { role: grant.role_key });
    const isRootAdmin = (g: { role_key: string; unit_path: string[] }) => g.role_key === 'admin' && g.unit_path.length === 1;
    if (userId === ctx.actor.id && isRootAdmin(grant) && !target.grants.some((g) => g.id !== grantId && isRootAdmin(g))) {
      throw new Conflict('grant_last_admin');
    }
    await tx.tx.execute(sql`DELETE FROM grants WHERE tenant_id = ${ctx.tenant.id} AND id = ${grantId}`);
    await tx.audit({
      action: 'grant.removed',
      entityType: 'user',
      entityId: userId,
      unitId: grant.unit_id,
      data: { grantId, roleKey: grant.role_key, unitId: grant.unit_id },
    });
  });
  authChanged(ctx.db);
}
