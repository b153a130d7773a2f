import { ActionIcon, Badge, Button, Group, Modal, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconCalendarOff, IconChevronLeft, IconChevronRight, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api';
import { useTenant } from '../../../app/tenant';
import { formatDay, todayIn, zoneLabel } from '../../../app/time';
import { fieldMessage, rules, useForm } from '../../../ui/form';
import { PageHeader } from '../../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/PageState';
import { FormError } from '../../auth/AuthCard';

const KINDS = ['national_holiday', 'collective_leave', 'local_holiday', 'extra_workday'] as const;
type Kind = (typeof KINDS)[number];
const KIND_COLORS: Record<Kind, string> = { national_holiday: 'red', collective_leave: 'orange', local_holiday: 'grape', extra_workday: 'teal' };

interface CalendarDay {
  day: string;
  kind: Kind;
  name: string;
  weekday: number;
}

interface CalendarYear {
  year: number;
  timeZone: string;
  workWeek: number[];
  officeStart: string;
  officeEnd: string;
  days: CalendarDay[];
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

function DayModal({ year, day, onClose }: { year: number; day: CalendarDay | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const editing = day !== null;
  const form = useForm({ day: day?.day ?? '', kind: (day?.kind ?? 'local_holiday') as string, name: day?.name ?? '' }, (v) => ({
    day: !v.day ? fieldMessage('field.required') : DAY_RE.test(v.day) ? undefined : fieldMessage('field.date'),
    kind: v.kind ? undefined : fieldMessage('field.required'),
    name: rules.length(v.name, 3, 120),
  }));
  return (
    <Modal opened onClose={onClose} title={editing ? t('calendar.editTitle', { day: formatDay(day.day, i18n.language) }) : t('calendar.addTitle')} centered>
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          if (editing) {
            const body: Record<string, unknown> = {};
            if (v.kind !== day.kind) body.kind = v.kind;
            if (v.name.trim() !== day.name) body.name = v.name.trim();
            if (Object.keys(body).length) await api.patch(`/api/v1/admin/calendar/${day.day}`, body);
          } else {
            await api.post('/api/v1/admin/calendar', { day: v.day, kind: v.kind, name: v.name.trim() });
          }
          await qc.invalidateQueries({ queryKey: ['admin', 'calendar'] });
          notifications.show({ color: 'teal', message: t('calendar.saved') });
          onClose();
        })}
      >
        <FormError message={form.formError} />
        <Stack gap="sm">
          <TextInput
            label={t('calendar.date')}
            type="date"
            required
            readOnly={editing}
            min={`${year - 1}-01-01`}
            data-autofocus={!editing || undefined}
            {...form.field('day')}
          />
          <Select
            label={t('calendar.kind')}
            data={KINDS.map((k) => ({ value: k, label: t(`calendar.kinds.${k}`) }))}
            value={form.values.kind}
            onChange={(v) => form.set('kind', v ?? '')}
            error={form.errors.kind}
            allowDeselect={false}
            required
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput label={t('calendar.name')} placeholder={t('calendar.namePlaceholder')} required {...form.field('name')} />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting}>
              {t('action.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteModal({ day, onClose }: { day: CalendarDay; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const form = useForm({});
  return (
    <Modal opened onClose={onClose} title={t('calendar.deleteTitle')} centered>
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async () => {
          await api.delete(`/api/v1/admin/calendar/${day.day}`);
          await qc.invalidateQueries({ queryKey: ['admin', 'calendar'] });
          notifications.show({ color: 'teal', message: t('calendar.deleted') });
          onClose();
        })}
      >
        <FormError message={form.formError} />
        <Text size="sm" mb="lg">
          {t('calendar.deleteConfirm', { name: day.name, day: formatDay(day.day, i18n.language) })}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" color="red" loading={form.submitting} data-autofocus>
            {t('action.delete')}
          </Button>
        </Group>
      </form>
    </Modal>
  );
}

