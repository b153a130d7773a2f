import { Alert, Anchor, Badge, Box, Button, Flex, Group, Image, Paper, SimpleGrid, Stack, Text, Timeline, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconArrowLeft, IconClock, IconEye, IconFlame, IconLock } from '@tabler/icons-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, isApiError } from '../../app/api';
import { useMe } from '../../app/auth';
import { withBase } from '../../app/base';
import { useDateTime } from '../../app/time';
import { usePageTitle } from '../../ui/Page';
import { ErrorState, LoadingState } from '../../ui/PageState';
import { STATUS_COLORS, useCategories } from './api';
import { ActionPanel } from './detail/ActionPanel';
import type { DetailView } from './detail/types';
import { Field } from '../../ui/Field';

// Desk-only tools, loaded when a triage officer opens a report.
const ModerationPanel = lazy(async () => ({ default: (await import('./ModerationPanel')).ModerationPanel }));
const MergeDialog = lazy(async () => ({ default: (await import('./MergeDialog')).MergeDialog }));

/** `/staf/pengaduan/:id`: one report in the staff workspace, its full timeline and the actions of its stage. */
export function DetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  // The reporter's contact is unmasked (and the reading audited) only on request.
  const [reveal, setReveal] = useState(false);
  const [merging, setMerging] = useState(false);
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['complaints', 'detail', id, ...(reveal ? ['reveal'] : [])],
    queryFn: () => api.get<DetailView>(`/api/v1/complaints/${id}`, reveal ? { reveal: true } : undefined),
    retry: (n, e) => !(isApiError(e) && e.status < 500) && n < 2,
    refetchOnWindowFocus: true,
  });
  usePageTitle(q.data ? t('detail.title', { code: q.data.trackingCode }) : t('detail.titleLoading'));

  const back = (
    <Anchor component={Link} to="/staf/pengaduan" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {t('detail.back')}
      </Group>
    </Anchor>
  );
  if (q.isPending) return <LoadingState />;
  if (q.isError)
    return (
      <Stack gap="sm">
        {back}
        <ErrorState error={q.error} onRetry={() => q.refetch()} title={isApiError(q.error) && q.error.status === 404 ? t('detail.notFound') : undefined} />
      </Stack>
    );
  const r = q.data;
  const permissions = me.data?.permissions ?? [];
  const refresh = () => {
    void q.refetch();
    void qc.invalidateQueries({ queryKey: ['complaints', 'inbox'] });
  };
  return (
    <Stack gap="md">
      {back}
      <Header report={r} />
      <Flex direction={{ base: 'column', md: 'row' }} gap="md" align="flex-start">
        <Stack gap="md" w="100%" style={{ flex: '7 1 0', minWidth: 0 }}>
          <Facts report={r} canReveal={!r.reporter.unmasked && permissions.includes('personal_data.read') && !reveal} onReveal={() => setReveal(true)} />
          <History report={r} />
        </Stack>
        <Stack gap="md" w="100%" style={{ flex: '5 1 0', minWidth: 0 }}>
          <ActionPanel report={r} canNote={permissions.includes('complaints.handle')} />
          {permissions.includes('complaints.triage') ? (
            <Suspense fallback={null}>
              {r.status === 'submitted' || r.status === 'verified' ? (
                <Paper withBorder p="md" radius="md">
                  <Text size="sm" mb="xs">
                    {t('detail.mergeLead')}
                  </Text>
                  <Button variant="light" onClick={() => setMerging(true)}>
                    {t('detail.merge')}
                  </Button>
                  <MergeDialog complaint={r} opened={merging} onClose={() => setMerging(false)} onChanged={refresh} />
                </Paper>
              ) : null}
              <ModerationPanel complaint={r} onChanged={refresh} />
            </Suspense>
          ) : null}
        </Stack>
      </Flex>
    </Stack>
  );
}

