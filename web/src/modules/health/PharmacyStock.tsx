import { Alert, Badge, Button, Drawer, Group, Modal, NumberInput, Pagination, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCalendarX, IconClockExclamation, IconPackageImport, IconSearch } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, problemFields } from '../../app/api';
import { formatDay, useDateTime } from '../../app/time';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import type { DrugStock, StockBatch, StockItem } from './api';
import { useDrugs } from './PrescriptionDialog';

type Filter = 'all' | 'low' | 'expiring';
const PAGE_SIZE = 20;

interface StockPage {
  today: string;
  items: StockItem[];
  total: number;
  page: number;
  alerts: { low: number; nearExpiry: number; expired: number };
}

/**
 * The stock of a facility's pharmacy per drug: what may still be dispensed, the minimum, the next
 * expiry, and alert cards that filter the list. Stock staff receive stock and correct batches.
 */
export function StockPanel({ facilityId, canManage }: { facilityId: string; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<Filter>('all');
  const [q, setQ] = useState('');
  const [search] = useDebouncedValue(q.trim(), 300);
  const [page, setPage] = useState(1);
  const [drugId, setDrugId] = useState<string | null>(null);
  const [receiving, setReceiving] = useState(false);
  const stock = useQuery({
    queryKey: ['health', 'stock', facilityId, filter, search, page],
    queryFn: () => api.get<StockPage>(`/api/v1/health/facilities/${facilityId}/stock`, { filter, page, pageSize: PAGE_SIZE, ...(search ? { q: search } : {}) }),
    placeholderData: (prev) => prev,
  });
  const choose = (f: Filter) => {
    setFilter(f);
    setPage(1);
  };
  const alerts = stock.data?.alerts;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <AlertCard icon={<IconAlertTriangle aria-hidden />} color="orange" label={t('health.stock.alertLow')} value={alerts?.low} active={filter === 'low'} onClick={() => choose(filter === 'low' ? 'all' : 'low')} testId="alert-low" />
        <AlertCard icon={<IconClockExclamation aria-hidden />} color="yellow" label={t('health.stock.alertNear')} value={alerts?.nearExpiry} active={filter === 'expiring'} onClick={() => choose(filter === 'expiring' ? 'all' : 'expiring')} testId="alert-near" />
        <AlertCard icon={<IconCalendarX aria-hidden />} color="red" label={t('health.stock.alertExpired')} value={alerts?.expired} active={filter === 'expiring'} onClick={() => choose(filter === 'expiring' ? 'all' : 'expiring')} testId="alert-expired" />
      </SimpleGrid>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('health.stock.search')}
            placeholder={t('health.stock.searchPlaceholder')}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setPage(1);
            }}
            w={260}
          />
          <SegmentedControl
            value={filter}
            onChange={(v) => choose(v as Filter)}
            data={[
              { value: 'all', label: t('health.stock.filterAll') },
              { value: 'low', label: t('health.stock.filterLow') },
              { value: 'expiring', label: t('health.stock.filterExpiring') },
            ]}
            aria-label={t('health.stock.filter')}
          />
        </Group>
        {canManage ? (
          <Button leftSection={<IconPackageImport size={16} aria-hidden />} onClick={() => setReceiving(true)} data-testid="stock-receive">
            {t('health.stock.receive')}
          </Button>
        ) : null}
      </Group>
      <Paper withBorder radius="md" p={0}>
        {stock.isPending ? (
          <LoadingState />
        ) : stock.isError ? (
          <ErrorState error={stock.error} onRetry={() => void stock.refetch()} />
        ) : stock.data.items.length === 0 ? (
          <EmptyState title={t('health.stock.empty')} description={search ? t('health.stock.emptySearch', { q: search }) : undefined} />
        ) : (
          <Table.ScrollContainer minWidth={680}>
            <Table verticalSpacing="xs" striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('health.rx.drug')}</Table.Th>
                  <Table.Th ta="right">{t('health.stock.available')}</Table.Th>
                  <Table.Th ta="right">{t('health.stock.min')}</Table.Th>
                  <Table.Th>{t('health.stock.nextExpiry')}</Table.Th>
                  <Table.Th>{t('health.stock.state')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {stock.data.items.map((s) => (
                  <Table.Tr key={s.drug.id} data-testid="stock-row">
                    <Table.Td>
                      <UnstyledButton onClick={() => setDrugId(s.drug.id)} data-testid="stock-open">
                        <Text size="sm" fw={600} c="teal.9" td="underline">
                          {s.drug.name}
                        </Text>
                      </UnstyledButton>
                      <Text size="xs" c="dimmed">
                        {s.drug.code}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right" data-testid="stock-available">
                      {s.available.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'id-ID')} {s.drug.unit}
                    </Table.Td>
                    <Table.Td ta="right">{s.minStock.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'id-ID')}</Table.Td>
                    <Table.Td>{s.nextExpiry ? formatDay(s.nextExpiry, i18n.language, { day: 'numeric', month: 'short', year: 'numeric' }) : '–'}</Table.Td>
                    <Table.Td>
                      <StockBadges s={s} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {stock.data && stock.data.total > PAGE_SIZE ? (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('health.stock.total', { count: stock.data.total })}
          </Text>
          <Pagination total={Math.ceil(stock.data.total / PAGE_SIZE)} value={page} onChange={setPage} size="sm" />
        </Group>
      ) : null}
      <DrugDrawer facilityId={facilityId} drugId={drugId} canManage={canManage} onClose={() => setDrugId(null)} />
      {canManage ? <ReceiptDialog facilityId={facilityId} opened={receiving} onClose={() => setReceiving(false)} onReceived={(id) => setDrugId(id)} /> : null}
    </Stack>
  );
}

