import { z } from 'zod';
import { UNIT_KINDS, type UnitKind } from '../../../common/org.js';
import { maskEmail, maskPhone } from '../../../common/mask.js';

/** One unit as the admin pages see it. */
export const UnitView = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  kind: z.enum(UNIT_KINDS),
  name: z.string(),
  code: z.string().nullable(),
  regionCode: z.string().nullable(),
  active: z.boolean(),
  /** Direct children (active ones only, unless inactive units were asked for). */
  childCount: z.number().int(),
  /** 0 for the tenant's root (pemda), 1 for agencies and kecamatan, … */
  depth: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UnitView = z.infer<typeof UnitView>;

export const UnitDetail = UnitView.extend({
  /** From the root down to the parent, for breadcrumbs. */
  ancestors: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(UNIT_KINDS) })),
});

export interface UnitRow {
  id: string;
  parent_id: string | null;
  kind: UnitKind;
  name: string;
  code: string | null;
  region_code: string | null;
  active: boolean;
  path: string[];
  child_count: number;
  created_at: string;
  updated_at: string;
}

export function presentUnit(r: UnitRow): UnitView {
  return {
    id: r.id,
    parentId: r.parent_id,
    kind: r.kind,
    name: r.name,
    code: r.code,
    regionCode: r.region_code,
    active: r.active,
    childCount: Number(r.child_count),
    depth: r.path.length - 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Orders units for a tree: depth first, siblings by name. Units whose parent is not in the list
 * (the top of the actor's scope, or search hits) start their own branch.
 */
export function treeOrder<T extends { id: string; parentId: string | null; name: string }>(items: T[]): T[] {
  const ids = new Set(items.map((u) => u.id));
  const children = new Map<string | null, T[]>();
  for (const u of items) {
    const key = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    const list = children.get(key) ?? [];
    list.push(u);
    children.set(key, list);
  }
  const byName = (a: T, b: T) => a.name.localeCompare(b.name, 'id') || a.id.localeCompare(b.id);
  const out: T[] = [];
  const walk = (key: string | null) => {
    for (const u of (children.get(key) ?? []).sort(byName)) {
      out.push(u);
      walk(u.id);
    }
  };
  walk(null);
  return out;
}

/** A grant as listed on a user. */
export const UserGrantView = z.object({
  id: z.string(),
  roleId: z.string(),
  roleKey: z.string(),
  roleName: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  unitActive: z.boolean(),
  /** Whether the actor may remove this grant (unit in scope, role within the actor's rights). */
  manageable: z.boolean(),
  createdAt: z.string(),
});

export const UserView = z.object({
  id: z.string(),
  kind: z.enum(['staff', 'citizen']),
  name: z.string(),
  /** Masked for citizens unless the actor holds `personal_data.read` (see `masked`). */
  email: z.string().nullable(),
  phone: z.string().nullable(),
  nip: z.string().nullable(),
  status: z.enum(['active', 'invited', 'disabled']),
  locale: z.enum(['id', 'en']),
  masked: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  grants: z.array(UserGrantView),
});
export type UserView = z.infer<typeof UserView>;

export const UserDetail = UserView.extend({
  updatedAt: z.string(),
  /** Whether the actor may change this account (name, phone, NIP, status). */
  manageable: z.boolean(),
});

export interface UserRow {
  id: string;
  kind: 'staff' | 'citizen';
  name: string;
  email: string | null;
  phone: string | null;
  nip: string | null;
  status: 'active' | 'invited' | 'disabled';
  locale: 'id' | 'en';
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Citizens' contact data is personal data (UU PDP); staff contacts are work contacts. */
export function presentUser(r: UserRow, grants: z.infer<typeof UserGrantView>[], reveal: boolean): UserView {
  const masked = r.kind === 'citizen' && !reveal;
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    email: masked ? maskEmail(r.email) : r.email,
    phone: masked ? maskPhone(r.phone) : r.phone,
    nip: r.nip,
    status: r.status,
    locale: r.locale,
    masked,
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
    grants,
  };
}
