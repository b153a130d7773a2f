import { Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { homeFor, safeNext, useLogin, useMe } from '../../app/auth';
import { fieldMessage, rules, useForm } from '../../ui/form';
import { LoadingState } from '../../ui/PageState';
import { AuthCard, FormError } from './AuthCard';

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const login = useLogin();
  const next = safeNext(params.get('next'));
  const form = useForm({ login: params.get('login') ?? '', password: '' }, (v) => ({
    login: rules.required(v.login) ?? (v.login.trim().length < 3 ? fieldMessage('field.too_short', { minimum: 3 }) : undefined),
    password: rules.required(v.password),
  }));

  if (me.isPending) return <LoadingState />;
  if (me.data && !login.isPending && !form.submitting) return <Navigate to={next ?? homeFor(me.data)} replace />;

  return (
    <AuthCard title={t('login.title')} description={t('login.lead')}>
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const user = await login.mutateAsync({ login: v.login.trim(), password: v.password });
          navigate(next ?? homeFor(user), { replace: true });
        })}
      >
        <FormError message={form.formError} />
        <Stack gap="md">
          <TextInput
            label={t('login.login')}
            description={t('login.loginHint')}
            autoComplete="username"
            inputMode="email"
            required
            autoFocus
            {...form.field('login')}
          />
          <PasswordInput label={t('field.password')} autoComplete="current-password" required {...form.field('password')} />
          <Group justify="space-between" gap="xs">
            <Anchor component={Link} to="/lupa-sandi" size="sm">
              {t('login.forgot')}
            </Anchor>
          </Group>
          <Button type="submit" loading={form.submitting} fullWidth size="md">
            {t('login.submit')}
          </Button>
          <Text size="sm" ta="center">
            {t('login.noAccount')}{' '}
            <Anchor component={Link} to="/daftar">
              {t('login.registerLink')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthCard>
  );
}
