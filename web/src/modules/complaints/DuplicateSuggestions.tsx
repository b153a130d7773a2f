import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ComplaintStatus } from '../../../../common/complaints/workflow';
import { api, isApiError } from '../../app/api';
import { useMe } from '../../app/auth';
import { useDateTime } from '../../app/time';
import { STATUS_COLORS } from './api';
import { useLocaleSections } from './useLocaleSections';

/** A verified open report near the place (GET /api/v1/complaints/nearby). */
export interface NearbyReport {
  trackingCode: string;
  status: ComplaintStatus;
  category: { id: string; name: string; icon: string };
  summary: string;
  distanceM: number;
  supportersCount: number;
  submittedAt: string;
}

interface SupportResult {
  trackingCode: string;
  supportersCount: number;
  alreadySupported: boolean;
  following: boolean;
}

export interface DuplicateSuggestionsProps {
  categoryId: string;
  lat?: number;
  lng?: number;
  /** The description typed so far: ranks the matches by text similarity. */
  description: string;
  /** Called after the resident supported a report (the form may then stop, or go on). */
  onSupported?: (trackingCode: string) => void;
}

const SECTIONS = ['duplicates', 'complaintStatus'] as const;
const DEBOUNCE_MS = 600;
/** Text shorter than this does not rank (the place alone does). */
const MIN_TEXT = 10;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * "Laporan serupa di dekat Anda": verified open reports of the same category within 50 m and 30
 * days, for the citizen form. Each has a "Dukung laporan ini" button (support instead of filing
 * the same report again); anonymous residents may leave an e-mail address for updates. Renders
 * nothing until there is a place and a match.
 */
export function DuplicateSuggestions({ categoryId, lat, lng, description, onSupported }: DuplicateSuggestionsProps) {
  const { t } = useTranslation();
  const fmt = useDateTime();
  const signedIn = Boolean(useMe().data);
  const text = description.trim();
  const params = useDebounced({ categoryId, lat, lng, text: text.length >= MIN_TEXT ? text.slice(0, 500) : '' }, DEBOUNCE_MS);
  const enabled = Boolean(params.categoryId && params.lat != null && params.lng != null);
  const q = useQuery({
    queryKey: ['complaints', 'nearby', params],
    queryFn: ({ signal }) => api.get<{ items: NearbyReport[] }>('/api/v1/complaints/nearby', params, signal),
    enabled,
    staleTime: 30_000,
  });
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<SupportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  // One Idempotency-Key per report, so that a retry after a lost answer is not counted twice.
  const keys = useRef(new Map<string, string>());
  const ready = useLocaleSections(SECTIONS);

  const items = q.data?.items ?? [];
  if (!ready || !enabled || (!items.length && !done)) return null;

  async function support(code: string) {
    setBusy(code);
    setError(null);
    if (!keys.current.has(code)) keys.current.set(code, newKey());
    try {
      const body = !signedIn && email.trim() ? { email: email.trim() } : {};
      const r = await api.post<SupportResult>(`/api/v1/complaints/track/${encodeURIComponent(code)}/support`, body, { 'idempotency-key': keys.current.get(code)! });
      setDone(r);
      onSupported?.(r.trackingCode);
    } catch (e) {
      setError(isApiError(e) ? e.message : t('errors.network'));
    } finally {
      setBusy(null);
    }
  }

  if (done) {
    return (
      <Alert color="green" title={t(done.alreadySupported ? 'duplicates.alreadySupported' : 'duplicates.supported')} data-testid="duplicate-supported">
        <Stack gap={4}>
          <Text size="sm">{t('duplicates.supportersCount', { count: done.supportersCount })}</Text>
          {done.following ? <Text size="sm">{t('duplicates.following')}</Text> : null}
          <Anchor component={Link} to={`/lapor/lacak/${done.trackingCode}`} size="sm">
            {t('duplicates.openReport', { code: done.trackingCode })}
          </Anchor>
        </Stack>
      </Alert>
    );
  }

  return (
    <Paper withBorder p="sm" radius="md" data-testid="duplicate-suggestions" aria-labelledby="duplicate-suggestions-title">
      <Stack gap="sm">
        <div>
          <Title order={2} size="h5" id="duplicate-suggestions-title">
            {t('duplicates.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('duplicates.lead')}
          </Text>
        </div>
        {items.map((r) => (
          <Paper key={r.trackingCode} withBorder p="xs" radius="sm" data-testid="duplicate-item">
            <Stack gap={4}>
              <Group gap="xs" justify="space-between" wrap="nowrap">
                <Text fw={600} size="sm">
                  {r.category.name}
                </Text>
                <Badge variant="light" size="sm" color={STATUS_COLORS[r.status]} style={{ flexShrink: 0 }}>
                  {t(`complaintStatus.${r.status}`)}
                </Badge>
              </Group>
              <Text size="sm">{r.summary}</Text>
              <Text size="xs" c="dimmed">
                {t('duplicates.meta', { distance: r.distanceM, count: r.supportersCount, date: fmt(r.submittedAt) })}
              </Text>
              <Button size="xs" variant="light" loading={busy === r.trackingCode} disabled={busy != null} onClick={() => support(r.trackingCode)} data-testid="duplicate-support">
                {t('duplicates.support')}
              </Button>
            </Stack>
          </Paper>
        ))}
        {!signedIn ? (
          <TextInput
            type="email"
            size="xs"
            label={t('duplicates.emailLabel')}
            description={t('duplicates.emailHint')}
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            autoComplete="email"
          />
        ) : null}
        {error ? (
          <Text size="sm" c="red" role="alert">
            {error}
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          {t('duplicates.orContinue')}
        </Text>
      </Stack>
    </Paper>
  );
}
