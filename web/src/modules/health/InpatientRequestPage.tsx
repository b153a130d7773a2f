import { Alert, Badge, Button, Container, Group, Paper, Radio, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, problemFields, problemText } from '../../app/api';
import { useMe } from '../../app/auth';
import { useTenant } from '../../app/tenant';
import { formatDay, todayIn } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { ErrorState, LoadingState } from '../../ui/PageState';
import { BED_CLASS_LABELS, type BedClass } from '../../../../common/health/bedClasses';
import type { HospitalBedsType, InpatientRequest } from '../../../../common/health/beds';
import type { PatientSummary } from './api';
import { PatientForm } from './PatientForm';
import { SignInFirst } from './SignInFirst';

const STATUS_COLORS = { pending: 'orange', admitted: 'green', cancelled: 'gray' } as const;

/**
 * `/sehat/rawat-inap`: a resident pre-registers an inpatient stay for themselves or a family member
 * (hospital, bed class, planned day within two weeks, the referral letter), and follows or
 * withdraws their pre-registrations; the hospital's admission desk admits from them.
 */
export function InpatientRequestPage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Container size="sm" py="lg" px="md">
      <PageHeader title={t('health.preregister.title')} description={t('health.preregister.lead')} />
      {me.isPending ? (
        <LoadingState />
      ) : !me.data ? (
        <SignInFirst />
      ) : me.data.user.kind !== 'citizen' ? (
        <Alert color="blue">{t('health.preregister.staff')}</Alert>
      ) : (
        <Stack gap="lg">
          <RequestForm />
          <MyRequests />
        </Stack>
      )}
    </Container>
  );
}

