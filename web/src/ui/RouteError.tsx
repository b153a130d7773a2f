import { Alert, Button, Container, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useRouteError } from '../app/routeError';

/** A page failed to load or render: usually a new version was deployed, or the connection dropped. */
export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  const chunk = error instanceof Error && /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(error.message);
  return (
    <Container size="sm" py="xl" component="main" id="main" tabIndex={-1}>
      <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('state.pageError')} role="alert">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{chunk ? t('state.chunkError') : t('errors.unexpected')}</Text>
          <Button variant="default" onClick={() => window.location.reload()}>
            {t('action.reload')}
          </Button>
        </Stack>
      </Alert>
    </Container>
  );
}
