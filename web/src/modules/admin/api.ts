import { useQuery } from '@tanstack/react-query';
import type { UnitKind } from '../../../../common/org';
import { api } from '../../app/api';

/** One unit as GET /api/v1/admin/units lists it (flat, depth first, siblings by name). */
export interface Unit {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  name: string;
  code: string | null;
  regionCode: string | null;
  active: boolean;
  childCount: number;
  depth: number;
  createdAt: string;
  updatedAt: string;
}

export interface Role {
  id: string;
  key: string;
  name: string;
  description: string;
  system: boolean;
  permissions: { key: string; label: { id: string; en: string } }[];
  grantCount: number;
}

export interface UserGrant {
  id: string;
  roleId: string;
  roleKey: string;
  roleName: string;
  unitId: string;
  unitName: string;
  unitActive: boolean;
  manageable: boolean;
  createdAt: string;
}

export interface User {
  id: string;
  kind: 'staff' | 'citizen';
  name: string;
  email: string | null;
  phone: string | null;
  nip: string | null;
  status: 'active' | 'invited' | 'disabled';
  locale: 'id' | 'en';
  masked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  grants: UserGrant[];
}

export interface UserDetail extends User {
  updatedAt: string;
  manageable: boolean;
}

export const unitsKey = (includeInactive: boolean) => ['admin', 'units', { includeInactive }] as const;

export function useUnits(includeInactive = false, enabled = true) {
  return useQuery({
    queryKey: unitsKey(includeInactive),
    queryFn: () => api.get<{ items: Unit[] }>('/api/v1/admin/units', { includeInactive: includeInactive ? 'true' : undefined }).then((r) => r.items),
    enabled,
  });
}

export function useRoles() {
  return useQuery({
    queryKey: ['admin', 'roles'],
    queryFn: () => api.get<{ items: Role[] }>('/api/v1/admin/roles').then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

/** "Dinas Pekerjaan Umum › Bidang Bina Marga": the unit's ancestors below the root, for pickers. */
export function unitLabels(units: Unit[]): Map<string, string> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out = new Map<string, string>();
  const label = (u: Unit): string => {
    const cached = out.get(u.id);
    if (cached) return cached;
    const parent = u.parentId ? byId.get(u.parentId) : undefined;
    const s = parent?.parentId ? `${label(parent)} › ${u.name}` : u.name;
    out.set(u.id, s);
    return s;
  };
  for (const u of units) label(u);
  return out;
}
