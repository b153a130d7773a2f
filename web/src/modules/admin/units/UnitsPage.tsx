import { ActionIcon, Badge, Box, Button, Code, Group, Menu, Modal, Paper, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { IconArrowsMove, IconChevronDown, IconChevronRight, IconDots, IconPencil, IconPlus, IconPower, IconSearch, IconSitemap } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALLOWED_CHILDREN, canNest, type UnitKind } from '../../../../../common/org';
import { api } from '../../../app/api';
import { fieldMessage, rules, useForm } from '../../../ui/form';
import { PageHeader } from '../../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/PageState';
import { FormError } from '../../auth/AuthCard';
import { type Unit, unitLabels, useUnits } from '../api';

type Dialog = { type: 'create'; parent: Unit } | { type: 'edit'; unit: Unit } | { type: 'move'; unit: Unit } | { type: 'toggle'; unit: Unit } | null;

const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REGION_RE = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;
/** Kinds that correspond to a Kemendagri region (kecamatan, kelurahan). */
const AREA_KINDS: UnitKind[] = ['kecamatan', 'kelurahan'];

function checkCode(v: string): string | undefined {
  const s = v.trim();
  if (!s) return undefined;
  if (s.length > 40) return fieldMessage('field.too_long', { maximum: 40 });
  return CODE_RE.test(s) ? undefined : fieldMessage('field.unit_code');
}

function checkRegion(v: string): string | undefined {
  const s = v.trim();
  return !s || REGION_RE.test(s) ? undefined : fieldMessage('field.format', { format: '73.71.01' });
}

function useKindLabel() {
  const { t } = useTranslation();
  return (kind: UnitKind) => t(`unitKind.${kind}`);
}

function useRefreshUnits() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['admin', 'units'] });
}

function CreateUnitModal({ parent, onClose, onCreated }: { parent: Unit; onClose: () => void; onCreated: (parentId: string) => void }) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const refresh = useRefreshUnits();
  const kinds = ALLOWED_CHILDREN[parent.kind];
  const form = useForm({ kind: kinds[0] as string, name: '', code: '', regionCode: '' }, (v) => ({
    kind: v.kind ? undefined : fieldMessage('field.required'),
    name: rules.length(v.name, 2, 200),
    code: checkCode(v.code),
    regionCode: checkRegion(v.regionCode),
  }));
  const isArea = AREA_KINDS.includes(form.values.kind as UnitKind);
  return (
    <Modal opened onClose={onClose} title={t('units.createTitle')} centered size="md">
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const created = await api.post<Unit>('/api/v1/admin/units', {
            parentId: parent.id,
            kind: v.kind,
            name: v.name.trim(),
            code: v.code.trim() || null,
            regionCode: isArea && v.regionCode.trim() ? v.regionCode.trim() : null,
          });
          await refresh();
          notifications.show({ color: 'teal', message: t('units.created', { name: created.name }) });
          onCreated(parent.id);
          onClose();
        })}
      >
        <FormError message={form.formError} />
        <Stack gap="sm">
          <Text size="sm">
            {t('units.under')} <strong>{parent.name}</strong>
          </Text>
          <Select
            label={t('units.kind')}
            data={kinds.map((k) => ({ value: k, label: kindLabel(k) }))}
            value={form.values.kind}
            onChange={(v) => form.set('kind', v ?? '')}
            error={form.errors.kind}
            allowDeselect={false}
            required
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput label={t('units.name')} required data-autofocus {...form.field('name')} />
          <TextInput label={t('units.code')} description={t('units.codeHint')} {...form.field('code')} />
          {isArea ? <TextInput label={t('units.regionCode')} description={t('units.regionCodeHint')} {...form.field('regionCode')} /> : null}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting}>
              {t('units.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EditUnitModal({ unit, onClose }: { unit: Unit; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshUnits();
  const isArea = AREA_KINDS.includes(unit.kind);
  const form = useForm({ name: unit.name, code: unit.code ?? '', regionCode: unit.regionCode ?? '' }, (v) => ({
    name: rules.length(v.name, 2, 200),
    code: checkCode(v.code),
    regionCode: checkRegion(v.regionCode),
  }));
  return (
    <Modal opened onClose={onClose} title={t('units.editTitle', { name: unit.name })} centered>
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const body: Record<string, unknown> = {};
          if (v.name.trim() !== unit.name) body.name = v.name.trim();
          if ((v.code.trim() || null) !== unit.code) body.code = v.code.trim() || null;
          if (isArea && (v.regionCode.trim() || null) !== unit.regionCode) body.regionCode = v.regionCode.trim() || null;
          if (Object.keys(body).length) {
            await api.patch(`/api/v1/admin/units/${unit.id}`, body);
            await refresh();
            notifications.show({ color: 'teal', message: t('units.saved') });
          }
          onClose();
        })}
      >
        <FormError message={form.formError} />
        <Stack gap="sm">
          <TextInput label={t('units.name')} required data-autofocus {...form.field('name')} />
          <TextInput label={t('units.code')} description={t('units.codeHint')} {...form.field('code')} />
          {isArea ? <TextInput label={t('units.regionCode')} description={t('units.regionCodeHint')} {...form.field('regionCode')} /> : null}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting}>
              {t('action.saveChanges')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function MoveUnitModal({ unit, units, onClose }: { unit: Unit; units: Unit[]; onClose: () => void }) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const refresh = useRefreshUnits();
  const labels = useMemo(() => unitLabels(units), [units]);
  const options = useMemo(() => {
    const byId = new Map(units.map((u) => [u.id, u]));
    const insideUnit = (u: Unit): boolean => {
      for (let p: Unit | undefined = u; p; p = p.parentId ? byId.get(p.parentId) : undefined) if (p.id === unit.id) return true;
      return false;
    };
    return units
      .filter((p) => p.active && p.id !== unit.parentId && canNest(p.kind, unit.kind) && !insideUnit(p))
      .map((p) => ({ value: p.id, label: `${labels.get(p.id) ?? p.name} (${kindLabel(p.kind)})` }));
  }, [units, unit, labels, kindLabel]);
  const form = useForm({ parentId: '' }, (v) => ({ parentId: v.parentId ? undefined : fieldMessage('field.required') }));
  return (
    <Modal opened onClose={onClose} title={t('units.moveTitle', { name: unit.name })} centered>
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          await api.patch(`/api/v1/admin/units/${unit.id}`, { parentId: v.parentId });
          await refresh();
          notifications.show({ color: 'teal', message: t('units.moved', { name: unit.name }) });
          onClose();
        })}
      >
        <FormError message={form.formError} />
        <Stack gap="sm">
          <Text size="sm">{t('units.moveLead', { kind: kindLabel(unit.kind) })}</Text>
          {options.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('units.moveNone')}
            </Text>
          ) : (
            <Select
              label={t('units.newParent')}
              data={options}
              searchable
              nothingFoundMessage={t('units.noMatch')}
              value={form.values.parentId || null}
              onChange={(v) => form.set('parentId', v ?? '')}
              error={form.errors.parentId}
              required
              data-autofocus
              comboboxProps={{ withinPortal: true }}
            />
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} disabled={options.length === 0}>
              {t('units.move')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ToggleUnitModal({ unit, onClose }: { unit: Unit; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshUnits();
  const form = useForm({});
  const deactivate = unit.active;
  return (
    <Modal opened onClose={onClose} title={deactivate ? t('units.deactivateTitle', { name: unit.name }) : t('units.reactivateTitle', { name: unit.name })} centered>
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async () => {
          await api.patch(`/api/v1/admin/units/${unit.id}`, { active: !deactivate });
          await refresh();
          notifications.show({ color: 'teal', message: deactivate ? t('units.deactivated', { name: unit.name }) : t('units.reactivated', { name: unit.name }) });
          onClose();
        })}
      >
        <FormError message={form.formError} />
        <Text size="sm" mb="lg">
          {deactivate ? t('units.deactivateLead') : t('units.reactivateLead')}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" color={deactivate ? 'red' : undefined} loading={form.submitting} data-autofocus>
            {deactivate ? t('units.deactivate') : t('units.reactivate')}
          </Button>
        </Group>
      </form>
    </Modal>
  );
}

