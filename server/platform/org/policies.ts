import { type Actor, can } from '../policies/actor.js';
import { mayDelegate, scopeOf } from '../policies/scope.js';

/** What the policies need of a grant: its unit's path and its role's permissions. */
export interface GrantFacts {
  unit_path: string[];
  permissions: string[];
}

/** What the policies need of a user. */
export interface UserFacts {
  user: { id: string; kind: 'staff' | 'citizen' };
  grants: GrantFacts[];
}

/**
 * A user is visible to a holder of `users.manage` on the root (everyone, citizens included), or
 * to a holder on some units when the user holds a grant inside those units.
 */
export function maySeeUser(actor: Actor, target: UserFacts): boolean {
  if (can(actor, 'users.manage')) return true;
  return target.grants.some((g) => can(actor, 'users.manage', g.unit_path));
}

/**
 * A grant may be given or taken back by an actor who manages users on its unit and holds every
 * permission of its role there: nobody raises anyone above their own rights.
 */
export function mayManageGrant(actor: Actor, grant: GrantFacts): boolean {
  return can(actor, 'users.manage', grant.unit_path) && mayDelegate(actor, grant.permissions, grant.unit_path);
}

/**
 * An account (name, phone, NIP, status) may be changed by an actor who could have given every
 * grant it holds; citizens and staff without grants only by tenant-wide user managers.
 */
export function mayManageUser(actor: Actor, target: UserFacts): boolean {
  if (!maySeeUser(actor, target)) return false;
  const tenantWide = scopeOf(actor, 'users.manage').tenantWide;
  if (target.user.kind === 'citizen' || target.grants.length === 0) return tenantWide;
  return target.grants.every((g) => mayManageGrant(actor, g));
}
