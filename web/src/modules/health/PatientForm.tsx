import { Alert, Button, Group, Radio, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { type Errors, fieldMessage, normalizePhone, rules, useForm } from '../../ui/form';
import { type PatientSummary, RELATIONS, type Relation, type Sex } from './api';

interface Values extends Record<string, unknown> {
  nik: string;
  name: string;
  birthDate: string;
  sex: Sex | '';
  relation: Relation | '';
  phone: string;
  bpjsNumber: string;
  address: string;
}

/**
 * A new patient: a resident registers themselves or a family member (`withRelation`), counter
 * staff a walk-in. The server checks the NIK against the birth date and sex; its answers land on
 * the same fields.
 */
export function PatientForm({ withRelation, initialNik = '', onCreated, onCancel }: { withRelation: boolean; initialNik?: string; onCreated: (p: PatientSummary) => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const form = useForm<Values>({ nik: initialNik, name: '', birthDate: '', sex: '', relation: '', phone: '', bpjsNumber: '', address: '' }, (v) => {
    const e: Errors<Values> = {};
    const nik = v.nik.replace(/\s/g, '');
    if (!nik) e.nik = fieldMessage('field.required');
    else if (!/^[0-9]{16}$/.test(nik)) e.nik = fieldMessage('nik.length');
    e.name = rules.length(v.name, 2, 100);
    if (!v.birthDate) e.birthDate = fieldMessage('field.required');
    if (!v.sex) e.sex = fieldMessage('field.required');
    if (withRelation && !v.relation) e.relation = fieldMessage('health.relation_required');
    if (v.phone.trim() && !normalizePhone(v.phone)) e.phone = fieldMessage('field.phone');
    if (v.bpjsNumber.trim() && !/^[0-9]{13}$/.test(v.bpjsNumber.trim())) e.bpjsNumber = fieldMessage('health.bpjs_number');
    return e;
  });
  const submit = form.onSubmit(async (v) => {
    const created = await api.post<PatientSummary>('/api/v1/health/patients', {
      nik: v.nik.replace(/\s/g, ''),
      name: v.name.trim(),
      birthDate: v.birthDate,
      sex: v.sex,
      ...(withRelation ? { relation: v.relation } : {}),
      ...(v.phone.trim() ? { phone: v.phone.trim() } : {}),
      ...(v.bpjsNumber.trim() ? { bpjsNumber: v.bpjsNumber.trim() } : {}),
      ...(v.address.trim() ? { address: v.address.trim() } : {}),
    });
    onCreated(created);
  });
  return (
    <form ref={form.ref} onSubmit={submit} noValidate data-testid="patient-form">
      <Stack gap="sm">
        {form.formError ? (
          <Alert color="red" data-form-error tabIndex={-1}>
            {form.formError}
          </Alert>
        ) : null}
        <TextInput label={t('health.patient.nik')} description={t('health.patient.nikHint')} inputMode="numeric" autoComplete="off" maxLength={20} required {...form.field('nik')} />
        <TextInput label={t('health.patient.name')} autoComplete="name" required {...form.field('name')} />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput label={t('health.patient.birthDate')} type="date" required {...form.field('birthDate')} />
          <Radio.Group label={t('health.patient.sex')} required value={form.values.sex} onChange={(v) => form.set('sex', v as Sex)} error={form.errors.sex} name="sex">
            <Group gap="md" mt={8}>
              <Radio value="female" label={t('health.sex.female')} />
              <Radio value="male" label={t('health.sex.male')} />
            </Group>
          </Radio.Group>
        </SimpleGrid>
        {withRelation ? (
          <Select
            label={t('health.patient.relation')}
            required
            data={RELATIONS.map((r) => ({ value: r, label: t(`health.relation.${r}`) }))}
            value={form.values.relation || null}
            onChange={(v) => form.set('relation', (v ?? '') as Relation | '')}
            error={form.errors.relation}
            name="relation"
            allowDeselect={false}
          />
        ) : null}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput label={t('health.patient.phone')} type="tel" inputMode="tel" autoComplete="tel" {...form.field('phone')} />
          <TextInput label={t('health.patient.bpjs')} description={t('health.patient.bpjsHint')} inputMode="numeric" maxLength={13} {...form.field('bpjsNumber')} />
        </SimpleGrid>
        <Textarea label={t('health.patient.address')} autosize minRows={2} maxLength={300} {...form.field('address')} />
        <Group justify="flex-end" gap="xs">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('action.cancel')}
            </Button>
          ) : null}
          <Button type="submit" loading={form.submitting}>
            {t('health.patient.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
