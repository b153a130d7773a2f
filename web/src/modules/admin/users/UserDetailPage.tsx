import { ActionIcon, Anchor, Badge, Breadcrumbs, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconMailForward, IconPlus, IconTrash, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../../app/api';
import { useDateTime } from '../../../app/time';
import { fieldMessage, normalizePhone, rules, useForm } from '../../../ui/form';
import { PageHeader } from '../../../ui/Page';
import { ErrorState, LoadingState } from '../../../ui/PageState';
import { FormError } from '../../auth/AuthCard';
import { type UserDetail, type UserGrant, useRoles, useUnits } from '../api';
import { GrantFields } from './GrantFields';
import { StatusBadge } from './UsersPage';

function useUser(id: string) {
  return useQuery({ queryKey: ['admin', 'users', 'detail', id], queryFn: () => api.get<UserDetail>(`/api/v1/admin/users/${id}`) });
}

function ProfileForm({ user }: { user: UserDetail }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useForm({ name: user.name, phone: user.phone ?? '', nip: user.nip ?? '' }, (v) => ({
    name: rules.length(v.name, 2, 120),
    phone: v.phone.trim() ? rules.phone(v.phone) : undefined,
    nip: rules.nip(v.nip),
  }));
  const readOnly = !user.manageable || user.masked;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="profile-heading">
      <Title order={2} size="h4" id="profile-heading" mb="sm">
        {t('users.profile')}
      </Title>
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const body: Record<string, unknown> = {};
          if (v.name.trim() !== user.name) body.name = v.name.trim();
          const phone = v.phone.trim() ? (normalizePhone(v.phone) ?? v.phone.trim()) : null;
          if (phone !== user.phone) body.phone = phone;
          const nip = v.nip.trim() || null;
          if (nip !== user.nip) body.nip = nip;
          if (!Object.keys(body).length) return;
          const saved = await api.patch<UserDetail>(`/api/v1/admin/users/${user.id}`, body);
          qc.setQueryData(['admin', 'users', 'detail', user.id], saved);
          void qc.invalidateQueries({ queryKey: ['admin', 'users'], exact: false });
          notifications.show({ color: 'teal', message: t('users.saved') });
        })}
      >
        <FormError message={form.formError} />
        <Stack gap="sm">
          <TextInput label={t('field.fullName')} readOnly={readOnly} required {...form.field('name')} />
          <TextInput label={t('field.email')} value={user.email ?? '—'} readOnly description={t('users.emailFixed')} />
          <TextInput label={t('field.phone')} type="tel" readOnly={readOnly} {...form.field('phone')} />
          {user.kind === 'staff' ? <TextInput label={t('field.nip')} inputMode="numeric" readOnly={readOnly} {...form.field('nip')} /> : null}
          {!readOnly ? (
            <Group>
              <Button type="submit" loading={form.submitting}>
                {t('action.saveChanges')}
              </Button>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              {user.masked ? t('users.maskedNote') : t('users.readOnlyNote')}
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function AddGrantModal({ user, onClose }: { user: UserDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const roles = useRoles();
  const units = useUnits(false);
  const form = useForm({ roleKey: '', unitId: '' }, (v) => ({
    roleKey: v.roleKey ? undefined : fieldMessage('field.required'),
    unitId: v.unitId ? undefined : fieldMessage('field.required'),
  }));
  return (
    <Modal opened onClose={onClose} title={t('users.addGrantTitle', { name: user.name })} centered>
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const saved = await api.post<UserDetail>(`/api/v1/admin/users/${user.id}/grants`, v);
          qc.setQueryData(['admin', 'users', 'detail', user.id], saved);
          void qc.invalidateQueries({ queryKey: ['admin', 'users'] });
          notifications.show({ color: 'teal', message: t('users.grantAdded') });
          onClose();
        })}
      >
        <FormError message={form.formError} />
        <Stack gap="sm">
          {roles.isPending || units.isPending ? (
            <LoadingState />
          ) : roles.error || units.error ? (
            <ErrorState error={roles.error ?? units.error} />
          ) : (
            <GrantFields
              roles={roles.data ?? []}
              units={units.data ?? []}
              roleKey={form.values.roleKey}
              unitId={form.values.unitId}
              onRole={(v) => form.set('roleKey', v)}
              onUnit={(v) => form.set('unitId', v)}
              errors={form.errors}
              required
            />
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting}>
              {t('users.addGrant')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Grants({ user }: { user: UserDetail }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fmt = useDateTime();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<UserGrant | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async (g: UserGrant) => {
    setBusy(true);
    setError(null);
    try {
      await api.delete(`/api/v1/admin/users/${user.id}/grants/${g.id}`);
      await qc.invalidateQueries({ queryKey: ['admin', 'users'] });
      notifications.show({ color: 'teal', message: t('users.grantRemoved') });
      setRemoving(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="grants-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="grants-heading">
          {t('users.roles')}
        </Title>
        {user.kind === 'staff' && user.status !== 'disabled' ? (
          <Button size="xs" variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
            {t('users.addGrant')}
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('users.grantsLead')}
      </Text>
      {user.grants.length === 0 ? (
        <Text size="sm">{t('users.noGrants')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.role')}</Table.Th>
                <Table.Th>{t('users.unit')}</Table.Th>
                <Table.Th>{t('users.since')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('users.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {user.grants.map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {t(`roles.${g.roleKey}`, { defaultValue: g.roleName })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{g.unitName}</Text>
                    {!g.unitActive ? (
                      <Badge size="xs" color="orange" variant="light">
                        {t('units.inactive')}
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{fmt(g.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {g.manageable ? (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('users.removeGrant', { role: t(`roles.${g.roleKey}`, { defaultValue: g.roleName }), unit: g.unitName })}
                        onClick={() => setRemoving(g)}
                      >
                        <IconTrash size={18} aria-hidden />
                      </ActionIcon>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {adding ? <AddGrantModal user={user} onClose={() => setAdding(false)} /> : null}
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={t('users.removeGrantTitle')} centered>
        {removing ? (
          <>
            {error ? <FormError message={error} /> : null}
            <Text size="sm" mb="lg">
              {t('users.removeGrantConfirm', { name: user.name, role: t(`roles.${removing.roleKey}`, { defaultValue: removing.roleName }), unit: removing.unitName })}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRemoving(null)}>
                {t('action.cancel')}
              </Button>
              <Button color="red" loading={busy} onClick={() => void remove(removing)}>
                {t('action.remove')}
              </Button>
            </Group>
          </>
        ) : null}
      </Modal>
    </Paper>
  );
}

function AccountActions({ user }: { user: UserDetail }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!user.manageable) return null;
  const disabling = user.status !== 'disabled';
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.patch<UserDetail>(`/api/v1/admin/users/${user.id}`, { status: disabling ? 'disabled' : 'active' });
      qc.setQueryData(['admin', 'users', 'detail', user.id], saved);
      void qc.invalidateQueries({ queryKey: ['admin', 'users'] });
      notifications.show({ color: 'teal', message: disabling ? t('users.disabled') : t('users.enabled') });
      setConfirm(false);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const resend = async () => {
    try {
      await api.post(`/api/v1/admin/users/${user.id}/invitation`);
      notifications.show({ color: 'teal', message: t('users.invitationResent', { email: user.email ?? '' }) });
    } catch (e) {
      notifications.show({ color: 'red', message: (e as Error).message });
    }
  };
  return (
    <>
      {user.status === 'invited' ? (
        <Button variant="default" leftSection={<IconMailForward size={18} aria-hidden />} onClick={() => void resend()}>
          {t('users.resendInvitation')}
        </Button>
      ) : null}
      <Button
        variant="light"
        color={disabling ? 'red' : 'teal'}
        leftSection={disabling ? <IconUserOff size={18} aria-hidden /> : <IconUserCheck size={18} aria-hidden />}
        onClick={() => setConfirm(true)}
      >
        {disabling ? t('users.disable') : t('users.enable')}
      </Button>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={disabling ? t('users.disableTitle', { name: user.name }) : t('users.enableTitle', { name: user.name })} centered>
        {error ? <FormError message={error} /> : null}
        <Text size="sm" mb="lg">
          {disabling ? t('users.disableLead') : t('users.enableLead')}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirm(false)}>
            {t('action.cancel')}
          </Button>
          <Button color={disabling ? 'red' : undefined} loading={busy} onClick={() => void toggle()}>
            {disabling ? t('users.disable') : t('users.enable')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}

export function UserDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const user = useUser(id);
  const fmt = useDateTime();
  const crumbs = (
    <Breadcrumbs mb="xs" separator="›">
      <Anchor component={Link} to="/admin/users" size="sm">
        {t('users.title')}
      </Anchor>
      <Text size="sm" c="dimmed">
        {user.data?.name ?? '…'}
      </Text>
    </Breadcrumbs>
  );
  if (user.isPending) {
    return (
      <>
        {crumbs}
        <PageHeader title={t('users.detailTitle')} />
        <LoadingState />
      </>
    );
  }
  if (user.error || !user.data) {
    return (
      <>
        {crumbs}
        <PageHeader title={t('users.detailTitle')} />
        <ErrorState error={user.error} onRetry={() => void user.refetch()} />
      </>
    );
  }
  const u = user.data;
  return (
    <>
      {crumbs}
      <PageHeader
        title={u.name}
        description={
          <Group gap="xs">
            <StatusBadge status={u.status} />
            <span>{t(`users.kinds.${u.kind}`)}</span>
            <span>·</span>
            <span>{u.lastLoginAt ? t('users.lastLoginAt', { time: fmt(u.lastLoginAt) }) : t('users.neverLoggedIn')}</span>
          </Group>
        }
        actions={<AccountActions user={u} />}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <ProfileForm key={u.updatedAt} user={u} />
        <Grants user={u} />
      </SimpleGrid>
    </>
  );
}
