import { Alert, Anchor, Badge, Box, Container, Group, Paper, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, type Page } from '../../app/api';
import { withBase } from '../../app/base';
import { useTenant } from '../../app/tenant';
import { todayIn, useDateTime } from '../../app/time';
import { LoadMore } from '../../ui/LoadMore';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { type ComplaintStatus, STATUS_COLORS, useCategories, useRegions } from './api';
import { CategoryIcon } from './CategoryIcon';
import { ViewToggle } from './ViewToggle';
import { BROWSE_MAX_ZOOM, GROUP_COLORS, pinIcon, type StatusGroup, useBrowseMap } from './leaflet';

interface Cluster {
  lat: number;
  lng: number;
  count: number;
  verified: number;
  inProgress: number;
  resolved: number;
}
interface MapPoint {
  trackingCode: string;
  lat: number;
  lng: number;
  status: ComplaintStatus;
  statusGroup: StatusGroup;
  categoryName: string;
  submittedAt: string;
}
interface MapData {
  mode: 'clusters' | 'points';
  total: number;
  truncated: boolean;
  clusters: Cluster[];
  points: MapPoint[];
}
interface PublicItem {
  trackingCode: string;
  status: ComplaintStatus;
  statusGroup: StatusGroup;
  category: { id: string; name: string; icon: string };
  summary: string;
  kecamatan: { code: string; name: string } | null;
  kelurahan: { code: string; name: string } | null;
  submittedAt: string;
}

/** Characters of a description a pin's popup shows. */
const SUMMARY_LENGTH = 140;
const GROUPS: StatusGroup[] = ['verified', 'in_progress', 'resolved'];
const PERIODS = ['all', '30', '90', '365'] as const;

/** Filters as query parameters of the API (from the page's own URL, so a view can be shared). */
function useFilters() {
  const [params, setParams] = useSearchParams();
  const tenant = useTenant();
  const period = (PERIODS as readonly string[]).includes(params.get('period') ?? '') ? (params.get('period') as (typeof PERIODS)[number]) : 'all';
  const from = useMemo(() => {
    if (period === 'all') return undefined;
    const tz = tenant.data?.timeZone ?? 'Asia/Jakarta';
    return todayIn(tz, new Date(Date.now() - Number(period) * 86_400_000));
  }, [period, tenant.data?.timeZone]);
  const query = {
    category: params.get('category') ?? undefined,
    status: params.get('status') ?? undefined,
    kecamatan: params.get('kecamatan') ?? undefined,
    from,
  };
  const set = (key: string, value: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value && value !== 'all') next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  return { params, period, query, set };
}

/** `/lapor/peta`: verified reports of the city on a map (clusters, then pins) or as a list. */
export function PublicMapPage() {
  const { t } = useTranslation();
  const filters = useFilters();
  const view = filters.params.get('view') === 'list' ? 'list' : 'map';
  return (
    <Container size="lg" py="lg" px="md">
      <PageHeader title={t('publicMap.title')} description={t('publicMap.lead')} />
      <Stack gap="sm">
        <Filters filters={filters} />
        <ViewToggle
          fullWidth
          value={view}
          onChange={(v) => filters.set('view', v === 'list' ? 'list' : null)}
          order={['map', 'list']}
          labels={{ map: t('publicMap.viewMap'), list: t('publicMap.viewList') }}
          testId="public-map-view"
        />
        {view === 'map' ? <MapView query={filters.query} onUnavailable={() => filters.set('view', 'list')} /> : <ListView query={filters.query} />}
      </Stack>
    </Container>
  );
}

function Filters({ filters }: { filters: ReturnType<typeof useFilters> }) {
  const { t } = useTranslation();
  const tenant = useTenant();
  const categories = useCategories();
  const kecamatan = useRegions(tenant.data?.regionCode);
  const { params, period, set } = filters;
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
      <Select
        label={t('publicMap.filter.category')}
        size="sm"
        value={params.get('category') ?? 'all'}
        onChange={(v) => set('category', v)}
        data={[{ value: 'all', label: t('publicMap.filter.allCategories') }, ...(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))]}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
        data-testid="public-map-category"
      />
      <Select
        label={t('publicMap.filter.status')}
        size="sm"
        value={params.get('status') ?? 'all'}
        onChange={(v) => set('status', v)}
        data={[{ value: 'all', label: t('publicMap.filter.allStatuses') }, ...GROUPS.map((g) => ({ value: g, label: t(`publicMap.group.${g}`) }))]}
        allowDeselect={false}
        data-testid="public-map-status"
      />
      <Select
        label={t('publicMap.filter.period')}
        size="sm"
        value={period}
        onChange={(v) => set('period', v)}
        data={PERIODS.map((p) => ({ value: p, label: t(`publicMap.period.${p}`) }))}
        allowDeselect={false}
        data-testid="public-map-period"
      />
      <Select
        label={t('publicMap.filter.kecamatan')}
        size="sm"
        value={params.get('kecamatan') ?? 'all'}
        onChange={(v) => set('kecamatan', v)}
        data={[{ value: 'all', label: t('publicMap.filter.allKecamatan') }, ...(kecamatan.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))]}
        allowDeselect={false}
        searchable
        data-testid="public-map-kecamatan"
      />
    </SimpleGrid>
  );
}

