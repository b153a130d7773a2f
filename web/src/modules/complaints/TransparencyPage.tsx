import { Card, Container, Group, Progress, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../app/api';
import { formatDay } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';

interface PublicFigures {
  received: number;
  overdue: number;
  resolved: number;
  onTimeShare: number | null;
  medianHoursToResolve: number | null;
  averageRating: number | null;
  ratings: number;
}

interface Transparency {
  days: number;
  from: string;
  to: string;
  totals: PublicFigures;
  agencies: (PublicFigures & { unitId: string; unitName: string })[];
}

const PERIODS = ['30', '90', '365'] as const;

/** `/lapor/transparansi`: how each agency answers the public's reports; figures only, no report content. */
export function TransparencyPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const days = (PERIODS as readonly string[]).includes(params.get('hari') ?? '') ? params.get('hari')! : '30';
  const q = useQuery({
    queryKey: ['complaints', 'transparency', days],
    queryFn: () => api.get<Transparency>('/api/v1/complaints/transparency', { days }),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
  const lang = i18n.language === 'en' ? 'en' : 'id';
  const pct = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const num = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const share = (v: number | null) => (v == null ? '—' : pct.format(v));
  const duration = (h: number | null) => (h == null ? '—' : h < 48 ? t('transparency.hours', { n: num.format(h) }) : t('transparency.days', { n: num.format(h / 24) }));
  const rating = (v: number | null) => (v == null ? '—' : `${num.format(v)} / 5`);

  return (
    <Container size="sm" py="lg" px="md">
      <Stack gap="md">
      <PageHeader title={t('transparency.title')} description={t('transparency.lead')} />
      <SegmentedControl
        fullWidth
        aria-label={t('transparency.period')}
        value={days}
        onChange={(v) => setParams({ hari: v }, { replace: true })}
        data={PERIODS.map((p) => ({ value: p, label: t('transparency.lastDays', { count: Number(p) }) }))}
      />
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <>
          <Text size="sm" c="dimmed">
            {t('transparency.range', { from: formatDay(q.data.from, lang, { day: 'numeric', month: 'long', year: 'numeric' }), to: formatDay(q.data.to, lang, { day: 'numeric', month: 'long', year: 'numeric' }) })}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
            <Figure label={t('transparency.received')} value={num.format(q.data.totals.received)} testId="tr-received" />
            <Figure label={t('transparency.onTime')} value={share(q.data.totals.onTimeShare)} testId="tr-ontime" />
            <Figure label={t('transparency.median')} value={duration(q.data.totals.medianHoursToResolve)} />
            <Figure label={t('transparency.rating')} value={rating(q.data.totals.averageRating)} />
          </SimpleGrid>
          {q.data.agencies.length === 0 ? (
            <EmptyState title={t('transparency.emptyTitle')} description={t('transparency.empty')} />
          ) : (
            <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {q.data.agencies.map((a) => (
                <Card key={a.unitId} withBorder radius="md" padding="sm" component="li" data-testid="tr-agency">
                  <Text fw={600}>{a.unitName}</Text>
                  <Group justify="space-between" gap="xs" mt={4}>
                    <Text size="sm">{t('transparency.reports', { count: a.received })}</Text>
                    <Text size="sm" c="dimmed">
                      {t('transparency.answered', { count: a.resolved })}
                    </Text>
                  </Group>
                  <Text size="xs" c="dimmed" mt={6}>
                    {t('transparency.onTime')}: {share(a.onTimeShare)}
                  </Text>
                  <Progress value={(a.onTimeShare ?? 0) * 100} color={a.onTimeShare == null ? 'gray' : a.onTimeShare >= 0.8 ? 'teal' : a.onTimeShare >= 0.5 ? 'yellow' : 'red'} aria-hidden />
                  <Group gap="lg" mt={6}>
                    <Text size="xs">
                      {t('transparency.median')}: <b>{duration(a.medianHoursToResolve)}</b>
                    </Text>
                    <Text size="xs">
                      {t('transparency.rating')}: <b>{rating(a.averageRating)}</b>
                      {a.ratings ? ` (${a.ratings})` : ''}
                    </Text>
                  </Group>
                </Card>
              ))}
            </Stack>
          )}
          <Text size="xs" c="dimmed">
            {t('transparency.note')}
          </Text>
        </>
      )}
      </Stack>
    </Container>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Card withBorder radius="md" padding="xs" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
    </Card>
  );
}
