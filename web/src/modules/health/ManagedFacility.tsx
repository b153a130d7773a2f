import { Alert, Button, Group, Modal, Select, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../app/api';
import { PageHeader } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';

export interface ManagedFacility {
  id: string;
  name: string;
  kind: 'puskesmas' | 'hospital';
  onlineRegistration: boolean;
}

export const MANAGED_FACILITIES_KEY = ['health', 'managed-facilities'];

/**
 * The frame of the facility manager's pages: the facilities the staff member manages, the one
 * chosen (`?fasilitas=`, the first by default) with a picker when there are several, and the page.
 */
export function ManagedFacilityPage({ title, children }: { title: string; children: (facility: ManagedFacility) => ReactNode }) {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: MANAGED_FACILITIES_KEY, queryFn: () => api.get<{ items: ManagedFacility[] }>('/api/v1/health/manage/facilities') });
  const [params, setParams] = useSearchParams();
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const facilities = list.data.items;
  if (facilities.length === 0) return <EmptyState title={t('health.manage.noFacility')} />;
  const facility = facilities.find((f) => f.id === params.get('fasilitas')) ?? facilities[0]!;
  return (
    <Stack gap="md">
      <PageHeader title={title} description={facility.name} />
      {facilities.length > 1 ? (
        <Select
          label={t('health.manage.facility')}
          data={facilities.map((f) => ({ value: f.id, label: f.name }))}
          value={facility.id}
          onChange={(v) => v && setParams({ fasilitas: v }, { replace: true })}
          allowDeselect={false}
          searchable
          maw={420}
        />
      ) : null}
      <div key={facility.id}>{children(facility)}</div>
    </Stack>
  );
}

/** ISO weekdays, Monday first. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Problem fields of a refused form: messages by field path and the rest as one message. */
export interface FormErrors {
  fields: Record<string, string>;
  general: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, general: null };

/** A number input's value as a number (empty → undefined, so the API names the field). */
export function numberOrUndefined(v: number | string): number | undefined {
  if (typeof v === 'number') return v;
  return v.trim() === '' ? undefined : Number(v);
}

/** The name of an ISO weekday (1 = Monday) in the interface language. */
export function weekdayName(weekday: number, lng: string, width: 'long' | 'short' = 'long'): string {
  // 1 January 2024 was a Monday.
  return new Intl.DateTimeFormat(lng === 'en' ? 'en-GB' : 'id-ID', { weekday: width, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, weekday)));
}

/** The frame of the manager pages' dialogs: a form with its refusal on top and cancel/submit below. */
export function FormDialog({
  opened,
  onClose,
  title,
  errors,
  check,
  onInvalid,
  submit,
  pending,
  submitLabel,
  testId,
  size,
  fullScreen,
  general,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  errors: FormErrors;
  /** What the form still lacks, by field (checked before anything is sent). */
  check?: () => Record<string, string>;
  onInvalid?: (errors: FormErrors) => void;
  submit: () => void;
  pending: boolean;
  submitLabel: string;
  testId: string;
  size?: string;
  fullScreen?: boolean;
  /** Shown on top instead of `errors.general` (a dialog that gathers more refusals there). */
  general?: string | null;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size={size} fullScreen={fullScreen} title={<Title order={2} size="h4">{title}</Title>}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          const missing = check?.() ?? {};
          if (Object.keys(missing).length) onInvalid?.({ fields: missing, general: null });
          else submit();
        }}
        noValidate
      >
        <Stack gap="sm">
          {(general ?? errors.general) ? (
            <Alert color="red" data-testid={`${testId}-error`}>
              {general ?? errors.general}
            </Alert>
          ) : null}
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={pending} data-testid={`${testId}-submit`}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

