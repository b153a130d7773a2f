import { Alert, Anchor, Badge, Box, Button, Drawer, Group, Image, Paper, Select, SimpleGrid, Stack, Table, Text, Textarea, Timeline } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconLock } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { COMPLAINT_STATUSES, REJECTION_REASONS } from '../../../../common/complaints/workflow';
import { api, isApiError, type Page } from '../../app/api';
import { withBase } from '../../app/base';
import { useDateTime } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { type ComplaintDetail, type InboxItem, type PublicCategory, STATUS_COLORS, useCategories } from './api';
import { LoadMore } from '../../ui/LoadMore';

/** Actions of this page; the detail's allowedActions says which ones the actor may take now. */
const TRIAGE_ACTIONS = ['verify', 'reject', 'dispose'] as const;
type TriageAction = (typeof TRIAGE_ACTIONS)[number];

interface UnitOption {
  value: string;
  label: string;
}

/** `/staf/pengaduan`: the report inbox of the triage desk and of the responsible units. */
export function InboxPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const categoryId = params.get('category') ?? '';
  const openId = params.get('id');
  const categories = useCategories();
  const when = useDateTime();
  const list = useInfiniteQuery({
    queryKey: ['complaints', 'inbox', status, categoryId],
    queryFn: ({ pageParam }) => api.get<Page<InboxItem>>('/api/v1/complaints', { status, categoryId, cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  // Units a report can be disposed to: the units the listed reports are routed to.
  const units = useMemo(() => {
    const seen = new Map<string, string>();
    for (const i of items) seen.set(i.unitId, i.unitName);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [items]);

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: key !== 'id' });
  };

  return (
    <>
      <PageHeader title={t('inbox.title')} description={t('inbox.lead')} />
      <Group gap="sm" mb="md" wrap="wrap" align="flex-end">
        <Select
          label={t('inbox.status')}
          placeholder={t('inbox.all')}
          data={COMPLAINT_STATUSES.map((s) => ({ value: s, label: t(`complaintStatus.${s}`) }))}
          value={status || null}
          onChange={(v) => setParam('status', v)}
          clearable
          w={200}
        />
        <Select
          label={t('inbox.category')}
          placeholder={t('inbox.all')}
          data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={categoryId || null}
          onChange={(v) => setParam('category', v)}
          clearable
          searchable
          w={260}
        />
      </Group>
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('inbox.emptyTitle')} description={t('inbox.empty')} />
      ) : (
        <Stack gap="md">
          <Table.ScrollContainer minWidth={640}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('inbox.report')}</Table.Th>
                  <Table.Th>{t('inbox.status')}</Table.Th>
                  <Table.Th>{t('inbox.place')}</Table.Th>
                  <Table.Th>{t('inbox.unit')}</Table.Th>
                  <Table.Th>{t('inbox.submitted')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((i) => (
                  <Table.Tr key={i.id} data-testid="inbox-row">
                    <Table.Td>
                      <Anchor component="button" type="button" fw={600} ff="monospace" onClick={() => setParam('id', i.id)}>
                        {i.trackingCode}
                      </Anchor>
                      <Text size="sm" fw={500}>
                        {i.categoryName}
                      </Text>
                      <Text size="sm" c="dimmed" lineClamp={2} maw={360}>
                        {i.summary}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLORS[i.status]}>{t(`complaintStatus.${i.status}`)}</Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{[i.kelurahan?.name, i.kecamatan?.name].filter(Boolean).join(', ') || '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{i.unitName}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{when(i.submittedAt)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMore list={list} />
        </Stack>
      )}
      <Drawer opened={Boolean(openId)} onClose={() => setParam('id', null)} position="right" size="xl" title={t('inbox.detailTitle')}>
        {openId ? <Detail id={openId} units={units} categories={categories.data?.items ?? []} /> : null}
      </Drawer>
    </>
  );
}

