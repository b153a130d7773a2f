import { Anchor, Box, Button, Container, Group, Skeleton, Text } from '@mantine/core';
import { IconLayoutDashboard, IconLogin2, IconUserCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { useMe, WORKSPACE } from '../../app/auth';
import { useTenant } from '../../app/tenant';
import { Emblem } from '../../ui/Emblem';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { SkipLink } from '../../ui/Page';

/** Header and footer of the public pages (portal, sign-in, registration, resident account). */
export function PublicLayout() {
  const { t } = useTranslation();
  const tenant = useTenant();
  const me = useMe();
  const name = tenant.data?.name;

  return (
    <Box mih="100vh" style={{ display: 'flex', flexDirection: 'column' }}>
      <SkipLink label={t('a11y.skipToContent')} />
      <Box component="header" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="lg" py="sm">
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Anchor component={Link} to="/" underline="never" c="inherit" aria-label={name ? t('portal.homeOf', { name }) : t('portal.home')} style={{ minWidth: 0 }}>
              <Group gap="sm" wrap="nowrap">
                {name ? <Emblem name={name} logoUrl={tenant.data?.logoUrl} size={40} /> : <Skeleton circle height={40} width={40} />}
                <Box style={{ minWidth: 0 }}>
                  <Text fw={700} lh={1.2} truncate>
                    {name ?? 'Balai'}
                  </Text>
                  <Text size="xs" c="dimmed" lh={1.2} visibleFrom="xs">
                    {t('portal.tagline')}
                  </Text>
                </Box>
              </Group>
            </Anchor>
            <Group gap={6} wrap="nowrap" component="nav" aria-label={t('a11y.accountNav')}>
              <LanguageSwitch compact />
              {me.data ? (
                <Button
                  component={Link}
                  to={me.data.user.kind === 'staff' ? WORKSPACE : '/akun'}
                  size="compact-md"
                  variant="light"
                  leftSection={me.data.user.kind === 'staff' ? <IconLayoutDashboard size={18} aria-hidden /> : <IconUserCircle size={18} aria-hidden />}
                >
                  {me.data.user.kind === 'staff' ? t('nav.workspace') : t('nav.myAccount')}
                </Button>
              ) : me.isPending ? null : (
                <>
                  <Button component={Link} to="/masuk" size="compact-md" variant="subtle" leftSection={<IconLogin2 size={18} aria-hidden />}>
                    {t('nav.signIn')}
                  </Button>
                  <Button component={Link} to="/daftar" size="compact-md" visibleFrom="xs">
                    {t('nav.register')}
                  </Button>
                </>
              )}
            </Group>
          </Group>
        </Container>
      </Box>
      <Box component="main" id="main" tabIndex={-1} style={{ flex: 1 }}>
        <Outlet />
      </Box>
      <Box component="footer" bg="white" py="lg" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="lg">
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed">
              {t('portal.footer', { name: name ?? '' })}
            </Text>
            <Anchor href="/docs" size="sm">
              {t('portal.apiDocs')}
            </Anchor>
          </Group>
        </Container>
      </Box>
    </Box>
  );
}
