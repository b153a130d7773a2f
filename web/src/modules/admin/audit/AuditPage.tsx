import { ActionIcon, Badge, Button, Code, Group, Paper, Stack, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { IconChevronDown, IconChevronRight, IconHistory, IconLock, IconLockOpen } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../../app/api';
import { useDateTime } from '../../../app/time';
import { fieldMessage, useForm } from '../../../ui/form';
import { PageHeader } from '../../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/PageState';
import { LoadMore } from '../../../ui/LoadMore';

interface AuditItem {
  id: string;
  occurredAt: string;
  actor: { id: string | null; kind: string; name: string | null };
  action: string;
  entityType: string;
  entityId: string | null;
  unitId: string | null;
  unitName: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  requestId: string | null;
  sealed: boolean;
  seq: number | null;
}

interface Filters {
  action: string;
  entityType: string;
  entityId: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { action: '', entityType: '', entityId: '', from: '', to: '' };

function FilterForm({ value, onApply }: { value: Filters; onApply: (f: Filters) => void }) {
  const { t } = useTranslation();
  const form = useForm<Filters & Record<string, unknown>>({ ...value }, (v) => ({
    entityType: v.entityId.trim() && !v.entityType.trim() ? fieldMessage('field.required') : undefined,
    to: v.from && v.to && v.to < v.from ? t('audit.toBeforeFrom') : undefined,
  }));
  return (
    <form
      ref={form.ref}
      noValidate
      aria-label={t('audit.filters')}
      onSubmit={form.onSubmit((v) => onApply({ action: v.action.trim(), entityType: v.entityType.trim(), entityId: v.entityId.trim(), from: v.from, to: v.to }))}
    >
      <Group gap="sm" align="flex-end" wrap="wrap" mb="md">
        <TextInput label={t('audit.action')} placeholder="unit.created" style={{ flex: '1 1 11rem' }} {...form.field('action')} />
        <TextInput label={t('audit.entityType')} placeholder="user" style={{ flex: '1 1 8rem' }} {...form.field('entityType')} />
        <TextInput label={t('audit.entityId')} style={{ flex: '1 1 11rem' }} {...form.field('entityId')} />
        <TextInput label={t('audit.from')} type="date" style={{ flex: '1 1 9rem' }} {...form.field('from')} />
        <TextInput label={t('audit.to')} type="date" style={{ flex: '1 1 9rem' }} {...form.field('to')} />
        <Group gap="xs">
          <Button type="submit">{t('action.apply')}</Button>
          <Button
            variant="default"
            onClick={() => {
              form.reset({ ...EMPTY });
              onApply(EMPTY);
            }}
          >
            {t('action.reset')}
          </Button>
        </Group>
      </Group>
    </form>
  );
}

function Detail({ item }: { item: AuditItem }) {
  const { t } = useTranslation();
  return (
    <Stack gap={6} p="xs">
      <Group gap="lg" wrap="wrap">
        <Text size="xs">
          <strong>{t('audit.entity')}:</strong> {item.entityType} {item.entityId ?? ''}
        </Text>
        {item.ip ? (
          <Text size="xs">
            <strong>IP:</strong> {item.ip}
          </Text>
        ) : null}
        {item.requestId ? (
          <Text size="xs">
            <strong>{t('audit.requestId')}:</strong> {item.requestId}
          </Text>
        ) : null}
        <Text size="xs">
          <strong>{t('audit.seq')}:</strong> {item.seq ?? t('audit.unsealed')}
        </Text>
      </Group>
      <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {JSON.stringify(item.data, null, 2)}
      </Code>
    </Stack>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const fmt = useDateTime();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const list = useInfiniteQuery({
    queryKey: ['admin', 'audit', filters],
    queryFn: ({ pageParam }) =>
      api.get<Page<AuditItem>>('/api/v1/admin/audit', {
        action: filters.action || undefined,
        entityType: filters.entityType || undefined,
        entityId: filters.entityId || undefined,
        from: filters.from || undefined,
        to: filters.to || undefined,
        cursor: pageParam,
        limit: 50,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.values(filters).some(Boolean);
  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.lead')} />
      <Paper withBorder p={{ base: 'sm', sm: 'md' }}>
        <FilterForm value={filters} onApply={setFilters} />
        {list.isPending ? (
          <LoadingState />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={filtered ? t('audit.noMatch') : t('audit.empty')} icon={<IconHistory size={28} aria-hidden />} />
        ) : (
          <Stack gap="sm">
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={36}>
                      <VisuallyHidden>{t('audit.details')}</VisuallyHidden>
                    </Table.Th>
                    <Table.Th>{t('audit.time')}</Table.Th>
                    <Table.Th>{t('audit.actor')}</Table.Th>
                    <Table.Th>{t('audit.action')}</Table.Th>
                    <Table.Th>{t('audit.unit')}</Table.Th>
                    <Table.Th w={60}>{t('audit.sealed')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((a) => {
                    const isOpen = open.has(a.id);
                    return (
                      <Fragment key={a.id}>
                        <Table.Tr>
                          <Table.Td>
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              size="sm"
                              onClick={() => toggle(a.id)}
                              aria-expanded={isOpen}
                              aria-controls={`audit-${a.id}`}
                              aria-label={t('audit.showDetails', { action: a.action })}
                            >
                              {isOpen ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
                            </ActionIcon>
                          </Table.Td>
                          <Table.Td>
                            <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                              {fmt(a.occurredAt)}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{a.actor.name ?? t(`audit.actorKinds.${a.actor.kind}`, { defaultValue: a.actor.kind })}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{t(`auditActions.${a.action.replace(/\./g, '__')}`, { defaultValue: a.action })}</Text>
                            <Code fz="xs">{a.action}</Code>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{a.unitName ?? '—'}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Tooltip label={a.sealed ? t('audit.sealedYes', { seq: a.seq }) : t('audit.sealedNo')}>
                              <Badge variant="light" color={a.sealed ? 'teal' : 'yellow'} radius="sm" px={6}>
                                {a.sealed ? <IconLock size={14} aria-hidden /> : <IconLockOpen size={14} aria-hidden />}
                                <VisuallyHidden>{a.sealed ? t('audit.sealedYes', { seq: a.seq }) : t('audit.sealedNo')}</VisuallyHidden>
                              </Badge>
                            </Tooltip>
                          </Table.Td>
                        </Table.Tr>
                        {isOpen ? (
                          <Table.Tr id={`audit-${a.id}`}>
                            <Table.Td colSpan={6} bg="gray.0">
                              <Detail item={a} />
                            </Table.Td>
                          </Table.Tr>
                        ) : null}
                      </Fragment>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {list.hasNextPage ? <LoadMore list={list} /> : (
              <Text size="xs" c="dimmed" ta="center">
                {t('audit.end')}
              </Text>
            )}
          </Stack>
        )}
      </Paper>
    </>
  );
}
