import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { isPermission, PERMISSIONS, type Permission } from '../../../common/permissions.js';
import { type Ctx, inTransaction, reader } from '../context.js';
import { Conflict, Forbidden, type FieldError, Invalid, isUniqueViolation, NotFound } from '../errors.js';
import { isoUtc, rowsOf } from '../org/sql.js';
import { can } from './actor.js';
import { missingPermissions } from './scope.js';
import { roles } from './schema.js';
import { authChanged } from '../auth/sessionCache.js';

const Label = z.object({ id: z.string(), en: z.string() });
export const PermissionView = z.object({ key: z.string(), label: Label });

export const RoleView = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  /** System roles come with every tenant and cannot be changed. */
  system: z.boolean(),
  permissions: z.array(PermissionView),
  /** How many grants give this role. */
  grantCount: z.number().int(),
  createdAt: z.string(),
});
export type RoleView = z.infer<typeof RoleView>;

export function presentPermission(key: string): z.infer<typeof PermissionView> {
  const label = isPermission(key) ? PERMISSIONS[key] : { id: key, en: key };
  return { key, label: { id: label.id, en: label.en } };
}

/** The permission catalogue with labels, in catalogue order. */
export function permissionCatalogue(): z.infer<typeof PermissionView>[] {
  return Object.keys(PERMISSIONS).map(presentPermission);
}

interface RoleRow {
  id: string;
  key: string;
  name: string;
  description: string;
  system: boolean;
  permissions: string[];
  grant_count: number;
  created_at: string;
}

const roleSelect = sql`SELECT r.id, r.key, r.name, r.description, r.system, r.permissions,
                              (SELECT count(*)::int FROM grants g WHERE g.tenant_id = r.tenant_id AND g.role_id = r.id) AS grant_count,
                              ${isoUtc(sql`r.created_at`)} AS created_at
                         FROM roles r`;

function presentRole(r: RoleRow): RoleView {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    description: r.description,
    system: r.system,
    permissions: r.permissions.map(presentPermission),
    grantCount: Number(r.grant_count),
    createdAt: r.created_at,
  };
}

/** Every role of the tenant: system roles first, then by name (a handful; not paginated). */
export async function listRoles(ctx: Ctx): Promise<RoleView[]> {
  const rows = await rowsOf<RoleRow>(reader(ctx), sql`${roleSelect} WHERE r.tenant_id = ${ctx.tenant.id} ORDER BY r.system DESC, r.name, r.id`);
  return rows.map(presentRole);
}

export async function getRole(ctx: Ctx, id: string): Promise<RoleView> {
  const [row] = await rowsOf<RoleRow>(reader(ctx), sql`${roleSelect} WHERE r.tenant_id = ${ctx.tenant.id} AND r.id = ${id}`);
  if (!row) throw new NotFound();
  return presentRole(row);
}

/**
 * Roles are tenant-wide definitions: changing them needs `users.manage` on the root, and a role can
 * only hold permissions its author holds tenant-wide (otherwise editing a role one holds would be a
 * way to raise one's own rights).
 */
function checkRoleAuthor(ctx: Ctx, permissions: string[] | undefined): void {
  if (!can(ctx.actor, 'users.manage')) throw new Forbidden('tenant_wide_required', { permission: 'users.manage' });
  if (!permissions) return;
  const errors: FieldError[] = [];
  permissions.forEach((p, i) => {
    if (!isPermission(p)) errors.push({ field: `permissions.${i}`, code: 'field.permission_unknown', params: { key: p } });
  });
  if (errors.length) throw new Invalid('validation', {}, errors);
  const missing = missingPermissions(ctx.actor, permissions);
  if (missing.length) throw new Forbidden('role_permission_not_held', { permissions: missing });
}

export interface CreateRoleInput {
  /** Stable identifier, e.g. `operator_112`. */
  key: string;
  name: string;
  description: string;
  permissions: string[];
}

/** Defines a new role from the permission catalogue. */
export async function createRole(ctx: Ctx, input: CreateRoleInput): Promise<string> {
  checkRoleAuthor(ctx, input.permissions);
  const id = uuidv7();
  const permissions = [...new Set(input.permissions)] as Permission[];
  try {
    await inTransaction(ctx, async (tx) => {
      await tx.tx.insert(roles).values({
        tenantId: ctx.tenant.id,
        id,
        key: input.key,
        name: input.name,
        description: input.description,
        permissions,
        system: false,
        createdAt: ctx.clock.now(),
      });
      await tx.audit({ action: 'role.created', entityType: 'role', entityId: id, data: { after: { key: input.key, name: input.name, permissions } } });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict('role_key_taken', {}, [{ field: 'key', code: 'field.role_key_taken', params: { key: input.key } }]);
    throw e;
  }
  return id;
}

export interface UpdateRoleInput {
  name?: string;
  description?: string;
  /** The whole new set of permissions. */
  permissions?: string[];
}

/** Changes a tenant-defined role; every holder's rights change with it at their next request. */
export async function updateRole(ctx: Ctx, id: string, input: UpdateRoleInput): Promise<void> {
  checkRoleAuthor(ctx, input.permissions);
  await inTransaction(ctx, async (tx) => {
    const [role] = await rowsOf<RoleRow>(tx.tx, sql`SELECT * FROM roles WHERE tenant_id = ${ctx.tenant.id} AND id = ${id} FOR UPDATE`);
    if (!role) throw new NotFound();
    if (role.system) throw new Conflict('role_system');
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const set: Partial<typeof roles.$inferInsert> = {};
    if (input.name !== undefined && input.name !== role.name) {
      before.name = role.name;
      after.name = set.name = input.name;
    }
    if (input.description !== undefined && input.description !== role.description) {
      before.description = role.description;
      after.description = set.description = input.description;
    }
    if (input.permissions) {
      const next = [...new Set(input.permissions)].sort();
      const prev = [...role.permissions].sort();
      if (next.join() !== prev.join()) {
        before.permissions = prev;
        after.permissions = set.permissions = next;
      }
    }
    if (!Object.keys(set).length) return;
    await tx.tx
      .update(roles)
      .set(set)
      .where(and(eq(roles.tenantId, ctx.tenant.id), eq(roles.id, id)));
    await tx.audit({ action: 'role.updated', entityType: 'role', entityId: id, data: { key: role.key, before, after } });
  });
  authChanged(ctx.db);
}
