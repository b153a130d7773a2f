import { Anchor, Badge, Button, Container, Group, Paper, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router';
import { api, type Page } from '../../app/api';
import { useMe } from '../../app/auth';
import { useDateTime } from '../../app/time';
import { LoadMore } from '../../ui/LoadMore';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { type ComplaintKind, type ComplaintStatus, STATUS_COLORS } from './api';
import { CategoryIcon } from './CategoryIcon';

interface MyReport {
  id: string;
  trackingCode: string;
  status: ComplaintStatus;
  kind: ComplaintKind;
  category: { id: string; name: string; icon: string };
  summary: string;
  submittedAt: string;
  updatedAt: string;
  dueAt: string | null;
}

/** Statuses in which the resident has something to do. */
const YOUR_TURN: ComplaintStatus[] = ['needs_info', 'resolved'];

/** `/akun/laporan`: the signed-in resident's own reports, newest first. */
export function MyReportsPage() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <LoadingState />;
  if (me.error) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to={`/masuk?next=${encodeURIComponent(location.pathname)}`} replace />;
  return <MyReports />;
}

function MyReports() {
  const { t } = useTranslation();
  const when = useDateTime();
  const list = useInfiniteQuery({
    queryKey: ['complaints', 'mine'],
    queryFn: ({ pageParam }) => api.get<Page<MyReport>>('/api/v1/me/complaints', { cursor: pageParam, limit: 20 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchOnWindowFocus: true,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const newReport = (
    <Button component={Link} to="/lapor" leftSection={<IconPlus size={16} aria-hidden />}>
      {t('myReports.new')}
    </Button>
  );
  return (
    <Container size="sm" py="lg" px="md">
      <PageHeader title={t('myReports.title')} description={t('myReports.lead')} actions={items.length ? newReport : undefined} />
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('myReports.emptyTitle')} description={t('myReports.empty')}>
          {newReport}
        </EmptyState>
      ) : (
        <Stack gap="sm">
          {items.map((r) => (
            <Paper key={r.id} withBorder p="sm" radius="md" data-testid="my-report">
              <Stack gap={6}>
                <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                  <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                    <CategoryIcon name={r.category.icon} size={20} />
                    <Text fw={600} size="sm" truncate>
                      {r.category.name}
                    </Text>
                  </Group>
                  <Badge color={STATUS_COLORS[r.status]} style={{ flexShrink: 0 }}>
                    {t(`complaintStatus.${r.status}`)}
                  </Badge>
                </Group>
                <Text size="sm" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                  {r.summary}
                </Text>
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <Anchor component={Link} to={`/lapor/lacak/${encodeURIComponent(r.trackingCode)}`} state={{ mine: true }} ff="monospace" fw={600} size="sm">
                    {r.trackingCode}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {t('myReports.submitted', { when: when(r.submittedAt) })}
                  </Text>
                </Group>
                {YOUR_TURN.includes(r.status) ? (
                  <Text size="xs" c="orange.8" fw={600}>
                    {t(`myReports.yourTurn.${r.status}`)}
                  </Text>
                ) : null}
              </Stack>
            </Paper>
          ))}
          <LoadMore list={list} />
        </Stack>
      )}
    </Container>
  );
}
