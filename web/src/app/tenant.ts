import { useQuery } from '@tanstack/react-query';
import { api } from './api';

export interface Localized {
  id: string;
  en: string;
}

export interface TenantService {
  key: string;
  icon: string;
  title: Localized;
  summary: Localized;
  path: string;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  kind: 'kota' | 'kabupaten' | 'provinsi';
  regionCode: string;
  timeZone: string;
  logoUrl: string | null;
  contact: { address?: string; phone?: string; email?: string; website?: string };
  basePath: string;
  services: TenantService[];
}

export const tenantQuery = {
  queryKey: ['tenant'] as const,
  queryFn: () => api.get<Tenant>('/api/v1/tenant'),
  staleTime: 5 * 60_000,
};

/** The government serving this page. */
export function useTenant() {
  return useQuery(tenantQuery);
}

export interface TenantListItem {
  slug: string;
  name: string;
  kind: string;
}

export function useTenants() {
  return useQuery({
    queryKey: ['tenants'],
    queryFn: () => api.get<{ items: TenantListItem[] }>('/api/v1/tenants'),
    staleTime: 5 * 60_000,
  });
}
