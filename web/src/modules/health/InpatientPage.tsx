import { Alert, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBed, IconDoorExit, IconPlus, IconTransfer, IconTool } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, problemFields, problemText } from '../../app/api';
import { useDateTime } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { BED_CLASS_LABELS, type BedClass } from '../../../../common/health/bedClasses';
import type { Admission, BedBoardType, InpatientRequest } from '../../../../common/health/beds';
import { PatientFinder } from './PatientFinder';

type Bed = BedBoardType['wards'][number]['rooms'][number]['beds'][number];
type Occupant = NonNullable<Bed['occupant']>;

/**
 * `/staf/rawat-inap`: a hospital's admission desk — the bed board (wards, rooms, beds with who lies
 * in each), admissions into a free bed (from a referral, an online pre-registration or the emergency
 * department), moves to another bed, discharges, and beds taken out of service.
 */
export function InpatientPage() {
  const { t } = useTranslation();
  const desk = useQuery({ queryKey: ['health', 'inpatient-desk'], queryFn: () => api.get<{ items: { id: string; name: string }[] }>('/api/v1/health/inpatient/desk') });
  const [params, setParams] = useSearchParams();
  if (desk.isPending) return <LoadingState />;
  if (desk.isError) return <ErrorState error={desk.error} onRetry={() => void desk.refetch()} />;
  const facilities = desk.data.items;
  if (facilities.length === 0) return <EmptyState title={t('health.inpatient.noDesk')} />;
  const facility = facilities.find((f) => f.id === params.get('rs')) ?? facilities[0]!;
  return (
    <Stack gap="md">
      <PageHeader title={t('health.inpatient.title')} description={facility.name} />
      {facilities.length > 1 ? (
        <Select label={t('health.inpatient.hospital')} data={facilities.map((f) => ({ value: f.id, label: f.name }))} value={facility.id} onChange={(v) => v && setParams({ rs: v }, { replace: true })} allowDeselect={false} maw={420} />
      ) : null}
      <Board key={facility.id} facilityId={facility.id} />
    </Stack>
  );
}

function Board({ facilityId }: { facilityId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const board = useQuery({ queryKey: ['health', 'bed-board', facilityId], queryFn: () => api.get<BedBoardType>(`/api/v1/health/facilities/${facilityId}/beds`), refetchInterval: 15_000 });
  const requests = useQuery({ queryKey: ['health', 'inpatient-requests', facilityId], queryFn: () => api.get<{ items: InpatientRequest[] }>(`/api/v1/health/facilities/${facilityId}/inpatient-requests`), refetchInterval: 30_000 });
  const [admitting, setAdmitting] = useState<{ request: InpatientRequest | null } | null>(null);
  const [moving, setMoving] = useState<Occupant | null>(null);
  const [discharging, setDischarging] = useState<Occupant | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['health', 'bed-board', facilityId] });
    void qc.invalidateQueries({ queryKey: ['health', 'inpatient-requests', facilityId] });
  };
  const service = useMutation({
    mutationFn: ({ bed, outOfService }: { bed: Bed; outOfService: boolean }) => api.post(`/api/v1/health/beds/${bed.id}/service`, { outOfService }),
    onSuccess: refresh,
    onError: (e) => notifications.show({ color: 'red', message: problemText(e, t('errors.unexpected')) }),
  });
  if (board.isPending) return <LoadingState />;
  if (board.isError) return <ErrorState error={board.error} onRetry={() => void board.refetch()} />;
  const data = board.data;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Group gap="xs" wrap="wrap" aria-label={t('health.inpatient.summary')}>
          {data.classes.map((c) => (
            <Badge key={c.bedClass} size="lg" variant="light" color={c.free > 0 ? 'teal' : 'red'} data-testid="class-summary" data-class={c.bedClass}>
              {t('health.inpatient.classFree', { bedClass: BED_CLASS_LABELS[c.bedClass], free: c.free, total: c.total })}
            </Badge>
          ))}
        </Group>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdmitting({ request: null })} data-testid="admit-open">
          {t('health.inpatient.admit')}
        </Button>
      </Group>
      {requests.data && requests.data.items.length > 0 ? (
        <Paper withBorder radius="md" p="md">
          <Title order={2} size="h5" mb="xs">
            {t('health.inpatient.requests', { count: requests.data.items.length })}
          </Title>
          <Stack gap="xs">
            {requests.data.items.map((r) => (
              <Group key={r.id} justify="space-between" wrap="wrap" data-testid="request-row">
                <Stack gap={0}>
                  <Text size="sm" fw={600}>
                    {r.patient.name} · {BED_CLASS_LABELS[r.bedClass]}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('health.inpatient.requestLine', { date: r.plannedOn, from: r.referralFrom ?? '–', number: r.referralNumber ?? '–' })}
                  </Text>
                </Stack>
                <Button size="xs" variant="light" onClick={() => setAdmitting({ request: r })}>
                  {t('health.inpatient.admitRequest')}
                </Button>
              </Group>
            ))}
          </Stack>
        </Paper>
      ) : null}
      {data.wards.map((w) => (
        <Stack key={w.id} gap="xs" component="section" aria-label={w.name}>
          <Title order={2} size="h4">
            {w.name}
          </Title>
          {w.rooms.map((r) => (
            <Paper key={r.id} withBorder radius="md" p="sm" data-testid="room">
              <Group gap="xs" mb="xs">
                <Text fw={600}>{r.name}</Text>
                <Badge variant="outline">{BED_CLASS_LABELS[r.bedClass]}</Badge>
                {r.sex !== 'any' ? (
                  <Badge variant="light" color="gray">
                    {t(`health.inpatient.roomSex.${r.sex}`)}
                  </Badge>
                ) : null}
              </Group>
              <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 4 }} spacing="xs">
                {r.beds.map((b) => (
                  <BedTile key={b.id} bed={b} busy={service.isPending} onMove={setMoving} onDischarge={setDischarging} onService={(outOfService) => service.mutate({ bed: b, outOfService })} />
                ))}
              </SimpleGrid>
            </Paper>
          ))}
        </Stack>
      ))}
      {admitting ? <AdmitDialog facilityId={facilityId} board={data} request={admitting.request} onClose={() => setAdmitting(null)} onDone={refresh} /> : null}
      <MoveDialog board={data} occupant={moving} onClose={() => setMoving(null)} onDone={refresh} />
      <DischargeDialog occupant={discharging} onClose={() => setDischarging(null)} onDone={refresh} />
    </Stack>
  );
}