export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const tenant = useTenant();
  const thisYear = Number(todayIn(tenant.data?.timeZone ?? 'Asia/Jakarta').slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [editing, setEditing] = useState<CalendarDay | null | undefined>(undefined);
  const [deleting, setDeleting] = useState<CalendarDay | null>(null);
  const cal = useQuery({ queryKey: ['admin', 'calendar', year], queryFn: () => api.get<CalendarYear>('/api/v1/admin/calendar', { year }) });

  const weekdayName = (n: number) => formatDay(`2024-01-0${n}`, i18n.language, { weekday: 'long' });
  const byMonth = new Map<number, CalendarDay[]>();
  for (const d of cal.data?.days ?? []) {
    const m = Number(d.day.slice(5, 7));
    byMonth.set(m, [...(byMonth.get(m) ?? []), d]);
  }

  return (
    <>
      <PageHeader
        title={t('calendar.title')}
        description={t('calendar.lead')}
        actions={
          <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setEditing(null)}>
            {t('calendar.add')}
          </Button>
        }
      />
      <Paper withBorder p={{ base: 'sm', sm: 'md' }}>
        <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
          <Group gap={4}>
            <ActionIcon variant="default" size="lg" aria-label={t('calendar.prevYear')} onClick={() => setYear((y) => y - 1)}>
              <IconChevronLeft size={18} aria-hidden />
            </ActionIcon>
            <Title order={2} size="h3" px="sm" aria-live="polite">
              {year}
            </Title>
            <ActionIcon variant="default" size="lg" aria-label={t('calendar.nextYear')} onClick={() => setYear((y) => y + 1)}>
              <IconChevronRight size={18} aria-hidden />
            </ActionIcon>
            {year !== thisYear ? (
              <Button variant="subtle" size="compact-sm" onClick={() => setYear(thisYear)}>
                {t('calendar.thisYear')}
              </Button>
            ) : null}
          </Group>
          {cal.data ? (
            <Text size="sm" c="dimmed">
              {t('calendar.workWeek', {
                days: cal.data.workWeek.map(weekdayName).join(', '),
                start: cal.data.officeStart,
                end: cal.data.officeEnd,
                zone: zoneLabel(cal.data.timeZone),
              })}
            </Text>
          ) : null}
        </Group>
        {cal.isPending ? (
          <LoadingState />
        ) : cal.error ? (
          <ErrorState error={cal.error} onRetry={() => void cal.refetch()} />
        ) : cal.data.days.length === 0 ? (
          <EmptyState title={t('calendar.empty', { year })} description={t('calendar.emptyLead')} icon={<IconCalendarOff size={28} aria-hidden />} />
        ) : (
          <Stack gap="lg">
            {[...byMonth.entries()].map(([month, days]) => (
              <section key={month} aria-labelledby={`month-${month}`}>
                <Title order={3} size="h5" id={`month-${month}`} mb={6} tt="capitalize">
                  {formatDay(`${year}-${String(month).padStart(2, '0')}-01`, i18n.language, { month: 'long', year: 'numeric' })}
                </Title>
                <Stack component="ul" gap={0} p={0} m={0} style={{ listStyle: 'none' }}>
                  {days.map((d) => (
                    <Group
                      component="li"
                      key={d.day}
                      justify="space-between"
                      wrap="nowrap"
                      gap="sm"
                      py={8}
                      px={4}
                      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
                    >
                      <Group gap="xs" wrap="wrap" style={{ minWidth: 0, flex: 1 }} align="baseline">
                        <Text size="sm" fw={600} w={{ base: '100%', sm: 230 }}>
                          {formatDay(d.day, i18n.language)}
                        </Text>
                        <Text size="sm" style={{ flex: '1 1 12rem' }}>
                          {d.name}
                        </Text>
                        <Badge color={KIND_COLORS[d.kind]} variant="light" radius="sm" style={{ flex: 'none' }}>
                          {t(`calendar.kinds.${d.kind}`)}
                        </Badge>
                      </Group>
                      <Group gap={2} wrap="nowrap">
                        <ActionIcon variant="subtle" color="gray" aria-label={t('calendar.editOne', { name: d.name, day: d.day })} onClick={() => setEditing(d)}>
                          <IconPencil size={18} aria-hidden />
                        </ActionIcon>
                        <ActionIcon variant="subtle" color="red" aria-label={t('calendar.deleteOne', { name: d.name, day: d.day })} onClick={() => setDeleting(d)}>
                          <IconTrash size={18} aria-hidden />
                        </ActionIcon>
                      </Group>
                    </Group>
                  ))}
                </Stack>
              </section>
            ))}
          </Stack>
        )}
      </Paper>
      {editing !== undefined ? <DayModal year={year} day={editing} onClose={() => setEditing(undefined)} /> : null}
      {deleting ? <DeleteModal day={deleting} onClose={() => setDeleting(null)} /> : null}
    </>
  );
}
