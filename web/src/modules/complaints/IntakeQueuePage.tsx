import { Alert, Anchor, Badge, Button, Drawer, Group, Image, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { INTAKE_CHANNELS, INTAKE_STATUSES, type IntakeChannel, type IntakeStatus } from '../../../../common/complaints/intake';
import { api, type Page } from '../../app/api';
import { withBase } from '../../app/base';
import { useDateTime } from '../../app/time';
import { LoadMore } from '../../ui/LoadMore';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { type Submitted, useCategories } from './api';
import { AttributeFields, CategoryField, problemText, RegionFields } from './CallCentrePage';
import { Field } from '../../ui/Field';

interface IntakeItem {
  id: string;
  channel: IntakeChannel;
  externalId: string | null;
  status: IntakeStatus;
  text: string;
  sender: { name: string | null; handle: string | null; phone: string | null };
  location: { lat: number; lng: number } | null;
  address: string | null;
  mediaCount: number;
  complaint: { id: string; trackingCode: string } | null;
  discardReason: string | null;
  receivedAt: string;
  handledAt: string | null;
  handledBy: string | null;
}
interface IntakeDetail extends IntakeItem {
  media: { id: string; mime: string }[];
  unmasked: boolean;
}

const STATUS_COLOR: Record<IntakeStatus, string> = { pending: '#a33d00', converted: 'teal.9', discarded: 'gray.7' };

function senderLine(s: IntakeItem['sender']): string {
  return [s.name, s.handle, s.phone].filter(Boolean).join(' · ') || '—';
}

/** `/staf/pengaduan/masuk`: messages from the channel gateways, waiting to become reports or be discarded. */
export function IntakeQueuePage() {
  const { t } = useTranslation();
  const when = useDateTime();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? 'pending') as IntakeStatus | 'all';
  const channel = params.get('channel') ?? '';
  const openId = params.get('id');
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: key !== 'id' });
  };
  const list = useInfiniteQuery({
    queryKey: ['intake', 'list', status, channel],
    queryFn: ({ pageParam }) => api.get<Page<IntakeItem>>('/api/v1/complaints/intake', { status: status === 'all' ? undefined : status, channel, cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('intake.title')}
        description={t('intake.lead')}
        actions={
          <Anchor component={Link} to="/staf/call-centre">
            {t('intake.consoleLink')}
          </Anchor>
        }
      />
      <Group gap="sm" mb="md" wrap="wrap" align="flex-end">
        <SegmentedControl
          value={status}
          onChange={(v) => setParam('status', v === 'pending' ? null : v)}
          data={[...INTAKE_STATUSES, 'all' as const].map((s) => ({ value: s, label: t(`intake.status.${s}`) }))}
          aria-label={t('intake.statusFilter')}
        />
        <Select
          label={t('intake.channelFilter')}
          placeholder={t('intake.allChannels')}
          data={INTAKE_CHANNELS.map((c) => ({ value: c, label: t(`callCentre.channel.${c}`) }))}
          value={channel || null}
          onChange={(v) => setParam('channel', v)}
          clearable
          w={200}
        />
      </Group>
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('intake.emptyTitle')} description={t('intake.empty')} />
      ) : (
        <Stack gap="md">
          <Table.ScrollContainer minWidth={640}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('intake.message')}</Table.Th>
                  <Table.Th>{t('intake.sender')}</Table.Th>
                  <Table.Th w={150}>{t('intake.statusLabel')}</Table.Th>
                  <Table.Th>{t('intake.received')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((i) => (
                  <Table.Tr key={i.id} data-testid="intake-row">
                    <Table.Td>
                      <Group gap={6} mb={4}>
                        <Badge variant="light">{t(`callCentre.channel.${i.channel}`)}</Badge>
                        {i.mediaCount ? <Badge variant="outline" color="gray">{t('intake.photos', { count: i.mediaCount })}</Badge> : null}
                      </Group>
                      <Anchor component="button" type="button" ta="left" onClick={() => setParam('id', i.id)}>
                        <Text size="sm" lineClamp={2} maw={420}>
                          {i.text}
                        </Text>
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{senderLine(i.sender)}</Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge color={STATUS_COLOR[i.status]} styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}>{t(`intake.status.${i.status}`)}</Badge>
                      {i.complaint ? (
                        <Anchor component={Link} to={`/staf/pengaduan/${i.complaint.id}`} display="block" size="sm" ff="monospace">
                          {i.complaint.trackingCode}
                        </Anchor>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{when(i.receivedAt)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMore list={list} />
        </Stack>
      )}
      <Drawer opened={Boolean(openId)} onClose={() => setParam('id', null)} position="right" size="xl" title={t('intake.detailTitle')}>
        {openId ? <Detail id={openId} /> : null}
      </Drawer>
    </>
  );
}

function Detail({ id }: { id: string }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const qc = useQueryClient();
  const categories = useCategories();
  const q = useQuery({ queryKey: ['intake', 'detail', id], queryFn: () => api.get<IntakeDetail>(`/api/v1/complaints/intake/${id}`) });
  const [mode, setMode] = useState<'convert' | 'discard' | null>(null);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [attributes, setAttributes] = useState<Record<string, string | number>>({});
  const [kecamatan, setKecamatan] = useState<string | null>(null);
  const [kelurahan, setKelurahan] = useState<string | null>(null);
  const [address, setAddress] = useState<string | null>(null);
  const [description, setDescription] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  const m = q.data;
  const category = categories.data?.items.find((c) => c.id === categoryId);
  const text = description ?? m.text.slice(0, 2000);
  const addr = address ?? m.address ?? '';

  async function run() {
    setBusy(true);
    setFailure(null);
    setErrors({});
    try {
      if (mode === 'convert') {
        const res = await api.post<Submitted>(`/api/v1/complaints/intake/${id}/convert`, {
          categoryId,
          description: text.trim(),
          ...(kelurahan || kecamatan ? { regionCode: kelurahan ?? kecamatan } : {}),
          ...(m.location ? { location: m.location } : {}),
          ...(addr.trim() ? { address: addr.trim() } : {}),
          attributes,
        });
        notifications.show({ color: 'teal', message: t('intake.converted', { code: res.trackingCode }) });
      } else {
        await api.post(`/api/v1/complaints/intake/${id}/discard`, { reason: reason.trim() });
        notifications.show({ color: 'gray', message: t('intake.discarded') });
      }
      setMode(null);
      await Promise.all([qc.invalidateQueries({ queryKey: ['intake'] }), qc.invalidateQueries({ queryKey: ['complaints', 'inbox'] })]);
    } catch (e) {
      const p = problemText(e, t('errors.unexpected'));
      setErrors(p.fields);
      setFailure(p.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Badge variant="light" size="lg">
          {t(`callCentre.channel.${m.channel}`)}
        </Badge>
        <Badge color={STATUS_COLOR[m.status]} size="lg" data-testid="intake-status">
          {t(`intake.status.${m.status}`)}
        </Badge>
      </Group>
      <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.text}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Field label={t('intake.sender')} value={senderLine(m.sender)} />
        <Field label={t('intake.received')} value={when(m.receivedAt)} />
        {m.address ? <Field label={t('callCentre.address')} value={m.address} /> : null}
        {m.location ? <Field label={t('intake.location')} value={`${m.location.lat}, ${m.location.lng}`} /> : null}
        {m.externalId ? <Field label={t('intake.externalId')} value={m.externalId} /> : null}
        {m.handledAt ? <Field label={t('intake.handled')} value={[m.handledBy, when(m.handledAt)].filter(Boolean).join(' · ')} /> : null}
        {m.discardReason ? <Field label={t('intake.reason')} value={m.discardReason} /> : null}
      </SimpleGrid>
      {m.complaint ? (
        <Alert color="teal">
          {t('intake.becameReport')}{' '}
          <Anchor component={Link} to={`/staf/pengaduan/${m.complaint.id}`} ff="monospace" fw={600}>
            {m.complaint.trackingCode}
          </Anchor>
        </Alert>
      ) : null}
      {m.media.length ? (
        <SimpleGrid cols={{ base: 3, sm: 5 }} spacing="xs">
          {m.media.map((f, i) => (
            <Anchor key={f.id} href={withBase(`/api/v1/files/${f.id}`)} target="_blank" rel="noopener">
              <Image src={withBase(`/api/v1/files/${f.id}/thumb`)} alt={t('intake.photoAlt', { n: i + 1 })} h={80} radius="sm" fit="cover" />
            </Anchor>
          ))}
        </SimpleGrid>
      ) : null}

      {m.status === 'pending' ? (
        <Paper withBorder p="sm" radius="md">
          <Stack gap="sm">
            <Group gap="xs">
              <Button variant={mode === 'convert' ? 'filled' : 'light'} onClick={() => setMode('convert')} data-testid="intake-convert">
                {t('intake.convert')}
              </Button>
              <Button variant={mode === 'discard' ? 'filled' : 'light'} color="red" onClick={() => setMode('discard')} data-testid="intake-discard">
                {t('intake.discard')}
              </Button>
            </Group>
            {mode === 'convert' ? (
              <Stack gap="sm">
                <CategoryField categories={categories.data?.items ?? []} value={categoryId} onChange={(v) => {
                    setCategoryId(v);
                    setAttributes({});
                  }} error={errors.categoryId} />
                {category?.attributes.length ? <AttributeFields defs={category.attributes} values={attributes} onChange={setAttributes} error={errors.attributes} /> : null}
                <RegionFields kecamatan={kecamatan} kelurahan={kelurahan} onChange={(kec, kel) => {
                    setKecamatan(kec);
                    setKelurahan(kel);
                  }} error={errors.regionCode ?? errors.location} />
                <TextInput label={t('callCentre.address')} maxLength={300} value={addr} onChange={(e) => setAddress(e.currentTarget.value)} error={errors.address} />
                <Textarea label={t('intake.description')} description={t('intake.descriptionHint')} required autosize minRows={3} maxLength={2000} value={text} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.description} />
              </Stack>
            ) : null}
            {mode === 'discard' ? <TextInput label={t('intake.reason')} required maxLength={500} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} data-autofocus /> : null}
            {failure ? (
              <Alert color="red" role="alert">
                {failure}
              </Alert>
            ) : null}
            {mode ? (
              <Group gap="xs">
                <Button onClick={run} loading={busy} color={mode === 'discard' ? 'red' : undefined} data-testid="intake-confirm">
                  {t(mode === 'convert' ? 'intake.confirmConvert' : 'intake.confirmDiscard')}
                </Button>
                <Button variant="default" onClick={() => setMode(null)}>
                  {t('action.cancel')}
                </Button>
              </Group>
            ) : null}
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}

