import { Anchor, Button, PasswordInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import { api, setCsrfToken } from '../../app/api';
import { fetchMe, homeFor, meQuery, useMe } from '../../app/auth';
import { currentLanguage } from '../../app/i18n';
import { fieldMessage, normalizePhone, rules, useForm } from '../../ui/form';
import { LoadingState } from '../../ui/PageState';
import { AuthCard, FormError } from './AuthCard';

type Method = 'phone' | 'email';

export function RegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useMe();
  const form = useForm({ name: '', method: 'phone' as Method, email: '', phone: '', password: '', confirm: '' }, (v) => ({
    name: rules.length(v.name, 2, 120),
    email: v.method === 'email' ? rules.email(v.email) : undefined,
    phone: v.method === 'phone' ? rules.phone(v.phone) : undefined,
    password: rules.password(v.password),
    confirm: v.confirm !== v.password ? t('register.confirmMismatch') : undefined,
  }));

  if (me.isPending) return <LoadingState />;
  if (me.data && !form.submitting) return <Navigate to={homeFor(me.data)} replace />;

  const method = form.values.method;
  return (
    <AuthCard title={t('register.title')} description={t('register.lead')}>
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const body = {
            name: v.name.trim(),
            password: v.password,
            locale: currentLanguage(),
            ...(v.method === 'email' ? { email: v.email.trim() } : { phone: normalizePhone(v.phone) ?? v.phone }),
          };
          const r = await api.post<{ userId: string; csrfToken: string }>('/api/v1/auth/register', body);
          setCsrfToken(r.csrfToken);
          const user = await fetchMe();
          qc.setQueryData(meQuery.queryKey, user);
          notifications.show({ color: 'teal', message: t('register.done', { name: body.name }) });
          navigate('/akun', { replace: true });
        })}
      >
        <FormError message={form.formError} />
        <Stack gap="md">
          <TextInput label={t('field.fullName')} autoComplete="name" required autoFocus {...form.field('name')} />
          <Stack gap={6}>
            <Text size="sm" fw={500} id="register-method-label">
              {t('register.method')}
            </Text>
            <SegmentedControl
              aria-labelledby="register-method-label"
              fullWidth
              value={method}
              onChange={(m) => form.set('method', m as Method)}
              data={[
                { value: 'phone', label: t('register.byPhone') },
                { value: 'email', label: t('register.byEmail') },
              ]}
            />
          </Stack>
          {method === 'email' ? (
            <TextInput label={t('field.email')} type="email" autoComplete="email" inputMode="email" required {...form.field('email')} />
          ) : (
            <TextInput
              label={t('field.phone')}
              description={t('register.phoneHint')}
              type="tel"
              autoComplete="tel"
              inputMode="tel"
              required
              {...form.field('phone')}
            />
          )}
          <PasswordInput
            label={t('field.password')}
            description={fieldMessage('field.password_weak')}
            autoComplete="new-password"
            required
            {...form.field('password')}
          />
          <PasswordInput label={t('field.passwordConfirm')} autoComplete="new-password" required {...form.field('confirm')} />
          <Button type="submit" loading={form.submitting} fullWidth size="md">
            {t('register.submit')}
          </Button>
          <Text size="sm" ta="center">
            {t('register.haveAccount')}{' '}
            <Anchor component={Link} to="/masuk">
              {t('nav.signIn')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthCard>
  );
}
