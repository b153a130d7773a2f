import { ActionIcon, Badge, Button, Checkbox, Drawer, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api';
import { useTenant } from '../../../app/tenant';
import { fieldMessage, rules, useForm } from '../../../ui/form';
import { PageHeader } from '../../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/PageState';
import { FormError } from '../../auth/AuthCard';
import type { AttributeDefinition, ComplaintKind } from '../api';
import { useRegions } from '../api';
import { CATEGORY_ICON_NAMES, CategoryIcon } from '../CategoryIcon';

interface AdminCategory {
  id: string;
  name: string;
  icon: string;
  kind: ComplaintKind;
  defaultUnitId: string;
  defaultUnitName: string;
  public: boolean;
  active: boolean;
  sortOrder: number;
  deadlineHours: { verification?: number; disposition?: number; resolution?: number };
  attributes: AttributeDefinition[];
}

interface RoutingRule {
  id: string;
  categoryId: string;
  regionCode: string;
  regionName: string;
  unitId: string;
  unitName: string;
}

interface Unit {
  id: string;
  name: string;
  code: string | null;
  depth: number;
  active: boolean;
}

interface Settings {
  bounds: { south: number; west: number; north: number; east: number };
  autoCloseDays: number;
}

const KINDS: ComplaintKind[] = ['pengaduan', 'aspirasi', 'informasi'];
const STAGES = ['verification', 'disposition', 'resolution'] as const;
const categoriesKey = ['admin', 'complaints', 'categories'] as const;

function useUnits() {
  return useQuery({ queryKey: ['admin', 'units', 'all'], queryFn: () => api.get<{ items: Unit[] }>('/api/v1/admin/units'), staleTime: 60_000 });
}

function unitOptions(units: Unit[] | undefined) {
  return (units ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: `${'· '.repeat(u.depth)}${u.name}${u.code ? ` (${u.code})` : ''}` }));
}

// ------------------------------------------------------------------------------------- settings

function SettingsCard() {
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ['admin', 'complaints', 'settings'], queryFn: () => api.get<Settings>('/api/v1/admin/complaints/settings') });
  if (settings.isPending) return <LoadingState />;
  if (settings.error || !settings.data) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return <SettingsForm key={JSON.stringify(settings.data)} s={settings.data} onSaved={(s) => qc.setQueryData(['admin', 'complaints', 'settings'], s)} />;
}

