import { Button, Checkbox, FileButton, Group, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPhotoUp, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api';
import { tenantQuery } from '../../../app/tenant';
import { formatDay, zoneLabel } from '../../../app/time';
import { Emblem } from '../../../ui/Emblem';
import { fieldMessage, rules, useForm } from '../../../ui/form';
import { PageHeader } from '../../../ui/Page';
import { ErrorState, LoadingState } from '../../../ui/PageState';
import { FormError } from '../../auth/AuthCard';

interface TenantSettings {
  id: string;
  slug: string;
  name: string;
  kind: 'kota' | 'kabupaten' | 'provinsi';
  regionCode: string;
  regionName: string;
  timeZone: string;
  hosts: string[];
  logoFileId: string | null;
  logoUrl: string | null;
  contact: { address?: string; phone?: string; email?: string; website?: string };
  settings: { workWeek: number[]; officeStart: string; officeEnd: string };
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

const settingsKey = ['admin', 'tenant'] as const;
const HOST_RE = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

type Values = {
  name: string;
  'contact.address': string;
  'contact.phone': string;
  'contact.email': string;
  'contact.website': string;
  hosts: string;
  'settings.officeStart': string;
  'settings.officeEnd': string;
  'settings.workWeek': number[];
};

function toValues(s: TenantSettings): Values {
  return {
    name: s.name,
    'contact.address': s.contact.address ?? '',
    'contact.phone': s.contact.phone ?? '',
    'contact.email': s.contact.email ?? '',
    'contact.website': s.contact.website ?? '',
    hosts: s.hosts.join('\n'),
    'settings.officeStart': s.settings.officeStart,
    'settings.officeEnd': s.settings.officeEnd,
    'settings.workWeek': [...s.settings.workWeek].sort(),
  };
}

function hostsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

function Logo({ s }: { s: TenantSettings }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (logoFileId: string | null) => {
    const saved = await api.patch<TenantSettings>('/api/v1/admin/tenant', { logoFileId });
    qc.setQueryData(settingsKey, saved);
    void qc.invalidateQueries({ queryKey: tenantQuery.queryKey });
  };
  const upload = async (file: File | null) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('file', file);
      const uploaded = await api.post<{ id: string }>('/api/v1/files', form);
      await save(uploaded.id);
      notifications.show({ color: 'teal', message: t('settings.logoSaved') });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="logo-heading">
      <Title order={2} size="h4" id="logo-heading" mb="sm">
        {t('settings.logo')}
      </Title>
      <Group gap="lg" align="center" wrap="wrap">
        <Emblem name={s.name} logoUrl={s.logoUrl} size={72} />
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('settings.logoLead')}
          </Text>
          <Group gap="xs">
            <FileButton onChange={(f) => void upload(f)} accept="image/png,image/jpeg,image/webp">
              {(props) => (
                <Button {...props} variant="light" leftSection={<IconPhotoUp size={18} aria-hidden />} loading={busy}>
                  {s.logoFileId ? t('settings.logoReplace') : t('settings.logoUpload')}
                </Button>
              )}
            </FileButton>
            {s.logoFileId ? (
              <Button variant="subtle" color="red" leftSection={<IconTrash size={18} aria-hidden />} onClick={() => void save(null).catch((e: Error) => setError(e.message))}>
                {t('settings.logoRemove')}
              </Button>
            ) : null}
          </Group>
          {error ? (
            <Text size="sm" c="red.8" role="alert">
              {error}
            </Text>
          ) : null}
        </Stack>
      </Group>
    </Paper>
  );
}