type Query = ReturnType<typeof useFilters>['query'];

function Legend() {
  const { t } = useTranslation();
  return (
    <Group gap="md" wrap="wrap" aria-label={t('publicMap.legend')}>
      {GROUPS.map((g) => (
        <Group key={g} gap={6} wrap="nowrap">
          <Box w={12} h={12} style={{ borderRadius: '50%', background: GROUP_COLORS[g], border: '2px solid #fff', boxShadow: '0 0 0 1px #868e96' }} aria-hidden />
          <Text size="xs">{t(`publicMap.group.${g}`)}</Text>
        </Group>
      ))}
    </Group>
  );
}

/** Largest share of a cluster: its bubble's colour. */
function dominant(c: Cluster): StatusGroup {
  if (c.inProgress >= c.verified && c.inProgress >= c.resolved) return 'in_progress';
  return c.verified >= c.resolved ? 'verified' : 'resolved';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** `at=lat,lng,zoom` of a shared link: where the map opens instead of the whole area. */
function parseAt(raw: string | null): { lat: number; lng: number; zoom: number } | null {
  const m = raw?.match(/^(-?\d{1,2}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?),(\d{1,2})$/);
  if (!m) return null;
  const [lat, lng, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return Math.abs(lat) <= 85 && Math.abs(lng) <= 180 && zoom >= 3 && zoom <= 19 ? { lat, lng, zoom } : null;
}

function MapView({ query, onUnavailable }: { query: Query; onUnavailable: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [at] = useState(() => parseAt(params.get('at')));
  const formatDate = useDateTime();
  const el = useRef<HTMLDivElement>(null);
  const { L, failed, map, layer, viewport } = useBrowseMap(el, at);

  const data = useQuery({
    queryKey: ['complaints', 'publicMap', viewport, query],
    queryFn: ({ signal }) => api.get<MapData>('/api/v1/complaints/map', { bbox: viewport!.bbox, zoom: viewport!.zoom, ...query }, signal),
    enabled: Boolean(viewport),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

  // What is on the map now: a refetch after a pan that brings the same clusters and pins (e.g. the
  // pan that opening a popup makes) leaves the layer, and the open popup, alone.
  const drawn = useRef<{ group: unknown; signature: string } | null>(null);
  useEffect(() => {
    const group = layer;
    if (!L || !map || !group || !data.data) return;
    const signature = JSON.stringify([data.data.clusters, data.data.points.map((p) => [p.trackingCode, p.status, p.lat, p.lng]), i18n.language]);
    if (drawn.current?.group === group && drawn.current.signature === signature) return;
    drawn.current = { group, signature };
    group.clearLayers();
    for (const c of data.data.clusters) {
      const size = Math.round(Math.min(64, 26 + Math.log10(c.count) * 12));
      const label = t('publicMap.cluster', { count: c.count });
      const icon = L.divIcon({
        className: 'balai-map-cluster',
        html: `<div data-testid="map-cluster" style="width:${size}px;height:${size}px;line-height:${size}px;border-radius:50%;background:${GROUP_COLORS[dominant(c)]};color:#fff;font:600 12px/1 system-ui,sans-serif;display:flex;align-items:center;justify-content:center;border:3px solid rgba(255,255,255,.85);box-shadow:0 1px 4px rgba(0,0,0,.35)">${c.count.toLocaleString(i18n.language)}</div>`,
        iconSize: [size, size],
        iconAnchor: [size / 2, size / 2],
      });
      L.marker([c.lat, c.lng], { icon, title: label, alt: label, keyboard: true })
        .on('click', () => map.setView([c.lat, c.lng], Math.min(map.getZoom() + 2, 19)))
        .addTo(group);
    }
    for (const p of data.data.points) {
      const icon = pinIcon(L, 'map-point', GROUP_COLORS[p.statusGroup]);
      const popup = document.createElement('div');
      popup.innerHTML = `<strong>${escapeHtml(p.categoryName)}</strong><br><span>${escapeHtml(t(`complaintStatus.${p.status}`))} · ${escapeHtml(formatDate(p.submittedAt))}</span>`;
      // Pins carry no text: the description is fetched when the popup opens (once per pin).
      const summary = document.createElement('p');
      summary.style.margin = '6px 0';
      summary.dataset.testid = 'map-point-summary';
      summary.textContent = t('publicMap.popupLoading');
      popup.appendChild(summary);
      let requested = false;
      const loadSummary = () => {
        if (requested) return;
        requested = true;
        api
          .get<{ description: string }>(`/api/v1/complaints/track/${encodeURIComponent(p.trackingCode)}`)
          .then((r) => {
            summary.textContent = r.description.length > SUMMARY_LENGTH ? `${r.description.slice(0, SUMMARY_LENGTH - 1)}…` : r.description;
          })
          .catch(() => {
            requested = false;
            summary.textContent = t('publicMap.popupFailed');
          });
      };
      const link = document.createElement('a');
      link.href = withBase(`/lapor/lacak/${encodeURIComponent(p.trackingCode)}`);
      link.textContent = t('publicMap.open', { code: p.trackingCode });
      link.addEventListener('click', (e) => {
        e.preventDefault();
        navigate(`/lapor/lacak/${encodeURIComponent(p.trackingCode)}`);
      });
      popup.appendChild(link);
      L.marker([p.lat, p.lng], { icon, title: `${p.categoryName} · ${t(`complaintStatus.${p.status}`)}`, keyboard: true })
        .bindPopup(popup)
        .on('popupopen', loadSummary)
        .addTo(group);
    }
  }, [L, map, layer, data.data, t, i18n.language, navigate, formatDate]);

  if (failed) {
    return (
      <Alert color="yellow" data-testid="public-map-failed">
        <Stack gap={6}>
          <Text size="sm">{t('publicMap.mapUnavailable')}</Text>
          <Anchor component="button" type="button" size="sm" onClick={onUnavailable}>
            {t('publicMap.viewList')}
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  const d = data.data;
  return (
    <Stack gap="xs">
      <Box
        ref={el}
        role="region"
        aria-label={t('publicMap.mapLabel')}
        data-testid="public-map"
        style={{ height: 'min(62vh, 560px)', minHeight: 320, borderRadius: 8, overflow: 'hidden', background: '#e9ecef', position: 'relative', zIndex: 0 }}
      >
        {L ? null : <LoadingState />}
      </Box>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm" aria-live="polite" data-testid="public-map-summary">
          {data.isError ? t('publicMap.loadFailed') : d ? d.mode === 'points' ? t('publicMap.inAreaPoints', { count: d.points.length }) : t('publicMap.inArea', { count: d.total, total: d.total.toLocaleString(i18n.language) }) : ''}
        </Text>
        <Legend />
      </Group>
      {d?.truncated || (d?.mode === 'clusters' && d.total > 0) ? (
        <Text size="xs" c="dimmed">
          {d.truncated
            ? t((viewport?.zoom ?? 0) >= BROWSE_MAX_ZOOM ? 'publicMap.truncatedAtMaxZoom' : 'publicMap.truncated', { count: d.points.length })
            : t('publicMap.zoomHint')}
        </Text>
      ) : null}
    </Stack>
  );
}

function ListView({ query }: { query: Query }) {
  const { t } = useTranslation();
  const formatDate = useDateTime();
  const list = useInfiniteQuery({
    queryKey: ['complaints', 'public', query],
    queryFn: ({ pageParam, signal }) => api.get<Page<PublicItem>>('/api/v1/complaints/public', { ...query, cursor: pageParam, limit: 20 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const items = list.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <EmptyState title={t('publicMap.empty')} />;
  return (
    <Stack gap="xs" data-testid="public-list">
      {items.map((r) => (
        <Paper key={r.trackingCode} withBorder p="sm" radius="md" data-testid="public-list-item">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <Box c="dimmed" pt={2}>
              <CategoryIcon name={r.category.icon} size={24} />
            </Box>
            <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
              <Group justify="space-between" gap="xs" wrap="wrap">
                <Text fw={600} size="sm">
                  {r.category.name}
                </Text>
                <Badge color={STATUS_COLORS[r.status]} variant="light">
                  {t(`complaintStatus.${r.status}`)}
                </Badge>
              </Group>
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {r.summary}
              </Text>
              <Text size="xs" c="dimmed">
                {[r.kelurahan?.name, r.kecamatan?.name, formatDate(r.submittedAt)].filter(Boolean).join(' · ')}
              </Text>
              <Anchor component={Link} to={`/lapor/lacak/${encodeURIComponent(r.trackingCode)}`} size="sm">
                {t('publicMap.open', { code: r.trackingCode })}
              </Anchor>
            </Stack>
          </Group>
        </Paper>
      ))}
      <LoadMore list={list} />
    </Stack>
  );
}
