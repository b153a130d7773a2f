import { Alert, Anchor, Badge, Button, Container, Group, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconCurrentLocation, IconMapPin, IconPhone } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { withBase } from '../../app/base';
import { api } from '../../app/api';
import { useDateTime } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { useThrottled } from './api';
import { BED_CLASS_LABELS, BED_CLASSES, type BedClass } from '../../../../common/health/bedClasses';
import type { HospitalBedsType } from '../../../../common/health/beds';

type Locating = 'idle' | 'asking' | 'denied' | 'unavailable';

/**
 * `/sehat/tempat-tidur`: hospitals with free beds per class — counted from the wards' occupancy —
 * filtered by class and, with the user's permission, nearest first. Refreshed every 30 seconds.
 */
export function BedsPage() {
  const { t, i18n } = useTranslation();
  const when = useDateTime();
  const [params, setParams] = useSearchParams();
  const chosen = params.get('kelas');
  const bedClass = (BED_CLASSES as readonly string[]).includes(chosen ?? '') ? (chosen as BedClass) : undefined;
  const [here, setHere] = useState<{ lat: number; lng: number } | null>(null);
  const [locating, setLocating] = useState<Locating>('idle');
  const list = useQuery({
    queryKey: ['health', 'beds', bedClass ?? 'all', here?.lat, here?.lng],
    queryFn: () => api.get<{ items: HospitalBedsType[] }>('/api/v1/health/beds', { ...(bedClass ? { class: bedClass } : {}), ...(here ? { lat: here.lat, lng: here.lng } : {}) }),
    // Live: every admission, move and discharge arrives on the public `beds` stream; the poll is the fallback.
    refetchInterval: 60_000,
    placeholderData: (prev) => prev,
  });
  const reload = useRef(() => {});
  reload.current = useThrottled(() => void list.refetch(), 2_000);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(withBase('/api/v1/public/events/stream?topic=beds'));
    source.addEventListener('health.bed.changed', () => reload.current());
    return () => source.close();
  }, []);
  const locate = () => {
    if (!('geolocation' in navigator)) return setLocating('unavailable');
    setLocating('asking');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setHere({ lat: Math.round(pos.coords.latitude * 1e5) / 1e5, lng: Math.round(pos.coords.longitude * 1e5) / 1e5 });
        setLocating('idle');
      },
      (err) => setLocating(err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 300_000 },
    );
  };
  const km = (n: number) => n.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: 1 });
  return (
    <Container size="md" py="lg" px="md">
      <PageHeader title={t('health.beds.title')} description={t('health.beds.lead')} />
      <Stack gap="md">
        <Group align="flex-end" wrap="wrap" gap="sm">
          <Select
            label={t('health.beds.class')}
            data={[{ value: '', label: t('health.beds.allClasses') }, ...BED_CLASSES.map((c) => ({ value: c, label: BED_CLASS_LABELS[c] }))]}
            value={bedClass ?? ''}
            onChange={(v) => setParams(v ? { kelas: v } : {}, { replace: true })}
            allowDeselect={false}
            w={220}
            data-testid="beds-class"
          />
          <Button component={Link} to="/sehat/rawat-inap" variant="light">
            {t('health.preregister.link')}
          </Button>
          <Button variant={here ? 'light' : 'filled'} leftSection={<IconCurrentLocation size={18} aria-hidden />} onClick={locate} loading={locating === 'asking'} data-testid="beds-locate">
            {here ? t('health.beds.located') : t('health.beds.locate')}
          </Button>
        </Group>
        {locating === 'denied' || locating === 'unavailable' ? <Alert color="yellow">{t(locating === 'denied' ? 'health.beds.locationDenied' : 'health.beds.locationUnavailable')}</Alert> : null}
        {list.isPending ? (
          <LoadingState />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState title={t('health.beds.empty')} description={bedClass ? t('health.beds.emptyClass', { bedClass: BED_CLASS_LABELS[bedClass] }) : undefined} />
        ) : (
          list.data.items.map((h) => (
            <Paper key={h.facility.id} withBorder radius="md" p="md" component="article" aria-labelledby={`rs-${h.facility.id}`} data-testid="hospital-card">
              <Stack gap="sm">
                <Group justify="space-between" align="flex-start" wrap="nowrap">
                  <Stack gap={2}>
                    <Title order={2} size="h4" id={`rs-${h.facility.id}`}>
                      {h.facility.name}
                    </Title>
                    <Group gap={4} wrap="nowrap" c="dimmed">
                      <IconMapPin size={14} aria-hidden />
                      <Text size="sm">{h.facility.address}</Text>
                    </Group>
                  </Stack>
                  {h.distanceKm !== null ? (
                    <Badge variant="light" size="lg" style={{ flexShrink: 0 }} styles={{ label: { overflow: 'visible' } }} data-testid="hospital-distance">
                      {t('health.beds.distance', { km: km(h.distanceKm) })}
                    </Badge>
                  ) : null}
                </Group>
                <SimpleGrid cols={{ base: 2, xs: 3, sm: 4 }} spacing="xs">
                  {h.classes.map((c) => (
                    <Paper key={c.bedClass} radius="md" p="xs" bg={c.free > 0 ? 'teal.0' : 'red.0'} data-testid="bed-class" data-class={c.bedClass}>
                      <Text size="xs" fw={600} c="dimmed">
                        {BED_CLASS_LABELS[c.bedClass]}
                      </Text>
                      <Text fw={800} size="xl" c={c.free > 0 ? 'teal.9' : 'red.9'} data-testid="bed-free">
                        {c.free}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t('health.beds.ofTotal', { total: c.total })}
                      </Text>
                    </Paper>
                  ))}
                </SimpleGrid>
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Text size="xs" c="dimmed" data-testid="hospital-updated">
                    {t('health.beds.updated', { when: when(h.updatedAt) })}
                  </Text>
                  {h.facility.phone ? (
                    <Anchor href={`tel:${h.facility.phone}`} size="sm">
                      <Group gap={4} wrap="nowrap">
                        <IconPhone size={14} aria-hidden />
                        {t('health.beds.call', { phone: h.facility.phone })}
                      </Group>
                    </Anchor>
                  ) : null}
                </Group>
              </Stack>
            </Paper>
          ))
        )}
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="dimmed">
            {t('health.beds.note')}
          </Text>
          <Anchor href={withBase('/api/v1/health/beds/siranap')} size="xs">
            {t('health.beds.feed')}
          </Anchor>
        </Group>
      </Stack>
    </Container>
  );
}
