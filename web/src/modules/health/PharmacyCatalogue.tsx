import { Badge, Button, Group, Paper, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconSearch } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DRUG_FORMS } from '../../../../common/health/pharmacy';
import { api, problemFields } from '../../app/api';
import { EmptyState, QueryState } from '../../ui/PageState';
import type { Drug } from './api';
import { FormDialog, type FormErrors, NO_ERRORS } from './ManagedFacility';

type CatalogueDrug = Drug & { active: boolean };
type Form = Drug['form'];

const CATALOGUE_KEY = ['health', 'drug-catalogue'];

/**
 * The government's drug catalogue, one list for every pharmacy: what can be prescribed and
 * stocked. Those who keep it (stock rights tenant-wide) add drugs, correct them and withdraw them
 * from prescribing; everyone else reads it.
 */
export function CataloguePanel() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [search] = useDebouncedValue(q.trim(), 300);
  const [editing, setEditing] = useState<CatalogueDrug | 'new' | null>(null);
  const list = useQuery({
    queryKey: [...CATALOGUE_KEY, search],
    queryFn: () => api.get<{ canManage: boolean; items: CatalogueDrug[] }>('/api/v1/health/drug-catalogue', search ? { q: search } : {}),
    placeholderData: (prev) => prev,
  });
  const canManage = list.data?.canManage ?? false;
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <TextInput label={t('health.catalogue.search')} placeholder={t('health.stock.searchPlaceholder')} leftSection={<IconSearch size={16} aria-hidden />} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={260} />
        {canManage ? (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')} data-testid="drug-add">
            {t('health.catalogue.add')}
          </Button>
        ) : (
          <Text size="sm" c="dimmed" maw={420}>
            {t('health.catalogue.readOnly')}
          </Text>
        )}
      </Group>
      <Paper withBorder radius="md" p={0}>
        <QueryState
          query={list}
          isEmpty={(d) => d.items.length === 0}
          empty={<EmptyState title={t('health.catalogue.empty')} description={search ? t('health.stock.emptySearch', { q: search }) : undefined} />}
        >
          {(data) => (
            <Table.ScrollContainer minWidth={620}>
              <Table verticalSpacing="xs" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('health.catalogue.code')}</Table.Th>
                    <Table.Th>{t('health.rx.drug')}</Table.Th>
                    <Table.Th>{t('health.catalogue.form')}</Table.Th>
                    <Table.Th>{t('health.catalogue.unit')}</Table.Th>
                    <Table.Th>{t('health.stock.state')}</Table.Th>
                    {canManage ? <Table.Th /> : null}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((d) => (
                    <Table.Tr key={d.id} data-testid="drug-row" data-code={d.code}>
                      <Table.Td ff="monospace" fz="sm">
                        {d.code}
                      </Table.Td>
                      <Table.Td fw={600}>{d.name}</Table.Td>
                      <Table.Td>{t(`health.catalogue.forms.${d.form}`)}</Table.Td>
                      <Table.Td>{d.unit}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={d.active ? 'teal' : 'gray'}>
                          {d.active ? t('health.catalogue.active') : t('health.catalogue.withdrawn')}
                        </Badge>
                      </Table.Td>
                      {canManage ? (
                        <Table.Td ta="right">
                          <Button size="xs" variant="subtle" leftSection={<IconPencil size={14} aria-hidden />} onClick={() => setEditing(d)} aria-label={t('health.catalogue.editOf', { name: d.name })}>
                            {t('action.edit')}
                          </Button>
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
      </Paper>
      {canManage ? <DrugDialog drug={editing} onClose={() => setEditing(null)} /> : null}
    </Stack>
  );
}

/** A new drug (its code is chosen once) or a drug's corrections and withdrawal. */
function DrugDialog({ drug, onClose }: { drug: CatalogueDrug | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const existing = drug !== 'new' && drug !== null ? drug : null;
  const [form, setForm] = useState({ code: '', name: '', form: 'tablet' as Form, unit: '', active: true });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [opened, setOpened] = useState<CatalogueDrug | 'new' | null>(null);
  if (drug !== opened) {
    setOpened(drug);
    setErrors(NO_ERRORS);
    setForm(existing ? { code: existing.code, name: existing.name, form: existing.form, unit: existing.unit, active: existing.active } : { code: '', name: '', form: 'tablet', unit: '', active: true });
  }
  const save = useMutation({
    mutationFn: () =>
      existing
        ? api.patch<CatalogueDrug>(`/api/v1/health/drugs/${existing.id}`, { name: form.name, form: form.form, unit: form.unit, active: form.active })
        : api.post<CatalogueDrug>('/api/v1/health/drugs', { code: form.code.trim(), name: form.name, form: form.form, unit: form.unit }),
    onSuccess: (d) => {
      void qc.invalidateQueries({ queryKey: CATALOGUE_KEY });
      void qc.invalidateQueries({ queryKey: ['health', 'drugs'] });
      notifications.show({ color: 'teal', message: t(existing ? 'health.catalogue.saved' : 'health.catalogue.added', { name: d.name }) });
      onClose();
    },
    onError: (e) => setErrors(problemFields(e, t('errors.unexpected'))),
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <FormDialog
      opened={drug !== null}
      onClose={onClose}
      title={existing ? existing.name : t('health.catalogue.add')}
      errors={errors}
      submit={() => save.mutate()}
      pending={save.isPending}
      submitLabel={existing ? t('action.saveChanges') : t('health.catalogue.add')}
      testId="drug"
    >
      {existing ? (
        <Text size="sm" c="dimmed">
          {t('health.catalogue.codeFixed', { code: existing.code })}
        </Text>
      ) : (
        <TextInput label={t('health.catalogue.code')} description={t('health.catalogue.codeHint')} value={form.code} onChange={(e) => set({ code: e.currentTarget.value.toUpperCase() })} error={errors.fields.code} data-testid="drug-code" />
      )}
      <TextInput label={t('health.catalogue.name')} placeholder={t('health.catalogue.namePlaceholder')} value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} error={errors.fields.name} data-testid="drug-name" />
      <Group grow align="flex-start">
        <Select
          label={t('health.catalogue.form')}
          data={DRUG_FORMS.map((f) => ({ value: f, label: t(`health.catalogue.forms.${f}`) }))}
          value={form.form}
          onChange={(v) => v && set({ form: v as Form })}
          allowDeselect={false}
          error={errors.fields.form}
          comboboxProps={{ withinPortal: false }}
          data-testid="drug-form"
        />
        <TextInput label={t('health.catalogue.unit')} description={t('health.catalogue.unitHint')} value={form.unit} onChange={(e) => set({ unit: e.currentTarget.value })} error={errors.fields.unit} data-testid="drug-unit" />
      </Group>
      {existing ? <Switch checked={form.active} onChange={(e) => set({ active: e.currentTarget.checked })} label={t('health.catalogue.activeLabel')} description={t('health.catalogue.activeHint')} /> : null}
    </FormDialog>
  );
}
