import { Group, SegmentedControl, type SegmentedControlProps } from '@mantine/core';
import { IconList, IconMap } from '@tabler/icons-react';

type View = 'list' | 'map';

/** The list / map switch of the public map and the staff inbox, in the order the page gives. */
export function ViewToggle({
  value,
  onChange,
  order,
  labels,
  testId,
  ...rest
}: { value: View; onChange(v: View): void; order: [View, View]; labels: Record<View, string>; testId: string } & Omit<SegmentedControlProps, 'data' | 'value' | 'onChange'>) {
  const icons = { list: IconList, map: IconMap };
  return (
    <SegmentedControl
      {...rest}
      value={value}
      onChange={(v) => onChange(v === 'map' ? 'map' : 'list')}
      data-testid={testId}
      data={order.map((v) => {
        const Icon = icons[v];
        return {
          value: v,
          label: (
            <Group gap={6} justify="center" wrap="nowrap">
              <Icon size={16} aria-hidden />
              {labels[v]}
            </Group>
          ),
        };
      })}
    />
  );
}
