import { Alert, Anchor, Badge, Button, Center, Container, Group, Modal, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconArrowRight, IconBellRinging, IconBroadcast, IconTicket } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactElement, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useParams } from 'react-router';
import { api, isApiError } from '../../app/api';
import { useMe } from '../../app/auth';
import { useTenant } from '../../app/tenant';
import { formatDay, zoneLabel } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { ACTIVE, clockTime, STATUS_COLORS, useQueueStream, useThrottled, type Visit } from './api';
import { QrCode } from './QrCode';

/** Redirects residents who are not signed in to the sign-in page, then back. */
function useResident(): 'loading' | 'ok' | ReactElement {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return 'loading';
  if (!me.data) return <Navigate to={`/masuk?next=${encodeURIComponent(location.pathname)}`} replace />;
  return 'ok';
}

/** `/akun/kunjungan`: the resident's registrations, newest day first. */
export function MyVisitsPage() {
  const gate = useResident();
  if (gate === 'loading') return <LoadingState />;
  if (gate !== 'ok') return gate;
  return <MyVisits />;
}

function MyVisits() {
  const { t, i18n } = useTranslation();
  const list = useQuery({ queryKey: ['health', 'visits'], queryFn: () => api.get<{ items: Visit[] }>('/api/v1/health/visits'), refetchOnWindowFocus: true });
  const register = (
    <Button component={Link} to="/sehat" leftSection={<IconTicket size={16} aria-hidden />}>
      {t('health.register')}
    </Button>
  );
  return (
    <Container size="sm" py="lg" px="md">
      <PageHeader title={t('health.myVisits')} description={t('health.myVisitsLead')} actions={list.data?.items.length ? register : undefined} />
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={t('health.noVisitsTitle')} description={t('health.noVisits')}>
          {register}
        </EmptyState>
      ) : (
        <Stack gap="sm">
          {list.data.items.map((v) => (
            <Paper key={v.id} withBorder p="sm" radius="md" component={Link} to={`/akun/kunjungan/${v.id}`} style={{ color: 'inherit', textDecoration: 'none' }} data-testid="my-visit">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Text fw={700} ff="monospace" size="lg">
                    {v.queueCode}
                  </Text>
                  <Text size="sm" truncate>
                    {v.service.name} · {v.facility.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {v.patient.name} · {formatDay(v.date, i18n.language, { weekday: 'long', day: 'numeric', month: 'long' })}
                  </Text>
                </Stack>
                <Badge color={STATUS_COLORS[v.status]} style={{ flexShrink: 0 }}>
                  {t(`health.status.${v.status}`)}
                </Badge>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Container>
  );
}

/**
 * `/akun/kunjungan/:id`: the resident's queue ticket — number, estimate, what is ahead and the
 * number being served, updated live as the facility's queue moves — with the QR code for
 * check-in at the counter, and cancelling.
 */
export function VisitPage() {
  const gate = useResident();
  if (gate === 'loading') return <LoadingState />;
  if (gate !== 'ok') return gate;
  return <VisitTicket />;
}

function VisitTicket() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const tenant = useTenant();
  const tz = tenant.data?.timeZone ?? 'Asia/Makassar';
  const visit = useQuery({ queryKey: ['health', 'visit', id], queryFn: () => api.get<Visit>(`/api/v1/health/visits/${id}`) });
  const reload = useThrottled(() => void visit.refetch(), 1000);
  const v = visit.data;
  // Only moves of this visit's service and day change its estimate (the server's day, not the
  // phone's clock, decides which day it is).
  const live = v && ACTIVE.includes(v.status);
  useQueueStream(
    live ? v.facility.id : undefined,
    (e) => {
      if (e.payload.serviceId === v?.service.id && (!e.payload.date || e.payload.date === v?.date)) reload();
    },
    reload,
  );
  const [cancelling, setCancelling] = useState(false);

  if (visit.isPending) return <LoadingState />;
  if (visit.isError) {
    if (isApiError(visit.error) && visit.error.status === 404) {
      return (
        <Container size="sm" py="lg" px="md">
          <EmptyState title={t('health.visitNotFound')}>
            <Button component={Link} to="/akun/kunjungan" variant="light">
              {t('health.myVisits')}
            </Button>
          </EmptyState>
        </Container>
      );
    }
    return <ErrorState error={visit.error} onRetry={() => void visit.refetch()} />;
  }
  const data = visit.data;
  const waiting = data.status === 'booked' || data.status === 'checked_in';
  return (
    <Container size="sm" py="lg" px="md">
      <PageHeader title={t('health.ticketTitle')} description={`${data.facility.name} · ${formatDay(data.date, i18n.language)}`} />
      <Stack gap="md">
        {data.status === 'called' ? (
          <Alert color="orange" icon={<IconBellRinging aria-hidden />} title={t('health.calledTitle')} role="alert">
            {t('health.called', { service: data.service.name })}
          </Alert>
        ) : null}
        {data.transferredTo ? (
          <Alert color="teal" icon={<IconArrowRight aria-hidden />} title={t('health.transferredTitle')} data-testid="visit-transferred">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('health.transferredTo', { service: data.transferredTo.serviceName, code: data.transferredTo.queueCode })}</Text>
              <Button component={Link} to={`/akun/kunjungan/${data.transferredTo.id}`} size="xs" variant="light" color="teal">
                {t('health.transferredOpen', { code: data.transferredTo.queueCode })}
              </Button>
            </Stack>
          </Alert>
        ) : null}
        <Paper withBorder radius="md" p="lg" data-testid="visit-ticket">
          <Stack gap="xs" align="center">
            <Text size="sm" c="dimmed">
              {t('health.queueNumber')}
            </Text>
            <Text fw={800} ff="monospace" style={{ fontSize: 'clamp(3rem, 18vw, 5rem)', lineHeight: 1 }} data-testid="queue-code">
              {data.queueCode}
            </Text>
            <Text fw={600}>{data.service.name}</Text>
            <Text size="sm">{data.patient.name}</Text>
            <Badge color={STATUS_COLORS[data.status]} size="lg" data-testid="visit-status">
              {t(`health.status.${data.status}`)}
            </Badge>
          </Stack>
        </Paper>
        {waiting ? (
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <Stat label={t('health.estimate')} value={`${clockTime(data.estimatedAt, tz)} ${zoneLabel(tz)}`} testId="visit-estimate" />
            <Stat label={t('health.ahead')} value={String(data.ahead)} testId="visit-ahead" />
            <Stat label={t('health.nowServing')} value={data.nowServing ?? '–'} testId="visit-now-serving" />
          </SimpleGrid>
        ) : null}
        {waiting ? (
          <Text size="xs" c="dimmed" data-testid="visit-basis">
            {t(`health.basis.${data.estimateBasis}`, { minutes: data.serviceMinutes.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'id-ID') })}
          </Text>
        ) : null}
        {live ? (
          <Group gap={6} c="teal.8">
            <IconBroadcast size={16} aria-hidden />
            <Text size="xs">{t('health.liveNote')}</Text>
          </Group>
        ) : null}
        {data.status === 'booked' ? (
          <Paper withBorder radius="md" p="md">
            <Stack align="center" gap="xs">
              <Center>
                <QrCode value={data.id} label={t('health.qrLabel', { code: data.queueCode })} />
              </Center>
              <Text size="sm" ta="center">
                {t('health.qrHint')}
              </Text>
            </Stack>
          </Paper>
        ) : null}
        {waiting ? (
          <Group>
            <Button variant="subtle" color="red" onClick={() => setCancelling(true)}>
              {t('health.cancel')}
            </Button>
          </Group>
        ) : null}
        <Anchor component={Link} to="/akun/kunjungan" size="sm">
          {t('health.myVisits')}
        </Anchor>
      </Stack>
      <CancelDialog visit={data} opened={cancelling} onClose={() => setCancelling(false)} />
    </Container>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

function CancelDialog({ visit, opened, onClose }: { visit: Visit; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () => api.post<void>(`/api/v1/health/visits/${visit.id}/cancel`, reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['health'] });
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={<Title order={2} size="h4">{t('health.cancelTitle', { code: visit.queueCode })}</Title>}>
      <Stack gap="sm">
        <Text size="sm">{t('health.cancelLead')}</Text>
        <Textarea label={t('health.cancelReason')} maxLength={300} autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        {cancel.error ? <Alert color="red">{cancel.error.message}</Alert> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('action.close')}
          </Button>
          <Button color="red" loading={cancel.isPending} onClick={() => cancel.mutate()}>
            {t('health.cancelConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