function SettingsForm({ s, onSaved }: { s: Settings; onSaved: (s: Settings) => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState(s);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const b = values.bounds;
  const inverted = !(b.south < b.north && b.west < b.east);
  const save = async () => {
    setError(null);
    if (inverted) return setError(fieldMessage('complaints.bounds_inverted'));
    setBusy(true);
    try {
      onSaved(await api.patch<Settings>('/api/v1/admin/complaints/settings', values));
      notifications.show({ color: 'teal', message: t('complaintAdmin.settingsSaved') });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const bound = (k: keyof Settings['bounds']) => (
    <NumberInput
      label={t(`complaintAdmin.bounds.${k}`)}
      value={b[k]}
      decimalScale={5}
      step={0.01}
      onChange={(v) => setValues({ ...values, bounds: { ...b, [k]: typeof v === 'number' ? v : Number(v) } })}
    />
  );
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="complaint-settings-heading">
      <Title order={2} size="h4" id="complaint-settings-heading" mb="xs">
        {t('complaintAdmin.settings')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('complaintAdmin.settingsLead')}
      </Text>
      <Stack gap="sm">
        <NumberInput
          label={t('complaintAdmin.autoCloseDays')}
          description={t('complaintAdmin.autoCloseDaysLead')}
          min={1}
          max={60}
          w={260}
          value={values.autoCloseDays}
          onChange={(v) => setValues({ ...values, autoCloseDays: Number(v) || 1 })}
        />
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          {bound('south')}
          {bound('west')}
          {bound('north')}
          {bound('east')}
        </SimpleGrid>
        {error ? (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button onClick={() => void save()} loading={busy}>
            {t('action.saveChanges')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

// ------------------------------------------------------------------------------- category form

type Values = {
  name: string;
  icon: string;
  kind: ComplaintKind;
  defaultUnitId: string;
  sortOrder: string;
  public: boolean;
  active: boolean;
  verification: string;
  disposition: string;
  resolution: string;
  attributes: AttributeRow[];
};

interface AttributeRow {
  code: string;
  description: string;
  datatype: AttributeDefinition['datatype'];
  required: boolean;
  /** singlevaluelist: one `key = Name` per line. */
  values: string;
}

function toValues(c: AdminCategory | null): Values {
  return {
    name: c?.name ?? '',
    icon: c?.icon ?? 'IconMessageReport',
    kind: c?.kind ?? 'pengaduan',
    defaultUnitId: c?.defaultUnitId ?? '',
    sortOrder: String(c?.sortOrder ?? 100),
    public: c?.public ?? true,
    active: c?.active ?? true,
    verification: c?.deadlineHours.verification ? String(c.deadlineHours.verification) : '8',
    disposition: c?.deadlineHours.disposition ? String(c.deadlineHours.disposition) : '8',
    resolution: c?.deadlineHours.resolution ? String(c.deadlineHours.resolution) : '40',
    attributes: (c?.attributes ?? []).map((a) => ({
      code: a.code,
      description: a.description,
      datatype: a.datatype,
      required: a.required,
      values: (a.values ?? []).map((v) => `${v.key} = ${v.name}`).join('\n'),
    })),
  };
}

function parseValues(text: string): { key: string; name: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [key, ...rest] = l.split('=');
      const name = rest.join('=').trim();
      return { key: key.trim(), name: name || key.trim() };
    });
}

function toBody(v: Values) {
  const hours = (s: string) => (s.trim() ? Number(s) : undefined);
  return {
    name: v.name.trim(),
    icon: v.icon,
    kind: v.kind,
    defaultUnitId: v.defaultUnitId,
    sortOrder: Number(v.sortOrder) || 0,
    public: v.public,
    active: v.active,
    deadlineHours: Object.fromEntries(STAGES.map((s) => [s, hours(v[s])]).filter(([, h]) => h !== undefined)),
    attributes: v.attributes.map((a, i) => ({
      code: a.code.trim(),
      description: a.description.trim(),
      datatype: a.datatype,
      required: a.required,
      order: i + 1,
      ...(a.datatype === 'singlevaluelist' ? { values: parseValues(a.values) } : {}),
    })),
  };
}

function CategoryForm({ category, units, onDone }: { category: AdminCategory | null; units: Unit[]; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const hoursRule = (s: string, max: number) => (!s.trim() ? undefined : /^\d+$/.test(s.trim()) && Number(s) >= 1 && Number(s) <= max ? undefined : fieldMessage('complaints.hours_range', { max }));
  const form = useForm<Values>(toValues(category), (v) => ({
    name: rules.length(v.name, 2, 120),
    defaultUnitId: v.defaultUnitId ? undefined : fieldMessage('field.required'),
    verification: hoursRule(v.verification, 2000),
    disposition: hoursRule(v.disposition, 2000),
    resolution: hoursRule(v.resolution, 5000),
  }));
  const v = form.values;
  const setAttr = (i: number, patch: Partial<AttributeRow>) => form.set('attributes', v.attributes.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  return (
    <form
      ref={form.ref}
      noValidate
      onSubmit={form.onSubmit(async (val) => {
        const body = toBody(val);
        if (category) await api.patch(`/api/v1/admin/complaints/categories/${category.id}`, body);
        else await api.post('/api/v1/admin/complaints/categories', body);
        await qc.invalidateQueries({ queryKey: categoriesKey });
        void qc.invalidateQueries({ queryKey: ['complaints', 'categories'] });
        notifications.show({ color: 'teal', message: t('complaintAdmin.saved', { name: body.name }) });
        onDone();
      })}
    >
      <FormError message={form.formError} />
      <Stack gap="sm">
        <TextInput label={t('complaintAdmin.name')} required {...form.field('name')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label={t('complaintAdmin.icon')}
            data={CATEGORY_ICON_NAMES.map((n) => ({ value: n, label: n.replace(/^Icon/, '') }))}
            value={v.icon}
            onChange={(x) => x && form.set('icon', x)}
            leftSection={<CategoryIcon name={v.icon} size={18} />}
            allowDeselect={false}
          />
          <Select
            label={t('complaintAdmin.kind')}
            data={KINDS.map((k) => ({ value: k, label: t(`complaintKind.${k}`) }))}
            value={v.kind}
            onChange={(x) => x && form.set('kind', x as ComplaintKind)}
            allowDeselect={false}
          />
        </SimpleGrid>
        <Select
          label={t('complaintAdmin.defaultUnit')}
          description={t('complaintAdmin.defaultUnitLead')}
          required
          searchable
          nothingFoundMessage={t('complaintAdmin.noUnit')}
          data={unitOptions(units)}
          value={v.defaultUnitId || null}
          onChange={(x) => form.set('defaultUnitId', x ?? '')}
          error={form.errors.defaultUnitId}
        />
        <Group gap="lg">
          <Switch label={t('complaintAdmin.public')} checked={v.public} onChange={(e) => form.set('public', e.currentTarget.checked)} />
          <Switch label={t('complaintAdmin.active')} checked={v.active} onChange={(e) => form.set('active', e.currentTarget.checked)} />
          <TextInput label={t('complaintAdmin.sortOrder')} w={120} inputMode="numeric" {...form.field('sortOrder')} />
        </Group>
        <Text fw={600} size="sm">
          {t('complaintAdmin.deadlines')}
        </Text>
        <SimpleGrid cols={3} spacing="sm">
          {STAGES.map((s) => (
            <TextInput key={s} label={t(`complaintAdmin.stage.${s}`)} inputMode="numeric" rightSection={<Text size="xs">{t('complaintAdmin.hoursUnit')}</Text>} {...form.field(s)} />
          ))}
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('complaintAdmin.deadlinesLead')}
        </Text>
        <Group justify="space-between" mt="xs">
          <Text fw={600} size="sm">
            {t('complaintAdmin.attributes')}
          </Text>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => form.set('attributes', [...v.attributes, { code: '', description: '', datatype: 'string', required: false, values: '' }])}
            disabled={v.attributes.length >= 20}
          >
            {t('complaintAdmin.addAttribute')}
          </Button>
        </Group>
        {v.attributes.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('complaintAdmin.noAttributes')}
          </Text>
        ) : null}
        {v.attributes.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved
          <Paper key={i} withBorder p="sm">
            <Stack gap="xs">
              <Group gap="xs" align="flex-end" wrap="wrap">
                <TextInput label={t('complaintAdmin.attrCode')} w={160} value={a.code} onChange={(e) => setAttr(i, { code: e.currentTarget.value })} />
                <TextInput label={t('complaintAdmin.attrDescription')} style={{ flex: 1, minWidth: 180 }} value={a.description} onChange={(e) => setAttr(i, { description: e.currentTarget.value })} />
                <ActionIcon variant="subtle" color="red" aria-label={t('complaintAdmin.removeAttribute')} onClick={() => form.set('attributes', v.attributes.filter((_, j) => j !== i))}>
                  <IconTrash size={18} aria-hidden />
                </ActionIcon>
              </Group>
              <Group gap="md" align="center">
                <Select
                  w={200}
                  aria-label={t('complaintAdmin.attrType')}
                  data={(['string', 'number', 'singlevaluelist'] as const).map((d) => ({ value: d, label: t(`complaintAdmin.datatype.${d}`) }))}
                  value={a.datatype}
                  onChange={(x) => x && setAttr(i, { datatype: x as AttributeRow['datatype'] })}
                  allowDeselect={false}
                />
                <Checkbox label={t('complaintAdmin.attrRequired')} checked={a.required} onChange={(e) => setAttr(i, { required: e.currentTarget.checked })} />
              </Group>
              {a.datatype === 'singlevaluelist' ? (
                <Textarea label={t('complaintAdmin.attrValues')} description={t('complaintAdmin.attrValuesLead')} autosize minRows={2} value={a.values} onChange={(e) => setAttr(i, { values: e.currentTarget.value })} />
              ) : null}
            </Stack>
          </Paper>
        ))}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onDone}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {category ? t('action.saveChanges') : t('complaintAdmin.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// ------------------------------------------------------------------------------- routing rules

function RoutingRules({ category, units }: { category: AdminCategory; units: Unit[] }) {
  const { t } = useTranslation();
  const tenant = useTenant();
  const qc = useQueryClient();
  const key = ['admin', 'complaints', 'rules', category.id];
  const rulesQuery = useQuery({ queryKey: key, queryFn: () => api.get<{ items: RoutingRule[] }>('/api/v1/admin/complaints/routing-rules', { categoryId: category.id }) });
  const [kecamatan, setKecamatan] = useState<string | null>(null);
  const [kelurahan, setKelurahan] = useState<string | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const kecamatanList = useRegions(tenant.data?.regionCode);
  const kelurahanList = useRegions(kecamatan);
  const add = async () => {
    setError(null);
    const regionCode = kelurahan ?? kecamatan;
    if (!regionCode || !unitId) return setError(t('complaintAdmin.ruleIncomplete'));
    setBusy(true);
    try {
      await api.post('/api/v1/admin/complaints/routing-rules', { categoryId: category.id, regionCode, unitId });
      setKecamatan(null);
      setKelurahan(null);
      setUnitId(null);
      await qc.invalidateQueries({ queryKey: key });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (rule: RoutingRule) => {
    try {
      await api.delete(`/api/v1/admin/complaints/routing-rules/${rule.id}`);
      await qc.invalidateQueries({ queryKey: key });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Stack gap="xs" mt="lg" component="section" aria-labelledby="rules-heading">
      <Title order={3} size="h5" id="rules-heading">
        {t('complaintAdmin.rules')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('complaintAdmin.rulesLead', { unit: category.defaultUnitName })}
      </Text>
      {rulesQuery.isPending ? <LoadingState /> : null}
      {rulesQuery.data?.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('complaintAdmin.noRules')}
        </Text>
      ) : null}
      {rulesQuery.data?.items.map((r) => (
        <Group key={r.id} justify="space-between" wrap="nowrap">
          <Text size="sm">
            {r.regionName} → <b>{r.unitName}</b>
          </Text>
          <ActionIcon variant="subtle" color="red" aria-label={t('complaintAdmin.removeRule', { region: r.regionName })} onClick={() => void remove(r)}>
            <IconTrash size={18} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        <Select
          label={t('complaintAdmin.kecamatan')}
          searchable
          data={(kecamatanList.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
          value={kecamatan}
          onChange={(x) => {
            setKecamatan(x);
            setKelurahan(null);
          }}
        />
        <Select
          label={t('complaintAdmin.kelurahanOptional')}
          searchable
          clearable
          disabled={!kecamatan}
          data={(kelurahanList.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
          value={kelurahan}
          onChange={setKelurahan}
        />
        <Select label={t('complaintAdmin.ruleUnit')} searchable data={unitOptions(units)} value={unitId} onChange={setUnitId} />
      </SimpleGrid>
      {error ? (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      ) : null}
      <Group justify="flex-end">
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => void add()} loading={busy}>
          {t('complaintAdmin.addRule')}
        </Button>
      </Group>
    </Stack>
  );
}

// ----------------------------------------------------------------------------------------- page

export function CategoriesPage() {
  const { t } = useTranslation();
  const categories = useQuery({ queryKey: categoriesKey, queryFn: () => api.get<{ items: AdminCategory[] }>('/api/v1/admin/complaints/categories') });
  const units = useUnits();
  const [editing, setEditing] = useState<AdminCategory | 'new' | null>(null);
  const current = editing === 'new' ? null : editing;
  const hours = (c: AdminCategory) => STAGES.map((s) => c.deadlineHours[s] ?? '–').join(' / ');
  return (
    <>
      <PageHeader
        title={t('complaintAdmin.title')}
        description={t('complaintAdmin.lead')}
        actions={
          <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setEditing('new')} disabled={!units.data}>
            {t('complaintAdmin.add')}
          </Button>
        }
      />
      <Stack gap="lg">
        {categories.isPending ? (
          <LoadingState />
        ) : categories.error || !categories.data ? (
          <ErrorState error={categories.error} onRetry={() => void categories.refetch()} />
        ) : categories.data.items.length === 0 ? (
          <EmptyState title={t('complaintAdmin.empty')} description={t('complaintAdmin.emptyLead')} />
        ) : (
          <Paper withBorder>
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="sm" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('complaintAdmin.name')}</Table.Th>
                    <Table.Th>{t('complaintAdmin.kind')}</Table.Th>
                    <Table.Th>{t('complaintAdmin.defaultUnit')}</Table.Th>
                    <Table.Th>{t('complaintAdmin.hoursColumn')}</Table.Th>
                    <Table.Th>{t('complaintAdmin.state')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {categories.data.items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <CategoryIcon name={c.icon} size={20} />
                          <Text size="sm" fw={500}>
                            {c.name}
                          </Text>
                        </Group>
                      </Table.Td>
                      <Table.Td>{t(`complaintKind.${c.kind}`)}</Table.Td>
                      <Table.Td>{c.defaultUnitName}</Table.Td>
                      <Table.Td>{hours(c)}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {c.active ? <Badge color="teal" variant="light">{t('complaintAdmin.active')}</Badge> : <Badge color="gray">{t('complaintAdmin.inactive')}</Badge>}
                          {c.public ? null : <Badge color="orange" variant="light">{t('complaintAdmin.internalOnly')}</Badge>}
                          {c.attributes.length ? <Badge variant="outline">{t('complaintAdmin.attributeCount', { count: c.attributes.length })}</Badge> : null}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="light" onClick={() => setEditing(c)} disabled={!units.data} aria-label={t('complaintAdmin.editNamed', { name: c.name })}>
                          {t('action.edit')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
        <SettingsCard />
      </Stack>
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        position="right"
        size="lg"
        title={current ? t('complaintAdmin.editTitle', { name: current.name }) : t('complaintAdmin.newTitle')}
      >
        {editing !== null && units.data ? (
          <>
            <CategoryForm key={current?.id ?? 'new'} category={current} units={units.data.items} onDone={() => setEditing(null)} />
            {current ? <RoutingRules category={current} units={units.data.items} /> : null}
          </>
        ) : null}
      </Drawer>
    </>
  );
}
