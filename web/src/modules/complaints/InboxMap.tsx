import { Alert, Box, DEFAULT_THEME, Group, Paper, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../app/api';
import { withBase } from '../../app/base';
import { useDateTime } from '../../app/time';
import { ErrorState } from '../../ui/PageState';
import { type ComplaintStatus, type InboxItem, STATUS_COLORS } from './api';
import { pinIcon, useBrowseMap } from './leaflet';

interface MapItem extends InboxItem {
  lat: number;
  lng: number;
  overdue?: boolean;
}

/** A status's marker colour: the badge colour of the list, from the same palette. */
function colourOf(status: ComplaintStatus): string {
  const palette = DEFAULT_THEME.colors[STATUS_COLORS[status] as keyof typeof DEFAULT_THEME.colors];
  return palette?.[6] ?? '#868e96';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * The inbox as a map (`/staf/pengaduan?view=map`): the newest 500 reports of the inbox, with the
 * list's filters and scope, that have coordinates in the visible area. Pins are coloured like the
 * list's status badges; an overdue report has a red ring. Loaded with Leaflet when the map opens.
 */
export function InboxMap({ query }: { query: Record<string, string | undefined> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const when = useDateTime();
  const el = useRef<HTMLElement>(null);
  const { L, failed, map, layer, viewport } = useBrowseMap(el);

  const data = useQuery({
    queryKey: ['complaints', 'inboxMap', viewport, query],
    queryFn: ({ signal }) => api.get<{ items: MapItem[]; truncated: boolean }>('/api/v1/complaints/inbox-map', { ...query, bbox: viewport!.bbox, zoom: viewport!.zoom }, signal),
    enabled: Boolean(viewport),
    placeholderData: keepPreviousData,
  });

  useEffect(() => {
    const group = layer;
    if (!L || !map || !group || !data.data) return;
    group.clearLayers();
    for (const p of data.data.items) {
      const icon = pinIcon(L, 'inbox-map-point', colourOf(p.status), p.overdue ? '#e03131' : '#fff');
      const popup = document.createElement('div');
      const overdue = p.overdue ? ` · <strong style="color:#e03131">${escapeHtml(t('inbox.mapOverdue'))}</strong>` : '';
      popup.innerHTML = `<strong>${escapeHtml(p.trackingCode)}</strong> · ${escapeHtml(p.categoryName)}<br><span>${escapeHtml(t(`complaintStatus.${p.status}`))} · ${escapeHtml(when(p.submittedAt))}${overdue}</span><br><span>${escapeHtml(p.unitName)}</span><p style="margin:6px 0">${escapeHtml(p.summary)}</p>`;
      const link = document.createElement('a');
      link.href = withBase(`/staf/pengaduan/${p.id}`);
      link.textContent = t('inbox.mapOpen');
      link.addEventListener('click', (e) => {
        e.preventDefault();
        navigate(`/staf/pengaduan/${p.id}`);
      });
      popup.appendChild(link);
      L.marker([p.lat, p.lng], { icon, title: `${p.trackingCode} · ${t(`complaintStatus.${p.status}`)}`, keyboard: true })
        .bindPopup(popup)
        .addTo(group);
    }
  }, [L, map, layer, data.data, t, navigate, when]);

  if (failed) return <Alert color="yellow">{t('inbox.mapUnavailable')}</Alert>;
  const shown = data.data?.items.length ?? 0;
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed" data-testid="inbox-map-count" aria-live="polite">
          {data.isPending ? t('inbox.mapLoading') : data.data?.truncated ? t('inbox.mapTruncated', { count: shown }) : t('inbox.mapCount', { count: shown })}
        </Text>
        <Group gap={6} wrap="nowrap">
          <Box w={12} h={12} style={{ borderRadius: '50%', border: '3px solid #e03131' }} aria-hidden />
          <Text size="xs">{t('inbox.mapOverdue')}</Text>
        </Group>
      </Group>
      {data.isError ? <ErrorState error={data.error} onRetry={() => data.refetch()} /> : null}
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        {/* Its own stacking context: Leaflet's panes (z-index 400+) stay under the app's menus. */}
        <section ref={el} style={{ height: 'min(65vh, 560px)', minHeight: 320, background: '#e9ecef', position: 'relative', zIndex: 0 }} data-testid="inbox-map" aria-label={t('inbox.mapLabel')} />
      </Paper>
      <Text size="xs" c="dimmed">
        {t('inbox.mapNoPlace')}
      </Text>
    </Stack>
  );
}
