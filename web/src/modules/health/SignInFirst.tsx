import { Button, Paper, Stack, Text } from '@mantine/core';
import { IconUserCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

/** Asks a visitor to sign in before a resident's step, and brings them back to this page. */
export function SignInFirst() {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{t('health.signInFirst')}</Text>
        <Button component={Link} to={`/masuk?next=${encodeURIComponent(location.pathname)}`} leftSection={<IconUserCircle size={16} aria-hidden />}>
          {t('health.signIn')}
        </Button>
      </Stack>
    </Paper>
  );
}
