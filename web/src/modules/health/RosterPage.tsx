import { ActionIcon, Badge, Button, Checkbox, Chip, Group, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCalendarEvent, IconPlus, IconUserPlus, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, problemFields, problemText } from '../../app/api';
import { useTenant } from '../../app/tenant';
import { formatDay, todayIn, zoneLabel } from '../../app/time';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { FormDialog, type FormErrors, type ManagedFacility, ManagedFacilityPage, NO_ERRORS, WEEKDAYS, weekdayName } from './ManagedFacility';
import { type ServiceSettings, useServiceSettings } from './ServicesPage';
import { PractitionerName } from './PractitionerName';

const KINDS = ['doctor', 'dentist', 'midwife', 'nurse', 'pharmacist'] as const;
type Kind = (typeof KINDS)[number];

interface Shift {
  id: string;
  serviceId: string;
  weekday: number;
  startsAt: string;
  endsAt: string;
}

interface RosterException {
  id: string;
  day: string;
  kind: 'leave' | 'extra';
  serviceId: string | null;
  startsAt: string;
  endsAt: string;
  note: string | null;
}

interface Practitioner {
  id: string;
  name: string;
  kind: Kind;
  strNumber: string | null;
  active: boolean;
  shifts: Shift[];
  exceptions: RosterException[];
}

const rosterKey = (facilityId: string) => ['health', 'roster', facilityId];

/**
 * `/staf/jadwal-dokter`: a facility's practitioners and their rosters — the weekly grid of a poli
 * with shifts added and taken off, leave and extra shifts (a swap is one's leave and another's
 * extra shift) for the coming weeks, practitioners added and taken off duty. What it shows is what
 * the public "dokter piket" page and the queue estimates use.
 */
export function RosterPage() {
  const { t } = useTranslation();
  return <ManagedFacilityPage title={t('health.roster.title')}>{(facility) => <RosterBoard facility={facility} />}</ManagedFacilityPage>;
}

function RosterBoard({ facility }: { facility: ManagedFacility }) {
  const { t } = useTranslation();
  const roster = useQuery({ queryKey: rosterKey(facility.id), queryFn: () => api.get<{ from: string; practitioners: Practitioner[] }>(`/api/v1/health/facilities/${facility.id}/roster`) });
  const settings = useServiceSettings(facility.id);
  const [serviceId, setServiceId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'shift' | 'exception' | 'practitioner' | null>(null);
  if (roster.isPending || settings.isPending) return <LoadingState />;
  if (roster.isError) return <ErrorState error={roster.error} onRetry={() => void roster.refetch()} />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  const services = settings.data.items.filter((s) => s.active);
  const people = roster.data.practitioners;
  const service = services.find((s) => s.id === serviceId) ?? services[0];
  const close = () => setDialog(null);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        {services.length ? (
          <Select label={t('health.roster.service')} data={services.map((s) => ({ value: s.id, label: s.name }))} value={service?.id ?? null} onChange={setServiceId} allowDeselect={false} w={260} data-testid="roster-service" />
        ) : (
          <span />
        )}
        <Group gap="xs" wrap="wrap">
          <Button variant="light" leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setDialog('practitioner')} data-testid="practitioner-add">
            {t('health.roster.addPractitioner')}
          </Button>
          <Button variant="light" leftSection={<IconCalendarEvent size={16} aria-hidden />} onClick={() => setDialog('exception')} disabled={!people.some((p) => p.active)} data-testid="exception-add">
            {t('health.roster.addException')}
          </Button>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog('shift')} disabled={!service || !people.some((p) => p.active)} data-testid="shift-add">
            {t('health.roster.addShift')}
          </Button>
        </Group>
      </Group>
      {services.length === 0 ? (
        <EmptyState title={t('health.roster.noServices')} description={t('health.roster.noServicesHint')} />
      ) : service ? (
        <WeekGrid facilityId={facility.id} service={service} people={people} />
      ) : null}
      <Exceptions facilityId={facility.id} people={people} services={settings.data.items} />
      <People facilityId={facility.id} people={people} />
      <ShiftDialog facilityId={facility.id} opened={dialog === 'shift'} onClose={close} people={people} services={services} serviceId={service?.id ?? null} />
      <ExceptionDialog facilityId={facility.id} opened={dialog === 'exception'} onClose={close} people={people} services={services} />
      <PractitionerDialog facilityId={facility.id} opened={dialog === 'practitioner'} onClose={close} />
    </Stack>
  );
}

