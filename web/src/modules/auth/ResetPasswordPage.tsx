import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../app/api';
import { meQuery } from '../../app/auth';
import { fieldMessage, rules, useForm } from '../../ui/form';
import { ErrorState } from '../../ui/PageState';
import { AuthCard, FormError } from './AuthCard';

/** Sets a password from a reset link or a staff invitation (`/reset-password?token=…`). */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const qc = useQueryClient();
  const token = params.get('token') ?? '';
  const validToken = /^[A-Za-z0-9_-]{43}$/.test(token);
  const [done, setDone] = useState(false);
  const form = useForm({ password: '', confirm: '' }, (v) => ({
    password: rules.password(v.password),
    confirm: v.confirm !== v.password ? t('register.confirmMismatch') : undefined,
  }));

  if (!validToken) {
    return (
      <AuthCard title={t('reset.title')}>
        <ErrorState error={null} title={t('reset.badLinkTitle')} message={t('reset.badLink')} />
        <Anchor component={Link} to="/lupa-sandi">
          {t('reset.askNew')}
        </Anchor>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('reset.title')} description={done ? undefined : t('reset.lead')}>
      {done ? (
        <Stack gap="md">
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status" title={t('reset.doneTitle')}>
            {t('reset.done')}
          </Alert>
          <Button component={Link} to="/masuk">
            {t('nav.signIn')}
          </Button>
        </Stack>
      ) : (
        <form
          ref={form.ref}
          noValidate
          onSubmit={form.onSubmit(async (v) => {
            await api.post('/api/v1/auth/password-reset/confirm', { token, password: v.password });
            // Every session of that account ended; this browser may have been signed in as it.
            void qc.invalidateQueries({ queryKey: meQuery.queryKey });
            setDone(true);
          })}
        >
          <FormError message={form.formError} />
          <Stack gap="md">
            <PasswordInput
              label={t('field.newPassword')}
              description={fieldMessage('field.password_weak')}
              autoComplete="new-password"
              required
              autoFocus
              {...form.field('password')}
            />
            <PasswordInput label={t('field.passwordConfirm')} autoComplete="new-password" required {...form.field('confirm')} />
            <Button type="submit" loading={form.submitting} fullWidth>
              {t('reset.submit')}
            </Button>
            <Anchor component={Link} to="/lupa-sandi" size="sm">
              {t('reset.askNew')}
            </Anchor>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
