import { Alert, Anchor, Badge, Button, Checkbox, Group, Paper, Select, Stack, Switch, Table, Text, Textarea, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconChartBar, IconDownload, IconFlame, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { COMPLAINT_STATUSES } from '../../../../common/complaints/workflow';
import { api, apiUrl, isApiError, type Page } from '../../app/api';
import { useMe } from '../../app/auth';
import { useTenant } from '../../app/tenant';
import { useDateTime } from '../../app/time';
import { LoadMore } from '../../ui/LoadMore';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { type InboxItem, STATUS_COLORS, useCategories, useRegions } from './api';
import { useUnitSearch } from './detail/UnitPicker';
import { ViewToggle } from './ViewToggle';

// The map view and Leaflet load only when a user opens it.
const InboxMap = lazy(async () => ({ default: (await import('./InboxMap')).InboxMap }));

/** An inbox row with the deadline facts the server adds (overdue, escalation). */
interface InboxRow extends InboxItem {
  dueAt: string | null;
  overdue?: boolean;
  escalatedAt?: string | null;
}

interface BulkResult {
  items: { id: string; status: number; newStatus?: string; code?: string; message?: string }[];
  succeeded: number;
  failed: number;
}

/** Filters kept in the address bar, so that a filtered list can be bookmarked and shared. */
const FILTER_KEYS = ['q', 'status', 'category', 'unit', 'kecamatan', 'overdue', 'escalated'] as const;
const BULK_MAX = 100;

/** "3 jam lagi" / "2 hari yang lalu": the time left (or over) until a due time. */
function useRelative(): (iso: string, now: number) => string {
  const { i18n } = useTranslation();
  const rtf = useMemo(() => new Intl.RelativeTimeFormat(i18n.language === 'en' ? 'en' : 'id', { numeric: 'always' }), [i18n.language]);
  return (iso, now) => {
    const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
    const abs = Math.abs(minutes);
    if (abs < 60) return rtf.format(minutes, 'minute');
    if (abs < 48 * 60) return rtf.format(Math.round(minutes / 60), 'hour');
    return rtf.format(Math.round(minutes / 1440), 'day');
  };
}

/** `/staf/pengaduan`: the report inbox of the triage desk and of the responsible units. */
export function InboxPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const tenant = useTenant();
  const triage = me.data?.permissions.includes('complaints.triage') ?? false;
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<(typeof FILTER_KEYS)[number], string>;
  const query = {
    q: filters.q,
    status: filters.status,
    categoryId: filters.category,
    unitId: filters.unit,
    regionCode: filters.kecamatan,
    overdue: filters.overdue === 'true' ? 'true' : undefined,
    escalated: filters.escalated === 'true' ? 'true' : undefined,
  };
  const categories = useCategories();
  const kecamatan = useRegions(tenant.data?.regionCode);
  const when = useDateTime();
  const relative = useRelative();
  const qc = useQueryClient();
  const [search, setSearch] = useState(filters.q);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const now = Date.now();

  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  // The search box writes the address bar once typing pauses.
  const pushSearch = useDebouncedCallback((v: string) => setParam('q', v.trim() || null), 400);

  const view = params.get('view') === 'map' ? 'map' : 'list';
  const list = useInfiniteQuery({
    queryKey: ['complaints', 'inbox', query],
    queryFn: ({ pageParam }) => api.get<Page<InboxRow>>('/api/v1/complaints', { ...query, cursor: pageParam, limit: 25 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: view === 'list',
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  // Selection follows the list: rows that left it (another filter) are no longer selected.
  const visibleSelected = items.filter((i) => selected.has(i.id));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allChecked = items.length > 0 && visibleSelected.length === items.length;

  return (
    <>
      <PageHeader
        title={t('inbox.title')}
        description={t('inbox.lead')}
        actions={
          <>
            <Button component={Link} to="/staf/pengaduan/statistik" variant="default" leftSection={<IconChartBar size={16} aria-hidden />}>
              {t('inbox.statsLink')}
            </Button>
            <Button
              component="a"
              href={apiUrl('/api/v1/complaints/export.csv', query)}
              download
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
              data-testid="inbox-export"
            >
              {t('inbox.exportCsv')}
            </Button>
          </>
        }
      />
      <Stack gap="sm" mb="md">
        <TextInput
          label={t('inbox.search')}
          description={t('inbox.searchHint')}
          placeholder={t('inbox.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            pushSearch(e.currentTarget.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setParam('q', search.trim() || null);
          }}
          maxLength={200}
          type="search"
          data-testid="inbox-search"
        />
        <Group gap="sm" wrap="wrap" align="flex-end">
          <Select
            label={t('inbox.status')}
            placeholder={t('inbox.all')}
            data={COMPLAINT_STATUSES.map((s) => ({ value: s, label: t(`complaintStatus.${s}`) }))}
            value={filters.status || null}
            onChange={(v) => setParam('status', v)}
            clearable
            w={190}
          />
          <Select
            label={t('inbox.category')}
            placeholder={t('inbox.all')}
            data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={filters.category || null}
            onChange={(v) => setParam('category', v)}
            clearable
            searchable
            w={230}
          />
          {triage ? <UnitSelect label={t('inbox.unit')} placeholder={t('inbox.all')} value={filters.unit || null} onChange={(v) => setParam('unit', v)} w={260} /> : null}
          <Select
            label={t('inbox.kecamatan')}
            placeholder={t('inbox.all')}
            data={(kecamatan.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
            value={filters.kecamatan || null}
            onChange={(v) => setParam('kecamatan', v)}
            clearable
            searchable
            w={200}
          />
          <Switch label={t('inbox.overdueOnly')} checked={filters.overdue === 'true'} onChange={(e) => setParam('overdue', e.currentTarget.checked ? 'true' : null)} mb={8} />
          <Switch label={t('inbox.escalatedOnly')} checked={filters.escalated === 'true'} onChange={(e) => setParam('escalated', e.currentTarget.checked ? 'true' : null)} mb={8} />
        </Group>
        <ViewToggle
          value={view}
          onChange={(v) => setParam('view', v === 'map' ? 'map' : null)}
          order={['list', 'map']}
          labels={{ list: t('inbox.viewList'), map: t('inbox.viewMap') }}
          testId="inbox-view"
          w={{ base: '100%', sm: 280 }}
        />
      </Stack>
      {view === 'map' ? (
        <Suspense fallback={<LoadingState />}>
          <InboxMap query={query} />
        </Suspense>
      ) : null}
      {view === 'map' ? null : triage && visibleSelected.length ? (
        <BulkBar
          ids={visibleSelected.map((i) => i.id)}
          codes={Object.fromEntries(visibleSelected.map((i) => [i.id, i.trackingCode]))}
          onDone={async () => {
            setSelected(new Set());
            await qc.invalidateQueries({ queryKey: ['complaints'] });
          }}
        />
      ) : null}
      {view === 'map' ? null : list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('inbox.emptyTitle')} description={t('inbox.empty')} />
      ) : (
        <Stack gap="md">
          <Table.ScrollContainer minWidth={720}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  {triage ? (
                    <Table.Th w={40}>
                      <Checkbox
                        aria-label={t('inbox.selectAll')}
                        checked={allChecked}
                        indeterminate={visibleSelected.length > 0 && !allChecked}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          setSelected(on ? new Set(items.slice(0, BULK_MAX).map((i) => i.id)) : new Set());
                        }}
                      />
                    </Table.Th>
                  ) : null}
                  <Table.Th>{t('inbox.report')}</Table.Th>
                  <Table.Th>{t('inbox.status')}</Table.Th>
                  <Table.Th>{t('inbox.deadline')}</Table.Th>
                  <Table.Th>{t('inbox.place')}</Table.Th>
                  <Table.Th>{t('inbox.unit')}</Table.Th>
                  <Table.Th>{t('inbox.submitted')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((i) => {
                  const overdue = i.overdue ?? (i.dueAt != null && new Date(i.dueAt).getTime() <= now);
                  return (
                    <Table.Tr key={i.id} data-testid="inbox-row">
                      {triage ? (
                        <Table.Td>
                          <Checkbox
                            aria-label={t('inbox.select', { code: i.trackingCode })}
                            checked={selected.has(i.id)}
                            disabled={!selected.has(i.id) && selected.size >= BULK_MAX}
                            onChange={(e) => toggle(i.id, e.currentTarget.checked)}
                          />
                        </Table.Td>
                      ) : null}
                      <Table.Td>
                        <Anchor component={Link} to={`/staf/pengaduan/${i.id}`} fw={600} ff="monospace">
                          {i.trackingCode}
                        </Anchor>
                        <Text size="sm" fw={500}>
                          {i.categoryName}
                        </Text>
                        <Text size="sm" c="dimmed" lineClamp={2} maw={360}>
                          {i.summary}
                        </Text>
                      </Table.Td>
                      <Table.Td miw={140}>
                        <Stack gap={4} align="flex-start">
                          <Badge color={STATUS_COLORS[i.status]}>{t(`complaintStatus.${i.status}`)}</Badge>
                          {i.escalatedAt ? (
                            <Tooltip label={t('inbox.escalatedAt', { at: when(i.escalatedAt) })}>
                              <Badge color="grape" variant="light" leftSection={<IconFlame size={12} aria-hidden />} data-testid="badge-escalated">
                                {t('inbox.escalated')}
                              </Badge>
                            </Tooltip>
                          ) : null}
                        </Stack>
                      </Table.Td>
                      <Table.Td miw={170}>
                        {i.dueAt ? (
                          <Tooltip label={t('inbox.dueAt', { at: when(i.dueAt) })}>
                            {overdue ? (
                              <Badge color="red" variant="filled" leftSection={<IconAlertTriangle size={12} aria-hidden />} data-testid="badge-overdue">
                                {t('inbox.overdueBy', { time: relative(i.dueAt, now) })}
                              </Badge>
                            ) : (
                              <Text size="sm" data-testid="due-left">
                                {t('inbox.dueIn', { time: relative(i.dueAt, now) })}
                              </Text>
                            )}
                          </Tooltip>
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{[i.kelurahan?.name, i.kecamatan?.name].filter(Boolean).join(', ') || '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{i.unitName}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{when(i.submittedAt)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMore list={list} />
        </Stack>
      )}
    </>
  );
}

/** The active units of the tenant, searched on the server by name or code (triage desk only). */
export function UnitSelect({
  label,
  placeholder,
  value,
  onChange,
  w,
  required,
}: {
  label: string;
  placeholder?: string;
  value: string | null;
  onChange: (id: string | null) => void;
  w?: number;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const { search, setSearch, picked, setPicked, units } = useUnitSearch();
  const found = units.data?.items ?? [];
  const options = [...(picked && !found.some((u) => u.id === picked.id) ? [picked] : []), ...found];
  return (
    <Select
      label={label}
      placeholder={placeholder}
      required={required}
      searchable
      clearable
      w={w}
      data={options.map((u) => ({ value: u.id, label: u.path.length ? `${u.name} — ${u.path.join(' › ')}` : u.name }))}
      value={value}
      filter={({ options: o }) => o}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id) => {
        setPicked(found.find((u) => u.id === id) ?? null);
        onChange(id);
      }}
      nothingFoundMessage={units.isFetching ? t('state.loading') : t('inbox.unitNone')}
    />
  );
}

/** Bulk verify or dispose of the selected rows; each report succeeds or fails on its own. */
function BulkBar({ ids, codes, onDone }: { ids: string[]; codes: Record<string, string>; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [action, setAction] = useState<'verify' | 'dispose' | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run() {
    if (!action) return;
    if (action === 'dispose' && !unitId) return setError(t('inbox.unitRequired'));
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<BulkResult>('/api/v1/complaints/bulk', { action, ids, ...(action === 'dispose' ? { unitId } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
      const failures = r.items.filter((i) => i.status !== 200);
      notifications.show({
        color: r.failed === 0 ? 'teal' : r.succeeded === 0 ? 'red' : 'yellow',
        title: t('inbox.bulk.summary', { ok: r.succeeded, failed: r.failed }),
        message: failures.length ? failures.map((f) => `${codes[f.id] ?? f.id}: ${f.message ?? f.code}`).join('\n') : t(`inbox.bulk.done.${action}`, { count: r.succeeded }),
        autoClose: failures.length ? false : 5000,
        style: { whiteSpace: 'pre-line' },
      });
      setAction(null);
      setNote('');
      await onDone();
    } catch (e) {
      setError(isApiError(e) ? [e.message, ...e.fieldErrors.map((f) => f.message)].join(' ') : t('errors.unexpected'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="sm" radius="md" mb="md" data-testid="bulk-bar">
      <Stack gap="sm">
        <Group gap="sm" wrap="wrap">
          <Text fw={600}>{t('inbox.bulk.selected', { count: ids.length })}</Text>
          <Button variant={action === 'verify' ? 'filled' : 'light'} onClick={() => setAction('verify')}>
            {t('inbox.bulk.verify')}
          </Button>
          <Button variant={action === 'dispose' ? 'filled' : 'light'} onClick={() => setAction('dispose')}>
            {t('inbox.bulk.dispose')}
          </Button>
        </Group>
        {action ? (
          <Stack gap="sm">
            {action === 'dispose' ? <UnitSelect label={t('inbox.disposeTo')} value={unitId} onChange={setUnitId} required /> : null}
            <Textarea label={t('inbox.note')} description={t('inbox.noteInternalHint')} autosize minRows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            {error ? (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            ) : null}
            <Group gap="xs">
              <Button onClick={run} loading={busy}>
                {t(`inbox.bulk.confirm.${action}`, { count: ids.length })}
              </Button>
              <Button variant="default" onClick={() => setAction(null)}>
                {t('action.cancel')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
