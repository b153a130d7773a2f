import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { IconMailCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../app/api';
import { fieldMessage, rules, useForm } from '../../ui/form';
import { AuthCard, FormError } from './AuthCard';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [sent, setSent] = useState(false);
  const form = useForm({ login: '' }, (v) => ({
    login: rules.required(v.login) ?? (v.login.trim().length < 3 ? fieldMessage('field.too_short', { minimum: 3 }) : undefined),
  }));

  return (
    <AuthCard title={t('forgot.title')} description={t('forgot.lead')}>
      {sent ? (
        <Stack gap="md">
          <Alert color="teal" variant="light" icon={<IconMailCheck aria-hidden />} role="status" title={t('forgot.sentTitle')}>
            {t('forgot.sent')}
          </Alert>
          <Anchor component={Link} to="/masuk">
            {t('forgot.back')}
          </Anchor>
        </Stack>
      ) : (
        <form
          ref={form.ref}
          noValidate
          onSubmit={form.onSubmit(async (v) => {
            await api.post('/api/v1/auth/password-reset', { login: v.login.trim() });
            setSent(true);
          })}
        >
          <FormError message={form.formError} />
          <Stack gap="md">
            <TextInput label={t('login.login')} autoComplete="username" inputMode="email" required autoFocus {...form.field('login')} />
            <Text size="sm" c="dimmed">
              {t('forgot.phoneOnly')}
            </Text>
            <Button type="submit" loading={form.submitting} fullWidth>
              {t('forgot.submit')}
            </Button>
            <Anchor component={Link} to="/masuk" size="sm">
              {t('forgot.back')}
            </Anchor>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