function AlertCard({ icon, color, label, value, active, onClick, testId }: { icon: ReactNode; color: string; label: string; value: number | undefined; active: boolean; onClick: () => void; testId: string }) {
  return (
    <UnstyledButton onClick={onClick} aria-pressed={active} data-testid={testId}>
      <Paper withBorder radius="md" p="sm" style={active ? { borderColor: `var(--mantine-color-${color}-6)`, borderWidth: 2 } : undefined}>
        <Group gap="sm" wrap="nowrap">
          <Text c={`${color}.8`} lh={0}>
            {icon}
          </Text>
          <Stack gap={0}>
            <Text fw={800} size="xl" data-testid={`${testId}-count`}>
              {value ?? '–'}
            </Text>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
          </Stack>
        </Group>
      </Paper>
    </UnstyledButton>
  );
}

function StockBadges({ s }: { s: StockItem }) {
  const { t } = useTranslation();
  if (!s.low && !s.nearExpiry && s.expired === 0) {
    return (
      <Badge color="green" variant="light">
        {t('health.stock.ok')}
      </Badge>
    );
  }
  return (
    <Group gap={4}>
      {s.low ? (
        <Badge color="orange" variant="light">
          {t('health.stock.low')}
        </Badge>
      ) : null}
      {s.nearExpiry ? (
        <Badge color="yellow" variant="light">
          {t('health.stock.near')}
        </Badge>
      ) : null}
      {s.expired > 0 ? (
        <Badge color="red" variant="light">
          {t('health.stock.expiredCount', { count: s.expired })}
        </Badge>
      ) : null}
    </Group>
  );
}

const STATE_COLORS: Record<StockBatch['state'], string> = { ok: 'green', near: 'yellow', expired: 'red' };

/** A drug's batches (each correctable by stock staff), its minimum level and its ledger. */
function DrugDrawer({ facilityId, drugId, canManage, onClose }: { facilityId: string; drugId: string | null; canManage: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ['health', 'stock', facilityId, 'drug', drugId],
    queryFn: () => api.get<DrugStock>(`/api/v1/health/facilities/${facilityId}/stock/${drugId}`),
    enabled: drugId !== null,
  });
  return (
    <Drawer opened={drugId !== null} onClose={onClose} position="right" size="xl" title={<Title order={2} size="h4">{detail.data?.stock.drug.name ?? t('health.stock.drug')}</Title>}>
      {detail.isPending ? <LoadingState /> : detail.isError ? <ErrorState error={detail.error} onRetry={() => void detail.refetch()} /> : <DrugDetail facilityId={facilityId} data={detail.data} canManage={canManage} />}
    </Drawer>
  );
}