function SettingsForm({ s }: { s: TenantSettings }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const form = useForm<Values>(toValues(s), (v) => ({
    name: rules.length(v.name, 3, 120),
    'contact.email': v['contact.email'].trim() ? rules.email(v['contact.email']) : undefined,
    'contact.website': v['contact.website'].trim() && !/^https?:\/\/[^\s/]+\.[^\s]+$/.test(v['contact.website'].trim()) ? fieldMessage('field.format', { format: 'https://…' }) : undefined,
    'contact.phone': v['contact.phone'].trim() && !/^[0-9+()\-. ]{3,40}$/.test(v['contact.phone'].trim()) ? fieldMessage('field.invalid') : undefined,
    hosts: hostsOf(v.hosts).find((h) => !HOST_RE.test(h)) ? fieldMessage('field.host') : undefined,
    'settings.officeStart': TIME_RE.test(v['settings.officeStart']) ? undefined : fieldMessage('field.time'),
    'settings.officeEnd': !TIME_RE.test(v['settings.officeEnd'])
      ? fieldMessage('field.time')
      : v['settings.officeEnd'] <= v['settings.officeStart']
        ? fieldMessage('tenant.office_hours_order')
        : undefined,
    'settings.workWeek': v['settings.workWeek'].length ? undefined : t('settings.workWeekRequired'),
  }));
  const weekday = (n: number) => formatDay(`2024-01-0${n}`, i18n.language, { weekday: 'long' });
  const v = form.values;
  return (
    <form
      ref={form.ref}
      noValidate
      onSubmit={form.onSubmit(async (val) => {
        const before = toValues(s);
        const body: Record<string, unknown> = {};
        if (val.name.trim() !== s.name) body.name = val.name.trim();
        const contactKeys = ['address', 'phone', 'email', 'website'] as const;
        if (contactKeys.some((k) => val[`contact.${k}`].trim() !== before[`contact.${k}`])) {
          const contact: Record<string, string> = {};
          for (const k of contactKeys) if (val[`contact.${k}`].trim()) contact[k] = val[`contact.${k}`].trim();
          body.contact = contact;
        }
        const hosts = hostsOf(val.hosts);
        if (hosts.join('\n') !== s.hosts.join('\n')) body.hosts = hosts;
        const settings: Record<string, unknown> = {};
        if (val['settings.officeStart'] !== s.settings.officeStart) settings.officeStart = val['settings.officeStart'];
        if (val['settings.officeEnd'] !== s.settings.officeEnd) settings.officeEnd = val['settings.officeEnd'];
        if (val['settings.workWeek'].join() !== before['settings.workWeek'].join()) settings.workWeek = val['settings.workWeek'];
        if (Object.keys(settings).length) body.settings = settings;
        if (!Object.keys(body).length) {
          notifications.show({ color: 'gray', message: t('settings.nothingChanged') });
          return;
        }
        const saved = await api.patch<TenantSettings>('/api/v1/admin/tenant', body);
        qc.setQueryData(settingsKey, saved);
        form.reset(toValues(saved));
        void qc.invalidateQueries({ queryKey: tenantQuery.queryKey });
        void qc.invalidateQueries({ queryKey: ['admin', 'calendar'] });
        notifications.show({ color: 'teal', message: t('settings.saved') });
      })}
    >
      <FormError message={form.formError} />
      <Stack gap="lg">
        <Paper withBorder p="lg" component="section" aria-labelledby="identity-heading">
          <Title order={2} size="h4" id="identity-heading" mb="sm">
            {t('settings.identity')}
          </Title>
          <Stack gap="sm">
            <TextInput label={t('settings.name')} required {...form.field('name')} />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput label={t('settings.slug')} value={s.slug} readOnly />
              <TextInput label={t('settings.region')} value={`${s.regionCode} · ${s.regionName}`} readOnly />
              <TextInput label={t('settings.timeZone')} value={`${s.timeZone} (${zoneLabel(s.timeZone)})`} readOnly />
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              {t('settings.fixed')}
            </Text>
          </Stack>
        </Paper>
        <Paper withBorder p="lg" component="section" aria-labelledby="contact-heading">
          <Title order={2} size="h4" id="contact-heading" mb="sm">
            {t('contact.title')}
          </Title>
          <Stack gap="sm">
            <Textarea label={t('contact.address')} autosize minRows={2} {...form.field('contact.address')} />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput label={t('contact.phone')} type="tel" {...form.field('contact.phone')} />
              <TextInput label={t('contact.email')} type="email" {...form.field('contact.email')} />
              <TextInput label={t('contact.website')} type="url" placeholder="https://" {...form.field('contact.website')} />
            </SimpleGrid>
          </Stack>
        </Paper>
        <Paper withBorder p="lg" component="section" aria-labelledby="hours-heading">
          <Title order={2} size="h4" id="hours-heading" mb="sm">
            {t('settings.hours')}
          </Title>
          <Stack gap="sm">
            <Group gap="sm" align="flex-start">
              <TextInput label={t('settings.officeStart')} type="time" w={160} required {...form.field('settings.officeStart')} />
              <TextInput label={t('settings.officeEnd')} type="time" w={160} required {...form.field('settings.officeEnd')} />
            </Group>
            <Checkbox.Group
              label={t('settings.workWeek')}
              description={t('settings.workWeekLead')}
              value={v['settings.workWeek'].map(String)}
              onChange={(vals) =>
                form.set(
                  'settings.workWeek',
                  vals.map(Number).sort((a, b) => a - b),
                )
              }
              error={form.errors['settings.workWeek']}
            >
              <Group gap="md" mt="xs">
                {[1, 2, 3, 4, 5, 6, 7].map((n) => (
                  <Checkbox key={n} value={String(n)} label={weekday(n)} />
                ))}
              </Group>
            </Checkbox.Group>
          </Stack>
        </Paper>
        <Paper withBorder p="lg" component="section" aria-labelledby="hosts-heading">
          <Title order={2} size="h4" id="hosts-heading" mb="sm">
            {t('settings.hosts')}
          </Title>
          <Textarea label={t('settings.hostsLabel')} description={t('settings.hostsLead', { slug: s.slug })} autosize minRows={2} {...form.field('hosts')} />
        </Paper>
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting}>
            {t('action.saveChanges')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => api.get<TenantSettings>('/api/v1/admin/tenant') });
  return (
    <>
      <PageHeader title={t('settings.title')} description={t('settings.lead')} />
      {settings.isPending ? (
        <LoadingState />
      ) : settings.error || !settings.data ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Stack gap="lg">
          <Logo s={settings.data} />
          <SettingsForm key={settings.data.updatedAt} s={settings.data} />
        </Stack>
      )}
    </>
  );
}
