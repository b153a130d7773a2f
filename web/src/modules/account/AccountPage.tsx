import { Badge, Button, Container, Group, Modal, Paper, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDeviceMobileOff, IconLogout } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { api } from '../../app/api';
import { type Me, useLogout, useMe } from '../../app/auth';
import { fieldMessage, rules, useForm } from '../../ui/form';
import { PageHeader } from '../../ui/Page';
import { ErrorState, LoadingState } from '../../ui/PageState';
import { FormError } from '../auth/AuthCard';

function Profile({ me }: { me: Me }) {
  const { t } = useTranslation();
  const roles = [...new Set(me.grants.map((g) => g.roleKey))];
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="profile-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="profile-heading">
          {t('account.profile')}
        </Title>
        <div>
          <Text size="xs" c="dimmed">
            {t('field.name')}
          </Text>
          <Text fw={600} className="balai-break">
            {me.user.name}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('account.kind')}
          </Text>
          <Text>{me.user.kind === 'staff' ? t('account.kindStaff') : t('account.kindCitizen')}</Text>
        </div>
        {me.user.kind === 'staff' ? (
          <div>
            <Text size="xs" c="dimmed" mb={4}>
              {t('account.roles')}
            </Text>
            {roles.length ? (
              <Group gap={6}>
                {roles.map((r) => (
                  <Badge key={r} variant="light" radius="sm">
                    {t(`roles.${r}`, { defaultValue: r })}
                  </Badge>
                ))}
              </Group>
            ) : (
              <Text size="sm">{t('account.noRoles')}</Text>
            )}
          </div>
        ) : null}
      </Stack>
    </Paper>
  );
}

function ChangePassword() {
  const { t } = useTranslation();
  const form = useForm({ current: '', next: '', confirm: '' }, (v) => ({
    current: rules.required(v.current),
    next: rules.password(v.next) ?? (v.next === v.current ? t('account.sameAsCurrent') : undefined),
    confirm: v.confirm !== v.next ? t('register.confirmMismatch') : undefined,
  }));
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="password-heading">
      <Title order={2} size="h4" id="password-heading" mb="xs">
        {t('account.changePassword')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('account.changePasswordLead')}
      </Text>
      <form
        ref={form.ref}
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          await api.post('/api/v1/me/password', { current: v.current, next: v.next });
          form.reset();
          notifications.show({ color: 'teal', message: t('account.passwordChanged') });
        })}
      >
        <FormError message={form.formError} />
        <Stack gap="sm">
          <PasswordInput label={t('field.currentPassword')} autoComplete="current-password" required {...form.field('current')} />
          <PasswordInput
            label={t('field.newPassword')}
            description={fieldMessage('field.password_weak')}
            autoComplete="new-password"
            required
            {...form.field('next')}
          />
          <PasswordInput label={t('field.passwordConfirm')} autoComplete="new-password" required {...form.field('confirm')} />
          <Group>
            <Button type="submit" loading={form.submitting}>
              {t('account.savePassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function Sessions() {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();
  const [confirming, { open, close }] = useDisclosure(false);
  const signOut = async (everywhere: boolean) => {
    try {
      await logout.mutateAsync(everywhere);
      notifications.show({ color: 'teal', message: everywhere ? t('account.loggedOutAll') : t('account.loggedOut') });
      navigate('/', { replace: true });
    } catch (e) {
      notifications.show({ color: 'red', message: (e as Error).message });
    }
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="sessions-heading">
      <Title order={2} size="h4" id="sessions-heading" mb="xs">
        {t('account.sessions')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('account.sessionsLead')}
      </Text>
      <Group gap="sm">
        <Button variant="default" leftSection={<IconLogout size={18} aria-hidden />} onClick={() => void signOut(false)} loading={logout.isPending && !confirming}>
          {t('nav.signOut')}
        </Button>
        <Button color="red" variant="light" leftSection={<IconDeviceMobileOff size={18} aria-hidden />} onClick={open}>
          {t('account.signOutAll')}
        </Button>
      </Group>
      <Modal opened={confirming} onClose={close} title={t('account.signOutAllTitle')} centered>
        <Text size="sm" mb="lg">
          {t('account.signOutAllConfirm')}
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            {t('action.cancel')}
          </Button>
          <Button color="red" loading={logout.isPending} onClick={() => void signOut(true)}>
            {t('account.signOutAll')}
          </Button>
        </Group>
      </Modal>
    </Paper>
  );
}

function AccountContent({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t('account.title')}
        description={t('account.lead')}
        actions={
          me.user.kind === 'citizen' ? (
            <Group gap="xs">
              <Button component={Link} to="/akun/laporan" variant="light" data-testid="my-reports-link">
                {t('myReports.title')}
              </Button>
              <Button component={Link} to="/akun/kunjungan" variant="light" data-testid="my-visits-link">
                {t('nav.myVisits')}
              </Button>
            </Group>
          ) : undefined
        }
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="lg">
          <Profile me={me} />
          <Sessions />
        </Stack>
        <ChangePassword />
      </SimpleGrid>
    </>
  );
}

/** `/akun`: a resident's (or anyone's) account page on the public site. */
export function CitizenAccountPage() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <LoadingState />;
  if (me.error) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to={`/masuk?next=${encodeURIComponent(location.pathname)}`} replace />;
  return (
    <Container size="lg" py="xl">
      <AccountContent me={me.data} />
    </Container>
  );
}

/** `/kerja/akun`: the same page inside the staff workspace. */
export function StaffAccountPage() {
  const me = useMe();
  if (!me.data) return <LoadingState />;
  return <AccountContent me={me.data} />;
}
