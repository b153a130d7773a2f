import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type Ctx, reader } from '../context.js';
import { NotFound } from '../errors.js';
import type { Actor } from '../policies/actor.js';
import { can } from '../policies/actor.js';
import type { Permission } from '../../../common/permissions.js';
import { inScopeSql, type Scope, scopeOf, uuidArray } from '../policies/scope.js';
import { mayManageGrant } from './policies.js';
import { type UnitRow, type UserRow, presentUnit, treeOrder, type UnitView } from './presenters.js';
import { containsPattern, decodeCursor, encodeCursor, isoUtc, rowsOf, UUID_RE } from './sql.js';

// ---------------------------------------------------------------------------------------------
// Units

function unitSelect(activeChildrenOnly: boolean): SQL {
  return sql`SELECT u.id, u.parent_id, u.kind, u.name, u.code, u.region_code, u.active, u.path::text[] AS path,
                    (SELECT count(*)::int FROM units c
                      WHERE c.tenant_id = u.tenant_id AND c.parent_id = u.id ${activeChildrenOnly ? sql`AND c.active` : sql``}) AS child_count,
                    ${isoUtc(sql`u.created_at`)} AS created_at, ${isoUtc(sql`u.updated_at`)} AS updated_at
               FROM units u`;
}

export interface ListUnitsInput {
  /** Part of the unit's name (case-insensitive). */
  q?: string;
  /** Also list deactivated units. */
  includeInactive?: boolean;
}

/**
 * The units the actor may manage, ordered for a tree. A tenant's tree holds hundreds of units
 * (Makassar: about 190), so the list is returned whole rather than paginated.
 */
export async function listUnits(ctx: Ctx, input: ListUnitsInput, permission: Permission = 'units.manage'): Promise<UnitView[]> {
  const scope = scopeOf(ctx.actor, permission);
  if (!scope.tenantWide && scope.unitIds.length === 0) return [];
  const rows = await rowsOf<UnitRow>(
    reader(ctx),
    sql`${unitSelect(!input.includeInactive)}
         WHERE u.tenant_id = ${ctx.tenant.id}
           AND ${inScopeSql(sql`u.path`, scope)}
           ${input.includeInactive ? sql`` : sql`AND u.active`}
           ${input.q ? sql`AND lower(u.name) LIKE ${containsPattern(input.q)}` : sql``}`,
  );
  return treeOrder(rows.map(presentUnit));
}

/** One unit of the tenant, or undefined. */
export async function findUnit(ex: Executor, tenantId: string, id: string, activeChildrenOnly = true): Promise<UnitRow | undefined> {
  const [row] = await rowsOf<UnitRow>(ex, sql`${unitSelect(activeChildrenOnly)} WHERE u.tenant_id = ${tenantId} AND u.id = ${id}`);
  return row;
}

/** A unit on which the actor holds the permission (there or above); 404 otherwise, whatever the reason. */
export async function unitInScope(ex: Executor, ctx: Ctx, id: string, permission: Permission): Promise<UnitRow> {
  const unit = await findUnit(ex, ctx.tenant.id, id);
  if (!unit || !can(ctx.actor, permission, unit.path)) throw new NotFound();
  return unit;
}

