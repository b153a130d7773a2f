import { Box, Card, Group, Progress, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../app/api';
import { useMe } from '../../app/auth';
import { PageHeader } from '../../ui/Page';
import { ErrorState, LoadingState } from '../../ui/PageState';
import { UnitSelect } from './InboxPage';

export interface Figures {
  received: number;
  open: number;
  overdue: number;
  resolved: number;
  resolvedOnTime: number;
  onTimeShare: number | null;
  medianHoursToResolve: number | null;
  averageRating: number | null;
  ratings: number;
}

interface Stats {
  from: string;
  to: string;
  unitId: string | null;
  totals: Figures;
  categories: (Figures & { categoryId: string; categoryName: string })[];
}

/** "36 jam" under two days, else "3,5 hari". */
export function useDuration(): (hours: number | null) => string {
  const { t, i18n } = useTranslation();
  const nf = new Intl.NumberFormat(i18n.language === 'en' ? 'en' : 'id', { maximumFractionDigits: 1 });
  return (hours) => (hours == null ? '—' : hours < 48 ? t('stats.hours', { n: nf.format(hours) }) : t('stats.days', { n: nf.format(hours / 24) }));
}

export function usePercent(): (share: number | null) => string {
  const { i18n } = useTranslation();
  const nf = new Intl.NumberFormat(i18n.language === 'en' ? 'en' : 'id', { style: 'percent', maximumFractionDigits: 0 });
  return (share) => (share == null ? '—' : nf.format(share));
}

/** `/staf/pengaduan/statistik`: figures of the reports of the actor's units (or the tenant) in a period. */
export function StatsPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const unitId = params.get('unit') ?? '';
  const me = useMe();
  const triage = me.data?.permissions.includes('complaints.triage') ?? false;
  const stats = useQuery({
    queryKey: ['complaints', 'stats', from, to, unitId],
    queryFn: () => api.get<Stats>('/api/v1/complaints/stats', { from, to, unitId }),
    placeholderData: keepPreviousData,
  });
  const duration = useDuration();
  const percent = usePercent();
  const nf = new Intl.NumberFormat(i18n.language === 'en' ? 'en' : 'id', { maximumFractionDigits: 2 });
  const setParam = (key: 'from' | 'to' | 'unit', v: string | null) => {
    const next = new URLSearchParams(params);
    if (v && (key === 'unit' || /^\d{4}-\d{2}-\d{2}$/.test(v))) next.set(key, v);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const s = stats.data;
  const max = Math.max(1, ...(s?.categories ?? []).map((c) => c.received));
  return (
    <>
      <PageHeader title={t('stats.title')} description={t('stats.lead')} />
      <Group mb="md" align="flex-end">
        <TextInput type="date" label={t('stats.from')} value={from || s?.from || ''} max={to || s?.to} onChange={(e) => setParam('from', e.currentTarget.value)} w={180} />
        <TextInput type="date" label={t('stats.to')} value={to || s?.to || ''} min={from || s?.from} onChange={(e) => setParam('to', e.currentTarget.value)} w={180} />
        {triage ? <UnitSelect label={t('stats.unit')} placeholder={t('stats.allUnits')} value={unitId || null} onChange={(v) => setParam('unit', v)} w={280} /> : null}
        <Text size="sm" c="dimmed" mb={8}>
          {from || to ? '' : t('stats.last30')}
        </Text>
      </Group>
      {stats.isPending ? (
        <LoadingState />
      ) : stats.isError ? (
        <ErrorState error={stats.error} onRetry={() => stats.refetch()} />
      ) : s ? (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
            <Stat label={t('stats.received')} value={String(s.totals.received)} testId="stat-received" />
            <Stat label={t('stats.open')} value={String(s.totals.open)} testId="stat-open" />
            <Stat label={t('stats.overdue')} value={String(s.totals.overdue)} color={s.totals.overdue ? 'red' : undefined} testId="stat-overdue" />
            <Stat label={t('stats.resolved')} value={String(s.totals.resolved)} hint={t('stats.onTimeShare', { share: percent(s.totals.onTimeShare) })} testId="stat-resolved" />
            <Stat label={t('stats.median')} value={duration(s.totals.medianHoursToResolve)} testId="stat-median" />
            <Stat
              label={t('stats.rating')}
              value={s.totals.averageRating == null ? '—' : `${nf.format(s.totals.averageRating)} / 5`}
              hint={t('stats.ratings', { count: s.totals.ratings })}
              testId="stat-rating"
            />
          </SimpleGrid>
          <Box>
            <Text fw={600} mb="xs">
              {t('stats.perCategory')}
            </Text>
            {s.categories.length === 0 ? (
              <Text c="dimmed">{t('stats.none')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={720}>
                <Table verticalSpacing="xs" striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('stats.category')}</Table.Th>
                      <Table.Th>{t('stats.received')}</Table.Th>
                      <Table.Th ta="right">{t('stats.open')}</Table.Th>
                      <Table.Th ta="right">{t('stats.overdue')}</Table.Th>
                      <Table.Th ta="right">{t('stats.resolved')}</Table.Th>
                      <Table.Th ta="right">{t('stats.onTime')}</Table.Th>
                      <Table.Th ta="right">{t('stats.median')}</Table.Th>
                      <Table.Th ta="right">{t('stats.rating')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {s.categories.map((c) => (
                      <Table.Tr key={c.categoryId} data-testid="stats-row">
                        <Table.Td>{c.categoryName}</Table.Td>
                        <Table.Td miw={160}>
                          <Group gap="xs" wrap="nowrap">
                            <Progress value={(c.received / max) * 100} w={100} aria-hidden />
                            <Text size="sm">{c.received}</Text>
                          </Group>
                        </Table.Td>
                        <Table.Td ta="right">{c.open}</Table.Td>
                        <Table.Td ta="right" c={c.overdue ? 'red' : undefined}>
                          {c.overdue}
                        </Table.Td>
                        <Table.Td ta="right">{c.resolved}</Table.Td>
                        <Table.Td ta="right">{percent(c.onTimeShare)}</Table.Td>
                        <Table.Td ta="right">{duration(c.medianHoursToResolve)}</Table.Td>
                        <Table.Td ta="right">{c.averageRating == null ? '—' : nf.format(c.averageRating)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Box>
        </Stack>
      ) : null}
    </>
  );
}

export function Stat({ label, value, hint, color, testId }: { label: string; value: string; hint?: string; color?: string; testId?: string }) {
  return (
    <Card withBorder padding="sm" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" c={color}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}