function Detail({ id, units, categories }: { id: string; units: UnitOption[]; categories: PublicCategory[] }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['complaints', 'detail', id], queryFn: () => api.get<ComplaintDetail>(`/api/v1/complaints/${id}`) });
  const [action, setAction] = useState<TriageAction | null>(null);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState<string | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  const r = q.data;
  const actions = TRIAGE_ACTIONS.filter((a) => r.allowedActions.includes(a));
  const unitOptions = units.some((u) => u.value === r.unitId) ? units : [{ value: r.unitId, label: r.unitName }, ...units];

  function choose(a: TriageAction) {
    setAction(a);
    setNote('');
    setReason(null);
    setUnitId(a === 'dispose' ? r.unitId : null);
    setError(null);
  }

  async function run() {
    if (!action) return;
    if (action === 'reject' && !reason) return setError(t('inbox.reasonRequired'));
    if (action === 'dispose' && !unitId) return setError(t('inbox.unitRequired'));
    const body = { ...(note.trim() ? { note: note.trim() } : {}), ...(action === 'reject' ? { reason } : {}), ...(action === 'dispose' ? { unitId } : {}) };
    setBusy(true);
    setError(null);
    try {
      const updated = await api.post<ComplaintDetail>(`/api/v1/complaints/${id}/${action}`, body);
      qc.setQueryData(['complaints', 'detail', id], updated);
      await qc.invalidateQueries({ queryKey: ['complaints', 'inbox'] });
      notifications.show({ color: 'teal', message: t(`inbox.done.${action}`, { code: updated.trackingCode }) });
      setAction(null);
    } catch (e) {
      setError(isApiError(e) ? [e.message, ...e.fieldErrors.map((f) => f.message)].join(' ') : t('errors.unexpected'));
    } finally {
      setBusy(false);
    }
  }

  const place = [r.address, r.kelurahan?.name, r.kecamatan?.name].filter(Boolean).join(', ');
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text fw={700} ff="monospace" size="lg" data-testid="detail-code">
          {r.trackingCode}
        </Text>
        <Badge size="lg" color={STATUS_COLORS[r.status]} data-testid="detail-status">
          {t(`complaintStatus.${r.status}`)}
        </Badge>
      </Group>
      <Text fw={600}>
        {r.categoryName} · {t(`complaintKind.${r.kind}`)}
      </Text>
      <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{r.description}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Field label={t('inbox.place')} value={place || '—'} />
        {r.location ? <Field label={t('track.coordinates')} value={`${r.location.lat}, ${r.location.lng}`} /> : null}
        <Field label={t('inbox.unit')} value={r.unitName} />
        <Field label={t('inbox.submitted')} value={when(r.submittedAt)} />
        <Field label={t('inbox.reporter')} value={r.anonymous && !r.reporter.name && !r.reporter.phone && !r.reporter.email ? t('inbox.anonymous') : [r.reporter.name, r.reporter.phone, r.reporter.email].filter(Boolean).join(' · ')} />
        {Object.entries(r.attributes).map(([k, v]) => {
          // Labels and list values from the category's attribute definitions, codes if it is gone.
          const def = categories.find((c) => c.id === r.categoryId)?.attributes.find((a) => a.code === k);
          const shown = def?.values?.find((x) => x.key === v)?.name ?? String(v);
          return <Field key={k} label={def?.description ?? k} value={shown} />;
        })}
        {r.rejectionReason ? <Field label={t('track.rejectionReason')} value={t(`rejectionReason.${r.rejectionReason}`)} /> : null}
      </SimpleGrid>
      {r.photos.length ? (
        <SimpleGrid cols={{ base: 3, sm: 5 }} spacing="xs">
          {r.photos.map((p, i) => (
            <Anchor key={p.id} href={withBase(`/api/v1/files/${p.id}`)} target="_blank" rel="noopener">
              <Image src={withBase(`/api/v1/files/${p.id}/thumb`)} alt={t('report.photoAlt', { n: i + 1 })} h={80} radius="sm" fit="cover" style={{ opacity: p.hidden ? 0.4 : 1 }} />
            </Anchor>
          ))}
        </SimpleGrid>
      ) : null}

      {actions.length ? (
        <Paper withBorder p="sm" radius="md">
          <Stack gap="sm">
            <Group gap="xs">
              {actions.map((a) => (
                <Button key={a} variant={action === a ? 'filled' : 'light'} color={a === 'reject' ? 'red' : undefined} onClick={() => choose(a)}>
                  {t(`complaintAction.${a}`)}
                </Button>
              ))}
            </Group>
            {action ? (
              <Stack gap="sm">
                {action === 'reject' ? (
                  <Select label={t('inbox.reason')} required data={REJECTION_REASONS.map((x) => ({ value: x, label: t(`rejectionReason.${x}`) }))} value={reason} onChange={setReason} />
                ) : null}
                {action === 'dispose' ? (
                  <Select label={t('inbox.disposeTo')} description={t('inbox.disposeHint')} required data={unitOptions} value={unitId} onChange={setUnitId} searchable />
                ) : null}
                <Textarea label={t('inbox.note')} description={action === 'verify' ? undefined : t('inbox.noteInternalHint')} autosize minRows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
                {error ? (
                  <Alert color="red" role="alert">
                    {error}
                  </Alert>
                ) : null}
                <Group gap="xs">
                  <Button onClick={run} loading={busy} color={action === 'reject' ? 'red' : undefined}>
                    {t(`inbox.confirm.${action}`)}
                  </Button>
                  <Button variant="default" onClick={() => setAction(null)}>
                    {t('action.cancel')}
                  </Button>
                </Group>
              </Stack>
            ) : null}
          </Stack>
        </Paper>
      ) : null}

      <Box>
        <Text fw={600} mb="xs">
          {t('track.timeline')}
        </Text>
        <Timeline bulletSize={14} lineWidth={2} active={r.timeline.length - 1}>
          {r.timeline.map((e) => (
            <Timeline.Item
              key={e.id}
              color={e.internal ? 'gray' : undefined}
              title={
                <Group gap={6}>
                  <Text size="sm" fw={600}>
                    {e.status ? t(`complaintStatus.${e.status}`) : t(`complaintAction.${e.action}`, { defaultValue: e.action })}
                  </Text>
                  {e.internal ? (
                    <Badge size="xs" color="gray" variant="outline" leftSection={<IconLock size={10} aria-hidden />}>
                      {t('inbox.internal')}
                    </Badge>
                  ) : null}
                </Group>
              }
            >
              <Text size="xs" c="dimmed">
                {when(e.at)}
                {e.actorName ? ` · ${e.actorName}` : ''}
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
      </Box>
    </Stack>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <Box>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Box>
  );
}
