import { Alert, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconList, IconPackage, IconPill } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, problemText } from '../../app/api';
import { useDateTime } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { type Prescription, type PrescriptionSummary, useQueueStream, useThrottled } from './api';
import { CataloguePanel } from './PharmacyCatalogue';
import { StockPanel } from './PharmacyStock';

interface PharmacyDesk {
  id: string;
  name: string;
  dispense: boolean;
  stock: boolean;
}

/**
 * `/staf/farmasi`: the pharmacy of a puskesmas — today's prescriptions from the polis, handed over
 * whole with stock taken by batch (earliest expiry first), and the stock with its low-stock and
 * near-expiry alerts, receipts and adjustments.
 */
export function PharmacyPage() {
  const { t } = useTranslation();
  const desk = useQuery({ queryKey: ['health', 'pharmacy-desk'], queryFn: () => api.get<{ items: PharmacyDesk[] }>('/api/v1/health/pharmacy/desk') });
  const [params, setParams] = useSearchParams();
  if (desk.isPending) return <LoadingState />;
  if (desk.isError) return <ErrorState error={desk.error} onRetry={() => void desk.refetch()} />;
  const facilities = desk.data.items;
  if (facilities.length === 0) return <EmptyState title={t('health.pharmacy.noDesk')} />;
  const facility = facilities.find((f) => f.id === params.get('fasilitas')) ?? facilities[0]!;
  const asked = params.get('tab');
  const tab = asked === 'katalog' ? 'katalog' : asked === 'stok' || !facility.dispense ? 'stok' : 'resep';
  const set = (patch: Record<string, string>) => setParams({ fasilitas: facility.id, tab, ...patch }, { replace: true });
  return (
    <Stack gap="md">
      <PageHeader title={t('health.pharmacy.title')} description={facility.name} />
      {facilities.length > 1 ? (
        <Select
          label={t('health.pharmacy.facility')}
          data={facilities.map((f) => ({ value: f.id, label: f.name }))}
          value={facility.id}
          onChange={(v) => v && setParams({ fasilitas: v, tab }, { replace: true })}
          allowDeselect={false}
          maw={420}
        />
      ) : null}
      <Tabs value={tab} onChange={(v) => v && set({ tab: v })} keepMounted={false}>
        <Tabs.List>
          {facility.dispense ? (
            <Tabs.Tab value="resep" leftSection={<IconPill size={16} aria-hidden />}>
              {t('health.pharmacy.tabPrescriptions')}
            </Tabs.Tab>
          ) : null}
          <Tabs.Tab value="stok" leftSection={<IconPackage size={16} aria-hidden />}>
            {t('health.pharmacy.tabStock')}
          </Tabs.Tab>
          <Tabs.Tab value="katalog" leftSection={<IconList size={16} aria-hidden />}>
            {t('health.pharmacy.tabCatalogue')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="resep" pt="md">
          <Prescriptions facilityId={facility.id} />
        </Tabs.Panel>
        <Tabs.Panel value="stok" pt="md">
          <StockPanel facilityId={facility.id} canManage={facility.stock} />
        </Tabs.Panel>
        <Tabs.Panel value="katalog" pt="md">
          <CataloguePanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

type StatusFilter = 'pending' | 'dispensed' | 'all';

function Prescriptions({ facilityId }: { facilityId: string }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const [status, setStatus] = useState<StatusFilter>('pending');
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['health', 'prescriptions', facilityId, status],
    queryFn: () => api.get<{ date: string; items: PrescriptionSummary[] }>(`/api/v1/health/facilities/${facilityId}/prescriptions`, status === 'all' ? {} : { status }),
    // New prescriptions come from the polis: look again every 15 s, and on every queue move.
    refetchInterval: 15_000,
  });
  const reload = useThrottled(() => void list.refetch(), 1000);
  useQueueStream(facilityId, reload, reload);
  return (
    <Stack gap="sm">
      <SegmentedControl
        value={status}
        onChange={(v) => setStatus(v as StatusFilter)}
        data={[
          { value: 'pending', label: t('health.pharmacy.pending') },
          { value: 'dispensed', label: t('health.pharmacy.dispensed') },
          { value: 'all', label: t('health.pharmacy.all') },
        ]}
        maw={460}
      />
      <Paper withBorder radius="md" p={0}>
        {list.isPending ? (
          <LoadingState />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState title={t(status === 'pending' ? 'health.pharmacy.emptyPending' : 'health.pharmacy.empty')} description={t('health.pharmacy.emptyHint')} />
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs" striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('health.pharmacy.col.number')}</Table.Th>
                  <Table.Th>{t('health.pharmacy.col.patient')}</Table.Th>
                  <Table.Th>{t('health.pharmacy.col.from')}</Table.Th>
                  <Table.Th>{t('health.pharmacy.col.items')}</Table.Th>
                  <Table.Th>{t('health.pharmacy.col.status')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((p) => (
                  <Table.Tr key={p.id} data-testid="rx-row">
                    <Table.Td ff="monospace" fw={700}>
                      {p.pharmacyQueueCode ?? '–'}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{p.patient.name}</Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {p.patient.nikMasked}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {p.visit.queueCode} · {p.visit.serviceName}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {p.prescriber} · {when(p.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t('health.pharmacy.itemCount', { count: p.itemCount })}</Table.Td>
                    <Table.Td>
                      <Badge color={p.status === 'pending' ? 'orange' : 'green'} variant="light">
                        {t(`health.pharmacy.status.${p.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Button size="xs" variant={p.status === 'pending' ? 'filled' : 'light'} onClick={() => setOpen(p.id)} data-testid="rx-open">
                        {t(p.status === 'pending' ? 'health.pharmacy.openDispense' : 'health.pharmacy.openView')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <PrescriptionModal id={open} facilityId={facilityId} onClose={() => setOpen(null)} />
    </Stack>
  );
}

/** One prescription: its lines with the stock now, and the hand-over that takes the stock. */
function PrescriptionModal({ id, facilityId, onClose }: { id: string | null; facilityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={id !== null} onClose={onClose} size="xl" title={<Title order={2} size="h4">{t('health.pharmacy.rxTitle')}</Title>}>
      {id ? <PrescriptionDetail key={id} id={id} facilityId={facilityId} onClose={onClose} /> : null}
    </Modal>
  );
}

function PrescriptionDetail({ id, facilityId, onClose }: { id: string; facilityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const when = useDateTime();
  const rx = useQuery({ queryKey: ['health', 'prescription', id], queryFn: () => api.get<Prescription>(`/api/v1/health/prescriptions/${id}`) });
  const dispense = useMutation({
    mutationFn: () => api.post<Prescription>(`/api/v1/health/prescriptions/${id}/dispense`, {}),
    onSuccess: (p) => {
      qc.setQueryData(['health', 'prescription', id], p);
      void qc.invalidateQueries({ queryKey: ['health', 'prescriptions', facilityId] });
      void qc.invalidateQueries({ queryKey: ['health', 'stock', facilityId] });
      notifications.show({ color: 'teal', message: t('health.pharmacy.dispensedNote', { name: p.patient.name }) });
    },
  });
  if (rx.isPending) return <LoadingState />;
  if (rx.isError) return <ErrorState error={rx.error} onRetry={() => void rx.refetch()} />;
  const p = rx.data;
  const pending = p.status === 'pending';
  return (
    <Stack gap="sm" data-testid="rx-detail">
      <Group justify="space-between" align="flex-start">
        <Stack gap={0}>
          <Text fw={700}>{p.patient.name}</Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {p.patient.nikMasked}
          </Text>
          <Text size="sm">
            {p.visit.queueCode} · {p.visit.serviceName} · {p.prescriber}
          </Text>
        </Stack>
        <Stack gap={4} align="flex-end">
          {p.pharmacyQueueCode ? (
            <Text ff="monospace" fw={800} size="xl">
              {p.pharmacyQueueCode}
            </Text>
          ) : null}
          <Badge color={pending ? 'orange' : 'green'}>{t(`health.pharmacy.status.${p.status}`)}</Badge>
        </Stack>
      </Group>
      {p.note ? (
        <Text size="sm" c="dimmed">
          {t('health.pharmacy.note', { note: p.note })}
        </Text>
      ) : null}
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('health.rx.drug')}</Table.Th>
              <Table.Th>{t('health.rx.dose')}</Table.Th>
              <Table.Th ta="right">{t('health.rx.quantity')}</Table.Th>
              <Table.Th ta="right">{pending ? t('health.pharmacy.available') : t('health.pharmacy.batches')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.items.map((i) => (
              <Table.Tr key={i.line} data-testid="rx-item">
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {i.drug.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {i.drug.code}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{i.dose}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  {i.quantity} {i.drug.unit}
                </Table.Td>
                <Table.Td ta="right">
                  {pending ? (
                    <Text size="sm" c={i.available < i.quantity ? 'red' : undefined} fw={i.available < i.quantity ? 700 : undefined} data-testid="rx-available">
                      {i.available} {i.drug.unit}
                    </Text>
                  ) : (
                    i.dispensed.map((b) => (
                      <Text key={b.batchNo} size="xs" ff="monospace">
                        {t('health.pharmacy.batchLine', { batch: b.batchNo, expires: b.expiresOn, quantity: b.quantity })}
                      </Text>
                    ))
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {dispense.isError ? (
        <Alert color="red" title={t('health.pharmacy.dispenseFailed')}>
          {problemText(dispense.error, t('errors.unexpected'))}
        </Alert>
      ) : null}
      {p.dispensedAt ? (
        <Alert color="teal" icon={<IconCheck aria-hidden />}>
          {t('health.pharmacy.dispensedAt', { when: when(p.dispensedAt) })}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('action.close')}
        </Button>
        {pending ? (
          <Button leftSection={<IconCheck size={16} aria-hidden />} loading={dispense.isPending} onClick={() => dispense.mutate()} data-testid="rx-dispense">
            {t('health.pharmacy.dispense')}
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}
