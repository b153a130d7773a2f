import { type SQL, sql } from 'drizzle-orm';
import type { Permission } from '../../../common/permissions.js';
import { type Actor, can, unitsWith } from './actor.js';

/**
 * Where an actor may use a permission: everywhere in the tenant (a grant on the root unit), or in
 * the subtrees of some units. Lists filter with {@link inScopeSql}; single resources use `can()`.
 */
export interface Scope {
  tenantWide: boolean;
  /** Units whose subtrees are in scope (empty when tenant-wide: everything is). */
  unitIds: string[];
}

export function scopeOf(actor: Actor, permission: Permission): Scope {
  if (can(actor, permission)) return { tenantWide: true, unitIds: [] };
  return { tenantWide: false, unitIds: unitsWith(actor, permission) };
}

/** A `uuid[]` literal built from bound parameters (Drizzle would expand a plain array into a list). */
export function uuidArray(ids: readonly string[]): SQL {
  if (ids.length === 0) return sql`ARRAY[]::uuid[]`;
  return sql`ARRAY[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
}

/** SQL condition: the unit path column lies inside the scope (served by the GIN index on path). */
export function inScopeSql(pathColumn: SQL | unknown, scope: Scope): SQL {
  if (scope.tenantWide) return sql`true`;
  return sql`${pathColumn} && ${uuidArray(scope.unitIds)}`;
}

/** Permissions of the list that the actor does not hold on the unit (root … unit), or tenant-wide. */
export function missingPermissions(actor: Actor, permissions: readonly string[], unitPath?: readonly string[] | null): string[] {
  return permissions.filter((p) => !can(actor, p as Permission, unitPath));
}

/**
 * Whether the actor may hand out (or take back) a role with these permissions on a unit: only
 * permissions they hold there themselves, so that nobody can raise anyone above their own rights.
 */
export function mayDelegate(actor: Actor, permissions: readonly string[], unitPath?: readonly string[] | null): boolean {
  return missingPermissions(actor, permissions, unitPath).length === 0;
}
