import { Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A practitioner's name over their kind (doctor, midwife…), and what else the list adds to it. */
export function PractitionerName({ name, kind, extra }: { name: string; kind: string; extra?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <Text size="sm" fw={600}>
        {name}
      </Text>
      <Text size="xs" c="dimmed">
        {t(`health.duty.kind.${kind}`)}
        {extra}
      </Text>
    </>
  );
}