function RequestForm() {
  const { t, i18n } = useTranslation();
  const tenant = useTenant();
  const qc = useQueryClient();
  const hospitals = useQuery({ queryKey: ['health', 'beds', 'all'], queryFn: () => api.get<{ items: HospitalBedsType[] }>('/api/v1/health/beds') });
  const patients = useQuery({ queryKey: ['health', 'patients'], queryFn: () => api.get<{ items: PatientSummary[] }>('/api/v1/health/patients') });
  const [facilityId, setFacilityId] = useState<string | null>(null);
  const [bedClass, setBedClass] = useState<BedClass | null>(null);
  const [plannedOn, setPlannedOn] = useState(todayIn(tenant.data?.timeZone ?? 'Asia/Makassar'));
  const [patientId, setPatientId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [referralFrom, setReferralFrom] = useState('');
  const [referralNumber, setReferralNumber] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ fields: Record<string, string>; general: string | null }>({ fields: {}, general: null });
  const [done, setDone] = useState<InpatientRequest | null>(null);
  const send = useMutation({
    mutationFn: () =>
      api.post<InpatientRequest>('/api/v1/health/inpatient-requests', {
        facilityId,
        patientId,
        bedClass,
        plannedOn,
        ...(referralFrom.trim() ? { referralFrom } : {}),
        ...(referralNumber.trim() ? { referralNumber } : {}),
        ...(note.trim() ? { note } : {}),
      }),
    onSuccess: (r) => {
      setDone(r);
      void qc.invalidateQueries({ queryKey: ['health', 'inpatient-requests'] });
    },
    onError: (e) => setErrors(problemFields(e, t('errors.unexpected'))),
  });
  if (hospitals.isPending || patients.isPending) return <LoadingState />;
  if (hospitals.isError) return <ErrorState error={hospitals.error} onRetry={() => void hospitals.refetch()} />;
  if (patients.isError) return <ErrorState error={patients.error} onRetry={() => void patients.refetch()} />;
  const hospital = hospitals.data.items.find((h) => h.facility.id === facilityId);
  if (done) {
    return (
      <Alert color="teal" title={t('health.preregister.sentTitle')} data-testid="preregister-sent">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">
            {t('health.preregister.sent', { name: done.patient.name, hospital: done.facility.name, bedClass: BED_CLASS_LABELS[done.bedClass], date: formatDay(done.plannedOn, i18n.language) })}
          </Text>
          <Button size="xs" variant="light" onClick={() => setDone(null)}>
            {t('health.preregister.another')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  /** A field's error goes as soon as the field changes. */
  const clear = (field: string) => setErrors((e) => (e.fields[field] ? { ...e, fields: { ...e.fields, [field]: '' } } : e));
  const missing = (field: string, value: unknown) => (value ? {} : { [field]: t('health.preregister.required') });
  const submit = () => {
    const local = { ...missing('facilityId', facilityId), ...missing('bedClass', bedClass), ...missing('patientId', patientId) };
    if (Object.keys(local).length) return setErrors({ fields: local, general: null });
    setErrors({ fields: {}, general: null });
    send.mutate();
  };
  // Not a <form>: the family member's own form sits inside it (forms cannot nest).
  return (
    <div>
      <Stack gap="sm">
        {errors.general ? <Alert color="red">{errors.general}</Alert> : null}
        <Select
          label={t('health.preregister.hospital')}
          data={hospitals.data.items.map((h) => ({ value: h.facility.id, label: h.facility.name }))}
          value={facilityId}
          onChange={(v) => {
            setFacilityId(v);
            setBedClass(null);
            clear('facilityId');
          }}
          error={errors.fields.facilityId}
          data-testid="preregister-hospital"
        />
        <Select
          label={t('health.preregister.bedClass')}
          data={(hospital?.classes ?? []).map((c) => ({ value: c.bedClass, label: t('health.preregister.classOption', { bedClass: BED_CLASS_LABELS[c.bedClass], free: c.free }) }))}
          value={bedClass}
          onChange={(v) => {
            setBedClass(v as BedClass | null);
            clear('bedClass');
          }}
          disabled={!hospital}
          error={errors.fields.bedClass}
          data-testid="preregister-class"
        />
        <TextInput type="date" label={t('health.preregister.plannedOn')} value={plannedOn} onChange={(e) => setPlannedOn(e.currentTarget.value)} error={errors.fields.plannedOn} data-testid="preregister-date" />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="preregister-patient">
            {t('health.preregister.patientLabel')}
          </Text>
          {patients.data.items.length > 0 ? (
            <Radio.Group
              value={patientId}
              onChange={(v) => {
                setPatientId(v);
                clear('patientId');
              }} name="patient" aria-labelledby="preregister-patient" error={errors.fields.patientId}>
              <Stack gap={6}>
                {patients.data.items.map((p) => (
                  <Radio key={p.id} value={p.id} label={`${p.name} · ${t(`health.relation.${p.relation ?? 'other'}`)}`} />
                ))}
              </Stack>
            </Radio.Group>
          ) : (
            <>
              <Text size="sm" c="dimmed">
                {t('health.noPatients')}
              </Text>
              {errors.fields.patientId ? (
                <Text size="sm" c="red.8">
                  {errors.fields.patientId}
                </Text>
              ) : null}
            </>
          )}
          {adding ? (
            <Paper withBorder p="md" radius="md">
              <PatientForm
                withRelation
                onCancel={() => setAdding(false)}
                onCreated={(p) => {
                  setAdding(false);
                  setPatientId(p.id);
                  clear('patientId');
                  void qc.invalidateQueries({ queryKey: ['health', 'patients'] });
                }}
              />
            </Paper>
          ) : (
            <Group>
              <Button size="xs" variant="subtle" onClick={() => setAdding(true)}>
                {t('health.addFamily')}
              </Button>
            </Group>
          )}
        </Stack>
        <Group grow align="flex-start">
          <TextInput label={t('health.preregister.referralFrom')} placeholder="Puskesmas Batua" value={referralFrom} onChange={(e) => setReferralFrom(e.currentTarget.value)} error={errors.fields.referralFrom} />
          <TextInput label={t('health.preregister.referralNumber')} value={referralNumber} onChange={(e) => setReferralNumber(e.currentTarget.value)} error={errors.fields.referralNumber} />
        </Group>
        <Textarea label={t('health.preregister.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} autosize minRows={2} error={errors.fields.note} />
        <Group justify="flex-end">
          <Button onClick={submit} loading={send.isPending} data-testid="preregister-submit">
            {t('health.preregister.submit')}
          </Button>
        </Group>
      </Stack>
    </div>
  );
}

function MyRequests() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['health', 'inpatient-requests'], queryFn: () => api.get<{ items: InpatientRequest[] }>('/api/v1/health/inpatient-requests') });
  const cancel = useMutation({
    mutationFn: (id: string) => api.post<InpatientRequest>(`/api/v1/health/inpatient-requests/${id}/cancel`, {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['health', 'inpatient-requests'] }),
  });
  return (
    <Stack gap="xs" component="section" aria-labelledby="my-requests">
      <Title order={2} size="h4" id="my-requests">
        {t('health.preregister.mine')}
      </Title>
      {cancel.isError ? <Alert color="red">{problemText(cancel.error, t('errors.unexpected'))}</Alert> : null}
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('health.preregister.none')}
        </Text>
      ) : (
        list.data.items.map((r) => (
          <Paper key={r.id} withBorder p="sm" radius="md" data-testid="my-request">
            <Group justify="space-between" wrap="wrap">
              <Stack gap={0}>
                <Text fw={600}>
                  {r.patient.name} · {BED_CLASS_LABELS[r.bedClass]}
                </Text>
                <Text size="xs" c="dimmed">
                  {r.facility.name} · {formatDay(r.plannedOn, i18n.language)}
                </Text>
              </Stack>
              <Group gap="xs">
                <Badge color={STATUS_COLORS[r.status]} variant="light">
                  {t(`health.preregister.status.${r.status}`)}
                </Badge>
                {r.status === 'pending' ? (
                  <Button size="compact-xs" variant="subtle" color="red" loading={cancel.isPending && cancel.variables === r.id} onClick={() => cancel.mutate(r.id)}>
                    {t('health.preregister.cancel')}
                  </Button>
                ) : null}
              </Group>
            </Group>
          </Paper>
        ))
      )}
    </Stack>
  );
}
