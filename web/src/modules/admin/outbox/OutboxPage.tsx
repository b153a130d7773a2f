import { Anchor, Badge, Breadcrumbs, Code, Group, Paper, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { IconMailOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, type Page } from '../../../app/api';
import { useDateTime } from '../../../app/time';
import { PageHeader } from '../../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/PageState';
import { LoadMore } from '../../../ui/LoadMore';

const STATUSES = ['pending', 'sent', 'failed', 'kept'] as const;
type Status = (typeof STATUSES)[number];
const STATUS_COLORS: Record<Status, string> = { pending: 'blue', sent: 'teal', failed: 'red', kept: 'gray' };

export interface OutboxItem {
  id: string;
  to: string;
  subject: string;
  template: string;
  status: Status;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxDetail extends OutboxItem {
  bodyText: string;
}

function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="light" radius="sm">
      {t(`outbox.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

export function OutboxPage() {
  const { t } = useTranslation();
  const fmt = useDateTime();
  const [status, setStatus] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['admin', 'outbox', { status }],
    queryFn: ({ pageParam }) => api.get<Page<OutboxItem>>('/api/v1/admin/outbox', { status: status ?? undefined, cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader title={t('outbox.title')} description={t('outbox.lead')} />
      <Paper withBorder p={{ base: 'sm', sm: 'md' }}>
        <Group mb="md" align="flex-end">
          <Select
            label={t('outbox.statusLabel')}
            data={STATUSES.map((s) => ({ value: s, label: t(`outbox.status.${s}`) }))}
            value={status}
            onChange={setStatus}
            clearable
            placeholder={t('users.all')}
            w={220}
            comboboxProps={{ withinPortal: true }}
          />
        </Group>
        {list.isPending ? (
          <LoadingState />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={status ? t('outbox.noMatch') : t('outbox.empty')} description={t('outbox.emptyLead')} icon={<IconMailOff size={28} aria-hidden />} />
        ) : (
          <Stack gap="sm">
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="sm" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('outbox.subject')}</Table.Th>
                    <Table.Th>{t('outbox.to')}</Table.Th>
                    <Table.Th>{t('outbox.statusLabel')}</Table.Th>
                    <Table.Th>{t('outbox.created')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/admin/outbox/${m.id}`} fw={600} size="sm" className="balai-break">
                          {m.subject}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {t(`outbox.templates.${m.template}`, { defaultValue: m.template })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" className="balai-break">
                          {m.to}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={m.status} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                          {fmt(m.createdAt)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <LoadMore list={list} />
          </Stack>
        )}
      </Paper>
    </>
  );
}

/** Links in a plain-text e-mail body, made clickable (only http(s) URLs). */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <>
      {parts.map((p, i) =>
        /^https?:\/\//.test(p) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed string
          <Anchor key={i} href={p} className="balai-break" data-testid="outbox-link">
            {p}
          </Anchor>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed string
          <span key={i}>{p}</span>
        ),
      )}
    </>
  );
}

export function OutboxDetailPage() {
  const { t } = useTranslation();
  const fmt = useDateTime();
  const { id = '' } = useParams();
  const mail = useQuery({ queryKey: ['admin', 'outbox', 'detail', id], queryFn: () => api.get<OutboxDetail>(`/api/v1/admin/outbox/${id}`) });
  const crumbs = (
    <Breadcrumbs mb="xs" separator="›">
      <Anchor component={Link} to="/admin/outbox" size="sm">
        {t('outbox.title')}
      </Anchor>
      <Text size="sm" c="dimmed">
        {t('outbox.detailTitle')}
      </Text>
    </Breadcrumbs>
  );
  if (mail.isPending || mail.error || !mail.data) {
    return (
      <>
        {crumbs}
        <PageHeader title={t('outbox.detailTitle')} />
        {mail.isPending ? <LoadingState /> : <ErrorState error={mail.error} onRetry={() => void mail.refetch()} />}
      </>
    );
  }
  const m = mail.data;
  const rows: [string, React.ReactNode][] = [
    [t('outbox.to'), m.to],
    [t('outbox.statusLabel'), <StatusBadge key="s" status={m.status} />],
    [t('outbox.template'), t(`outbox.templates.${m.template}`, { defaultValue: m.template })],
    [t('outbox.created'), fmt(m.createdAt)],
    [t('outbox.sent'), m.sentAt ? fmt(m.sentAt) : '—'],
    [t('outbox.attempts'), String(m.attempts)],
  ];
  return (
    <>
      {crumbs}
      <PageHeader title={m.subject} />
      <Stack gap="lg">
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
            {rows.map(([label, value]) => (
              <div key={label}>
                <Text size="xs" c="dimmed">
                  {label}
                </Text>
                <Text size="sm" component="div" className="balai-break">
                  {value}
                </Text>
              </div>
            ))}
          </SimpleGrid>
          {m.lastError ? (
            <Text size="sm" c="red.8" mt="sm">
              {t('outbox.lastError')}: {m.lastError}
            </Text>
          ) : null}
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="mail-body">
          <Text fw={650} id="mail-body" mb="xs">
            {t('outbox.body')}
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontFamily: 'inherit', fontSize: 'var(--mantine-font-size-sm)' }}>
            <Linkified text={m.bodyText} />
          </Code>
        </Paper>
      </Stack>
    </>
  );
}
