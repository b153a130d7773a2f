import { ActionIcon, Anchor, Button, Divider, Group, Indicator, Popover, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconBell } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useLiveEvent } from '../../app/live';
import { useDateTime } from '../../app/time';
import { LoadingState } from '../../ui/PageState';
import { markAllRead, markRead, type NotificationItem, unreadKey, useLatestNotifications, useUnreadCount } from './notificationsApi';

/** The bell: unread count kept live by the event stream, the latest notices in a popover. */
export function NotificationBell() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const fmt = useDateTime();
  const [opened, setOpened] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const unread = useUnreadCount();
  const latest = useLatestNotifications(opened);
  const count = unread.data ?? 0;

  useLiveEvent('notification.created', (e) => {
    const n = Number(e.payload.unread);
    if (Number.isFinite(n)) qc.setQueryData(unreadKey, n);
    else void qc.invalidateQueries({ queryKey: unreadKey });
    void qc.invalidateQueries({ queryKey: ['notifications', 'latest'] });
    void qc.invalidateQueries({ queryKey: ['notifications', 'list'] });
    setAnnouncement(t('notifications.arrived', { title: String(e.payload.title ?? '') }));
  });
  useLiveEvent('notification.read', () => {
    void qc.invalidateQueries({ queryKey: ['notifications'] });
  });

  const open = async (n: NotificationItem) => {
    setOpened(false);
    if (!n.readAt) {
      await markRead(n.id).catch(() => undefined);
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    }
    if (n.link) navigate(n.link);
  };

  const label = count ? t('notifications.bellUnread', { count }) : t('notifications.bell');
  return (
    <>
      <VisuallyHidden aria-live="polite" role="status">
        {announcement}
      </VisuallyHidden>
      <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} shadow="md" trapFocus withinPortal>
        <Indicator label={count > 99 ? '99+' : count} size={18} disabled={!count} color="red" offset={6}>
          <Popover.Target>
            <ActionIcon variant="subtle" color="gray" size="lg" aria-label={label} onClick={() => setOpened((o) => !o)} data-testid="notification-bell">
              <IconBell size={22} aria-hidden />
            </ActionIcon>
          </Popover.Target>
        </Indicator>
        <Popover.Dropdown p={0}>
          <Group justify="space-between" px="md" py="sm">
            <Text fw={650}>{t('notifications.title')}</Text>
            {count ? (
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={async () => {
                  await markAllRead().catch(() => undefined);
                  qc.setQueryData(unreadKey, 0);
                  void qc.invalidateQueries({ queryKey: ['notifications'] });
                }}
              >
                {t('notifications.markAll')}
              </Button>
            ) : null}
          </Group>
          <Divider />
          <Stack gap={0} mah={360} style={{ overflowY: 'auto' }}>
            {latest.isPending ? (
              <LoadingState />
            ) : latest.error ? (
              <Text size="sm" p="md" c="red.8">
                {(latest.error as Error).message}
              </Text>
            ) : latest.data?.items.length ? (
              latest.data.items.map((n) => (
                <UnstyledButton key={n.id} onClick={() => void open(n)} px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                  <Group gap="xs" wrap="nowrap" align="flex-start">
                    {!n.readAt ? <span aria-hidden style={{ width: 8, height: 8, borderRadius: 4, background: 'var(--mantine-color-red-7)', marginTop: 7, flex: 'none' }} /> : null}
                    <Stack gap={2} style={{ minWidth: 0 }}>
                      <Text size="sm" fw={n.readAt ? 400 : 650} className="balai-break">
                        {!n.readAt ? <VisuallyHidden>{t('notifications.unread')}: </VisuallyHidden> : null}
                        {n.title}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {fmt(n.createdAt)}
                      </Text>
                    </Stack>
                  </Group>
                </UnstyledButton>
              ))
            ) : (
              <Text size="sm" p="md" c="dimmed">
                {t('notifications.empty')}
              </Text>
            )}
          </Stack>
          <Divider />
          <Anchor component={Link} to="/kerja/notifikasi" size="sm" display="block" px="md" py="sm" onClick={() => setOpened(false)}>
            {t('notifications.seeAll')}
          </Anchor>
        </Popover.Dropdown>
      </Popover>
    </>
  );
}