function DrugDetail({ facilityId, data, canManage }: { facilityId: string; data: DrugStock; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const when = useDateTime();
  const qc = useQueryClient();
  const [adjusting, setAdjusting] = useState<StockBatch | null>(null);
  const [min, setMin] = useState<number | string>(data.stock.minStock);
  const saveMin = useMutation({
    mutationFn: () => api.put<DrugStock>(`/api/v1/health/facilities/${facilityId}/stock/${data.stock.drug.id}/min`, { minStock: typeof min === 'number' ? min : Number(min) }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['health', 'stock', facilityId] });
      notifications.show({ color: 'teal', message: t('health.stock.minSaved') });
    },
  });
  const unit = data.stock.drug.unit;
  const day = (d: string) => formatDay(d, i18n.language, { day: 'numeric', month: 'short', year: 'numeric' });
  return (
    <Stack gap="md">
      <Group gap="lg">
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('health.stock.available')}
          </Text>
          <Text fw={800} size="xl" data-testid="drug-available">
            {data.stock.available.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'id-ID')} {unit}
          </Text>
        </Stack>
        <StockBadges s={data.stock} />
      </Group>
      {canManage ? (
        <Group align="flex-end">
          <NumberInput label={t('health.stock.min')} value={min} onChange={setMin} min={0} max={100000} allowDecimal={false} w={160} error={saveMin.isError ? problemFields(saveMin.error, t('errors.unexpected')).general : undefined} />
          <Button variant="light" onClick={() => saveMin.mutate()} loading={saveMin.isPending}>
            {t('health.stock.saveMin')}
          </Button>
        </Group>
      ) : null}
      <Title order={3} size="h5">
        {t('health.stock.batchesTitle')}
      </Title>
      {data.batches.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('health.stock.noBatches')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('health.stock.batchNo')}</Table.Th>
                <Table.Th>{t('health.stock.expiresOn')}</Table.Th>
                <Table.Th ta="right">{t('health.stock.quantity')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.batches.map((b) => (
                <Table.Tr key={b.id} data-testid="batch-row">
                  <Table.Td ff="monospace">{b.batchNo}</Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      {day(b.expiresOn)}
                      {b.state !== 'ok' ? (
                        <Badge size="sm" color={STATE_COLORS[b.state]} variant="light">
                          {t(`health.stock.batchState.${b.state}`)}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{b.quantity}</Table.Td>
                  <Table.Td ta="right">
                    {canManage ? (
                      <Button size="xs" variant="subtle" onClick={() => setAdjusting(b)}>
                        {t('health.stock.adjust')}
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Title order={3} size="h5">
        {t('health.stock.movesTitle')}
      </Title>
      {data.moves.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('health.stock.noMoves')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('health.stock.when')}</Table.Th>
                <Table.Th>{t('health.stock.kind')}</Table.Th>
                <Table.Th ta="right">{t('health.stock.quantity')}</Table.Th>
                <Table.Th ta="right">{t('health.stock.balance')}</Table.Th>
                <Table.Th>{t('health.stock.batchNo')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.moves.map((m) => (
                <Table.Tr key={m.id} data-testid="move-row">
                  <Table.Td>
                    <Text size="xs">{when(m.createdAt)}</Text>
                    {m.actor ? (
                      <Text size="xs" c="dimmed">
                        {m.actor}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{t(`health.stock.moveKind.${m.kind}`)}</Text>
                    {m.reason ? (
                      <Text size="xs" c="dimmed">
                        {m.reason}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td ta="right" c={m.quantity < 0 ? 'red.9' : 'teal.9'}>
                    {m.quantity > 0 ? `+${m.quantity}` : m.quantity}
                  </Table.Td>
                  <Table.Td ta="right">{m.balance}</Table.Td>
                  <Table.Td ff="monospace" fz="xs">
                    {m.batchNo}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AdjustDialog facilityId={facilityId} drugId={data.stock.drug.id} batch={adjusting} unit={unit} onClose={() => setAdjusting(null)} />
    </Stack>
  );
}

/** A batch corrected with a reason: a counted difference, damage, loss or an expired write-off. */
function AdjustDialog({ facilityId, drugId, batch, unit, onClose }: { facilityId: string; drugId: string; batch: StockBatch | null; unit: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [delta, setDelta] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ fields: Record<string, string>; general: string | null }>({ fields: {}, general: null });
  const close = () => {
    setDelta('');
    setReason('');
    setErrors({ fields: {}, general: null });
    onClose();
  };
  const save = useMutation({
    mutationFn: () => api.post<DrugStock>(`/api/v1/health/stock/batches/${batch!.id}/adjustments`, { delta: typeof delta === 'number' ? delta : Number(delta) || 0, reason }),
    onSuccess: (r) => {
      qc.setQueryData(['health', 'stock', facilityId, 'drug', drugId], r);
      void qc.invalidateQueries({ queryKey: ['health', 'stock', facilityId] });
      notifications.show({ color: 'teal', message: t('health.stock.adjusted') });
      close();
    },
    onError: (e) => setErrors(problemFields(e, t('errors.unexpected'))),
  });
  return (
    <Modal opened={batch !== null} onClose={close} title={<Title order={2} size="h4">{t('health.stock.adjustTitle', { batch: batch?.batchNo ?? '' })}</Title>}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
        noValidate
      >
        <Stack gap="sm">
          <Text size="sm">{t('health.stock.adjustLead', { quantity: batch?.quantity ?? 0, unit })}</Text>
          {errors.general ? <Alert color="red">{errors.general}</Alert> : null}
          <NumberInput label={t('health.stock.delta')} description={t('health.stock.deltaHint')} value={delta} onChange={setDelta} allowDecimal={false} error={errors.fields.delta} data-testid="adjust-delta" />
          <TextInput label={t('health.stock.reason')} placeholder={t('health.stock.reasonPlaceholder')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.fields.reason} data-testid="adjust-reason" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('health.stock.adjustSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Stock received: one batch line (drug, batch number, expiry, quantity). */
function ReceiptDialog({ facilityId, opened, onClose, onReceived }: { facilityId: string; opened: boolean; onClose: () => void; onReceived: (drugId: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const drugs = useDrugs();
  const [drugId, setDrugId] = useState<string | null>(null);
  const [batchNo, setBatchNo] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [quantity, setQuantity] = useState<number | string>('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ fields: Record<string, string>; general: string | null }>({ fields: {}, general: null });
  const close = () => {
    setDrugId(null);
    setBatchNo('');
    setExpiresOn('');
    setQuantity('');
    setNote('');
    setErrors({ fields: {}, general: null });
    onClose();
  };
  const save = useMutation({
    mutationFn: () =>
      api.post<DrugStock>(`/api/v1/health/facilities/${facilityId}/stock/receipts`, {
        drugId,
        batchNo,
        expiresOn,
        quantity: typeof quantity === 'number' ? quantity : Number(quantity) || 0,
        ...(note.trim() ? { note } : {}),
      }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['health', 'stock', facilityId] });
      notifications.show({ color: 'teal', message: t('health.stock.received', { drug: r.stock.drug.name, quantity: typeof quantity === 'number' ? quantity : Number(quantity), unit: r.stock.drug.unit }) });
      const id = r.stock.drug.id;
      close();
      onReceived(id);
    },
    onError: (e) => setErrors(problemFields(e, t('errors.unexpected'))),
  });
  return (
    <Modal opened={opened} onClose={close} title={<Title order={2} size="h4">{t('health.stock.receiveTitle')}</Title>}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (!drugId) {
            setErrors({ fields: { drugId: t('health.stock.chooseDrug') }, general: null });
            return;
          }
          save.mutate();
        }}
        noValidate
      >
        <Stack gap="sm">
          {errors.general ? <Alert color="red">{errors.general}</Alert> : null}
          <Select
            label={t('health.rx.drug')}
            placeholder={t('health.rx.drugPlaceholder')}
            data={(drugs.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.name} (${d.unit})` }))}
            value={drugId}
            onChange={setDrugId}
            searchable
            nothingFoundMessage={t('health.rx.noDrug')}
            error={errors.fields.drugId}
            comboboxProps={{ withinPortal: false }}
            data-testid="receive-drug"
          />
          <TextInput label={t('health.stock.batchNo')} value={batchNo} onChange={(e) => setBatchNo(e.currentTarget.value)} error={errors.fields.batchNo} data-testid="receive-batch" />
          <TextInput type="date" label={t('health.stock.expiresOn')} value={expiresOn} onChange={(e) => setExpiresOn(e.currentTarget.value)} error={errors.fields.expiresOn} data-testid="receive-expiry" />
          <NumberInput label={t('health.stock.quantity')} value={quantity} onChange={setQuantity} min={1} max={100000} allowDecimal={false} error={errors.fields.quantity} data-testid="receive-quantity" />
          <TextInput label={t('health.stock.receiptNote')} placeholder={t('health.stock.receiptNotePlaceholder')} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={errors.fields.note} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="receive-submit">
              {t('health.stock.receiveSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
