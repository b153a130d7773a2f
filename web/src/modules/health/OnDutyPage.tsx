import { Badge, Container, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconStethoscope } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../app/api';
import { useTenant } from '../../app/tenant';
import { formatDay, zoneLabel } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { ErrorState, LoadingState } from '../../ui/PageState';
import type { Facility } from './api';
import { PractitionerName } from './PractitionerName';

interface Person {
  name: string;
  kind: 'doctor' | 'dentist' | 'midwife' | 'nurse' | 'pharmacist';
  startsAt: string;
  endsAt: string;
}

interface OnDuty {
  date: string;
  time: string;
  items: { serviceId: string; name: string; onDuty: Person[]; next: Person | null }[];
}

/** `/sehat/:facilityId/dokter`: "dokter piket sekarang" — who serves each poli of a facility now, from its roster. */
export function OnDutyPage() {
  const { facilityId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const tenant = useTenant();
  const tz = tenant.data?.timeZone ?? 'Asia/Makassar';
  const facility = useQuery({ queryKey: ['health', 'facility', facilityId], queryFn: () => api.get<{ facility: Facility }>(`/api/v1/health/facilities/${facilityId}/services`) });
  // The roster changes by the minute: read again every minute.
  const duty = useQuery({ queryKey: ['health', 'on-duty', facilityId], queryFn: () => api.get<OnDuty>(`/api/v1/health/facilities/${facilityId}/on-duty`), refetchInterval: 60_000 });
  if (duty.isPending || facility.isPending) return <LoadingState />;
  if (duty.isError) return <ErrorState error={duty.error} onRetry={() => void duty.refetch()} />;
  if (facility.isError) return <ErrorState error={facility.error} onRetry={() => void facility.refetch()} />;
  return (
    <Container size="md" py="lg" px="md">
      <PageHeader
        title={t('health.duty.title')}
        description={t('health.duty.lead', { name: facility.data.facility.name, day: formatDay(duty.data.date, i18n.language), time: `${duty.data.time} ${zoneLabel(tz)}` })}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {duty.data.items.map((s) => (
          <Paper key={s.serviceId} withBorder radius="md" p="md" data-testid="duty-service">
            <Group gap="xs" mb="xs" wrap="nowrap">
              <IconStethoscope size={18} aria-hidden />
              <Text fw={700}>{s.name}</Text>
            </Group>
            {s.onDuty.length ? (
              <Stack gap={6}>
                {s.onDuty.map((p) => (
                  <Group key={p.name} justify="space-between" wrap="nowrap" gap="xs">
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <PractitionerName name={p.name} kind={p.kind} />
                    </Stack>
                    <Badge color="teal" variant="light" style={{ flexShrink: 0 }}>
                      {t('health.duty.until', { time: p.endsAt })}
                    </Badge>
                  </Group>
                ))}
              </Stack>
            ) : (
              <Text size="sm" c="dimmed">
                {s.next ? t('health.duty.next', { name: s.next.name, time: s.next.startsAt }) : t('health.duty.none')}
              </Text>
            )}
          </Paper>
        ))}
      </SimpleGrid>
    </Container>
  );
}
