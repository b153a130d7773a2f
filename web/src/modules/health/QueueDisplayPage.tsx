import { Badge, Box, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconVolume, IconVolumeOff } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { announcement } from '../../../../common/health/announce';
import { api } from '../../app/api';
import { currentLanguage } from '../../app/i18n';
import { useTenant } from '../../app/tenant';
import { formatDay, zoneLabel } from '../../app/time';
import { usePageTitle } from '../../ui/Page';
import { ErrorState, LoadingState } from '../../ui/PageState';
import { clockTime, type DisplayService, type Facility, useQueueStream, useThrottled } from './api';

interface Call {
  queueCode: string;
  service: string;
  at: number;
}

/** The Indonesian voice of the browser, if it has one (the call is spelled out in words anyway). */
function indonesianVoice(): SpeechSynthesisVoice | undefined {
  return window.speechSynthesis?.getVoices().find((v) => v.lang.toLowerCase().replace('_', '-').startsWith('id'));
}

function speak(text: string, lang: 'id' | 'en'): void {
  const synth = window.speechSynthesis;
  if (!synth) return;
  const u = new SpeechSynthesisUtterance(text);
  u.lang = lang === 'id' ? 'id-ID' : 'en-GB';
  const voice = lang === 'id' ? indonesianVoice() : undefined;
  if (voice) u.voice = voice;
  u.rate = 0.9;
  synth.speak(u);
}

/**
 * `/antrean/:facilityId`: the waiting-room TV of a facility. Per service the number called or
 * being served, the next numbers and how many wait, live from the facility's public stream; each
 * call is shown large and announced with the browser's Indonesian speech synthesis (browsers only
 * speak after a first tap, hence the button). No names: numbers only.
 */
export function QueueDisplayPage() {
  const { facilityId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const tenant = useTenant();
  const tz = tenant.data?.timeZone ?? 'Asia/Makassar';
  const facility = useQuery({ queryKey: ['health', 'facility', facilityId], queryFn: () => api.get<{ facility: Facility }>(`/api/v1/health/facilities/${facilityId}/services`) });
  const display = useQuery({
    queryKey: ['health', 'display', facilityId],
    queryFn: () => api.get<{ date: string; items: DisplayService[] }>(`/api/v1/health/facilities/${facilityId}/display`),
    // A safety net if the stream is cut without the browser noticing.
    refetchInterval: 60_000,
  });
  usePageTitle(facility.data ? t('health.display.title', { name: facility.data.facility.name }) : undefined);
  const reload = useThrottled(() => void display.refetch(), 500);
  const [sound, setSound] = useState(false);
  const [lastCall, setLastCall] = useState<Call | null>(null);
  const services = useRef(new Map<string, string>());
  for (const s of display.data?.items ?? []) services.current.set(s.serviceId, s.name);
  const soundRef = useRef(sound);
  soundRef.current = sound;

  useQueueStream(
    facilityId,
    (e) => {
      reload();
      if ((e.type === 'health.visit.call' || e.type === 'health.visit.recall') && e.payload.queueCode) {
        const service = services.current.get(e.payload.serviceId ?? '') ?? '';
        setLastCall({ queueCode: e.payload.queueCode, service, at: Date.now() });
        if (soundRef.current) speak(announcement(e.payload.queueCode, service, currentLanguage()), currentLanguage());
      }
    },
    reload,
  );

  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 10_000);
    return () => clearInterval(timer);
  }, []);

  if (display.isPending || facility.isPending) return <LoadingState />;
  if (display.isError) return <ErrorState error={display.error} onRetry={() => void display.refetch()} />;
  if (facility.isError) return <ErrorState error={facility.error} onRetry={() => void facility.refetch()} />;
  const fresh = lastCall && Date.now() - lastCall.at < 15_000;

  return (
    <Box bg="dark.8" c="white" mih="100dvh" p={{ base: 'sm', md: 'lg' }} data-testid="queue-display">
      <Group justify="space-between" align="flex-start" mb="md" wrap="wrap" gap="sm">
        <Stack gap={0}>
          <Title order={1} size="h2" c="white">
            {facility.data.facility.name}
          </Title>
          <Text c="gray.4">{t('health.display.lead')}</Text>
        </Stack>
        <Group gap="md" align="center">
          <Stack gap={0} align="flex-end">
            <Text fw={700} size="xl" c="white">
              {clockTime(now.toISOString(), tz)} {zoneLabel(tz)}
            </Text>
            <Text size="sm" c="gray.4">
              {formatDay(display.data.date, i18n.language)}
            </Text>
          </Stack>
          <Button
            variant={sound ? 'filled' : 'white'}
            color={sound ? 'teal' : 'dark'}
            leftSection={sound ? <IconVolume size={18} aria-hidden /> : <IconVolumeOff size={18} aria-hidden />}
            onClick={() => {
              const on = !sound;
              setSound(on);
              if (on) speak(t('health.display.soundOn'), currentLanguage());
              else window.speechSynthesis?.cancel();
            }}
            aria-pressed={sound}
            data-testid="display-sound"
          >
            {sound ? t('health.display.soundIsOn') : t('health.display.enableSound')}
          </Button>
        </Group>
      </Group>

      <Paper radius="md" p="md" mb="md" bg={fresh ? 'orange.7' : 'dark.6'} c="white" aria-live="assertive" data-testid="display-last-call">
        {lastCall ? (
          <Group justify="center" gap="lg" wrap="wrap">
            <Text size="xl" fw={600}>
              {t('health.display.calling')}
            </Text>
            <Text fw={800} ff="monospace" style={{ fontSize: 'clamp(2.5rem, 7vw, 4.5rem)', lineHeight: 1 }}>
              {lastCall.queueCode}
            </Text>
            <Text size="xl" fw={600}>
              → {lastCall.service}
            </Text>
          </Group>
        ) : (
          <Text ta="center" c="gray.4">
            {t('health.display.noCallYet')}
          </Text>
        )}
      </Paper>

      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
        {display.data.items.map((s) => (
          <Paper key={s.serviceId} radius="md" p="md" bg="dark.6" c="white" data-testid="display-service">
            <Group justify="space-between" wrap="nowrap" mb="xs">
              <Text fw={700} size="lg" truncate>
                {s.name}
              </Text>
              <Badge color="gray" variant="outline" size="lg" c="gray.2">
                {s.queuePrefix}
              </Badge>
            </Group>
            <Text size="sm" c="gray.4">
              {t('health.display.nowServing')}
            </Text>
            <Text fw={800} ff="monospace" c={s.nowServing?.status === 'called' ? 'orange.4' : 'white'} style={{ fontSize: 'clamp(2.5rem, 6vw, 3.5rem)', lineHeight: 1.1 }} data-testid="display-now">
              {s.nowServing?.queueCode ?? '–'}
            </Text>
            <Text size="sm" c="gray.4" mt="xs">
              {t('health.display.next')}
            </Text>
            <Text fw={600} ff="monospace" size="lg" data-testid="display-next">
              {s.next.length ? s.next.join('  ') : '–'}
            </Text>
            <Text size="sm" c="gray.4" mt={4}>
              {t('health.display.waiting', { count: s.waiting })}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
    </Box>
  );
}
