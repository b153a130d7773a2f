import { ActionIcon, Badge, Button, Group, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconClock, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, problemFields, problemText } from '../../app/api';
import { useTenant } from '../../app/tenant';
import { zoneLabel } from '../../app/time';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { FormDialog, type FormErrors, MANAGED_FACILITIES_KEY, type ManagedFacility, ManagedFacilityPage, NO_ERRORS, numberOrUndefined, WEEKDAYS, weekdayName } from './ManagedFacility';

interface Session {
  session: number;
  opensAt: string;
  closesAt: string;
  quota: number;
}

export interface ServiceSettings {
  id: string;
  facilityId: string;
  code: string;
  name: string;
  kind: 'poli' | 'pharmacy';
  queuePrefix: string;
  onsiteShare: number;
  defaultServiceMinutes: number;
  active: boolean;
  hours: { weekday: number; sessions: Session[] }[];
}

export const serviceSettingsKey = (facilityId: string) => ['health', 'service-settings', facilityId];

/** A facility's services with their settings and hours (closed services too). */
export function useServiceSettings(facilityId: string) {
  return useQuery({
    queryKey: serviceSettingsKey(facilityId),
    queryFn: () => api.get<{ facility: ManagedFacility; items: ServiceSettings[] }>(`/api/v1/health/facilities/${facilityId}/service-settings`),
  });
}

/**
 * `/staf/layanan-kesehatan`: a facility manager sets up the facility's services — online
 * registration on or off, the polis and the pharmacy with their queue prefix, the share of each
 * session kept for walk-ins and the assumed service time, and the opening hours per weekday in
 * sessions with their quotas.
 */
export function ServicesPage() {
  const { t } = useTranslation();
  return <ManagedFacilityPage title={t('health.manage.title')}>{(facility) => <ServicesBoard facility={facility} />}</ManagedFacilityPage>;
}

function ServicesBoard({ facility }: { facility: ManagedFacility }) {
  const { t } = useTranslation();
  const settings = useServiceSettings(facility.id);
  const [editing, setEditing] = useState<ServiceSettings | 'new' | null>(null);
  const [hoursOf, setHoursOf] = useState<ServiceSettings | null>(null);
  return (
    <Stack gap="md">
      <OnlineRegistration facility={settings.data?.facility ?? facility} />
      <Group justify="space-between" align="center">
        <Title order={2} size="h4">
          {t('health.manage.services')}
        </Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')} data-testid="service-add">
          {t('health.manage.addService')}
        </Button>
      </Group>
      {settings.isPending ? (
        <LoadingState />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : settings.data.items.length === 0 ? (
        <EmptyState title={t('health.manage.noServices')} description={t('health.manage.noServicesHint')} />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          {settings.data.items.map((s) => (
            <ServiceCard key={s.id} service={s} onEdit={() => setEditing(s)} onHours={() => setHoursOf(s)} />
          ))}
        </SimpleGrid>
      )}
      <ServiceDialog facilityId={facility.id} service={editing} onClose={() => setEditing(null)} />
      <HoursDialog facilityId={facility.id} service={hoursOf} onClose={() => setHoursOf(null)} />
    </Stack>
  );
}

function OnlineRegistration({ facility }: { facility: ManagedFacility }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (onlineRegistration: boolean) => api.patch<ManagedFacility>(`/api/v1/health/facilities/${facility.id}`, { onlineRegistration }),
    onSuccess: (f) => {
      void qc.invalidateQueries({ queryKey: MANAGED_FACILITIES_KEY });
      void qc.invalidateQueries({ queryKey: serviceSettingsKey(facility.id) });
      notifications.show({ color: 'teal', message: t(f.onlineRegistration ? 'health.manage.onlineOpened' : 'health.manage.onlineClosed') });
    },
    onError: (e) => notifications.show({ color: 'red', message: problemText(e, t('errors.unexpected')) }),
  });
  return (
    <Paper withBorder radius="md" p="md">
      <Switch
        checked={toggle.isPending ? (toggle.variables ?? facility.onlineRegistration) : facility.onlineRegistration}
        onChange={(e) => toggle.mutate(e.currentTarget.checked)}
        disabled={toggle.isPending}
        label={t('health.manage.online')}
        description={t('health.manage.onlineHint')}
        data-testid="online-switch"
      />
    </Paper>
  );
}

