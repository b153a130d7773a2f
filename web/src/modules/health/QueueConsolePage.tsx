import { Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowForwardUp, IconDeviceTv, IconMicrophone, IconPill, IconScan, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, problemText } from '../../app/api';
import { useMe } from '../../app/auth';
import { useDateTime } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { type DeskFacility, type QueueVisit, STATUS_COLORS, useQueueStream, useThrottled, type Visit } from './api';
import { PatientFinder } from './PatientFinder';
import { PrescriptionDialog } from './PrescriptionDialog';

type Action = 'check-in' | 'recall' | 'skip' | 'start' | 'finish';

interface QueueDay {
  service: { id: string; name: string; queuePrefix: string };
  date: string;
  items: QueueVisit[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * `/staf/antrean`: the caller console of a service's queue today — call next, recall, start,
 * finish, no-show; check in arrivals by scanning their ticket's QR code (a USB scanner types the
 * visit id) or typing their number; register walk-ins. Live: other counters' moves show at once.
 */
export function QueueConsolePage() {
  const { t } = useTranslation();
  const desk = useQuery({ queryKey: ['health', 'desk'], queryFn: () => api.get<{ items: DeskFacility[] }>('/api/v1/health/desk') });
  const [params, setParams] = useSearchParams();
  if (desk.isPending) return <LoadingState />;
  if (desk.isError) return <ErrorState error={desk.error} onRetry={() => void desk.refetch()} />;
  const facilities = desk.data.items;
  if (facilities.length === 0) return <EmptyState title={t('health.console.noDesk')} />;
  const chosen = params.get('layanan');
  const facility = facilities.find((f) => f.services.some((s) => s.id === chosen)) ?? facilities[0]!;
  const serviceId = facility.services.find((s) => s.id === chosen)?.id ?? facility.services[0]?.id;
  return (
    <Stack gap="md">
      <PageHeader
        title={t('health.console.title')}
        description={facility.name}
        actions={
          <Button component={Link} to={`/antrean/${facility.id}`} target="_blank" variant="light" leftSection={<IconDeviceTv size={16} aria-hidden />}>
            {t('health.console.openDisplay')}
          </Button>
        }
      />
      <Select
        label={t('health.console.service')}
        data={facilities.map((f) => ({ group: f.name, items: f.services.map((s) => ({ value: s.id, label: `${s.queuePrefix} · ${s.name}` })) }))}
        value={serviceId ?? null}
        onChange={(v) => v && setParams({ layanan: v }, { replace: true })}
        allowDeselect={false}
        maw={420}
        data-testid="console-service"
      />
      {serviceId ? <ServiceQueue key={serviceId} facility={facility} serviceId={serviceId} /> : <EmptyState title={t('health.noServices')} />}
    </Stack>
  );
}

function ServiceQueue({ facility, serviceId }: { facility: DeskFacility; serviceId: string }) {
  const { t } = useTranslation();
  const facilityId = facility.id;
  const qc = useQueryClient();
  const when = useDateTime();
  const key = ['health', 'queue', serviceId];
  const queue = useQuery({ queryKey: key, queryFn: () => api.get<QueueDay>(`/api/v1/health/services/${serviceId}/queue`) });
  const reload = useThrottled(() => void queue.refetch(), 500);
  useQueueStream(facilityId, (e) => (e.payload.serviceId === serviceId || !e.payload.serviceId ? reload() : undefined), reload);
  const done = () => void qc.invalidateQueries({ queryKey: key });
  const callNext = useMutation({
    mutationFn: () => api.post<{ visit: QueueVisit | null }>(`/api/v1/health/services/${serviceId}/queue/call-next`, {}),
    onSuccess: (r) => {
      done();
      notifications.show(r.visit ? { color: 'orange', message: t('health.console.calledNow', { code: r.visit.queueCode, name: r.visit.patient.name }) } : { color: 'gray', message: t('health.console.nobodyWaiting') });
    },
    onError: (e) => notifications.show({ color: 'red', message: problemText(e, t('errors.unexpected')) }),
  });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: Action }) => api.post<QueueVisit>(`/api/v1/health/visits/${id}/${action}`, {}),
    onSuccess: done,
    onError: (e) => notifications.show({ color: 'red', message: problemText(e, t('errors.unexpected')) }),
  });
  const [walkIn, setWalkIn] = useState(false);
  const [transferring, setTransferring] = useState<QueueVisit | null>(null);
  const [prescribing, setPrescribing] = useState<QueueVisit | null>(null);
  const me = useMe();
  // Prescriptions are written at a poli by staff who may prescribe (the pharmacy dispenses them).
  const canPrescribe = Boolean(me.data?.permissions.includes('health.prescribe')) && facility.services.find((s) => s.id === serviceId)?.kind === 'poli';

  if (queue.isPending) return <LoadingState />;
  if (queue.isError) return <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />;
  const items = queue.data.items;
  const current = items.filter((v) => v.status === 'called' || v.status === 'serving');
  const waiting = items.filter((v) => v.status === 'checked_in').length;
  const booked = items.filter((v) => v.status === 'booked').length;
  const busy = act.isPending || callNext.isPending;

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm">
            <Group justify="space-between">
              <Text fw={600}>{t('health.console.waiting', { count: waiting })}</Text>
              <Text size="sm" c="dimmed">
                {t('health.console.booked', { count: booked })}
              </Text>
            </Group>
            <Button size="lg" leftSection={<IconMicrophone aria-hidden />} loading={callNext.isPending} disabled={busy} onClick={() => callNext.mutate()} data-testid="call-next">
              {t('health.console.callNext')}
            </Button>
            <Group gap="xs">
              <Button variant="light" leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setWalkIn(true)} data-testid="walk-in">
                {t('health.console.walkIn')}
              </Button>
            </Group>
            <CheckIn items={items} onCheckIn={(id) => act.mutateAsync({ id, action: 'check-in' })} />
          </Stack>
        </Paper>
        <Paper withBorder radius="md" p="md" aria-live="polite">
          <Title order={2} size="h5" mb="sm">
            {t('health.console.current')}
          </Title>
          {current.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('health.console.noneCurrent')}
            </Text>
          ) : (
            <Stack gap="sm">
              {current.map((v) => (
                <Paper key={v.id} withBorder radius="md" p="sm" data-testid="console-current">
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <Stack gap={0}>
                      <Text fw={800} ff="monospace" size="xl">
                        {v.queueCode}
                      </Text>
                      <Text size="sm">{v.patient.name}</Text>
                    </Stack>
                    <Badge color={STATUS_COLORS[v.status]}>{t(`health.status.${v.status}`)}</Badge>
                  </Group>
                  <TransferredFrom visit={v} />
                  <Group gap="xs" mt="xs">
                    {v.status === 'called' ? (
                      <>
                        <Button size="xs" onClick={() => act.mutate({ id: v.id, action: 'start' })} disabled={busy}>
                          {t('health.console.start')}
                        </Button>
                        <Button size="xs" variant="light" onClick={() => act.mutate({ id: v.id, action: 'recall' })} disabled={busy}>
                          {t('health.console.recall')}
                        </Button>
                        <Button size="xs" variant="subtle" color="red" onClick={() => act.mutate({ id: v.id, action: 'skip' })} disabled={busy}>
                          {t('health.console.skip')}
                        </Button>
                      </>
                    ) : (
                      <Button size="xs" color="green" onClick={() => act.mutate({ id: v.id, action: 'finish' })} disabled={busy}>
                        {t('health.console.finish')}
                      </Button>
                    )}
                    {canPrescribe ? (
                      <Button size="xs" variant="default" leftSection={<IconPill size={14} aria-hidden />} onClick={() => setPrescribing(v)} disabled={busy} data-testid="prescribe">
                        {t('health.rx.open')}
                      </Button>
                    ) : null}
                    <Button size="xs" variant="default" leftSection={<IconArrowForwardUp size={14} aria-hidden />} onClick={() => setTransferring(v)} disabled={busy} data-testid="transfer">
                      {t('health.console.transfer')}
                    </Button>
                  </Group>
                </Paper>
              ))}
            </Stack>
          )}
        </Paper>
      </SimpleGrid>

      <Paper withBorder radius="md" p={0}>
        {items.length === 0 ? (
          <EmptyState title={t('health.console.emptyTitle')} description={t('health.console.empty')} />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('health.console.col.code')}</Table.Th>
                  <Table.Th>{t('health.console.col.patient')}</Table.Th>
                  <Table.Th>{t('health.console.col.channel')}</Table.Th>
                  <Table.Th>{t('health.console.col.status')}</Table.Th>
                  <Table.Th>{t('health.console.col.times')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((v) => (
                  <Table.Tr key={v.id} data-testid="console-row">
                    <Table.Td ff="monospace" fw={700}>
                      {v.queueCode}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{v.patient.name}</Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {v.patient.nikMasked}
                      </Text>
                      <TransferredFrom visit={v} />
                    </Table.Td>
                    <Table.Td>{t(`health.channel.${v.channel}`)}</Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLORS[v.status]} variant="light">
                        {t(`health.status.${v.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {v.finishedAt ? t('health.console.finishedAt', { when: when(v.finishedAt) }) : v.startedAt ? t('health.console.startedAt', { when: when(v.startedAt) }) : v.calledAt ? t('health.console.calledAt', { when: when(v.calledAt) }) : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {v.status === 'booked' ? (
                        <Button size="xs" variant="light" disabled={busy} onClick={() => act.mutate({ id: v.id, action: 'check-in' })}>
                          {t('health.console.checkIn')}
                        </Button>
                      ) : null}
                      {v.status === 'done' && canPrescribe ? (
                        <Button size="xs" variant="subtle" leftSection={<IconPill size={14} aria-hidden />} onClick={() => setPrescribing(v)}>
                          {t('health.rx.open')}
                        </Button>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <TransferDialog
        visit={transferring}
        targets={facility.services.filter((x) => x.id !== serviceId)}
        onClose={() => setTransferring(null)}
        onTransferred={(to) => {
          done();
          notifications.show({ color: 'teal', message: t('health.console.transferred', { code: to.queueCode, service: to.service.name }) });
        }}
      />
      <PrescriptionDialog visit={prescribing} onClose={() => setPrescribing(null)} />
      <WalkInDialog opened={walkIn} onClose={() => setWalkIn(false)} serviceId={serviceId} date={queue.data.date} onRegistered={done} />
    </Stack>
  );
}

function TransferredFrom({ visit }: { visit: QueueVisit }) {
  const { t } = useTranslation();
  if (!visit.transferredFrom) return null;
  return (
    <Text size="xs" c="dimmed">
      {t('health.console.transferredFrom', { code: visit.transferredFrom.queueCode, service: visit.transferredFrom.serviceName })}
    </Text>
  );
}

/**
 * Sends the called or served patient on to another poli or the pharmacy of the facility: their
 * visit here ends and they get a number in the target's queue, checked in, which the dialog shows
 * large so that staff can tell the patient.
 */
function TransferDialog({
  visit,
  targets,
  onClose,
  onTransferred,
}: {
  visit: QueueVisit | null;
  targets: DeskFacility['services'];
  onClose: () => void;
  onTransferred: (to: QueueVisit) => void;
}) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<QueueVisit | null>(null);
  const close = () => {
    setTarget(null);
    setError(null);
    setResult(null);
    onClose();
  };
  const transfer = useMutation({
    mutationFn: () => api.post<{ from: QueueVisit; to: QueueVisit }>(`/api/v1/health/visits/${visit!.id}/transfer`, { serviceId: target }),
    onSuccess: (r) => {
      setResult(r.to);
      onTransferred(r.to);
    },
    onError: (e) => setError(problemText(e, t('errors.unexpected'))),
  });
  const pharmacy = targets.filter((x) => x.kind === 'pharmacy');
  const polis = targets.filter((x) => x.kind === 'poli');
  return (
    <Modal opened={visit !== null} onClose={close} title={<Title order={2} size="h4">{t('health.console.transferTitle', { code: visit?.queueCode ?? '' })}</Title>}>
      {result ? (
        <Stack align="center" gap="xs" data-testid="transfer-result">
          <Text size="sm" c="dimmed">
            {t('health.console.transferNumber', { service: result.service.name })}
          </Text>
          <Text fw={800} ff="monospace" style={{ fontSize: '3rem', lineHeight: 1 }}>
            {result.queueCode}
          </Text>
          <Text>{result.patient.name}</Text>
          <Button mt="sm" onClick={close}>
            {t('action.close')}
          </Button>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!target) {
              setError(t('health.console.transferChoose'));
              return;
            }
            transfer.mutate();
          }}
          noValidate
        >
          <Stack gap="sm">
            <Text size="sm">{t('health.console.transferLead', { name: visit?.patient.name ?? '' })}</Text>
            <Select
              label={t('health.console.transferTo')}
              data={[
                ...(pharmacy.length ? [{ group: t('health.console.groupPharmacy'), items: pharmacy.map((x) => ({ value: x.id, label: `${x.queuePrefix} · ${x.name}` })) }] : []),
                ...(polis.length ? [{ group: t('health.console.groupPoli'), items: polis.map((x) => ({ value: x.id, label: `${x.queuePrefix} · ${x.name}` })) }] : []),
              ]}
              value={target}
              onChange={(v) => {
                setTarget(v);
                setError(null);
              }}
              error={error}
              allowDeselect={false}
              comboboxProps={{ withinPortal: false }}
              data-testid="transfer-target"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('action.cancel')}
              </Button>
              <Button type="submit" loading={transfer.isPending} data-testid="transfer-submit">
                {t('health.console.transferSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** Check-in by the ticket's QR code (the scanner types the visit id and Enter) or by its number. */
function CheckIn({ items, onCheckIn }: { items: QueueVisit[]; onCheckIn: (id: string) => Promise<QueueVisit> }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setOk(null);
    const text = value.trim();
    if (!text) return;
    const id = UUID.exec(text)?.[0]?.toLowerCase();
    const code = text.toUpperCase().replace(/\s/g, '');
    const visit = id ? items.find((v) => v.id === id) : items.find((v) => v.queueCode === code || v.queueCode.replace('-', '') === code);
    if (!visit) {
      setError(t('health.console.checkInUnknown'));
      return;
    }
    if (visit.status !== 'booked') {
      setError(t('health.console.checkInNotBooked', { code: visit.queueCode, status: t(`health.status.${visit.status}`) }));
      return;
    }
    try {
      const v = await onCheckIn(visit.id);
      setOk(t('health.console.checkedIn', { code: v.queueCode, name: v.patient.name }));
      setValue('');
    } catch (err) {
      setError(problemText(err, t('errors.unexpected')));
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          label={t('health.console.checkInLabel')}
          placeholder={t('health.console.checkInPlaceholder')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={error}
          autoComplete="off"
          style={{ flex: 1 }}
          leftSection={<IconScan size={16} aria-hidden />}
          data-testid="check-in-input"
        />
        <Button type="submit" variant="default">
          {t('health.console.checkIn')}
        </Button>
      </Group>
      {ok ? (
        <Text size="sm" c="teal.8" mt={4} role="status">
          {ok}
        </Text>
      ) : null}
    </form>
  );
}

/** A walk-in: find the patient by the NIK on their KTP, or register them, then give a number. */
function WalkInDialog({ opened, onClose, serviceId, date, onRegistered }: { opened: boolean; onClose: () => void; serviceId: string; date: string; onRegistered: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Visit | null>(null);
  const [round, setRound] = useState(0);
  const reset = () => {
    setError(null);
    setResult(null);
    setRound((n) => n + 1);
  };
  const close = () => {
    reset();
    onClose();
  };
  const register = useMutation({
    mutationFn: (patientId: string) => api.post<Visit>('/api/v1/health/visits', { serviceId, patientId, date }),
    onSuccess: (v) => {
      setResult(v);
      onRegistered();
    },
    onError: (e) => setError(problemText(e, t('errors.unexpected'))),
  });
  return (
    <Modal opened={opened} onClose={close} size="lg" title={<Title order={2} size="h4">{t('health.console.walkInTitle')}</Title>}>
      {result ? (
        <Stack align="center" gap="xs" data-testid="walk-in-result">
          <Text size="sm" c="dimmed">
            {t('health.queueNumber')}
          </Text>
          <Text fw={800} ff="monospace" style={{ fontSize: '3rem', lineHeight: 1 }}>
            {result.queueCode}
          </Text>
          <Text>{result.patient.name}</Text>
          <Group mt="sm">
            <Button variant="light" onClick={reset}>
              {t('health.console.walkInAnother')}
            </Button>
            <Button onClick={close}>{t('action.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <PatientFinder key={round} testId="walk-in" actionLabel={t('health.console.giveNumber')} busy={register.isPending} error={error} onPick={(p) => register.mutate(p.id)} />
      )}
    </Modal>
  );
}
