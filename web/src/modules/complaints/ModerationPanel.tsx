import { Alert, Button, Group, Image, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../app/api';
import { withBase } from '../../app/base';
import { useLocaleSections } from './useLocaleSections';

const SECTIONS = ['moderation'] as const;

/** What the panel needs of a report (a subset of the staff detail, GET /api/v1/complaints/:id). */
export interface ModeratedComplaint {
  id: string;
  description: string;
  photos: { id: string; hidden: boolean }[];
  timeline: { id: string; note: string | null; internal: boolean }[];
  /** Whether the whole report is hidden from the public; omit to leave out the report toggle. */
  hidden?: boolean;
}

export interface ModerationPanelProps {
  complaint: ModeratedComplaint;
  /** Called after every change (refetch the detail). */
  onChanged: () => void;
}

/**
 * Moderation for the triage desk (complaints.triage): hide or show photos (and the whole report),
 * and redact passages of the description or of a public note. Each action needs a reason, which
 * is audited; a redaction replaces the passages everywhere and keeps the original for auditors.
 */
export function ModerationPanel({ complaint, onChanged }: ModerationPanelProps) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [target, setTarget] = useState<string>('description');
  const [phrases, setPhrases] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const ready = useLocaleSections(SECTIONS);

  const notes = complaint.timeline.filter((e) => !e.internal && e.note);
  const targetText = target === 'description' ? complaint.description : (notes.find((n) => n.id === target)?.note ?? '');
  const reasonOk = reason.trim().length >= 3;

  async function run(key: string, path: string, body: unknown, message: string) {
    if (!reasonOk) {
      setError(t('moderation.reasonRequired'));
      return;
    }
    setBusy(key);
    setError(null);
    setDone(null);
    try {
      await api.post(`/api/v1/complaints/${complaint.id}/${path}`, body);
      setDone(message);
      if (path === 'redact') setPhrases('');
      onChanged();
    } catch (e) {
      setError(isApiError(e) ? [e.message, ...e.fieldErrors.map((f) => f.message)].join(' ') : String(e));
    } finally {
      setBusy(null);
    }
  }

  if (!ready) return null;
  const lines = phrases
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

  return (
    <Paper withBorder p="md" radius="md" data-testid="moderation-panel">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('moderation.title')}
        </Title>
        <TextInput label={t('moderation.reason')} description={t('moderation.reasonHint')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} required />

        {complaint.hidden !== undefined ? (
          <Group justify="space-between">
            <Text size="sm">{t(complaint.hidden ? 'moderation.reportHidden' : 'moderation.reportVisible')}</Text>
            <Button
              size="xs"
              variant="light"
              color={complaint.hidden ? 'blue' : 'red'}
              loading={busy === 'report'}
              onClick={() => run('report', 'visibility', { hidden: !complaint.hidden, reason: reason.trim() }, t(complaint.hidden ? 'moderation.reportShown' : 'moderation.reportHiddenDone'))}
            >
              {t(complaint.hidden ? 'moderation.showReport' : 'moderation.hideReport')}
            </Button>
          </Group>
        ) : null}

        {complaint.photos.length ? (
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
            {complaint.photos.map((p) => (
              <Stack key={p.id} gap={4} data-testid="moderation-photo">
                <Image src={withBase(`/api/v1/files/${p.id}/thumb`)} alt="" radius="sm" h={96} fit="cover" style={{ opacity: p.hidden ? 0.4 : 1 }} />
                <Button
                  size="compact-xs"
                  variant="light"
                  color={p.hidden ? 'blue' : 'red'}
                  loading={busy === p.id}
                  onClick={() => run(p.id, `photos/${p.id}/visibility`, { hidden: !p.hidden, reason: reason.trim() }, t(p.hidden ? 'moderation.photoShown' : 'moderation.photoHidden'))}
                >
                  {t(p.hidden ? 'moderation.showPhoto' : 'moderation.hidePhoto')}
                </Button>
              </Stack>
            ))}
          </SimpleGrid>
        ) : null}

        <Select
          label={t('moderation.redactTarget')}
          data={[
            { value: 'description', label: t('moderation.description') },
            ...notes.map((n, i) => ({ value: n.id, label: t('moderation.note', { n: i + 1, text: (n.note ?? '').slice(0, 40) }) })),
          ]}
          value={target}
          onChange={(v) => setTarget(v ?? 'description')}
          allowDeselect={false}
        />
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
          {targetText}
        </Text>
        <Textarea label={t('moderation.phrases')} description={t('moderation.phrasesHint')} value={phrases} onChange={(e) => setPhrases(e.currentTarget.value)} autosize minRows={2} />
        <Group justify="flex-end">
          <Button
            size="xs"
            color="red"
            variant="light"
            disabled={!lines.length}
            loading={busy === 'redact'}
            onClick={() => run('redact', 'redact', { ...(target === 'description' ? {} : { eventId: target }), phrases: lines, reason: reason.trim() }, t('moderation.redacted'))}
          >
            {t('moderation.redact')}
          </Button>
        </Group>
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        {done ? (
          <Text size="sm" c="green" role="status">
            {done}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
