import { Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api';
import type { UnitOption } from './types';

/**
 * The tenant's active units matching what was typed (debounced, asked of the server 20 at a time),
 * and the unit last picked, kept as an option while other searches run. For the triage desk.
 */
export function useUnitSearch() {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [picked, setPicked] = useState<UnitOption | null>(null);
  const units = useQuery({
    queryKey: ['complaints', 'units', q],
    queryFn: () => api.get<{ items: UnitOption[] }>('/api/v1/complaints/units', { q }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  return { search, setSearch, picked, setPicked, units };
}

/**
 * The unit a report is disposed to: a searchable select that asks the server for the tenant's
 * active units by name or code (20 at a time), showing each unit's parents to tell alike names apart.
 */
export function UnitPicker({
  value,
  onChange,
  current,
  error,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
  /** The report's unit, offered before any search. */
  current: { id: string; name: string };
  error?: string;
}) {
  const { t } = useTranslation();
  const { search, setSearch, picked, setPicked, units } = useUnitSearch();
  const items = units.data?.items ?? [];
  // Labels are the unit names alone and never change: Mantine resets the search text whenever the
  // selected option's label changes. The parents are shown under each option.
  const paths = new Map(items.map((u) => [u.id, u.path.join(' › ')]));
  if (picked) paths.set(picked.id, picked.path.join(' › '));
  const data = [
    ...(items.some((u) => u.id === current.id) ? [] : [{ value: current.id, label: current.name }]),
    ...(picked && !items.some((u) => u.id === picked.id) && picked.id !== current.id ? [{ value: picked.id, label: picked.name }] : []),
    ...items.map((u) => ({ value: u.id, label: u.name })),
  ];
  return (
    <Select
      label={t('detail.disposeTo')}
      description={t('detail.disposeHint')}
      placeholder={t('detail.unitSearch')}
      required
      searchable
      allowDeselect={false}
      data={data}
      value={value}
      filter={({ options }) => options}
      renderOption={({ option }) => (
        <div>
          <Text size="sm">{option.label}</Text>
          {paths.get(option.value) ? (
            <Text size="xs" c="dimmed">
              {paths.get(option.value)}
            </Text>
          ) : null}
        </div>
      )}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id) => {
        setPicked(items.find((u) => u.id === id) ?? null);
        onChange(id);
      }}
      nothingFoundMessage={units.isFetching ? t('state.loading') : t('detail.unitNone')}
      error={error}
      comboboxProps={{ withinPortal: true }}
      data-testid="unit-picker"
    />
  );
}
