import { Alert, Box, Button, CopyButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Submitted } from './api';

/** After "Kirim": the tracking code, and the private link of an anonymous report (shown once). */
export function Confirmation({ result, link, onAnother }: { result: Submitted; link: string; onAnother: () => void }) {
  const { t } = useTranslation();
  const path = `/lapor/lacak/${encodeURIComponent(result.trackingCode)}${result.accessToken ? `?token=${encodeURIComponent(result.accessToken)}` : ''}`;
  return (
    <Stack gap="lg">
      <Box>
        <Title order={1} size="h2" id="page-title" tabIndex={-1} style={{ outline: 'none' }}>
          {t('report.doneTitle')}
        </Title>
        <Text c="dimmed">{t('report.doneLead')}</Text>
      </Box>
      <Paper withBorder p="lg" radius="md">
        <Stack gap="xs" align="center">
          <Text size="sm" c="dimmed">
            {t('report.trackingCode')}
          </Text>
          <Text data-testid="tracking-code" fz={{ base: 22, xs: 30 }} fw={700} ff="monospace" style={{ whiteSpace: 'nowrap' }} ta="center">
            {result.trackingCode}
          </Text>
          <CopyButton value={result.trackingCode}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy} leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}>
                {copied ? t('report.copied') : t('report.copyCode')}
              </Button>
            )}
          </CopyButton>
        </Stack>
      </Paper>
      {result.accessToken ? (
        <Alert color="yellow" title={t('report.privateLinkTitle')}>
          <Stack gap="xs">
            <Text size="sm">{t('report.privateLinkLead')}</Text>
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="private-link">
              {link}
            </Text>
            <CopyButton value={link}>
              {({ copied, copy }) => (
                <Button size="xs" variant="white" onClick={copy} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />} style={{ alignSelf: 'flex-start' }}>
                  {copied ? t('report.copied') : t('report.copyLink')}
                </Button>
              )}
            </CopyButton>
          </Stack>
        </Alert>
      ) : null}
      <Group gap="sm">
        <Button component={Link} to={path}>
          {t('report.openTracking')}
        </Button>
        <Button variant="default" onClick={onAnother}>
          {t('report.another')}
        </Button>
      </Group>
    </Stack>
  );
}
