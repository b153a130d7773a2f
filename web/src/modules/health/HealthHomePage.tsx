import { Anchor, Badge, Button, Container, Group, Paper, Stack, Text } from '@mantine/core';
import { IconBed, IconDeviceTv, IconMapPin, IconPhone, IconStethoscope, IconTicket } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../app/api';
import { useMe } from '../../app/auth';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import type { Facility } from './api';

/** `/sehat`: the government's puskesmas and hospitals, each with online registration and its queue screen. */
export function HealthHomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const list = useQuery({ queryKey: ['health', 'facilities'], queryFn: () => api.get<{ items: Facility[] }>('/api/v1/health/facilities'), staleTime: 5 * 60_000 });
  const mine = (
    <Group gap="xs">
      <Button component={Link} to="/sehat/tempat-tidur" variant="light" color="red" leftSection={<IconBed size={16} aria-hidden />}>
        {t('health.beds.link')}
      </Button>
      {me.data?.user.kind === 'citizen' ? (
        <Button component={Link} to="/akun/kunjungan" variant="light" leftSection={<IconTicket size={16} aria-hidden />}>
          {t('health.myVisits')}
        </Button>
      ) : null}
    </Group>
  );
  return (
    <Container size="sm" py="lg" px="md">
      <PageHeader title={t('health.title')} description={t('health.lead')} actions={mine} />
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={t('health.noFacilitiesTitle')} description={t('health.noFacilities')} />
      ) : (
        <Stack gap="sm">
          {list.data.items.map((f) => (
            <Paper key={f.id} withBorder p="md" radius="md" data-testid="health-facility">
              <Stack gap={6}>
                <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                  <Text fw={700}>{f.name}</Text>
                  <Badge variant="light" color={f.kind === 'hospital' ? 'grape' : 'teal'} style={{ flexShrink: 0 }}>
                    {t(`health.kind.${f.kind}`)}
                  </Badge>
                </Group>
                <Group gap={6} wrap="nowrap" align="flex-start">
                  <IconMapPin size={16} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
                  <Text size="sm" c="dimmed">
                    {f.address}
                  </Text>
                </Group>
                {f.phone ? (
                  <Group gap={6} wrap="nowrap">
                    <IconPhone size={16} aria-hidden />
                    <Anchor href={`tel:${f.phone.replace(/[^0-9+]/g, '')}`} size="sm">
                      {f.phone}
                    </Anchor>
                  </Group>
                ) : null}
                <Group gap="xs" mt={4}>
                  {f.onlineRegistration ? (
                    <Button component={Link} to={`/sehat/${f.id}`} size="sm" aria-label={t('health.registerAt', { name: f.name })}>
                      {t('health.register')}
                    </Button>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('health.onlineClosed')}
                    </Text>
                  )}
                  <Button component={Link} to={`/sehat/${f.id}/dokter`} size="sm" variant="subtle" leftSection={<IconStethoscope size={16} aria-hidden />} aria-label={t('health.duty.linkOf', { name: f.name })}>
                    {t('health.duty.link')}
                  </Button>
                  <Button component={Link} to={`/antrean/${f.id}`} size="sm" variant="subtle" leftSection={<IconDeviceTv size={16} aria-hidden />} aria-label={t('health.queueScreenOf', { name: f.name })}>
                    {t('health.queueScreen')}
                  </Button>
                </Group>
              </Stack>
            </Paper>
          ))}
        </Stack>
      )}
    </Container>
  );
}
