import { Anchor, Box, Button, Card, Container, Group, List, Paper, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowRight, IconBuildingCommunity, IconClock, IconMail, IconMapPin, IconPhone, IconWorld } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../app/auth';
import { tenantHome } from '../../app/base';
import { localized, type Language } from '../../app/i18n';
import { type Tenant, useTenant, useTenants } from '../../app/tenant';
import { zoneLabel } from '../../app/time';
import { Emblem } from '../../ui/Emblem';
import { usePageTitle } from '../../ui/Page';
import { EmptyState, ErrorState } from '../../ui/PageState';
import { ServiceIcon } from './serviceIcons';

/** The clock of the government's zone, so visitors from elsewhere know its local time. */
function LocalTime({ timeZone }: { timeZone: string }) {
  const { i18n, t } = useTranslation();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(id);
  }, []);
  const time = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'id-ID', { timeZone, hour: '2-digit', minute: '2-digit' }).format(now);
  return (
    <Group gap={6} c="dimmed">
      <IconClock size={16} aria-hidden />
      <Text size="sm">{t('portal.localTime', { time, zone: zoneLabel(timeZone) })}</Text>
    </Group>
  );
}

function Hero({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Box bg="balai.8" c="white" py={{ base: 'xl', sm: 48 }}>
      <Container size="lg">
        <Group gap="lg" wrap="nowrap" align="center">
          <Box visibleFrom="sm">
            <Emblem name={tenant.name} logoUrl={tenant.logoUrl} size={96} />
          </Box>
          <Stack gap="sm" style={{ minWidth: 0 }}>
            <Text size="sm" fw={600} tt="uppercase" style={{ letterSpacing: '0.06em' }} c="balai.0">
              {t(`tenantKind.${tenant.kind}`)}
            </Text>
            <Title order={1} id="page-title" tabIndex={-1} c="white" style={{ outline: 'none' }} className="balai-break">
              {t('portal.title', { name: tenant.name })}
            </Title>
            <Text c="balai.0" maw={640}>
              {t('portal.lead', { name: tenant.name })}
            </Text>
            {!me.data && !me.isPending ? (
              <Group gap="sm" mt="xs">
                <Button component={Link} to="/daftar" color="white" variant="white" c="balai.8">
                  {t('portal.ctaRegister')}
                </Button>
                <Button component={Link} to="/masuk" variant="outline" color="white">
                  {t('nav.signIn')}
                </Button>
              </Group>
            ) : null}
          </Stack>
        </Group>
      </Container>
    </Box>
  );
}

function Services({ tenant }: { tenant: Tenant }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language as Language;
  return (
    <Stack component="section" aria-labelledby="services-heading" gap="md">
      <Title order={2} size="h3" id="services-heading">
        {t('portal.servicesTitle')}
      </Title>
      {tenant.services.length === 0 ? (
        <Paper withBorder p="md">
          <EmptyState title={t('portal.servicesEmptyTitle')} description={t('portal.servicesEmpty', { name: tenant.name })} />
        </Paper>
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
          {tenant.services.map((s) => (
            <Card key={s.key} withBorder padding="lg" component={Link} to={s.path} aria-labelledby={`svc-${s.key}`}>
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <ThemeIcon size={44} variant="light" radius="md">
                  <ServiceIcon name={s.icon} />
                </ThemeIcon>
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Text fw={650} id={`svc-${s.key}`}>
                    {localized(s.title, lng)}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {localized(s.summary, lng)}
                  </Text>
                </Stack>
                <IconArrowRight size={18} aria-hidden style={{ marginLeft: 'auto', flex: 'none' }} />
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function Contact({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const c = tenant.contact;
  const rows = [
    c.address ? { icon: <IconMapPin size={18} aria-hidden />, label: t('contact.address'), value: <Text size="sm">{c.address}</Text> } : null,
    c.phone ? { icon: <IconPhone size={18} aria-hidden />, label: t('contact.phone'), value: <Anchor size="sm" href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>{c.phone}</Anchor> } : null,
    c.email ? { icon: <IconMail size={18} aria-hidden />, label: t('contact.email'), value: <Anchor size="sm" href={`mailto:${c.email}`} className="balai-break">{c.email}</Anchor> } : null,
    c.website ? { icon: <IconWorld size={18} aria-hidden />, label: t('contact.website'), value: <Anchor size="sm" href={c.website} rel="noopener noreferrer" className="balai-break">{c.website.replace(/^https?:\/\//, '')}</Anchor> } : null,
  ].filter((r) => r !== null);
  return (
    <Paper component="section" aria-labelledby="contact-heading" withBorder p="lg">
      <Stack gap="sm">
        <Title order={2} size="h4" id="contact-heading">
          {t('contact.title')}
        </Title>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('contact.none')}
          </Text>
        ) : (
          <Stack gap="xs">
            {rows.map((r) => (
              <Group key={r.label} gap="sm" wrap="nowrap" align="flex-start">
                <Box c="balai.7" mt={2}>
                  {r.icon}
                </Box>
                <Box style={{ minWidth: 0 }}>
                  <Text size="xs" c="dimmed">
                    {r.label}
                  </Text>
                  {r.value}
                </Box>
              </Group>
            ))}
          </Stack>
        )}
        <LocalTime timeZone={tenant.timeZone} />
      </Stack>
    </Paper>
  );
}

function OtherGovernments({ current }: { current: string }) {
  const { t } = useTranslation();
  const tenants = useTenants();
  const others = (tenants.data?.items ?? []).filter((x) => x.slug !== current);
  if (tenants.isPending || tenants.error || others.length === 0) return null;
  return (
    <Paper component="nav" aria-labelledby="others-heading" withBorder p="lg">
      <Stack gap="sm">
        <Title order={2} size="h4" id="others-heading">
          {t('portal.otherGovernments')}
        </Title>
        <List spacing="xs" listStyleType="none" p={0}>
          {others.map((o) => (
            <List.Item key={o.slug} icon={<IconBuildingCommunity size={18} aria-hidden />}>
              <Anchor href={tenantHome(o.slug)} size="sm">
                {o.name}
              </Anchor>
            </List.Item>
          ))}
        </List>
      </Stack>
    </Paper>
  );
}

export function PortalPage() {
  const { t } = useTranslation();
  const tenant = useTenant();
  usePageTitle(tenant.data ? t('portal.documentTitle') : undefined);

  if (tenant.isPending) {
    return (
      <Container size="lg" py="xl" aria-busy="true">
        <Skeleton height={36} width="60%" mb="md" />
        <Skeleton height={16} width="80%" mb="xs" />
        <Skeleton height={16} width="70%" />
      </Container>
    );
  }
  if (tenant.error || !tenant.data) {
    return (
      <Container size="sm" py="xl">
        <ErrorState error={tenant.error} onRetry={() => void tenant.refetch()} />
      </Container>
    );
  }
  const data = tenant.data;
  return (
    <>
      <Hero tenant={data} />
      <Container size="lg" py="xl">
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xl">
          <Box className="balai-portal-main">
            <Services tenant={data} />
          </Box>
          <Stack gap="lg">
            <Contact tenant={data} />
            <OtherGovernments current={data.slug} />
          </Stack>
        </SimpleGrid>
      </Container>
    </>
  );
}