/** Names of the units on a path, in path order (breadcrumbs). */
export async function unitNames(ex: Executor, tenantId: string, ids: string[]): Promise<{ id: string; name: string; kind: UnitRow['kind'] }[]> {
  if (ids.length === 0) return [];
  const rows = await rowsOf<{ id: string; name: string; kind: UnitRow['kind'] }>(
    ex,
    sql`SELECT id, name, kind FROM units WHERE tenant_id = ${tenantId} AND id = ANY(${uuidArray(ids)})`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Users and grants

export interface GrantRow {
  id: string;
  user_id: string;
  role_id: string;
  role_key: string;
  role_name: string;
  permissions: string[];
  unit_id: string;
  unit_name: string;
  unit_active: boolean;
  unit_path: string[];
  created_at: string;
}

export function userColumns(alias = sql`u`): SQL {
  return sql`${alias}.id, ${alias}.kind, ${alias}.name, ${alias}.email, ${alias}.phone, ${alias}.nip, ${alias}.status, ${alias}.locale,
             ${isoUtc(sql`${alias}.last_login_at`)} AS last_login_at, ${isoUtc(sql`${alias}.created_at`)} AS created_at,
             ${isoUtc(sql`${alias}.updated_at`)} AS updated_at`;
}

/** Every grant of these users, with role and unit. */
export async function grantsOfUsers(ex: Executor, tenantId: string, userIds: string[]): Promise<GrantRow[]> {
  if (userIds.length === 0) return [];
  return rowsOf<GrantRow>(
    ex,
    sql`SELECT g.id, g.user_id, g.role_id, r.key AS role_key, r.name AS role_name, r.permissions, g.unit_id,
               un.name AS unit_name, un.active AS unit_active, un.path::text[] AS unit_path, ${isoUtc(sql`g.created_at`)} AS created_at
          FROM grants g
          JOIN roles r ON r.tenant_id = g.tenant_id AND r.id = g.role_id
          JOIN units un ON un.tenant_id = g.tenant_id AND un.id = g.unit_id
         WHERE g.tenant_id = ${tenantId} AND g.user_id = ANY(${uuidArray(userIds)})
         ORDER BY cardinality(un.path), un.name, r.key, g.id`,
  );
}

export function presentGrant(actor: Actor, g: GrantRow) {
  return {
    id: g.id,
    roleId: g.role_id,
    roleKey: g.role_key,
    roleName: g.role_name,
    unitId: g.unit_id,
    unitName: g.unit_name,
    unitActive: g.unit_active,
    manageable: mayManageGrant(actor, g),
    createdAt: g.created_at,
  };
}

/** Users that hold a grant on a unit inside the scope. */
function usersGrantedIn(tenantId: string, unitCondition: SQL): SQL {
  return sql`SELECT g.user_id FROM grants g
               JOIN units un ON un.tenant_id = g.tenant_id AND un.id = g.unit_id
              WHERE g.tenant_id = ${tenantId} AND ${unitCondition}`;
}

/** SQL condition on `u`: the user is visible to a holder of users.manage with this scope. */
export function userVisibleSql(tenantId: string, scope: Scope): SQL {
  if (scope.tenantWide) return sql`true`;
  return sql`u.id IN (${usersGrantedIn(tenantId, inScopeSql(sql`un.path`, scope))})`;
}

export interface ListUsersInput {
  /** Part of the name or e-mail address. */
  q?: string;
  kind?: 'staff' | 'citizen';
  /** Only users holding a grant on this unit or below it. */
  unitId?: string;
  status?: 'active' | 'invited' | 'disabled';
  cursor?: string;
  limit: number;
}

/** The user list statement, ordered by (name, id); exported for the EXPLAIN checks in tests. */
export function userListSql(tenantId: string, scope: Scope, input: Omit<ListUsersInput, 'cursor'>, after?: [string, string]): SQL {
  const conds: SQL[] = [sql`u.tenant_id = ${tenantId}`, userVisibleSql(tenantId, scope)];
  if (input.unitId) conds.push(sql`u.id IN (${usersGrantedIn(tenantId, sql`un.path @> ${uuidArray([input.unitId])}`)})`);
  if (input.kind) conds.push(sql`u.kind = ${input.kind}`);
  if (input.status) conds.push(sql`u.status = ${input.status}`);
  if (input.q) {
    const p = containsPattern(input.q);
    conds.push(sql`(lower(u.name) LIKE ${p} OR lower(u.email) LIKE ${p})`);
  }
  if (after) conds.push(sql`(u.name, u.id) > (${after[0]}, ${after[1]}::uuid)`);
  return sql`SELECT ${userColumns()} FROM users u WHERE ${sql.join(conds, sql` AND `)} ORDER BY u.name, u.id LIMIT ${input.limit + 1}`;
}

/** One page of users ordered by (name, id), and the cursor of the next page. */
export async function listUserRows(ctx: Ctx, scope: Scope, input: ListUsersInput): Promise<{ rows: UserRow[]; nextCursor: string | null }> {
  const after = decodeCursor(input.cursor, (p) => p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string' && UUID_RE.test(p[1])) as
    | [string, string]
    | undefined;
  const rows = await rowsOf<UserRow>(reader(ctx), userListSql(ctx.tenant.id, scope, input, after));
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page.at(-1);
  return { rows: page, nextCursor: more && last ? encodeCursor([last.name, last.id]) : null };
}

/** A user with their grants, or undefined. */
export async function findUser(ex: Executor, tenantId: string, id: string): Promise<{ user: UserRow; grants: GrantRow[] } | undefined> {
  const [user] = await rowsOf<UserRow>(ex, sql`SELECT ${userColumns()} FROM users u WHERE u.tenant_id = ${tenantId} AND u.id = ${id}`);
  if (!user) return undefined;
  return { user, grants: await grantsOfUsers(ex, tenantId, [id]) };
}