function BedTile({ bed, busy, onMove, onDischarge, onService }: { bed: Bed; busy: boolean; onMove: (o: Occupant) => void; onDischarge: (o: Occupant) => void; onService: (outOfService: boolean) => void }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const o = bed.occupant;
  const color = o ? 'red' : bed.outOfService ? 'gray' : 'teal';
  return (
    <Paper radius="md" p="xs" withBorder style={{ borderLeft: `4px solid var(--mantine-color-${color}-6)` }} data-testid="bed" data-state={o ? 'occupied' : bed.outOfService ? 'out' : 'free'}>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Group gap={4} wrap="nowrap">
          <IconBed size={16} aria-hidden />
          <Text size="sm" fw={700} ff="monospace">
            {bed.code}
          </Text>
        </Group>
        <Text size="xs" c={o ? 'red.9' : bed.outOfService ? 'gray.7' : 'teal.9'} fw={600}>
          {t(o ? 'health.inpatient.occupied' : bed.outOfService ? 'health.inpatient.outOfService' : 'health.inpatient.free')}
        </Text>
      </Group>
      {o ? (
        <Stack gap={0} mt={4}>
          <Text size="sm" lineClamp={1}>
            {o.name}
          </Text>
          <Text size="xs" c="dimmed">
            {o.nikMasked} · {t('health.inpatient.since', { when: when(o.admittedAt) })}
          </Text>
          <Group gap={4} mt={4}>
            <Button size="compact-xs" variant="light" leftSection={<IconTransfer size={12} aria-hidden />} onClick={() => onMove(o)}>
              {t('health.inpatient.move')}
            </Button>
            <Button size="compact-xs" variant="light" color="grape" leftSection={<IconDoorExit size={12} aria-hidden />} onClick={() => onDischarge(o)}>
              {t('health.inpatient.discharge')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Group mt={4}>
          <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconTool size={12} aria-hidden />} disabled={busy} onClick={() => onService(!bed.outOfService)}>
            {t(bed.outOfService ? 'health.inpatient.putInService' : 'health.inpatient.takeOutOfService')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}

/** Free beds of the board as Select options, grouped by class and room. */
function freeBedOptions(board: BedBoardType, only?: BedClass) {
  const groups: { group: string; items: { value: string; label: string }[] }[] = [];
  for (const w of board.wards)
    for (const r of w.rooms) {
      if (only && r.bedClass !== only) continue;
      const items = r.beds.filter((b) => !b.occupant && !b.outOfService).map((b) => ({ value: b.id, label: `${b.code} · ${r.name}` }));
      if (items.length) groups.push({ group: `${BED_CLASS_LABELS[r.bedClass]} · ${w.name}`, items });
    }
  return groups;
}

function AdmitDialog({ facilityId, board, request, onClose, onDone }: { facilityId: string; board: BedBoardType; request: InpatientRequest | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [patient, setPatient] = useState<{ id: string; name: string } | null>(request ? { id: request.patient.id, name: request.patient.name } : null);
  const [source, setSource] = useState<'referral' | 'preregistration' | 'emergency'>(request ? 'preregistration' : 'referral');
  const [referralFrom, setReferralFrom] = useState(request?.referralFrom ?? '');
  const [referralNumber, setReferralNumber] = useState(request?.referralNumber ?? '');
  const [bedClass, setBedClass] = useState<BedClass | null>(request?.bedClass ?? null);
  const [bedId, setBedId] = useState<string | null>(null);
  const [diagnosis, setDiagnosis] = useState('');
  const [errors, setErrors] = useState<{ fields: Record<string, string>; general: string | null }>({ fields: {}, general: null });
  const [done, setDone] = useState<Admission | null>(null);
  const admit = useMutation({
    mutationFn: () =>
      api.post<Admission>(`/api/v1/health/facilities/${facilityId}/admissions`, {
        patientId: patient!.id,
        source,
        ...(bedId ? { bedId } : {}),
        ...(bedClass ? { bedClass } : {}),
        ...(referralFrom.trim() && source !== 'emergency' ? { referralFrom } : {}),
        ...(referralNumber.trim() && source !== 'emergency' ? { referralNumber } : {}),
        ...(request && source === 'preregistration' ? { requestId: request.id } : {}),
        ...(diagnosis.trim() ? { diagnosis } : {}),
      }),
    onSuccess: (a) => {
      setDone(a);
      onDone();
    },
    onError: (e) => setErrors(problemFields(e, t('errors.unexpected'))),
  });
  const classes = board.classes.map((c) => ({ value: c.bedClass, label: t('health.inpatient.classOption', { bedClass: BED_CLASS_LABELS[c.bedClass], free: c.free }), disabled: c.free === 0 }));
  return (
    <Modal opened onClose={onClose} size="lg" title={<Title order={2} size="h4">{t('health.inpatient.admitTitle')}</Title>}>
      {done ? (
        <Stack align="center" gap="xs" data-testid="admit-result">
          <Text size="sm" c="dimmed">
            {t('health.inpatient.admittedTo')}
          </Text>
          <Text fw={800} ff="monospace" style={{ fontSize: '2.5rem', lineHeight: 1 }}>
            {done.bed?.code}
          </Text>
          <Text>
            {done.bed?.room} · {done.bed?.ward}
          </Text>
          <Text fw={600}>{done.patient.name}</Text>
          <Button mt="sm" onClick={onClose}>
            {t('action.close')}
          </Button>
        </Stack>
      ) : !patient ? (
        <PatientFinder testId="admit" actionLabel={t('health.inpatient.choosePatient')} busy={false} error={null} onPick={(p) => setPatient({ id: p.id, name: p.name })} />
      ) : (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            setErrors({ fields: {}, general: null });
            admit.mutate();
          }}
          noValidate
        >
          <Stack gap="sm">
            <Paper withBorder p="xs" radius="md">
              <Group justify="space-between">
                <Text fw={600} data-testid="admit-patient">
                  {patient.name}
                </Text>
                {request ? null : (
                  <Button size="compact-sm" variant="subtle" onClick={() => setPatient(null)}>
                    {t('health.inpatient.otherPatient')}
                  </Button>
                )}
              </Group>
            </Paper>
            {errors.general ? <Alert color="red">{errors.general}</Alert> : null}
            <SegmentedControl
              value={source}
              onChange={(v) => setSource(v as typeof source)}
              data={[
                { value: 'referral', label: t('health.inpatient.source.referral') },
                ...(request ? [{ value: 'preregistration', label: t('health.inpatient.source.preregistration') }] : []),
                { value: 'emergency', label: t('health.inpatient.source.emergency') },
              ]}
              aria-label={t('health.inpatient.sourceLabel')}
            />
            {source !== 'emergency' ? (
              <Group grow align="flex-start">
                <TextInput label={t('health.inpatient.referralFrom')} placeholder="Puskesmas Batua" value={referralFrom} onChange={(e) => setReferralFrom(e.currentTarget.value)} error={errors.fields.referralFrom} data-testid="admit-referral-from" />
                <TextInput label={t('health.inpatient.referralNumber')} value={referralNumber} onChange={(e) => setReferralNumber(e.currentTarget.value)} error={errors.fields.referralNumber} />
              </Group>
            ) : null}
            <Select
              label={t('health.inpatient.bedClass')}
              data={classes}
              value={bedClass}
              onChange={(v) => {
                setBedClass(v as BedClass | null);
                setBedId(null);
              }}
              error={errors.fields.bedClass ?? (errors.fields.bedId && !bedClass ? errors.fields.bedId : undefined)}
              comboboxProps={{ withinPortal: false }}
              data-testid="admit-class"
            />
            <Select
              label={t('health.inpatient.bed')}
              description={t('health.inpatient.bedHint')}
              placeholder={t('health.inpatient.bedAuto')}
              data={bedClass ? freeBedOptions(board, bedClass) : []}
              value={bedId}
              onChange={setBedId}
              clearable
              disabled={!bedClass}
              error={bedClass ? errors.fields.bedId : undefined}
              comboboxProps={{ withinPortal: false }}
              data-testid="admit-bed"
            />
            <TextInput label={t('health.inpatient.diagnosis')} value={diagnosis} onChange={(e) => setDiagnosis(e.currentTarget.value)} maxLength={300} error={errors.fields.diagnosis} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('action.cancel')}
              </Button>
              <Button type="submit" loading={admit.isPending} data-testid="admit-submit">
                {t('health.inpatient.admitSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function MoveDialog({ board, occupant, onClose, onDone }: { board: BedBoardType; occupant: Occupant | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [bedId, setBedId] = useState<string | null>(null);
  const close = () => {
    setBedId(null);
    move.reset();
    onClose();
  };
  const move = useMutation({
    mutationFn: () => api.post<Admission>(`/api/v1/health/admissions/${occupant!.admissionId}/transfer`, { bedId }),
    onSuccess: (a) => {
      notifications.show({ color: 'teal', message: t('health.inpatient.moved', { name: a.patient.name, bed: a.bed?.code ?? '' }) });
      onDone();
      close();
    },
  });
  return (
    <Modal opened={occupant !== null} onClose={close} title={<Title order={2} size="h4">{t('health.inpatient.moveTitle', { name: occupant?.name ?? '' })}</Title>}>
      <Stack gap="sm">
        {move.isError ? <Alert color="red">{problemText(move.error, t('errors.unexpected'))}</Alert> : null}
        <Select label={t('health.inpatient.bed')} data={freeBedOptions(board)} value={bedId} onChange={setBedId} searchable comboboxProps={{ withinPortal: false }} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('action.cancel')}
          </Button>
          <Button disabled={!bedId} loading={move.isPending} onClick={() => move.mutate()}>
            {t('health.inpatient.moveSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const DISCHARGE_TYPES = ['home', 'referred', 'against_advice', 'deceased'] as const;

function DischargeDialog({ occupant, onClose, onDone }: { occupant: Occupant | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [type, setType] = useState<(typeof DISCHARGE_TYPES)[number]>('home');
  const discharge = useMutation({
    mutationFn: () => api.post<Admission>(`/api/v1/health/admissions/${occupant!.admissionId}/discharge`, { type }),
    onSuccess: (a) => {
      notifications.show({ color: 'teal', message: t('health.inpatient.discharged', { name: a.patient.name }) });
      onDone();
      onClose();
    },
  });
  return (
    <Modal opened={occupant !== null} onClose={onClose} title={<Title order={2} size="h4">{t('health.inpatient.dischargeTitle', { name: occupant?.name ?? '' })}</Title>}>
      <Stack gap="sm">
        {discharge.isError ? <Alert color="red">{problemText(discharge.error, t('errors.unexpected'))}</Alert> : null}
        <Select
          label={t('health.inpatient.dischargeType')}
          data={DISCHARGE_TYPES.map((d) => ({ value: d, label: t(`health.inpatient.dischargeTypes.${d}`) }))}
          value={type}
          onChange={(v) => v && setType(v as typeof type)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: false }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button color="grape" loading={discharge.isPending} onClick={() => discharge.mutate()}>
            {t('health.inpatient.dischargeSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