/** A change of the roster from a list: the roster read again, and a toast of how it went. */
function useRosterChange<V, R>(facilityId: string, change: (v: V) => Promise<R>, done: (r: R) => string) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: rosterKey(facilityId) });
      notifications.show({ color: 'teal', message: done(r) });
    },
    onError: (e) => notifications.show({ color: 'red', message: problemText(e, t('errors.unexpected')) }),
  });
}

/** The weekly roster of one poli: a row per practitioner serving it, a column per weekday. */
function WeekGrid({ facilityId, service, people }: { facilityId: string; service: ServiceSettings; people: Practitioner[] }) {
  const { t, i18n } = useTranslation();
  const _qc = useQueryClient();
  const remove = useRosterChange(facilityId, ({ p, s }: { p: Practitioner; s: Shift }) => api.delete(`/api/v1/health/practitioners/${p.id}/shifts/${s.id}`), () => t('health.roster.shiftRemoved'));
  const phone = useMediaQuery('(max-width: 48em)');
  const rows = people.filter((p) => p.active && p.shifts.some((s) => s.serviceId === service.id));
  const open = new Set(service.hours.filter((d) => d.sessions.length).map((d) => d.weekday));
  return (
    <Paper withBorder radius="md" p={0}>
      <Title order={2} size="h5" px="md" pt="sm">
        {t('health.roster.weekOf', { name: service.name })}
      </Title>
      {rows.length === 0 ? (
        <EmptyState title={t('health.roster.noShifts')} description={t('health.roster.noShiftsHint')} />
      ) : phone ? (
        <Stack gap="xs" p="md" data-testid="roster-days">
          {WEEKDAYS.map((wd) => {
            const day = rows.flatMap((p) => p.shifts.filter((s) => s.serviceId === service.id && s.weekday === wd).map((s) => ({ p, s }))).sort((a, b) => a.s.startsAt.localeCompare(b.s.startsAt));
            return (
              <Stack key={wd} gap={4}>
                <Text size="sm" fw={700}>
                  {weekdayName(wd, i18n.language)}
                </Text>
                {day.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    –
                  </Text>
                ) : (
                  day.map(({ p, s }) => (
                    <Group key={s.id} justify="space-between" wrap="nowrap" gap="xs">
                      <Text size="sm" style={{ minWidth: 0 }}>
                        {p.name}
                      </Text>
                      <ShiftChip shift={s} label={t('health.roster.removeShift', { name: p.name, day: weekdayName(wd, i18n.language), start: s.startsAt, end: s.endsAt })} onRemove={() => remove.mutate({ p, s })} busy={remove.isPending} />
                    </Group>
                  ))
                )}
              </Stack>
            );
          })}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" withColumnBorders data-testid="roster-grid">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={200}>{t('health.roster.practitioner')}</Table.Th>
                {WEEKDAYS.map((wd) => (
                  <Table.Th key={wd} c={open.has(wd) ? undefined : 'dimmed'}>
                    {weekdayName(wd, i18n.language, 'short')}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => (
                <Table.Tr key={p.id} data-testid="roster-row" data-name={p.name}>
                  <Table.Td>
                    <PractitionerName name={p.name} kind={p.kind} />
                  </Table.Td>
                  {WEEKDAYS.map((wd) => {
                    const shifts = p.shifts.filter((s) => s.serviceId === service.id && s.weekday === wd);
                    return (
                      <Table.Td key={wd} data-weekday={wd}>
                        <Stack gap={4}>
                          {shifts.map((s) => (
                            <ShiftChip key={s.id} shift={s} label={t('health.roster.removeShift', { name: p.name, day: weekdayName(wd, i18n.language), start: s.startsAt, end: s.endsAt })} onRemove={() => remove.mutate({ p, s })} busy={remove.isPending} />
                          ))}
                        </Stack>
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** A weekly shift's times with the button that takes it off. */
function ShiftChip({ shift, label, onRemove, busy }: { shift: Shift; label: string; onRemove: () => void; busy: boolean }) {
  return (
    <Group gap={2} wrap="nowrap" justify="space-between" pl={6} bg="teal.0" style={{ borderRadius: 4, flexShrink: 0 }} data-testid="roster-shift">
      <Text size="xs" fw={600} c="teal.9" style={{ whiteSpace: 'nowrap' }}>
        {shift.startsAt}–{shift.endsAt}
      </Text>
      <ActionIcon size="sm" variant="subtle" color="teal.9" onClick={onRemove} disabled={busy} aria-label={label}>
        <IconX size={12} aria-hidden />
      </ActionIcon>
    </Group>
  );
}

/** Leave and extra shifts from today on, by date, each withdrawable. */
function Exceptions({ facilityId, people, services }: { facilityId: string; people: Practitioner[]; services: ServiceSettings[] }) {
  const { t, i18n } = useTranslation();
  const _qc = useQueryClient();
  const remove = useRosterChange(facilityId, ({ p, e }: { p: Practitioner; e: RosterException }) => api.delete(`/api/v1/health/practitioners/${p.id}/exceptions/${e.id}`), () => t('health.roster.exceptionRemoved'));
  const rows = people.flatMap((p) => p.exceptions.map((e) => ({ p, e }))).sort((a, b) => a.e.day.localeCompare(b.e.day) || a.e.startsAt.localeCompare(b.e.startsAt));
  const serviceName = (id: string | null) => services.find((s) => s.id === id)?.name ?? '';
  return (
    <Paper withBorder radius="md" p={0}>
      <Title order={2} size="h5" px="md" pt="sm">
        {t('health.roster.exceptionsTitle')}
      </Title>
      {rows.length === 0 ? (
        <EmptyState title={t('health.roster.noExceptions')} />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" data-testid="exceptions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('health.roster.day')}</Table.Th>
                <Table.Th>{t('health.roster.practitioner')}</Table.Th>
                <Table.Th>{t('health.roster.what')}</Table.Th>
                <Table.Th>{t('health.roster.hours')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ p, e }) => (
                <Table.Tr key={e.id} data-testid="exception-row">
                  <Table.Td>{formatDay(e.day, i18n.language, { weekday: 'short', day: 'numeric', month: 'short' })}</Table.Td>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={e.kind === 'leave' ? 'orange' : 'blue'} tt="none">
                      {e.kind === 'leave' ? t('health.roster.leave') : t('health.roster.extraAt', { service: serviceName(e.serviceId) })}
                    </Badge>
                    {e.note ? (
                      <Text size="xs" c="dimmed">
                        {e.note}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{e.startsAt === '00:00' && e.endsAt === '23:59' ? t('health.roster.wholeDay') : `${e.startsAt}–${e.endsAt}`}</Table.Td>
                  <Table.Td ta="right">
                    <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate({ p, e })} loading={remove.isPending && remove.variables?.e.id === e.id} aria-label={t('health.roster.withdrawOf', { name: p.name })}>
                      {t('health.roster.withdraw')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** The facility's practitioners; one taken off duty keeps their roster for when they return. */
function People({ facilityId, people }: { facilityId: string; people: Practitioner[] }) {
  const { t } = useTranslation();
  const _qc = useQueryClient();
  const toggle = useRosterChange(
    facilityId,
    (p: Practitioner) => api.patch<Practitioner>(`/api/v1/health/practitioners/${p.id}`, { active: !p.active }),
    (p) => t(p.active ? 'health.roster.activated' : 'health.roster.deactivated', { name: p.name }),
  );
  return (
    <Paper withBorder radius="md" p={0}>
      <Title order={2} size="h5" px="md" pt="sm" pb="xs">
        {t('health.roster.peopleTitle')}
      </Title>
      {people.length === 0 ? (
        <EmptyState title={t('health.roster.noPeople')} />
      ) : (
        <Stack gap={0} data-testid="people">
          {people.map((p) => (
            <Group key={p.id} justify="space-between" wrap="wrap" gap="xs" px="md" py="xs" bg={p.active ? undefined : 'gray.0'} style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }} data-testid="person-row" data-name={p.name}>
              <Stack gap={0} style={{ minWidth: 0, flex: '1 1 220px' }}>
                <PractitionerName name={p.name} kind={p.kind} extra={`${p.strNumber ? ` · STR ${p.strNumber}` : ''} · ${t('health.roster.shiftCount', { count: p.shifts.length })}`} />
              </Stack>
              <Group gap="xs" wrap="nowrap">
                <Badge variant="light" color={p.active ? 'teal' : 'gray'}>
                  {p.active ? t('health.roster.onDuty') : t('health.roster.offDuty')}
                </Badge>
                <Button size="xs" variant="subtle" color={p.active ? 'red' : 'teal'} onClick={() => toggle.mutate(p)} loading={toggle.isPending && toggle.variables?.id === p.id} data-testid="person-toggle">
                  {p.active ? t('health.roster.deactivate') : t('health.roster.activate')}
                </Button>
              </Group>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

interface DialogProps {
  facilityId: string;
  opened: boolean;
  onClose: () => void;
}

/** Runs `reset` each time a dialog opens, so its form starts afresh. */
function useOnOpen(opened: boolean, reset: () => void): void {
  const [wasOpen, setWasOpen] = useState(false);
  if (opened !== wasOpen) {
    setWasOpen(opened);
    if (opened) reset();
  }
}

/** Two local times (the tenant's zone), start and end, with the API's refusals on them. */
function TimeRange({ startsAt, endsAt, onChange, errors, testId }: { startsAt: string; endsAt: string; onChange: (v: { startsAt?: string; endsAt?: string }) => void; errors: FormErrors; testId: string }) {
  const { t } = useTranslation();
  const tenant = useTenant();
  return (
    <Group grow align="flex-start">
      <TextInput type="time" label={t('health.roster.startsAt', { zone: zoneLabel(tenant.data?.timeZone ?? 'Asia/Makassar') })} value={startsAt} onChange={(e) => onChange({ startsAt: e.currentTarget.value })} error={errors.fields.startsAt} data-testid={`${testId}-starts`} />
      <TextInput type="time" label={t('health.roster.endsAt')} value={endsAt} onChange={(e) => onChange({ endsAt: e.currentTarget.value })} error={errors.fields.endsAt} data-testid={`${testId}-ends`} />
    </Group>
  );
}

/** Which active practitioner: a select over the facility's people. */
function personOptions(people: Practitioner[]) {
  return people.filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }));
}

/** Weekly shifts: one practitioner at a poli on the weekdays chosen, between two local times. */
function ShiftDialog({ facilityId, opened, onClose, people, services, serviceId }: DialogProps & { people: Practitioner[]; services: ServiceSettings[]; serviceId: string | null }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [form, setForm] = useState({ practitionerId: null as string | null, serviceId, weekdays: [] as string[], startsAt: '08:00', endsAt: '12:00' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  useOnOpen(opened, () => {
    setForm({ practitionerId: null, serviceId, weekdays: [], startsAt: '08:00', endsAt: '12:00' });
    setErrors(NO_ERRORS);
  });
  const save = useMutation({
    mutationFn: async () => {
      // One shift per weekday; a refusal stops at the first (the same times fail on every day).
      for (const wd of form.weekdays) {
        await api.post(`/api/v1/health/practitioners/${form.practitionerId}/shifts`, { serviceId: form.serviceId, weekday: Number(wd), startsAt: form.startsAt, endsAt: form.endsAt });
      }
    },
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('health.roster.shiftAdded', { count: form.weekdays.length }) });
      onClose();
    },
    onError: (e) => setErrors(problemFields(e, t('errors.unexpected'))),
    onSettled: () => void qc.invalidateQueries({ queryKey: rosterKey(facilityId) }),
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={t('health.roster.addShift')}
      errors={errors}
      pending={save.isPending}
      submitLabel={t('health.roster.addShiftSubmit')}
      testId="shift"
      onInvalid={setErrors}
      check={() => ({
        ...(form.practitionerId ? {} : { practitionerId: t('health.roster.choosePerson') }),
        ...(form.weekdays.length ? {} : { weekday: t('health.roster.chooseDays') }),
      })}
      submit={() => save.mutate()}
    >
      <Select label={t('health.roster.practitioner')} data={personOptions(people)} value={form.practitionerId} onChange={(v) => set({ practitionerId: v })} searchable error={errors.fields.practitionerId} comboboxProps={{ withinPortal: false }} data-testid="shift-person" />
      <Select label={t('health.roster.service')} data={services.map((s) => ({ value: s.id, label: s.name }))} value={form.serviceId} onChange={(v) => set({ serviceId: v })} allowDeselect={false} error={errors.fields.serviceId} comboboxProps={{ withinPortal: false }} />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="shift-days">
          {t('health.roster.days')}
        </Text>
        <Chip.Group multiple value={form.weekdays} onChange={(v) => set({ weekdays: v })}>
          <Group gap={6} role="group" aria-labelledby="shift-days">
            {WEEKDAYS.map((wd) => (
              <Chip key={wd} value={String(wd)} size="sm" data-testid="shift-day">
                {weekdayName(wd, i18n.language, 'short')}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        {errors.fields.weekday ? (
          <Text size="xs" c="red.8">
            {errors.fields.weekday}
          </Text>
        ) : null}
      </Stack>
      <TimeRange startsAt={form.startsAt} endsAt={form.endsAt} onChange={set} errors={errors} testId="shift" />
    </FormDialog>
  );
}

type ExceptionMode = 'leave' | 'extra' | 'swap';

/** Leave, an extra shift, or a swap (the absent practitioner's leave and the replacement's extra shift). */
function ExceptionDialog({ facilityId, opened, onClose, people, services }: DialogProps & { people: Practitioner[]; services: ServiceSettings[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const tenant = useTenant();
  const today = todayIn(tenant.data?.timeZone ?? 'Asia/Makassar');
  const empty = { mode: 'leave' as ExceptionMode, day: today, practitionerId: null as string | null, replacementId: null as string | null, serviceId: null as string | null, wholeDay: true, startsAt: '08:00', endsAt: '12:00', note: '' };
  const [form, setForm] = useState(empty);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  useOnOpen(opened, () => {
    setForm(empty);
    setErrors(NO_ERRORS);
  });
  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.name ?? '';
  const save = useMutation({
    mutationFn: async () => {
      const times = form.mode === 'leave' && form.wholeDay ? {} : { startsAt: form.startsAt, endsAt: form.endsAt };
      const note = form.note.trim();
      if (form.mode === 'extra') {
        await api.post(`/api/v1/health/practitioners/${form.practitionerId}/exceptions`, { day: form.day, kind: 'extra', serviceId: form.serviceId ?? undefined, ...times, ...(note ? { note } : {}) });
        return;
      }
      const leaveNote = form.mode === 'swap' ? note || t('health.roster.swapLeaveNote', { name: nameOf(form.replacementId) }) : note;
      const leave = await api.post<{ id: string }>(`/api/v1/health/practitioners/${form.practitionerId}/exceptions`, { day: form.day, kind: 'leave', ...times, ...(leaveNote ? { note: leaveNote } : {}) });
      if (form.mode !== 'swap') return;
      try {
        await api.post(`/api/v1/health/practitioners/${form.replacementId}/exceptions`, {
          day: form.day,
          kind: 'extra',
          serviceId: form.serviceId ?? undefined,
          ...times,
          note: note || t('health.roster.swapExtraNote', { name: nameOf(form.practitionerId) }),
        });
      } catch (e) {
        // A swap is both halves or neither: take the leave back.
        await api.delete(`/api/v1/health/practitioners/${form.practitionerId}/exceptions/${leave.id}`).catch(() => undefined);
        throw e;
      }
    },
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t(`health.roster.saved.${form.mode}`) });
      onClose();
    },
    onError: (e) => setErrors(problemFields(e, t('errors.unexpected'))),
    onSettled: () => void qc.invalidateQueries({ queryKey: rosterKey(facilityId) }),
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const needsService = form.mode !== 'leave';
  const timed = form.mode !== 'leave' || !form.wholeDay;
  return (
    <FormDialog
      opened={opened}
      onClose={onClose}
      title={t('health.roster.addException')}
      errors={errors}
      pending={save.isPending}
      submitLabel={t('action.save')}
      testId="exception"
      onInvalid={setErrors}
      check={() => {
        const missing: Record<string, string> = {};
        if (!form.practitionerId) missing.practitionerId = t('health.roster.choosePerson');
        if (form.mode === 'swap' && !form.replacementId) missing.replacementId = t('health.roster.choosePerson');
        if (form.mode === 'swap' && form.replacementId && form.replacementId === form.practitionerId) missing.replacementId = t('health.roster.sameForSwap');
        if (needsService && !form.serviceId) missing.serviceId = t('health.roster.chooseService');
        return missing;
      }}
      submit={() => save.mutate()}
    >
      <SegmentedControl
        value={form.mode}
        onChange={(v) => set({ mode: v as ExceptionMode })}
        data={[
          { value: 'leave', label: t('health.roster.mode.leave') },
          { value: 'extra', label: t('health.roster.mode.extra') },
          { value: 'swap', label: t('health.roster.mode.swap') },
        ]}
        aria-label={t('health.roster.modeLabel')}
        fullWidth
        data-testid="exception-mode"
      />
      <Text size="xs" c="dimmed">
        {t(`health.roster.modeHint.${form.mode}`)}
      </Text>
      <TextInput type="date" label={t('health.roster.day')} value={form.day} min={today} onChange={(e) => set({ day: e.currentTarget.value })} error={errors.fields.day} data-testid="exception-day" />
      <Select
        label={form.mode === 'extra' ? t('health.roster.practitioner') : t('health.roster.absent')}
        data={personOptions(people)}
        value={form.practitionerId}
        onChange={(v) => set({ practitionerId: v })}
        searchable
        error={errors.fields.practitionerId}
        comboboxProps={{ withinPortal: false }}
        data-testid="exception-person"
      />
      {form.mode === 'swap' ? (
        <Select
          label={t('health.roster.replacement')}
          data={personOptions(people)}
          value={form.replacementId}
          onChange={(v) => set({ replacementId: v })}
          searchable
          error={errors.fields.replacementId}
          comboboxProps={{ withinPortal: false }}
          data-testid="exception-replacement"
        />
      ) : null}
      {needsService ? (
        <Select label={t('health.roster.service')} data={services.map((s) => ({ value: s.id, label: s.name }))} value={form.serviceId} onChange={(v) => set({ serviceId: v })} error={errors.fields.serviceId} comboboxProps={{ withinPortal: false }} data-testid="exception-service" />
      ) : (
        <Checkbox label={t('health.roster.wholeDay')} checked={form.wholeDay} onChange={(e) => set({ wholeDay: e.currentTarget.checked })} data-testid="exception-whole-day" />
      )}
      {timed ? (
        <TimeRange startsAt={form.startsAt} endsAt={form.endsAt} onChange={set} errors={errors} testId="exception" />
      ) : null}
      <TextInput label={t('health.roster.note')} placeholder={t('health.roster.notePlaceholder')} value={form.note} onChange={(e) => set({ note: e.currentTarget.value })} error={errors.fields.note} maxLength={300} />
    </FormDialog>
  );
}

/** A new practitioner of the facility: name, profession and (when known) STR number. */
function PractitionerDialog({ facilityId, opened, onClose }: DialogProps) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: '', kind: 'doctor' as Kind, strNumber: '' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  useOnOpen(opened, () => {
    setForm({ name: '', kind: 'doctor', strNumber: '' });
    setErrors(NO_ERRORS);
  });
  const save = useMutation({
    mutationFn: () => api.post<{ name: string }>('/api/v1/health/practitioners', { facilityId, name: form.name, kind: form.kind, ...(form.strNumber.trim() ? { strNumber: form.strNumber.trim() } : {}) }),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: rosterKey(facilityId) });
      notifications.show({ color: 'teal', message: t('health.roster.personAdded', { name: p.name }) });
      onClose();
    },
    onError: (e) => setErrors(problemFields(e, t('errors.unexpected'))),
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <FormDialog opened={opened} onClose={onClose} title={t('health.roster.addPractitioner')} errors={errors} pending={save.isPending} submitLabel={t('health.roster.addPractitionerSubmit')} testId="practitioner" submit={() => save.mutate()}>
      <TextInput label={t('health.roster.name')} placeholder={t('health.roster.namePlaceholder')} value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} error={errors.fields.name} data-testid="practitioner-name" />
      <Select label={t('health.roster.kind')} data={KINDS.map((k) => ({ value: k, label: t(`health.duty.kind.${k}`) }))} value={form.kind} onChange={(v) => v && set({ kind: v as Kind })} allowDeselect={false} comboboxProps={{ withinPortal: false }} data-testid="practitioner-kind" />
      <TextInput label={t('health.roster.str')} description={t('health.roster.strHint')} value={form.strNumber} onChange={(e) => set({ strNumber: e.currentTarget.value.toUpperCase() })} error={errors.fields.strNumber} data-testid="practitioner-str" />
    </FormDialog>
  );
}
