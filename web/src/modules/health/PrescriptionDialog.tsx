import { ActionIcon, Alert, Button, Group, Modal, NumberInput, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError, problemFields } from '../../app/api';
import { LoadingState } from '../../ui/PageState';
import type { Drug, Prescription, QueueVisit } from './api';

interface Line {
  key: number;
  drugId: string | null;
  dose: string;
  quantity: number | string;
}

let keySeq = 0;
const blank = (): Line => ({ key: ++keySeq, drugId: null, dose: '', quantity: '' });

/** The tenant's drug catalogue (small; cached for the session). */
export function useDrugs() {
  return useQuery({ queryKey: ['health', 'drugs'], queryFn: () => api.get<{ items: Drug[] }>('/api/v1/health/drugs'), staleTime: 10 * 60_000 });
}

/**
 * The doctor's or nurse's electronic prescription for the patient being seen: drug, how to take it
 * and how much to hand over, per line. Rewriting replaces the lines while the pharmacy has not
 * dispensed it; a dispensed prescription is shown read-only.
 */
export function PrescriptionDialog({ visit, onClose }: { visit: QueueVisit | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={visit !== null} onClose={onClose} size="xl" title={<Title order={2} size="h4">{t('health.rx.title', { code: visit?.queueCode ?? '', name: visit?.patient.name ?? '' })}</Title>}>
      {visit ? <PrescriptionForm key={visit.id} visit={visit} onClose={onClose} /> : null}
    </Modal>
  );
}

function PrescriptionForm({ visit, onClose }: { visit: QueueVisit; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const drugs = useDrugs();
  const existing = useQuery({
    queryKey: ['health', 'visit-prescription', visit.id],
    queryFn: async () => {
      try {
        return await api.get<Prescription>(`/api/v1/health/visits/${visit.id}/prescription`);
      } catch (e) {
        if (isApiError(e) && e.status === 404) return null;
        throw e;
      }
    },
  });
  const [lines, setLines] = useState<Line[]>([blank()]);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  useEffect(() => {
    if (!existing.data) return;
    setLines(existing.data.items.map((i) => ({ key: ++keySeq, drugId: i.drug.id, dose: i.dose, quantity: i.quantity })));
    setNote(existing.data.note ?? '');
  }, [existing.data]);

  const save = useMutation({
    mutationFn: () =>
      api.put<Prescription>(`/api/v1/health/visits/${visit.id}/prescription`, {
        items: lines.map((l) => ({ drugId: l.drugId, dose: l.dose, quantity: typeof l.quantity === 'number' ? l.quantity : Number(l.quantity) || 0 })),
        ...(note.trim() ? { note } : {}),
      }),
    onSuccess: (p) => {
      qc.setQueryData(['health', 'visit-prescription', visit.id], p);
      notifications.show({ color: 'teal', message: t('health.rx.saved', { code: visit.queueCode, count: p.items.length }) });
      onClose();
    },
    onError: (e) => {
      const { fields, general } = problemFields(e, t('errors.unexpected'));
      setErrors(fields);
      setGeneral(general);
    },
  });

  if (drugs.isPending || existing.isPending) return <LoadingState />;
  if (drugs.isError || existing.isError) return <Alert color="red">{t('errors.unexpected')}</Alert>;
  const dispensed = existing.data && existing.data.status !== 'pending';
  const options = drugs.data.items.map((d) => ({ value: d.id, label: `${d.name} (${d.unit})` }));
  const update = (key: number, patch: Partial<Line>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  if (dispensed) {
    return (
      <Stack gap="sm">
        <Alert color="teal">{t('health.rx.alreadyDispensed')}</Alert>
        {existing.data!.items.map((i) => (
          <Text key={i.line} size="sm">
            {i.line}. {i.drug.name} — {i.dose} — {i.quantity} {i.drug.unit}
          </Text>
        ))}
      </Stack>
    );
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setErrors({});
        setGeneral(null);
        save.mutate();
      }}
      noValidate
    >
      <Stack gap="sm">
        {general ? <Alert color="red">{general}</Alert> : null}
        {lines.map((l, i) => (
          <Group key={l.key} align="flex-start" gap="xs" wrap="wrap" data-testid="rx-line">
            <Select
              label={t('health.rx.drug')}
              placeholder={t('health.rx.drugPlaceholder')}
              data={options}
              value={l.drugId}
              onChange={(v) => update(l.key, { drugId: v })}
              searchable
              nothingFoundMessage={t('health.rx.noDrug')}
              error={errors[`items.${i}.drugId`]}
              comboboxProps={{ withinPortal: false }}
              style={{ flex: '2 1 240px' }}
              data-testid="rx-drug"
            />
            <TextInput
              label={t('health.rx.dose')}
              placeholder={t('health.rx.dosePlaceholder')}
              value={l.dose}
              onChange={(e) => update(l.key, { dose: e.currentTarget.value })}
              error={errors[`items.${i}.dose`]}
              style={{ flex: '2 1 200px' }}
              data-testid="rx-dose"
            />
            <NumberInput
              label={t('health.rx.quantity')}
              value={l.quantity}
              onChange={(v) => update(l.key, { quantity: v })}
              min={1}
              max={1000}
              allowDecimal={false}
              error={errors[`items.${i}.quantity`]}
              style={{ flex: '1 1 90px' }}
              data-testid="rx-quantity"
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={26}
              size="lg"
              aria-label={t('health.rx.removeLine', { n: i + 1 })}
              disabled={lines.length === 1}
              onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}
            >
              <IconTrash size={18} aria-hidden />
            </ActionIcon>
          </Group>
        ))}
        {errors.items ? (
          <Text size="sm" c="red">
            {errors.items}
          </Text>
        ) : null}
        <Group>
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setLines((ls) => [...ls, blank()])} disabled={lines.length >= 20}>
            {t('health.rx.addLine')}
          </Button>
        </Group>
        <Textarea label={t('health.rx.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} autosize minRows={2} error={errors.note} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="rx-submit">
            {existing.data ? t('health.rx.update') : t('health.rx.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
