import { Select } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, Unit } from '../api';
import { unitLabels } from '../api';

/** Role and unit pickers of a grant ("role X on unit Y and everything below it"). */
export function GrantFields({
  roles,
  units,
  roleKey,
  unitId,
  onRole,
  onUnit,
  errors,
  required = false,
}: {
  roles: Role[];
  units: Unit[];
  roleKey: string;
  unitId: string;
  onRole: (v: string) => void;
  onUnit: (v: string) => void;
  errors: { roleKey?: string; unitId?: string };
  required?: boolean;
}) {
  const { t } = useTranslation();
  const labels = useMemo(() => unitLabels(units), [units]);
  const unitOptions = useMemo(() => units.filter((u) => u.active).map((u) => ({ value: u.id, label: labels.get(u.id) ?? u.name })), [units, labels]);
  return (
    <>
      <Select
        label={t('users.role')}
        data={roles.map((r) => ({ value: r.key, label: t(`roles.${r.key}`, { defaultValue: r.name }) }))}
        value={roleKey || null}
        onChange={(v) => onRole(v ?? '')}
        error={errors.roleKey}
        required={required}
        clearable={!required}
        comboboxProps={{ withinPortal: true }}
        description={roleKey ? roles.find((r) => r.key === roleKey)?.description : undefined}
      />
      <Select
        label={t('users.unit')}
        description={t('users.unitHint')}
        data={unitOptions}
        searchable
        nothingFoundMessage={t('units.noMatch')}
        value={unitId || null}
        onChange={(v) => onUnit(v ?? '')}
        error={errors.unitId}
        required={required}
        clearable={!required}
        limit={200}
        comboboxProps={{ withinPortal: true }}
      />
    </>
  );
}
