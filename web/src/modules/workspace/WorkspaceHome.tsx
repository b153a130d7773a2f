import { Card, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../app/auth';
import { type Language, localized } from '../../app/i18n';
import { useTenant } from '../../app/tenant';
import { formatDateTime, zoneLabel } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { EmptyState, LoadingState } from '../../ui/PageState';
import { NavIcon } from './navIcons';
import { useUnreadCount } from './notificationsApi';

/** Descriptions of the platform's admin pages on the workspace home. */
const DESCRIPTIONS: Record<string, string> = {
  'admin.units': 'workspace.desc.units',
  'admin.users': 'workspace.desc.users',
  'admin.calendar': 'workspace.desc.calendar',
  'admin.tenant': 'workspace.desc.tenant',
  'admin.audit': 'workspace.desc.audit',
  'admin.outbox': 'workspace.desc.outbox',
  'complaints.inbox': 'inbox.lead',
  'complaints.unitInbox': 'inbox.lead',
};

export function WorkspaceHome() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language as Language;
  const me = useMe();
  const tenant = useTenant();
  const unread = useUnreadCount();
  if (!me.data) return <LoadingState />;
  const tz = tenant.data?.timeZone;
  return (
    <>
      <PageHeader
        title={t('workspace.greeting', { name: me.data.user.name })}
        description={tz ? t('workspace.now', { time: formatDateTime(new Date(), tz, lng), zone: zoneLabel(tz) }) : undefined}
      />
      <Stack gap="lg">
        <Paper withBorder p="md" component="section" aria-labelledby="inbox-heading">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Title order={2} size="h5" id="inbox-heading">
              {t('notifications.title')}
            </Title>
            <Text size="sm" component={Link} to="/kerja/notifikasi" c="balai.7" fw={500}>
              {unread.data ? t('notifications.unreadCount', { count: unread.data }) : t('notifications.allRead')}
            </Text>
          </Group>
        </Paper>
        <section aria-labelledby="tasks-heading">
          <Title order={2} size="h4" id="tasks-heading" mb="sm">
            {t('workspace.tasks')}
          </Title>
          {me.data.nav.length === 0 ? (
            <Paper withBorder>
              <EmptyState title={t('workspace.noNavTitle')} description={t('workspace.noNav')} />
            </Paper>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
              {me.data.nav.filter((n, i, all) => all.findIndex((m) => m.path === n.path) === i).map((n) => (
                <Card key={n.key} withBorder padding="lg" component={Link} to={n.path}>
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <ThemeIcon variant="light" size={40} radius="md">
                      <NavIcon navKey={n.key} size={22} />
                    </ThemeIcon>
                    <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
                      <Text fw={650}>{localized(n.title, lng)}</Text>
                      {DESCRIPTIONS[n.key] ? (
                        <Text size="sm" c="dimmed">
                          {t(DESCRIPTIONS[n.key])}
                        </Text>
                      ) : null}
                    </Stack>
                    <IconArrowRight size={18} aria-hidden style={{ flex: 'none' }} />
                  </Group>
                </Card>
              ))}
            </SimpleGrid>
          )}
        </section>
      </Stack>
    </>
  );
}
