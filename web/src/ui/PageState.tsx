import { Alert, Button, Center, EmptyState as MantineEmptyState, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInbox, IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../app/api';

/** A busy area announced to screen readers. */
export function LoadingState({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text c="dimmed">{label ?? t('state.loading')}</Text>
      </Group>
    </Center>
  );
}

export function EmptyState({ title, description, icon, children }: { title: string; description?: ReactNode; icon?: ReactNode; children?: ReactNode }) {
  return (
    <MantineEmptyState
      py="xl"
      icon={icon ?? <IconInbox size={28} stroke={1.5} aria-hidden />}
      withIndicatorBackground
      title={title}
      description={description}
    >
      {children ? <MantineEmptyState.Actions>{children}</MantineEmptyState.Actions> : null}
    </MantineEmptyState>
  );
}

/** A failed load: the server's message, and a retry when it may help. */
export function ErrorState({ error, onRetry, title, message: given }: { error: unknown; onRetry?: () => void; title?: string; message?: string }) {
  const { t } = useTranslation();
  const denied = isApiError(error) && (error.status === 403 || error.status === 404);
  const message = given ?? (isApiError(error) ? error.message : t('errors.unexpected'));
  return (
    <Alert
      role="alert"
      color={denied ? 'gray' : 'red'}
      variant="light"
      icon={denied ? <IconLock aria-hidden /> : <IconAlertTriangle aria-hidden />}
      title={title ?? (denied ? t('state.unavailable') : t('state.error'))}
      my="md"
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{message}</Text>
        {onRetry && !denied ? (
          <Button size="xs" variant="default" onClick={onRetry}>
            {t('action.retry')}
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

/** Renders the right state for a query: loading, error, empty or the content. */
export function QueryState<T>({
  query,
  empty,
  isEmpty,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingState />;
  if (query.error || query.data === undefined) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data) && empty) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
