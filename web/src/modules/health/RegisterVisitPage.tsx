import { Alert, Anchor, Badge, Button, Chip, Container, Group, Paper, Radio, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, problemText } from '../../app/api';
import { useMe } from '../../app/auth';
import { formatDay } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { addDays, type Facility, type PatientSummary, type ServiceDay, type Visit } from './api';
import { PatientForm } from './PatientForm';
import { SignInFirst } from './SignInFirst';

/** How many days ahead a visit can be booked (the server's rule, common/health/rules.ts). */
const DAYS_AHEAD = 7;

/**
 * `/sehat/:facilityId`: a resident books a visit — date (today up to 7 days ahead), service with
 * room left online, patient (themselves or a family member, added here) — and gets a queue number.
 */
export function RegisterVisitPage() {
  const { facilityId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const [date, setDate] = useState<string | undefined>(undefined);
  const day = useQuery({
    queryKey: ['health', 'services', facilityId, date ?? 'today'],
    queryFn: () => api.get<{ facility: Facility; date: string; items: ServiceDay[] }>(`/api/v1/health/facilities/${facilityId}/services`, { date }),
    placeholderData: (prev) => prev,
  });
  // The server's "today" (the government's local date) anchors the choice of days.
  const [today, setToday] = useState<string | null>(null);
  if (!today && day.data && !date) setToday(day.data.date);
  const [serviceId, setServiceId] = useState<string | null>(null);

  if (day.isPending) return <LoadingState />;
  if (day.isError) return <ErrorState error={day.error} onRetry={() => void day.refetch()} />;
  const { facility, items } = day.data;
  const shown = date ?? day.data.date;
  const service = items.find((s) => s.id === serviceId) ?? null;
  const days = today ? Array.from({ length: DAYS_AHEAD + 1 }, (_, i) => addDays(today, i)) : [shown];

  return (
    <Container size="sm" py="lg" px="md">
      <PageHeader title={t('health.registerTitle')} description={facility.name} />
      {!facility.onlineRegistration ? (
        <Alert color="yellow">{t('health.onlineClosed')}</Alert>
      ) : (
        <Stack gap="lg">
          <section aria-labelledby="visit-date">
            <Title order={2} size="h4" id="visit-date" mb="xs">
              {t('health.step.date')}
            </Title>
            <ScrollArea type="auto" offsetScrollbars>
              <Chip.Group
                value={shown}
                onChange={(v) => {
                  setDate(v as string);
                  setServiceId(null);
                }}
              >
                <Group gap="xs" wrap="nowrap" pb={4}>
                  {days.map((d, i) => (
                    <Chip key={d} value={d} data-testid="visit-day">
                      {i === 0 && d === today ? t('health.today') : formatDay(d, i18n.language, { weekday: 'short', day: 'numeric', month: 'short' })}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            </ScrollArea>
            <Text size="sm" c="dimmed" mt={4}>
              {formatDay(shown, i18n.language)}
            </Text>
          </section>

          <section aria-labelledby="visit-service">
            <Title order={2} size="h4" id="visit-service" mb="xs">
              {t('health.step.service')}
            </Title>
            {items.length === 0 ? (
              <EmptyState title={t('health.noServices')} />
            ) : (
              <Radio.Group value={serviceId} onChange={setServiceId} name="service" aria-labelledby="visit-service">
                <Stack gap="xs">
                  {items.map((s) => {
                    const room = s.sessions.reduce((n, x) => n + x.onlineRoom, 0);
                    const hours = s.sessions.map((x) => `${x.opensAt}–${x.closesAt}`).join(', ');
                    const disabled = s.closed !== null || room === 0;
                    return (
                      <Paper key={s.id} withBorder p="sm" radius="md" data-testid="visit-service" bg={disabled ? 'gray.0' : undefined}>
                        <Radio
                          value={s.id}
                          disabled={disabled}
                          label={
                            <Group gap="xs" wrap="nowrap">
                              <Badge variant="outline" size="lg" radius="sm" style={{ flexShrink: 0 }}>
                                {s.queuePrefix}
                              </Badge>
                              <Text fw={600}>{s.name}</Text>
                            </Group>
                          }
                          description={
                            s.closed === 'holiday'
                              ? t('health.closedHoliday')
                              : s.closed
                                ? t('health.closedDay')
                                : room === 0
                                  ? t('health.full', { hours })
                                  : t('health.room', { hours, count: room })
                          }
                        />
                      </Paper>
                    );
                  })}
                </Stack>
              </Radio.Group>
            )}
          </section>

          <section aria-labelledby="visit-patient">
            <Title order={2} size="h4" id="visit-patient" mb="xs">
              {t('health.step.patient')}
            </Title>
            <PatientStep service={service} date={shown} />
          </section>
        </Stack>
      )}
    </Container>
  );
}

function PatientStep({ service, date }: { service: ServiceDay | null; date: string }) {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <LoadingState />;
  if (!me.data) {
    return (
      <SignInFirst />
    );
  }
  if (me.data.user.kind !== 'citizen') return <Alert color="blue">{t('health.staffUseConsole')}</Alert>;
  return <ChoosePatient service={service} date={date} />;
}

function ChoosePatient({ service, date }: { service: ServiceDay | null; date: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const patients = useQuery({ queryKey: ['health', 'patients'], queryFn: () => api.get<{ items: PatientSummary[] }>('/api/v1/health/patients') });
  const [patientId, setPatientId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const book = useMutation({
    mutationFn: () => api.post<Visit>('/api/v1/health/visits', { serviceId: service!.id, patientId: patientId!, date }),
    onSuccess: (v) => {
      void qc.invalidateQueries({ queryKey: ['health'] });
      navigate(`/akun/kunjungan/${v.id}`, { state: { fresh: true } });
    },
  });
  if (patients.isPending) return <LoadingState />;
  if (patients.isError) return <ErrorState error={patients.error} onRetry={() => void patients.refetch()} />;
  const list = patients.data.items;
  const hasSelf = list.some((p) => p.relation === 'self');
  const error = book.error;
  return (
    <Stack gap="sm">
      {list.length === 0 && !adding ? <Text size="sm">{t('health.noPatients')}</Text> : null}
      {list.length > 0 ? (
        <Radio.Group value={patientId} onChange={setPatientId} name="patient" aria-labelledby="visit-patient">
          <Stack gap="xs">
            {list.map((p) => (
              <Paper key={p.id} withBorder p="sm" radius="md" data-testid="visit-patient">
                <Radio
                  value={p.id}
                  label={<Text fw={600}>{p.name}</Text>}
                  description={`${t(`health.relation.${p.relation ?? 'other'}`)} · NIK ${p.nikMasked}${p.hasBpjs ? ' · BPJS' : ''}`}
                />
              </Paper>
            ))}
          </Stack>
        </Radio.Group>
      ) : null}
      {adding ? (
        <Paper withBorder p="md" radius="md">
          <Title order={3} size="h5" mb="sm">
            {hasSelf ? t('health.addFamily') : t('health.addPatient')}
          </Title>
          <PatientForm
            withRelation
            onCancel={() => setAdding(false)}
            onCreated={(p) => {
              setAdding(false);
              setPatientId(p.id);
              void qc.invalidateQueries({ queryKey: ['health', 'patients'] });
            }}
          />
        </Paper>
      ) : (
        <Group>
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
            {list.length === 0 ? t('health.addPatient') : t('health.addFamily')}
          </Button>
        </Group>
      )}
      {error ? (
        <Alert color="red" role="alert">
          {problemText(error, t('errors.unexpected'))}
        </Alert>
      ) : null}
      <Button size="md" disabled={!service || !patientId || adding} loading={book.isPending} onClick={() => book.mutate()} data-testid="book-visit">
        {t('health.book')}
      </Button>
      {!service ? (
        <Text size="xs" c="dimmed">
          {t('health.chooseServiceFirst')}
        </Text>
      ) : null}
      <Anchor component={Link} to="/akun/kunjungan" size="sm">
        {t('health.myVisits')}
      </Anchor>
    </Stack>
  );
}
