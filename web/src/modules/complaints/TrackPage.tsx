import { Alert, Anchor, Badge, Box, Button, Container, Group, Image, Paper, SimpleGrid, Stack, Text, TextInput, Timeline, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, isApiError } from '../../app/api';
import { useMe } from '../../app/auth';
import { withBase } from '../../app/base';
import { useDateTime } from '../../app/time';
import { usePageTitle } from '../../ui/Page';
import { ErrorState, LoadingState } from '../../ui/PageState';
import { STATUS_COLORS } from './api';
import { CategoryIcon } from './CategoryIcon';
import type { TrackedView } from './detail/types';
import { ReporterActions } from './ReporterActions';

/** `/lapor/lacak`: type a tracking code. */
export function TrackFormPage() {
  const { t } = useTranslation();
  const signedIn = Boolean(useMe().data);
  usePageTitle(t('track.title'));
  return (
    <Container size="sm" py="lg" px="md">
      <Stack gap="md">
        <Title order={1} size="h2" id="page-title" tabIndex={-1} style={{ outline: 'none' }}>
          {t('track.title')}
        </Title>
        <Text c="dimmed">{t('track.lead')}</Text>
        <CodeForm />
        {signedIn ? (
          <Anchor component={Link} to="/akun/laporan" size="sm" data-testid="track-my-reports">
            {t('followup.myReports')}
          </Anchor>
        ) : null}
      </Stack>
    </Container>
  );
}

function CodeForm({ initial = '' }: { initial?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [code, setCode] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const c = code.trim().toUpperCase();
        if (!c) {
          setError(t('track.codeRequired'));
          return;
        }
        navigate(`/lapor/lacak/${encodeURIComponent(c)}`);
      }}
    >
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          label={t('track.code')}
          placeholder="ADU-…"
          value={code}
          onChange={(e) => {
            setCode(e.currentTarget.value);
            setError(undefined);
          }}
          error={error}
          autoCapitalize="characters"
          style={{ flex: 1 }}
          maxLength={40}
        />
        <Button type="submit" leftSection={<IconSearch size={16} aria-hidden />}>
          {t('track.submit')}
        </Button>
      </Group>
    </form>
  );
}

/** `/lapor/lacak/:code`: public status and timeline of one report. */
export function TrackPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token') ?? undefined;
  // "Laporan saya" opens the page with state.mine: the signed-in reporter acts without a token.
  const mine = Boolean((useLocation().state as { mine?: boolean } | null)?.mine);
  const when = useDateTime();
  usePageTitle(t('track.titleCode', { code }));
  const queryKey = ['complaints', 'track', code, token] as const;
  const q = useQuery({
    queryKey,
    queryFn: () => api.get<TrackedView>(`/api/v1/complaints/track/${encodeURIComponent(code)}`, { token }),
    retry: (n, e) => !(isApiError(e) && e.status < 500) && n < 2,
    // Live enough: the status is read again whenever the resident comes back to the tab.
    refetchOnWindowFocus: true,
  });

  let body: React.ReactNode;
  if (q.isPending) body = <LoadingState />;
  else if (q.isError && isApiError(q.error) && q.error.status === 404)
    body = (
      <Stack gap="md">
        <Alert color="yellow" title={t('track.notFoundTitle')} data-testid="track-not-found">
          {t('track.notFound')}
        </Alert>
        <CodeForm initial={code} />
      </Stack>
    );
  else if (q.isError) body = <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  else {
    const r = q.data;
    const place = [r.address, r.kelurahan?.name, r.kecamatan?.name].filter(Boolean).join(', ');
    const reporter = Boolean(token) || mine || r.viewerIsReporter === true;
    const photoUrl = (id: string, thumb: boolean) => withBase(`/api/v1/files/${id}${thumb ? '/thumb' : ''}`) + (token ? `?token=${encodeURIComponent(token)}` : '');
    body = (
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Group gap="xs" wrap="nowrap">
                <CategoryIcon name={r.category.icon} size={24} />
                <Text fw={600}>{r.category.name}</Text>
              </Group>
              <Badge size="lg" color={STATUS_COLORS[r.status]} data-testid="track-status">
                {t(`complaintStatus.${r.status}`)}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {t(`complaintKind.${r.kind}`)} · {t('track.submittedAt', { when: when(r.submittedAt) })}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{r.description}</Text>
            {place ? (
              <Text size="sm">
                <strong>{t('track.place')}:</strong> {place}
              </Text>
            ) : null}
            {r.location ? (
              <Text size="sm">
                <strong>{t('track.coordinates')}:</strong> {r.location.lat}, {r.location.lng}
              </Text>
            ) : null}
            {r.unitName ? (
              <Text size="sm">
                <strong>{t('track.unit')}:</strong> {r.unitName}
              </Text>
            ) : null}
            {r.dueAt && !['resolved', 'closed', 'rejected', 'withdrawn'].includes(r.status) ? (
              <Text size="sm" data-testid="track-due">
                <strong>{t('followup.dueAt')}:</strong> {when(r.dueAt)}
              </Text>
            ) : null}
            {r.rating ? (
              <Text size="sm" data-testid="track-rating">
                <strong>{t('followup.yourRating')}:</strong> <span aria-hidden>{'★'.repeat(r.rating.score)}{'☆'.repeat(5 - r.rating.score)}</span>
                <VisuallyHidden>{t('followup.stars', { n: r.rating.score })}</VisuallyHidden>
                {r.rating.comment ? ` — ${r.rating.comment}` : ''}
              </Text>
            ) : null}
            {r.rejectionReason ? (
              <Text size="sm">
                <strong>{t('track.rejectionReason')}:</strong> {t(`rejectionReason.${r.rejectionReason}`)}
              </Text>
            ) : null}
            {r.photoIds.length ? (
              <SimpleGrid cols={{ base: 3, xs: 5 }} spacing="xs">
                {r.photoIds.map((id, i) => (
                  <Anchor key={id} href={photoUrl(id, false)} target="_blank" rel="noopener">
                    <Image src={photoUrl(id, true)} alt={t('report.photoAlt', { n: i + 1 })} radius="sm" h={88} fit="cover" loading="lazy" />
                  </Anchor>
                ))}
              </SimpleGrid>
            ) : null}
          </Stack>
        </Paper>
        {reporter ? <ReporterActions report={r} token={token} queryKey={queryKey} /> : null}
        <Box>
          <Title order={2} size="h4" mb="sm">
            {t('track.timeline')}
          </Title>
          <Timeline bulletSize={14} lineWidth={2} active={r.timeline.length - 1}>
            {r.timeline.map((e) => (
              <Timeline.Item key={`${e.at}-${e.action}-${e.status ?? ''}`} title={e.status ? t(`complaintStatus.${e.status}`) : t(`complaintAction.${e.action}`, { defaultValue: e.action })}>
                <Text size="xs" c="dimmed">
                  {when(e.at)}
                </Text>
                {e.note ? (
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {e.note}
                  </Text>
                ) : null}
              </Timeline.Item>
            ))}
          </Timeline>
        </Box>
      </Stack>
    );
  }

  return (
    <Container size="sm" py="lg" px="md">
      <Stack gap="md">
        <Box>
          <Title order={1} size="h2" id="page-title" tabIndex={-1} style={{ outline: 'none', overflowWrap: 'anywhere' }}>
            {t('track.titleCode', { code })}
          </Title>
          <Anchor component={Link} to="/lapor" size="sm">
            {t('track.newReport')}
          </Anchor>
        </Box>
        {body}
      </Stack>
    </Container>
  );
}
