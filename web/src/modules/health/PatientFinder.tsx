import { Alert, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError, problemText } from '../../app/api';
import type { PatientSummary } from './api';
import { PatientForm } from './PatientForm';

/**
 * Staff find a patient by the NIK on their KTP, or register them on the spot when the NIK is new,
 * then act on them (`actionLabel`). Test ids start with `testId` (`-nik`, `-register`, `-new`).
 */
export function PatientFinder({ testId, actionLabel, busy, error, onPick }: { testId: string; actionLabel: string; busy: boolean; error: string | null; onPick: (p: PatientSummary) => void }) {
  const { t } = useTranslation();
  const [nik, setNik] = useState('');
  const [found, setFound] = useState<PatientSummary | null>(null);
  const [missing, setMissing] = useState(false);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const lookup = useMutation({
    mutationFn: () => api.post<PatientSummary>('/api/v1/health/patients/lookup', { nik: nik.replace(/\s/g, '') }),
    onSuccess: (p) => {
      setFound(p);
      setMissing(false);
      setLookupError(null);
    },
    onError: (e) => {
      setFound(null);
      if (isApiError(e) && e.status === 404) {
        setMissing(true);
        setLookupError(null);
      } else setLookupError(problemText(e, t('errors.unexpected')));
    },
  });
  return (
    <Stack gap="sm">
      {missing ? null : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!/^[0-9]{16}$/.test(nik.replace(/\s/g, ''))) {
              setLookupError(t('health.console.nik16'));
              return;
            }
            lookup.mutate();
          }}
          noValidate
        >
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput
              label={t('health.patient.nik')}
              inputMode="numeric"
              maxLength={20}
              value={nik}
              onChange={(e) => {
                setNik(e.currentTarget.value);
                setFound(null);
                setMissing(false);
              }}
              error={lookupError ?? undefined}
              style={{ flex: 1 }}
              data-testid={`${testId}-nik`}
              data-autofocus
            />
            <Button type="submit" loading={lookup.isPending}>
              {t('health.console.find')}
            </Button>
          </Group>
        </form>
      )}
      {found ? (
        <Paper withBorder p="sm" radius="md">
          <Group justify="space-between" wrap="wrap">
            <Stack gap={0}>
              <Text fw={600}>{found.name}</Text>
              <Text size="xs" c="dimmed">
                NIK {found.nikMasked} · {found.birthDate}
                {found.hasBpjs ? ' · BPJS' : ''}
              </Text>
            </Stack>
            <Button loading={busy} onClick={() => onPick(found)} data-testid={`${testId}-register`}>
              {actionLabel}
            </Button>
          </Group>
          {error ? (
            <Alert color="red" mt="sm">
              {error}
            </Alert>
          ) : null}
        </Paper>
      ) : null}
      {missing ? (
        <>
          <Alert color="blue" data-testid={`${testId}-new`}>
            {t('health.console.newPatient')}
          </Alert>
          <PatientForm key={nik} withRelation={false} initialNik={nik.replace(/\s/g, '')} onCreated={onPick} onCancel={() => setMissing(false)} />
          {error ? <Alert color="red">{error}</Alert> : null}
        </>
      ) : null}
    </Stack>
  );
}
