import { ActionIcon, Anchor, AppShell, Box, Burger, Button, Container, Divider, Group, Menu, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { IconExternalLink, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, NavLink as RouterNavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { type Me, type NavItem, useLogout, useMe, WORKSPACE } from '../../app/auth';
import { type Language, localized } from '../../app/i18n';
import { useLiveEvent } from '../../app/live';
import { useTenant } from '../../app/tenant';
import { Emblem } from '../../ui/Emblem';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { PageHeader, SkipLink } from '../../ui/Page';
import { EmptyState, ErrorState, LoadingState } from '../../ui/PageState';
import { NavIcon } from './navIcons';
import { NotificationBell } from './NotificationBell';

/** Whether a path belongs to one of the user's navigation entries (or the workspace's own pages). */
export function isPermittedPath(pathname: string, nav: NavItem[]): boolean {
  if (pathname === WORKSPACE || pathname.startsWith(`${WORKSPACE}/`)) return true;
  return nav.some((n) => pathname === n.path || pathname.startsWith(`${n.path}/`));
}

function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('nav.userMenu', { name: me.user.name })} data-testid="user-menu">
          <IconUserCircle size={24} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="dark" className="balai-break">
            {me.user.name}
          </Text>
        </Menu.Label>
        <Menu.Item component={Link} to="/kerja/akun" leftSection={<IconUserCircle size={16} aria-hidden />}>
          {t('nav.myAccount')}
        </Menu.Item>
        <Menu.Item component={Link} to="/" leftSection={<IconExternalLink size={16} aria-hidden />}>
          {t('nav.publicPortal')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={async () => {
            await logout.mutateAsync(false).catch(() => undefined);
            navigate('/', { replace: true });
          }}
        >
          {t('nav.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function Navigation({ me, onNavigate }: { me: Me; onNavigate: () => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language as Language;
  const location = useLocation();
  const items = [
    { key: 'home', path: WORKSPACE, label: t('nav.home'), end: true },
    // Entries granted by several permissions (the inbox: triage or handle) appear once.
    ...me.nav.filter((n, i, all) => all.findIndex((m) => m.path === n.path) === i).map((n) => ({ key: n.key, path: n.path, label: localized(n.title, lng), end: false })),
  ];
  const matches = (item: (typeof items)[number]) =>
    item.end ? location.pathname === item.path : location.pathname === item.path || location.pathname.startsWith(`${item.path}/`);
  // The most specific entry wins: /staf/pengaduan/masuk lights its own entry, not the inbox's too.
  const activeKey = items.filter(matches).sort((a, b) => b.path.length - a.path.length)[0]?.key;
  return (
    <Stack gap={2} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
      {items.map((item) => {
        const active = item.key === activeKey;
        return (
          <li key={item.key}>
            <NavLink
              component={RouterNavLink}
              to={item.path}
              end={item.end}
              label={item.label}
              leftSection={<NavIcon navKey={item.key} />}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={onNavigate}
              data-nav-key={item.key}
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
            />
          </li>
        );
      })}
    </Stack>
  );
}

function NoAccess() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('workspace.noAccessTitle')} />
      <EmptyState title={t('workspace.noAccessTitle')} description={t('workspace.noAccess')}>
        <Button component={Link} to={WORKSPACE} variant="default">
          {t('nav.home')}
        </Button>
      </EmptyState>
    </>
  );
}

function CitizenNotice() {
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl" component="main" id="main" tabIndex={-1}>
      <PageHeader title={t('workspace.staffOnlyTitle')} />
      <EmptyState title={t('workspace.staffOnlyTitle')} description={t('workspace.staffOnly')}>
        <Button component={Link} to="/akun">
          {t('nav.myAccount')}
        </Button>
      </EmptyState>
    </Container>
  );
}

/** The staff workspace: header with bell and user menu, navigation built only from /me. */
export function WorkspaceLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const tenant = useTenant();
  const location = useLocation();
  const qc = useQueryClient();
  const [opened, { toggle, close }] = useDisclosure(false);

  // Too many events were missed while disconnected: reload what is on screen.
  useLiveEvent('reset', () => void qc.invalidateQueries());

  // biome-ignore lint/correctness/useExhaustiveDependencies: the mobile menu closes whenever the page changes
  useEffect(() => {
    close();
  }, [location.pathname, close]);

  if (me.isPending) return <LoadingState />;
  if (me.error) {
    return (
      <Container size="sm" py="xl">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </Container>
    );
  }
  if (!me.data) return <Navigate to={`/masuk?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (me.data.user.kind !== 'staff') return <CitizenNotice />;

  const name = tenant.data?.name ?? 'Balai';
  const permitted = isPermittedPath(location.pathname, me.data.nav);
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 264, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding={{ base: 'sm', sm: 'lg' }}>
      <AppShell.Header>
        <SkipLink label={t('a11y.skipToContent')} />
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? t('nav.closeMenu') : t('nav.openMenu')} aria-expanded={opened} aria-controls="workspace-nav" />
            <Anchor component={Link} to={WORKSPACE} underline="never" c="inherit" style={{ minWidth: 0 }} aria-label={t('workspace.homeOf', { name })}>
              <Group gap="xs" wrap="nowrap">
                <Emblem name={name} logoUrl={tenant.data?.logoUrl} size={32} />
                <Box style={{ minWidth: 0 }}>
                  <Text fw={700} size="sm" lh={1.2} truncate>
                    {name}
                  </Text>
                  <Text size="xs" c="dimmed" lh={1.2} visibleFrom="xs">
                    {t('workspace.title')}
                  </Text>
                </Box>
              </Group>
            </Anchor>
          </Group>
          <Group gap={4} wrap="nowrap">
            <Box visibleFrom="sm">
              <LanguageSwitch compact />
            </Box>
            <NotificationBell />
            <UserMenu me={me.data} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" id="workspace-nav" component="nav" aria-label={t('a11y.workspaceNav')}>
        <AppShell.Section grow component={ScrollArea}>
          <Navigation me={me.data} onNavigate={close} />
        </AppShell.Section>
        <AppShell.Section>
          <Divider my="sm" />
          <Group justify="space-between" gap="xs">
            <Text size="xs" c="dimmed" className="balai-break" style={{ flex: 1 }}>
              {me.data.user.name}
            </Text>
            <Box hiddenFrom="sm">
              <LanguageSwitch compact />
            </Box>
          </Group>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} bg="gray.0">
        <Box maw={1200} mx="auto">
          {permitted ? <Outlet /> : <NoAccess />}
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