interface TreeProps {
  childrenOf: Map<string | null, Unit[]>;
  expanded: Set<string>;
  toggle: (id: string) => void;
  open: (d: Dialog) => void;
}

function UnitRow({ unit, tree }: { unit: Unit; tree: TreeProps }) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const kids = tree.childrenOf.get(unit.id) ?? [];
  const isOpen = tree.expanded.has(unit.id);
  const canAdd = unit.active && ALLOWED_CHILDREN[unit.kind].length > 0;
  const isRoot = unit.parentId === null;
  return (
    <li>
      <Group gap={6} wrap="nowrap" py={6} px={4} align="center" style={{ borderBottom: '1px solid var(--mantine-color-gray-1)' }} data-unit-name={unit.name}>
        {kids.length ? (
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            onClick={() => tree.toggle(unit.id)}
            aria-expanded={isOpen}
            aria-label={isOpen ? t('units.collapse', { name: unit.name }) : t('units.expand', { name: unit.name })}
          >
            {isOpen ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
          </ActionIcon>
        ) : (
          <Box w={22} style={{ flex: 'none' }} />
        )}
        <Box style={{ minWidth: 0, flex: 1 }}>
          <Group gap={6} wrap="wrap">
            <Text size="sm" fw={unit.depth === 0 ? 700 : unit.depth === 1 ? 600 : 400} c={unit.active ? undefined : 'dimmed'} td={unit.active ? undefined : 'line-through'} className="balai-break">
              {unit.name}
            </Text>
            <Badge size="sm" variant="light" color="gray" radius="sm">
              {kindLabel(unit.kind)}
            </Badge>
            {unit.code ? (
              <Code fz="xs" visibleFrom="xs">
                {unit.code}
              </Code>
            ) : null}
            {!unit.active ? (
              <Badge size="sm" color="orange" variant="light" radius="sm">
                {t('units.inactive')}
              </Badge>
            ) : null}
          </Group>
        </Box>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" aria-label={t('units.actionsFor', { name: unit.name })}>
              <IconDots size={18} aria-hidden />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconPlus size={16} aria-hidden />} disabled={!canAdd} onClick={() => tree.open({ type: 'create', parent: unit })}>
              {t('units.addChild')}
            </Menu.Item>
            <Menu.Item leftSection={<IconPencil size={16} aria-hidden />} onClick={() => tree.open({ type: 'edit', unit })}>
              {t('units.edit')}
            </Menu.Item>
            {!isRoot ? (
              <Menu.Item leftSection={<IconArrowsMove size={16} aria-hidden />} onClick={() => tree.open({ type: 'move', unit })}>
                {t('units.move')}
              </Menu.Item>
            ) : null}
            {!isRoot ? (
              <Menu.Item leftSection={<IconPower size={16} aria-hidden />} color={unit.active ? 'red' : undefined} onClick={() => tree.open({ type: 'toggle', unit })}>
                {unit.active ? t('units.deactivate') : t('units.reactivate')}
              </Menu.Item>
            ) : null}
          </Menu.Dropdown>
        </Menu>
      </Group>
      {kids.length && isOpen ? (
        <ul>
          {kids.map((k) => (
            <UnitRow key={k.id} unit={k} tree={tree} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function UnitsPage() {
  const { t } = useTranslation();
  const [showInactive, setShowInactive] = useState(false);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim().toLowerCase(), 200);
  const units = useUnits(showInactive);
  const [expandedState, setExpanded] = useState<Set<string> | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const all = units.data ?? [];
  // With a search: the matches and their ancestors, all open.
  const { visible, searchOpen, matches } = useMemo(() => {
    if (!q) return { visible: all, searchOpen: null as Set<string> | null, matches: 0 };
    const byId = new Map(all.map((u) => [u.id, u]));
    const keep = new Set<string>();
    let n = 0;
    for (const u of all) {
      if (!u.name.toLowerCase().includes(q) && !(u.code ?? '').toLowerCase().includes(q)) continue;
      n += 1;
      for (let p: Unit | undefined = u; p && !keep.has(p.id); p = p.parentId ? byId.get(p.parentId) : undefined) keep.add(p.id);
    }
    return { visible: all.filter((u) => keep.has(u.id)), searchOpen: keep, matches: n };
  }, [all, q]);

  const childrenOf = useMemo(() => {
    const ids = new Set(visible.map((u) => u.id));
    const m = new Map<string | null, Unit[]>();
    for (const u of visible) {
      const key = u.parentId && ids.has(u.parentId) ? u.parentId : null;
      const list = m.get(key) ?? [];
      list.push(u);
      m.set(key, list);
    }
    return m;
  }, [visible]);

  // By default the top of the tree is open: agencies and kecamatan are visible at once.
  const expanded = searchOpen ?? expandedState ?? new Set(all.filter((u) => u.depth === 0 || u.parentId === null).map((u) => u.id));
  const tree: TreeProps = {
    childrenOf,
    expanded,
    toggle: (id) => {
      const next = new Set(expanded);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      setExpanded(next);
    },
    open: setDialog,
  };
  const roots = childrenOf.get(null) ?? [];

  return (
    <>
      <PageHeader title={t('units.title')} description={t('units.lead')} />
      <Paper withBorder p={{ base: 'sm', sm: 'md' }}>
        <Group gap="sm" mb="sm" align="flex-end" wrap="wrap">
          <TextInput
            label={t('units.search')}
            placeholder={t('units.searchPlaceholder')}
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            style={{ flex: '1 1 14rem' }}
            type="search"
          />
          <Switch label={t('units.showInactive')} checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} mb={8} />
        </Group>
        <Text size="sm" c="dimmed" role="status" aria-live="polite" mb="xs">
          {units.data ? (q ? t('units.matches', { count: matches }) : t('units.count', { count: all.length })) : ''}
        </Text>
        {units.isPending ? (
          <LoadingState />
        ) : units.error ? (
          <ErrorState error={units.error} onRetry={() => void units.refetch()} />
        ) : roots.length === 0 ? (
          <EmptyState title={q ? t('units.noMatch') : t('units.empty')} icon={<IconSitemap size={28} aria-hidden />} />
        ) : (
          <section className="balai-tree" aria-label={t('units.treeLabel')}>
            <ul>
              {roots.map((u) => (
                <UnitRow key={u.id} unit={u} tree={tree} />
              ))}
            </ul>
          </section>
        )}
      </Paper>
      {dialog?.type === 'create' ? <CreateUnitModal parent={dialog.parent} onClose={() => setDialog(null)} onCreated={(id) => setExpanded(new Set([...expanded, id]))} /> : null}
      {dialog?.type === 'edit' ? <EditUnitModal unit={dialog.unit} onClose={() => setDialog(null)} /> : null}
      {dialog?.type === 'move' ? <MoveUnitModal unit={dialog.unit} units={all} onClose={() => setDialog(null)} /> : null}
      {dialog?.type === 'toggle' ? <ToggleUnitModal unit={dialog.unit} onClose={() => setDialog(null)} /> : null}
    </>
  );
}
