import { Anchor, Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { IconSearch, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, type Page } from '../../../app/api';
import { currentLanguage } from '../../../app/i18n';
import { useDateTime } from '../../../app/time';
import { fieldMessage, normalizePhone, rules, useForm } from '../../../ui/form';
import { PageHeader } from '../../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/PageState';
import { FormError } from '../../auth/AuthCard';
import { type User, type UserDetail, useRoles, useUnits } from '../api';
import { GrantFields } from './GrantFields';
import { LoadMore } from '../../../ui/LoadMore';

export function StatusBadge({ status }: { status: User['status'] }) {
  const { t } = useTranslation();
  const color = status === 'active' ? 'teal' : status === 'invited' ? 'blue' : 'gray';
  return (
    <Badge color={color} variant="light" radius="sm" style={{ flex: 'none', overflow: 'visible' }}>
      {t(`users.status.${status}`)}
    </Badge>
  );
}

function InviteModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const roles = useRoles();
  const units = useUnits(false);
  const form = useForm({ name: '', email: '', phone: '', nip: '', locale: currentLanguage() as string, roleKey: '', unitId: '' }, (v) => ({
    name: rules.length(v.name, 2, 120),
    email: rules.email(v.email),
    phone: v.phone.trim() ? rules.phone(v.phone) : undefined,
    nip: rules.nip(v.nip),
    roleKey: v.unitId && !v.roleKey ? fieldMessage('field.required') : undefined,
    unitId: v.roleKey && !v.unitId ? fieldMessage('field.required') : undefined,
  }));
  return (
    <Modal opened onClose={onClose} title={t('users.inviteTitle')} centered size="lg">
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const body = {
            name: v.name.trim(),
            email: v.email.trim(),
            ...(v.phone.trim() ? { phone: normalizePhone(v.phone) ?? v.phone.trim() } : {}),
            ...(v.nip.trim() ? { nip: v.nip.trim() } : {}),
            locale: v.locale,
            grants: v.roleKey && v.unitId ? [{ roleKey: v.roleKey, unitId: v.unitId }] : [],
          };
          try {
            const user = await api.post<UserDetail>('/api/v1/admin/users', body);
            void qc.invalidateQueries({ queryKey: ['admin', 'users'] });
            notifications.show({ color: 'teal', message: t('users.invited', { email: body.email }) });
            onClose();
            navigate(`/admin/users/${user.id}`);
          } catch (e) {
            // Errors on the first grant belong to the role and unit pickers.
            const err = e as { fieldErrors?: { field: string }[] };
            for (const fe of err.fieldErrors ?? []) fe.field = fe.field.replace(/^grants\.0\./, '');
            throw e;
          }
        })}
      >
        <FormError message={form.formError} />
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('users.inviteLead')}
          </Text>
          <TextInput label={t('field.fullName')} required data-autofocus {...form.field('name')} />
          <TextInput label={t('users.workEmail')} type="email" required {...form.field('email')} />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput label={t('field.phone')} type="tel" {...form.field('phone')} />
            <TextInput label={t('field.nip')} inputMode="numeric" {...form.field('nip')} />
          </SimpleGrid>
          <Select
            label={t('users.emailLanguage')}
            data={[
              { value: 'id', label: 'Bahasa Indonesia' },
              { value: 'en', label: 'English' },
            ]}
            value={form.values.locale}
            onChange={(v) => form.set('locale', v ?? 'id')}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Text fw={600} size="sm" mt="xs">
            {t('users.firstRole')}
          </Text>
          {roles.error || units.error ? (
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
            />
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting}>
              {t('users.sendInvite')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Phones get a list of cards; a table needs more width than 360 px. */
function UserCards({ items }: { items: User[] }) {
  const { t } = useTranslation();
  return (
    <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
      {items.map((u) => (
        <Paper component="li" key={u.id} withBorder p="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
            <Anchor component={Link} to={`/admin/users/${u.id}`} fw={600} className="balai-break">
              {u.name}
            </Anchor>
            <StatusBadge status={u.status} />
          </Group>
          <Text size="sm" className="balai-break">
            {u.email ?? u.phone ?? '—'}
          </Text>
          {u.grants.slice(0, 2).map((g) => (
            <Text key={g.id} size="xs" c="dimmed">
              {t(`roles.${g.roleKey}`, { defaultValue: g.roleName })} · {g.unitName}
            </Text>
          ))}
          {u.grants.length > 2 ? (
            <Text size="xs" c="dimmed">
              {t('users.moreGrants', { count: u.grants.length - 2 })}
            </Text>
          ) : null}
        </Paper>
      ))}
    </Stack>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const wide = useMediaQuery('(min-width: 48em)', true, { getInitialValueInEffect: false });
  const fmt = useDateTime();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [kind, setKind] = useState<string | null>('staff');
  const [status, setStatus] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['admin', 'users', { q, kind, status }],
    queryFn: ({ pageParam }) =>
      api.get<Page<User>>('/api/v1/admin/users', { q: q || undefined, kind: kind ?? undefined, status: status ?? undefined, cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.lead')}
        actions={
          <Button leftSection={<IconUserPlus size={18} aria-hidden />} onClick={() => setInviting(true)}>
            {t('users.invite')}
          </Button>
        }
      />
      <Paper withBorder p={{ base: 'sm', sm: 'md' }}>
        <Group gap="sm" mb="md" align="flex-end" wrap="wrap" role="search">
          <TextInput
            label={t('users.search')}
            placeholder={t('users.searchPlaceholder')}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            type="search"
            style={{ flex: '2 1 14rem' }}
          />
          <Select
            label={t('users.kind')}
            data={[
              { value: 'staff', label: t('users.kinds.staff') },
              { value: 'citizen', label: t('users.kinds.citizen') },
            ]}
            value={kind}
            onChange={setKind}
            clearable
            placeholder={t('users.all')}
            style={{ flex: '1 1 9rem' }}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('users.statusLabel')}
            data={(['active', 'invited', 'disabled'] as const).map((s) => ({ value: s, label: t(`users.status.${s}`) }))}
            value={status}
            onChange={setStatus}
            clearable
            placeholder={t('users.all')}
            style={{ flex: '1 1 9rem' }}
            comboboxProps={{ withinPortal: true }}
          />
        </Group>
        {list.isPending ? (
          <LoadingState />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={q || status ? t('users.noMatch') : t('users.empty')} icon={<IconUsers size={28} aria-hidden />} />
        ) : (
          <Stack gap="sm">
            {!wide ? (
              <>
                <Text size="sm" c="dimmed">
                  {t('users.shown', { count: items.length })}
                </Text>
                <UserCards items={items} />
              </>
            ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="sm" highlightOnHover>
                <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
                  <Text size="sm" c="dimmed" component="span">
                    {t('users.shown', { count: items.length })}
                  </Text>
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('field.name')}</Table.Th>
                    <Table.Th>{t('users.contact')}</Table.Th>
                    <Table.Th>{t('users.roles')}</Table.Th>
                    <Table.Th>{t('users.statusLabel')}</Table.Th>
                    <Table.Th>{t('users.lastLogin')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/admin/users/${u.id}`} fw={600} className="balai-break">
                          {u.name}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {t(`users.kinds.${u.kind}`)}
                          {u.nip ? ` · NIP ${u.nip}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" className="balai-break">
                          {u.email ?? '—'}
                        </Text>
                        {u.phone ? (
                          <Text size="xs" c="dimmed">
                            {u.phone}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        {u.grants.length ? (
                          <Stack gap={2}>
                            {u.grants.slice(0, 3).map((g) => (
                              <Text key={g.id} size="xs">
                                <strong>{t(`roles.${g.roleKey}`, { defaultValue: g.roleName })}</strong> · {g.unitName}
                              </Text>
                            ))}
                            {u.grants.length > 3 ? (
                              <Text size="xs" c="dimmed">
                                {t('users.moreGrants', { count: u.grants.length - 3 })}
                              </Text>
                            ) : null}
                          </Stack>
                        ) : (
                          <Text size="xs" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <StatusBadge status={u.status} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{u.lastLoginAt ? fmt(u.lastLoginAt) : t('users.never')}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            )}
            <LoadMore list={list} />
          </Stack>
        )}
      </Paper>
      {inviting ? <InviteModal onClose={() => setInviting(false)} /> : null}
    </>
  );
}
