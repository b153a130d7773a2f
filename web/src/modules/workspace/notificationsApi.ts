import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../app/api';

export interface NotificationItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

export const unreadKey = ['notifications', 'unread'] as const;

export function useUnreadCount() {
  return useQuery({
    queryKey: unreadKey,
    queryFn: async () => (await api.get<{ count: number }>('/api/v1/notifications/unread-count')).count,
    staleTime: 60_000,
    // Without a live stream the count still catches up.
    refetchInterval: 120_000,
  });
}

export function useLatestNotifications(enabled: boolean) {
  return useQuery({
    queryKey: ['notifications', 'latest'],
    queryFn: () => api.get<Page<NotificationItem>>('/api/v1/notifications', { limit: 5 }),
    enabled,
  });
}

export async function markRead(id: string): Promise<void> {
  await api.post(`/api/v1/notifications/${id}/read`);
}

export async function markAllRead(): Promise<void> {
  await api.post('/api/v1/notifications/read-all');
}
