import { ActionIcon, Alert, Button, Group, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { IconCheck, IconMessageReply, IconRotate, IconStar, IconStarFilled, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NOTE_MAX, RATING_COMMENT_MAX, REOPEN_DAYS } from '../../../../common/complaints/contracts';
import { allowedActions } from '../../../../common/complaints/workflow';
import { api } from '../../app/api';
import { useDateTime } from '../../app/time';
import { problemOf } from './detail/problem';
import { type ProofPhoto, ProofPhotos } from './detail/ProofPhotos';
import type { TrackedView } from './detail/types';

type ReporterAction = 'withdraw' | 'provide_info' | 'close' | 'reopen' | 'rate';
const PATHS: Record<ReporterAction, string> = { withdraw: 'withdraw', provide_info: 'provide-info', close: 'close', reopen: 'reopen', rate: 'rate' };
const DAY = 24 * 60 * 60 * 1000;

/**
 * What the reporter can do on the tracking page (signed in, or holding the private link): the
 * workflow's reporter actions for this status (common/complaints/workflow.ts), reopening only
 * within REOPEN_DAYS of the answer, and a rating once the report is closed. The server decides.
 */
export function ReporterActions({ report: r, token, queryKey }: { report: TrackedView; token?: string; queryKey: readonly unknown[] }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const qc = useQueryClient();
  const [open, setOpen] = useState<ReporterAction | null>(null);
  const [text, setText] = useState('');
  const [score, setScore] = useState(0);
  const [photos, setPhotos] = useState<ProofPhoto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const flow = allowedActions(r.status, 'reporter');
  const reopenUntil = r.resolvedAt ? new Date(new Date(r.resolvedAt).getTime() + REOPEN_DAYS * DAY) : null;
  const canReopen = flow.includes('reopen') && (!reopenUntil || reopenUntil.getTime() > Date.now());
  const actions: ReporterAction[] = [
    ...(flow.includes('provide_info') ? (['provide_info'] as const) : []),
    ...(flow.includes('close') ? (['close'] as const) : []),
    ...(canReopen ? (['reopen'] as const) : []),
    ...(r.status === 'closed' && !r.rating ? (['rate'] as const) : []),
    ...(flow.includes('withdraw') ? (['withdraw'] as const) : []),
  ];
  // The unit's last question, shown above the answer form.
  const question = r.status === 'needs_info' ? [...r.timeline].reverse().find((e) => e.action === 'request_info')?.note : null;

  function start(a: ReporterAction) {
    setOpen(a);
    setText('');
    setScore(0);
    setPhotos([]);
    setError(null);
    setFields({});
  }

  function bodyOf(a: ReporterAction): { body: unknown; invalid: Record<string, string> } {
    const v = text.trim();
    const invalid: Record<string, string> = {};
    if (a === 'provide_info' && !v) invalid.answer = t('followup.answerRequired');
    if (a === 'reopen' && v.length < 10) invalid.reason = t('followup.reasonShort', { min: 10 });
    if (a === 'rate' && !score) invalid.score = t('followup.scoreRequired');
    if (photos.some((p) => !p.id && !p.error)) invalid.photos = t('followup.photosUploading');
    const claims = photos.filter((p) => p.id).map((p) => (p.token ? { id: p.id!, token: p.token } : { id: p.id! }));
    switch (a) {
      case 'withdraw':
        return { body: v ? { reason: v } : {}, invalid };
      case 'provide_info':
        return { body: { answer: v, photos: claims }, invalid };
      case 'close':
        return { body: {}, invalid };
      case 'reopen':
        return { body: { reason: v }, invalid };
      case 'rate':
        return { body: { score, ...(v ? { comment: v } : {}) }, invalid };
    }
  }

  async function submit() {
    if (!open) return;
    const { body, invalid } = bodyOf(open);
    setFields(invalid);
    if (Object.keys(invalid).length) {
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await api.post<TrackedView>(
        `/api/v1/complaints/track/${encodeURIComponent(r.trackingCode)}/${PATHS[open]}`,
        body,
        token ? { 'x-complaint-token': token } : undefined,
      );
      qc.setQueryData(queryKey, updated);
      void qc.invalidateQueries({ queryKey: ['complaints', 'mine'] });
      notifications.show({ color: 'teal', message: t(`followup.done.${open}`) });
      setOpen(null);
    } catch (e) {
      const p = problemOf(e, t);
      setError(p.message);
      setFields(p.fields);
      void qc.invalidateQueries({ queryKey });
    } finally {
      setBusy(false);
    }
  }

  if (actions.length === 0) return null;
  const icons: Record<ReporterAction, React.ReactNode> = {
    provide_info: <IconMessageReply size={16} aria-hidden />,
    close: <IconCheck size={16} aria-hidden />,
    reopen: <IconRotate size={16} aria-hidden />,
    rate: <IconStar size={16} aria-hidden />,
    withdraw: <IconX size={16} aria-hidden />,
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="followup-heading" data-testid="reporter-actions">
      <Stack gap="sm">
        <Title order={2} size="h4" id="followup-heading">
          {t('followup.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t(`followup.lead.${r.status}`, { defaultValue: '' })}
        </Text>
        {question ? (
          <Alert color="orange" variant="light" title={t('followup.question')} data-testid="followup-question">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {question}
            </Text>
          </Alert>
        ) : null}
        {canReopen && reopenUntil ? (
          <Text size="xs" c="dimmed">
            {t('followup.reopenUntil', { when: when(reopenUntil) })}
          </Text>
        ) : null}
        <Stack gap="xs">
          {actions.map((a) => (
            <Button
              key={a}
              fullWidth
              variant={a === 'withdraw' ? 'default' : a === 'reopen' ? 'light' : 'filled'}
              color={a === 'withdraw' ? 'red' : a === 'close' ? 'teal' : undefined}
              leftSection={icons[a]}
              onClick={() => start(a)}
              data-testid={`followup-${a}`}
            >
              {t(`followup.action.${a}`)}
            </Button>
          ))}
        </Stack>
      </Stack>
      <Modal opened={open != null} onClose={() => !busy && setOpen(null)} title={open ? t(`followup.action.${open}`) : ''} fullScreen={false} size="md" centered>
        {open ? (
          <Stack gap="sm">
            <Text size="sm">{t(`followup.confirm.${open}`, { days: REOPEN_DAYS })}</Text>
            {open === 'rate' ? (
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('followup.score')}
                </Text>
                <Stars value={score} onChange={setScore} />
                {fields.score ? (
                  <Text size="xs" c="red" role="alert">
                    {fields.score}
                  </Text>
                ) : null}
              </Stack>
            ) : null}
            {open !== 'close' ? (
              <Textarea
                label={t(`followup.text.${open}`)}
                required={open === 'provide_info' || open === 'reopen'}
                autosize
                minRows={3}
                maxLength={open === 'rate' ? RATING_COMMENT_MAX : NOTE_MAX}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={fields.answer ?? fields.reason ?? fields.comment}
                data-testid="followup-text"
              />
            ) : null}
            {open === 'provide_info' ? <ProofPhotos photos={photos} onChange={setPhotos} label={t('followup.photos')} error={fields.photos} /> : null}
            {error ? (
              <Alert color="red" role="alert" data-testid="followup-error">
                {error}
              </Alert>
            ) : null}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setOpen(null)} disabled={busy}>
                {t('action.cancel')}
              </Button>
              <Button onClick={submit} loading={busy} color={open === 'withdraw' ? 'red' : undefined} data-testid="followup-submit">
                {t(`followup.submit.${open}`)}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Paper>
  );
}

/** Five stars as a radio group: arrow keys move, each star says its score to screen readers. */
function Stars({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} role="radiogroup" aria-label={t('followup.score')} data-testid="followup-score">
      {[1, 2, 3, 4, 5].map((n) => (
        <ActionIcon
          key={n}
          role="radio"
          aria-checked={value === n}
          aria-label={t('followup.stars', { n })}
          tabIndex={value === n || (value === 0 && n === 1) ? 0 : -1}
          variant="subtle"
          color="yellow"
          size={44}
          onClick={() => onChange(n)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight' || e.key === 'ArrowUp') onChange(Math.min(5, (value || 0) + 1));
            if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') onChange(Math.max(1, (value || 2) - 1));
          }}
        >
          {n <= value ? <IconStarFilled size={32} aria-hidden /> : <IconStar size={32} aria-hidden />}
        </ActionIcon>
      ))}
    </Group>
  );
}
