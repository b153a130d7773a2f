import { Badge, Button, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { IconBellOff, IconChecks } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, type Page } from '../../app/api';
import { useDateTime } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { markAllRead, markRead, type NotificationItem, unreadKey, useUnreadCount } from './notificationsApi';
import { LoadMore } from '../../ui/LoadMore';

export function NotificationsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const fmt = useDateTime();
  const unread = useUnreadCount();
  const list = useInfiniteQuery({
    queryKey: ['notifications', 'list'],
    queryFn: ({ pageParam }) => api.get<Page<NotificationItem>>('/api/v1/notifications', { cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  const open = async (n: NotificationItem) => {
    if (!n.readAt) {
      await markRead(n.id).catch(() => undefined);
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    }
    if (n.link) navigate(n.link);
  };

  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        actions={
          unread.data ? (
            <Button
              variant="default"
              leftSection={<IconChecks size={18} aria-hidden />}
              onClick={async () => {
                await markAllRead();
                qc.setQueryData(unreadKey, 0);
                void qc.invalidateQueries({ queryKey: ['notifications'] });
              }}
            >
              {t('notifications.markAll')}
            </Button>
          ) : null
        }
      />
      {list.isPending ? (
        <LoadingState />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <Paper withBorder>
          <EmptyState title={t('notifications.empty')} description={t('notifications.emptyLead')} icon={<IconBellOff size={28} aria-hidden />} />
        </Paper>
      ) : (
        <Stack gap="xs">
          <Paper withBorder component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {items.map((n) => (
              <li key={n.id} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                <UnstyledButton onClick={() => void open(n)} p="md" w="100%">
                  <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
                    <Stack gap={2} style={{ minWidth: 0 }}>
                      <Text fw={n.readAt ? 400 : 650} className="balai-break">
                        {n.title}
                      </Text>
                      {n.body ? (
                        <Text size="sm" c="dimmed" className="balai-break">
                          {n.body}
                        </Text>
                      ) : null}
                      <Text size="xs" c="dimmed">
                        {fmt(n.createdAt)}
                      </Text>
                    </Stack>
                    {!n.readAt ? (
                      <Badge color="red" variant="light" style={{ flex: 'none' }}>
                        {t('notifications.unread')}
                      </Badge>
                    ) : null}
                  </Group>
                </UnstyledButton>
              </li>
            ))}
          </Paper>
          <LoadMore list={list} />
        </Stack>
      )}
    </>
  );
}