function ServiceCard({ service: s, onEdit, onHours }: { service: ServiceSettings; onEdit: () => void; onHours: () => void }) {
  const { t, i18n } = useTranslation();
  const byDay = new Map(s.hours.map((d) => [d.weekday, d.sessions]));
  return (
    <Paper withBorder radius="md" p="md" data-testid="service-card" data-code={s.code} bg={s.active ? undefined : "gray.0"} style={s.active ? undefined : { borderStyle: "dashed" }}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Text fw={700}>{s.name}</Text>
            <Group gap={6}>
              <Badge variant="light" color={s.kind === 'pharmacy' ? 'grape' : 'blue'}>
                {t(`health.manage.kind.${s.kind}`)}
              </Badge>
              <Badge variant="outline" color="gray" ff="monospace">
                {t('health.manage.prefixBadge', { prefix: s.queuePrefix })}
              </Badge>
              {s.active ? null : (
                <Badge color="gray" data-testid="service-closed">
                  {t('health.manage.closedBadge')}
                </Badge>
              )}
            </Group>
          </Stack>
          <Group gap={4} wrap="nowrap">
            <Button size="xs" variant="light" leftSection={<IconPencil size={14} aria-hidden />} onClick={onEdit} data-testid="service-edit">
              {t('action.edit')}
            </Button>
            <Button size="xs" variant="light" leftSection={<IconClock size={14} aria-hidden />} onClick={onHours} data-testid="service-hours">
              {t('health.manage.hours')}
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {t('health.manage.summary', { share: s.onsiteShare, minutes: s.defaultServiceMinutes, code: s.code })}
        </Text>
        <Table verticalSpacing={2} fz="sm" withRowBorders={false} data-testid="service-hours-table">
          <Table.Tbody>
            {WEEKDAYS.map((wd) => {
              const sessions = byDay.get(wd) ?? [];
              return (
                <Table.Tr key={wd}>
                  <Table.Td w={90} c="dimmed">
                    {weekdayName(wd, i18n.language)}
                  </Table.Td>
                  <Table.Td>
                    {sessions.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('health.manage.dayClosed')}
                      </Text>
                    ) : (
                      sessions.map((x) => t('health.manage.sessionText', { opens: x.opensAt, closes: x.closesAt, quota: x.quota })).join(' · ')
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

/** Adds a service (code, kind and queue prefix are chosen once) or changes one's settings. */
function ServiceDialog({ facilityId, service, onClose }: { facilityId: string; service: ServiceSettings | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const existing = service !== 'new' && service !== null ? service : null;
  const [form, setForm] = useState({ code: '', name: '', kind: 'poli' as 'poli' | 'pharmacy', queuePrefix: '', onsiteShare: 40 as number | string, minutes: 10 as number | string, active: true });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [opened, setOpened] = useState<ServiceSettings | 'new' | null>(null);
  if (service !== opened) {
    // A new dialog: start from the service's settings, or the defaults of a new one.
    setOpened(service);
    setErrors(NO_ERRORS);
    setForm(
      existing
        ? { code: existing.code, name: existing.name, kind: existing.kind, queuePrefix: existing.queuePrefix, onsiteShare: existing.onsiteShare, minutes: existing.defaultServiceMinutes, active: existing.active }
        : { code: '', name: '', kind: 'poli', queuePrefix: '', onsiteShare: 40, minutes: 10, active: true },
    );
  }
  const save = useMutation({
    mutationFn: () => {
      const common = { name: form.name, onsiteShare: numberOrUndefined(form.onsiteShare), defaultServiceMinutes: numberOrUndefined(form.minutes) };
      return existing
        ? api.patch<ServiceSettings>(`/api/v1/health/services/${existing.id}`, { ...common, active: form.active })
        : api.post<ServiceSettings>(`/api/v1/health/facilities/${facilityId}/services`, { ...common, code: form.code.trim(), kind: form.kind, queuePrefix: form.queuePrefix.trim() });
    },
    onSuccess: (s) => {
      void qc.invalidateQueries({ queryKey: serviceSettingsKey(facilityId) });
      notifications.show({ color: 'teal', message: t(existing ? 'health.manage.saved' : 'health.manage.added', { name: s.name }) });
      onClose();
    },
    onError: (e) => setErrors(problemFields(e, t('errors.unexpected'))),
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <FormDialog
      opened={service !== null}
      onClose={onClose}
      title={existing ? t('health.manage.editTitle', { name: existing.name }) : t('health.manage.addService')}
      errors={errors}
      submit={() => save.mutate()}
      pending={save.isPending}
      submitLabel={existing ? t('action.saveChanges') : t('health.manage.addSubmit')}
      testId="service"
    >
          <TextInput label={t('health.manage.name')} placeholder={t('health.manage.namePlaceholder')} value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} error={errors.fields.name} required data-testid="service-name" />
          {existing ? (
            <Text size="sm" c="dimmed">
              {t('health.manage.fixed', { code: existing.code, prefix: existing.queuePrefix })}
            </Text>
          ) : (
            <>
              <SegmentedControl
                value={form.kind}
                onChange={(v) => set({ kind: v as 'poli' | 'pharmacy' })}
                data={[
                  { value: 'poli', label: t('health.manage.kind.poli') },
                  { value: 'pharmacy', label: t('health.manage.kind.pharmacy') },
                ]}
                aria-label={t('health.manage.kindLabel')}
              />
              <Group grow align="flex-start">
                <TextInput label={t('health.manage.code')} description={t('health.manage.codeHint')} value={form.code} onChange={(e) => set({ code: e.currentTarget.value })} error={errors.fields.code} required data-testid="service-code" />
                <TextInput
                  label={t('health.manage.prefix')}
                  description={t('health.manage.prefixHint')}
                  value={form.queuePrefix}
                  onChange={(e) => set({ queuePrefix: e.currentTarget.value.toUpperCase() })}
                  error={errors.fields.queuePrefix}
                  maxLength={2}
                  required
                  data-testid="service-prefix"
                />
              </Group>
            </>
          )}
          <Group grow align="flex-start">
            <NumberInput
              label={t('health.manage.onsiteShare')}
              description={t('health.manage.onsiteShareHint')}
              value={form.onsiteShare}
              onChange={(v) => set({ onsiteShare: v })}
              min={0}
              max={100}
              suffix=" %"
              allowDecimal={false}
              error={errors.fields.onsiteShare}
              data-testid="service-share"
            />
            <NumberInput
              label={t('health.manage.minutes')}
              description={t('health.manage.minutesHint')}
              value={form.minutes}
              onChange={(v) => set({ minutes: v })}
              min={1}
              max={240}
              allowDecimal={false}
              error={errors.fields.defaultServiceMinutes}
              data-testid="service-minutes"
            />
          </Group>
          {existing ? (
            <Switch checked={form.active} onChange={(e) => set({ active: e.currentTarget.checked })} label={t('health.manage.active')} description={t('health.manage.activeHint')} data-testid="service-active" />
          ) : null}
    </FormDialog>
  );
}

type DraftSession = { key: number; opensAt: string; closesAt: string; quota: number | string };

/** Keys of the sessions being edited (rows come and go; their inputs keep their state). */
let draftKeys = 0;

/** The weekly opening hours of a service: per weekday its sessions (none = closed), each with a quota. */
function HoursDialog({ facilityId, service, onClose }: { facilityId: string; service: ServiceSettings | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const tenant = useTenant();
  const phone = useMediaQuery('(max-width: 48em)');
  const [week, setWeek] = useState<Record<number, DraftSession[]>>({});
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [opened, setOpened] = useState<ServiceSettings | null>(null);
  if (service !== opened) {
    setOpened(service);
    setErrors(NO_ERRORS);
    setWeek(Object.fromEntries(WEEKDAYS.map((wd) => [wd, (service?.hours.find((d) => d.weekday === wd)?.sessions ?? []).map(({ opensAt, closesAt, quota }) => ({ key: ++draftKeys, opensAt, closesAt, quota }))])));
  }
  const save = useMutation({
    mutationFn: () =>
      api.put<ServiceSettings>(`/api/v1/health/services/${service!.id}/hours`, {
        weekdays: WEEKDAYS.map((wd) => ({ weekday: wd, sessions: (week[wd] ?? []).map((x) => ({ opensAt: x.opensAt, closesAt: x.closesAt, quota: numberOrUndefined(x.quota) })) })),
      }),
    onSuccess: (s) => {
      qc.setQueryData<{ facility: ManagedFacility; items: ServiceSettings[] }>(serviceSettingsKey(facilityId), (old) => (old ? { ...old, items: old.items.map((x) => (x.id === s.id ? s : x)) } : old));
      notifications.show({ color: 'teal', message: t('health.manage.hoursSaved', { name: s.name }) });
      onClose();
    },
    onError: (e) => setErrors(problemFields(e, t('errors.unexpected'))),
  });
  const change = (wd: number, fn: (sessions: DraftSession[]) => DraftSession[]) => setWeek((w) => ({ ...w, [wd]: fn(w[wd] ?? []) }));
  const field = (i: number, j: number, name: string) => errors.fields[`weekdays.${i}.sessions.${j}.${name}`];
  // Refusals about a whole weekday or the whole week (sessions still booked) are shown on top.
  const general = [errors.general, ...Object.entries(errors.fields).filter(([k]) => !/\.sessions\.\d+\./.test(k)).map(([, v]) => v)].filter(Boolean).join(' ');
  const zone = zoneLabel(tenant.data?.timeZone ?? 'Asia/Makassar');
  return (
    <FormDialog
      opened={service !== null}
      onClose={onClose}
      size="xl"
      fullScreen={phone}
      title={t('health.manage.hoursTitle', { name: service?.name ?? '' })}
      errors={errors}
      general={general || null}
      submit={() => save.mutate()}
      pending={save.isPending}
      submitLabel={t('health.manage.saveHours')}
      testId="hours"
    >
          <Text size="sm" c="dimmed">
            {t('health.manage.hoursLead', { zone })}
          </Text>
          {WEEKDAYS.map((wd, i) => (
            <Paper key={wd} withBorder radius="sm" p="xs" data-testid="hours-day" data-weekday={wd}>
              <Group justify="space-between" mb={(week[wd] ?? []).length ? 6 : 0}>
                <Text fw={600} size="sm">
                  {weekdayName(wd, i18n.language)}
                  {(week[wd] ?? []).length === 0 ? (
                    <Text span size="sm" c="dimmed" fw={400}>
                      {' '}
                      · {t('health.manage.dayClosed')}
                    </Text>
                  ) : null}
                </Text>
                <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => change(wd, (s) => [...s, nextSession(s)])} data-testid="session-add">
                  {t('health.manage.addSession')}
                </Button>
              </Group>
              <Stack gap={6}>
                {(week[wd] ?? []).map((x, j) => (
                  <Group key={x.key} gap="xs" align="flex-start" wrap="wrap" data-testid="session-row">
                    <SessionTime label={t('health.manage.opensAt')} value={x.opensAt} onChange={(v) => change(wd, (s) => s.map((y, k) => (k === j ? { ...y, opensAt: v } : y)))} error={field(i, j, 'opensAt')} testId="session-opens" />
                    <SessionTime label={t('health.manage.closesAt')} value={x.closesAt} onChange={(v) => change(wd, (s) => s.map((y, k) => (k === j ? { ...y, closesAt: v } : y)))} error={field(i, j, 'closesAt')} testId="session-closes" />
                    <NumberInput
                      label={t('health.manage.quota')}
                      value={x.quota}
                      onChange={(v) => change(wd, (s) => s.map((y, k) => (k === j ? { ...y, quota: v } : y)))}
                      min={1}
                      max={999}
                      allowDecimal={false}
                      error={field(i, j, 'quota')}
                      w={100}
                      size="xs"
                      data-testid="session-quota"
                    />
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      mt={22}
                      onClick={() => change(wd, (s) => s.filter((_, k) => k !== j))}
                      aria-label={t('health.manage.removeSession', { day: weekdayName(wd, i18n.language), n: j + 1 })}
                      data-testid="session-remove"
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                ))}
              </Stack>
            </Paper>
          ))}
    </FormDialog>
  );
}

function SessionTime({ label, value, onChange, error, testId }: { label: string; value: string; onChange: (v: string) => void; error: string | undefined; testId: string }) {
  return <TextInput type="time" label={label} value={value} onChange={(e) => onChange(e.currentTarget.value)} error={error} w={120} size="xs" data-testid={testId} />;
}

/** A new session: after the day's last one (an afternoon after a morning), else a morning. */
function nextSession(sessions: DraftSession[]): DraftSession {
  const last = sessions.at(-1);
  if (!last) return { key: ++draftKeys, opensAt: '08:00', closesAt: '12:00', quota: 20 };
  const [h = 12, m = 0] = last.closesAt.split(':').map(Number);
  const start = Math.min(h + 1, 22);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { key: ++draftKeys, opensAt: `${pad(start)}:${pad(m)}`, closesAt: `${pad(Math.min(start + 3, 23))}:${pad(m)}`, quota: last.quota };
}
