import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from './api';
import type { Localized } from './tenant';

export interface NavItem {
  key: string;
  title: Localized;
  /** Path of the page in the web app (e.g. `/admin/units`), shown inside the staff workspace. */
  path: string;
}

export interface Me {
  user: { id: string; name: string; kind: 'staff' | 'citizen' };
  csrfToken: string;
  permissions: string[];
  grants: { roleKey: string; unitId: string }[];
  nav: NavItem[];
}

/** Home of the staff workspace. Pages of the navigation keep the paths the server gives them. */
export const WORKSPACE = '/kerja';

/** Signed-in user or null; keeps the API client's CSRF token current. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/v1/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export const meQuery = { queryKey: ['me'] as const, queryFn: fetchMe, staleTime: 60_000 };

export function useMe() {
  return useQuery(meQuery);
}

/** Where a user lands after signing in when no page asked for it. */
export function homeFor(me: Me | null | undefined): string {
  if (!me) return '/';
  return me.user.kind === 'staff' ? WORKSPACE : '/akun';
}

/** Only accept a local path as a post-login target (never another origin). */
export function safeNext(next: string | null): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  return next;
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: { login: string; password: string }) => {
      const r = await api.post<{ userId: string; csrfToken: string }>('/api/v1/auth/login', input);
      setCsrfToken(r.csrfToken);
      const me = await fetchMe();
      qc.setQueryData(meQuery.queryKey, me);
      return me;
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (everywhere: boolean) => {
      await api.post(everywhere ? '/api/v1/auth/logout-all' : '/api/v1/auth/logout');
    },
    onSettled: () => {
      setCsrfToken(null);
      // Forget everything the signed-in user could see.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'tenant' && q.queryKey[0] !== 'tenants' });
      qc.setQueryData(meQuery.queryKey, null);
    },
  });
}