function Header({ report: r }: { report: DetailView }) {
  const { t } = useTranslation();
  const when = useDateTime();
  // The server decides (its clock is the deadline's clock).
  const overdue = r.overdue ?? (r.dueAt != null && new Date(r.dueAt).getTime() < Date.now());
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
          <Title order={1} size="h2" id="page-title" tabIndex={-1} ff="monospace" style={{ outline: 'none', overflowWrap: 'anywhere' }} data-testid="detail-code">
            {r.trackingCode}
          </Title>
          <Badge size="lg" color={STATUS_COLORS[r.status]} data-testid="detail-status">
            {t(`complaintStatus.${r.status}`)}
          </Badge>
        </Group>
        <Text fw={600}>
          {r.categoryName}{' '}
          <Text span c="dimmed" fw={400}>
            · {t(`complaintKind.${r.kind}`)}
          </Text>
        </Text>
        <Text size="sm">
          <strong>{t('detail.unit')}:</strong> {r.unitName}
        </Text>
        <Group gap="xs" wrap="wrap">
          <Group gap={4}>
            <IconClock size={16} aria-hidden />
            <Text size="sm" data-testid="detail-due">
              {r.dueAt ? t('detail.dueAt', { when: when(r.dueAt) }) : r.status === 'needs_info' ? t('detail.duePaused') : t('detail.dueNone')}
            </Text>
          </Group>
          {overdue ? (
            <Badge color="red" variant="filled" leftSection={<IconAlertTriangle size={12} aria-hidden />} data-testid="detail-overdue">
              {t('detail.overdue')}
            </Badge>
          ) : null}
          {r.escalatedAt ? (
            <Badge color="orange" variant="light" leftSection={<IconFlame size={12} aria-hidden />} title={when(r.escalatedAt)} data-testid="detail-escalated">
              {t('detail.escalated', { when: when(r.escalatedAt) })}
            </Badge>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}

function Facts({ report: r, canReveal, onReveal }: { report: DetailView; canReveal: boolean; onReveal: () => void }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const categories = useCategories();
  const place = [r.address, r.kelurahan?.name, r.kecamatan?.name].filter(Boolean).join(', ');
  const defs = categories.data?.items.find((c) => c.id === r.categoryId)?.attributes ?? [];
  const rep = r.reporter;
  const anonymous = !rep.name && !rep.phone && !rep.email;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="facts-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="facts-heading">
          {t('detail.report')}
        </Title>
        <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="detail-description">
          {r.description}
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Field label={t('detail.place')} value={place || '—'} />
          {r.location ? (
            <Box>
              <Text size="xs" c="dimmed">
                {t('detail.coordinates')}
              </Text>
              <Anchor size="sm" href={`https://www.openstreetmap.org/?mlat=${r.location.lat}&mlon=${r.location.lng}#map=18/${r.location.lat}/${r.location.lng}`} target="_blank" rel="noopener">
                {r.location.lat}, {r.location.lng}
              </Anchor>
            </Box>
          ) : null}
          <Field label={t('detail.submitted')} value={when(r.submittedAt)} />
          <Field label={t('detail.channel')} value={t(`detail.channels.${r.channel}`, { defaultValue: r.channel })} />
          {r.supportersCount > 0 ? <Field label={t('detail.supporters')} value={String(r.supportersCount)} /> : null}
          {r.resolvedAt ? <Field label={t('detail.resolved')} value={when(r.resolvedAt)} /> : null}
          {Object.entries(r.attributes).map(([k, v]) => {
            const def = defs.find((a) => a.code === k);
            return <Field key={k} label={def?.description ?? k} value={def?.values?.find((x) => x.key === v)?.name ?? String(v)} />;
          })}
          {r.rejectionReason ? <Field label={t('detail.rejectionReason')} value={t(`rejectionReason.${r.rejectionReason}`)} /> : null}
          {r.rating ? <Field label={t('detail.rating')} value={`${'★'.repeat(r.rating.score)}${'☆'.repeat(5 - r.rating.score)}${r.rating.comment ? ` — ${r.rating.comment}` : ''}`} /> : null}
        </SimpleGrid>
        <Box>
          <Text size="xs" c="dimmed">
            {t('detail.reporter')}
          </Text>
          {anonymous ? (
            <Text size="sm">{t('detail.anonymous')}</Text>
          ) : (
            <Group gap="xs" wrap="wrap" align="center">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid="detail-reporter">
                {[rep.name, rep.phone, rep.email].filter(Boolean).join(' · ')}
              </Text>
              {rep.unmasked ? (
                <Badge size="xs" variant="outline" color="gray" leftSection={<IconEye size={10} aria-hidden />}>
                  {t('detail.unmaskedAudited')}
                </Badge>
              ) : canReveal ? (
                <Button size="compact-xs" variant="light" leftSection={<IconEye size={12} aria-hidden />} onClick={onReveal}>
                  {t('detail.reveal')}
                </Button>
              ) : (
                <Badge size="xs" variant="outline" color="gray" leftSection={<IconLock size={10} aria-hidden />}>
                  {t('detail.masked')}
                </Badge>
              )}
            </Group>
          )}
          {!anonymous && rep.userId == null ? (
            <Text size="xs" c="dimmed">
              {t('detail.noAccount')}
            </Text>
          ) : null}
        </Box>
        {r.photos.length ? (
          <Box>
            <Text size="xs" c="dimmed" mb={4}>
              {t('detail.photos', { count: r.photos.length })}
            </Text>
            <SimpleGrid cols={{ base: 3, xs: 4, sm: 5 }} spacing="xs">
              {r.photos.map((p, i) => (
                <Anchor key={p.id} href={withBase(`/api/v1/files/${p.id}`)} target="_blank" rel="noopener" pos="relative">
                  <Image
                    src={withBase(`/api/v1/files/${p.id}/thumb`)}
                    alt={t('detail.photoAlt', { n: i + 1 })}
                    h={80}
                    radius="sm"
                    fit="cover"
                    loading="lazy"
                    style={{ opacity: p.hidden ? 0.4 : 1 }}
                    data-testid="detail-photo"
                  />
                  {p.hidden ? (
                    <Badge size="xs" color="dark" pos="absolute" bottom={4} left={4}>
                      {t('detail.photoHidden')}
                    </Badge>
                  ) : null}
                </Anchor>
              ))}
            </SimpleGrid>
          </Box>
        ) : null}
      </Stack>
    </Paper>
  );
}

function History({ report: r }: { report: DetailView }) {
  const { t } = useTranslation();
  const when = useDateTime();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="timeline-heading">
      <Title order={2} size="h4" id="timeline-heading" mb="sm">
        {t('detail.timeline')}
      </Title>
      <Timeline bulletSize={14} lineWidth={2} active={r.timeline.length - 1} data-testid="detail-timeline">
        {r.timeline.map((e) => (
          <Timeline.Item
            key={e.id}
            color={e.internal ? 'gray' : undefined}
            title={
              <Group gap={6} wrap="wrap">
                <Text size="sm" fw={600}>
                  {e.action === 'note' ? t('detail.noteEntry') : e.status ? t(`complaintStatus.${e.status}`) : t(`complaintAction.${e.action}`, { defaultValue: e.action })}
                </Text>
                {e.internal ? (
                  <Badge size="xs" color="gray" variant="outline" leftSection={<IconLock size={10} aria-hidden />} data-testid="timeline-internal">
                    {t('detail.internal')}
                  </Badge>
                ) : (
                  <Badge size="xs" color="blue" variant="outline">
                    {t('detail.public')}
                  </Badge>
                )}
              </Group>
            }
          >
            <Text size="xs" c="dimmed">
              {when(e.at)}
              {e.actorName ? ` · ${e.actorName}` : ` · ${t(`detail.actorKind.${e.actorKind}`, { defaultValue: e.actorKind })}`}
              {e.unitName ? ` · ${e.unitName}` : ''}
            </Text>
            {e.note ? (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {e.note}
              </Text>
            ) : null}
          </Timeline.Item>
        ))}
      </Timeline>
      {r.timeline.length === 0 ? (
        <Alert color="gray" variant="light">
          {t('detail.timelineEmpty')}
        </Alert>
      ) : null}
    </Paper>
  );
}

