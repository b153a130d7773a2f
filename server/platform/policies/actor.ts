import type { Permission } from '../../../common/permissions.js';

/** A role held on a unit: applies to that unit and every unit below it. */
export interface GrantInfo {
  grantId: string;
  roleKey: string;
  unitId: string;
  /** Ids from the tenant's root down to the granted unit; length 1 means tenant-wide. */
  unitPath: string[];
  permissions: Permission[];
}

export interface Actor {
  kind: 'anonymous' | 'user' | 'apikey' | 'system';
  id?: string;
  name?: string;
  userKind?: 'staff' | 'citizen';
  grants: GrantInfo[];
}

export const anonymous: Actor = { kind: 'anonymous', grants: [] };
export const systemActor: Actor = { kind: 'system', name: 'Sistem', grants: [] };

/**
 * The one permission check. Without a unit path the action is tenant-wide and needs a grant on the
 * tenant's root unit; with the path of the resource's unit (root … unit) any grant on one of those
 * units allows it.
 */
export function can(actor: Actor, permission: Permission, unitPath?: readonly string[] | null): boolean {
  if (actor.kind === 'system') return true;
  for (const g of actor.grants) {
    if (!g.permissions.includes(permission)) continue;
    if (unitPath == null ? g.unitPath.length === 1 : unitPath.includes(g.unitId)) return true;
  }
  return false;
}

/** Whether the actor holds the permission on at least one unit (route gates and navigation). */
export function canAnywhere(actor: Actor, permission: Permission): boolean {
  return actor.kind === 'system' || actor.grants.some((g) => g.permissions.includes(permission));
}

/** Units on which the actor holds the permission; lists filter with `unit.path && these`. */
export function unitsWith(actor: Actor, permission: Permission): string[] {
  return [...new Set(actor.grants.filter((g) => g.permissions.includes(permission)).map((g) => g.unitId))];
}

/** Every permission the actor holds somewhere. */
export function permissionsOf(actor: Actor): Permission[] {
  return [...new Set(actor.grants.flatMap((g) => g.permissions))].sort();
}
