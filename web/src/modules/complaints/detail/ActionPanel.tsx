import { Alert, Button, Group, Paper, Select, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ANSWER_MIN, NOTE_MAX } from '../../../../../common/complaints/contracts';
import { type ComplaintAction, REJECTION_REASONS } from '../../../../../common/complaints/workflow';
import { api } from '../../../app/api';
import { problemOf } from './problem';
import { type ProofPhoto, ProofPhotos } from './ProofPhotos';
import { TemplateMenu } from './TemplateMenu';
import type { DetailView } from './types';
import { UnitPicker } from './UnitPicker';

/** Staff actions in the order of the workflow; `note` is not a transition (any handler, any time). */
const STAFF_ACTIONS = ['verify', 'dispose', 'start', 'request_info', 'resolve', 'reject'] as const satisfies readonly ComplaintAction[];
type PanelAction = (typeof STAFF_ACTIONS)[number] | 'note';

const PATHS: Record<PanelAction, string> = {
  verify: 'verify',
  reject: 'reject',
  dispose: 'dispose',
  start: 'start',
  request_info: 'request-info',
  resolve: 'resolve',
  note: 'notes',
};

/** Statuses in which nothing more happens to a report. */
const CLOSED = new Set(['rejected', 'withdrawn', 'closed']);

/**
 * The detail page's actions: only those the server lists in allowedActions for this actor and
 * status (computed from common/complaints/workflow.ts), plus notes for handlers. The server checks
 * again; its problem message is shown as it comes, in the user's language.
 */
export function ActionPanel({ report, canNote }: { report: DetailView; canNote: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const actions: PanelAction[] = STAFF_ACTIONS.filter((a) => report.allowedActions.includes(a));
  if (canNote && !CLOSED.has(report.status)) actions.push('note');
  const [action, setAction] = useState<PanelAction | null>(null);
  const [text, setText] = useState('');
  const [reason, setReason] = useState<string | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [internal, setInternal] = useState(true);
  const [photos, setPhotos] = useState<ProofPhoto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  function choose(a: PanelAction) {
    setAction(a);
    setText('');
    setReason(null);
    setUnitId(a === 'dispose' ? report.unitId : null);
    setInternal(true);
    setPhotos([]);
    setError(null);
    setFields({});
  }

  /** Checks in the browser what the server would refuse, for a message before the round trip. */
  function validate(a: PanelAction): Record<string, string> {
    const f: Record<string, string> = {};
    const n = text.trim().length;
    if (a === 'reject' && !reason) f.reason = t('detail.reasonRequired');
    if (a === 'dispose' && !unitId) f.unitId = t('detail.unitRequired');
    if (a === 'request_info' && n < 5) f.question = t('detail.questionShort', { min: 5 });
    if (a === 'resolve' && n < ANSWER_MIN) f.answer = t('detail.answerShort', { min: ANSWER_MIN });
    if (a === 'resolve' && !photos.some((p) => p.id)) f.proofPhotos = t('detail.proofRequired');
    if (a === 'note' && n === 0) f.text = t('detail.noteRequired');
    if (photos.some((p) => !p.id && !p.error)) f.proofPhotos = t('detail.photosUploading');
    return f;
  }

  function bodyOf(a: PanelAction): unknown {
    const note = text.trim() ? { note: text.trim() } : {};
    const ids = photos.filter((p) => p.id).map((p) => ({ id: p.id! }));
    switch (a) {
      case 'verify':
      case 'start':
        return note;
      case 'reject':
        return { reason, ...note };
      case 'dispose':
        return { unitId, ...note };
      case 'request_info':
        return { question: text.trim() };
      case 'resolve':
        return { answer: text.trim(), proofPhotos: ids };
      case 'note':
        return { text: text.trim(), internal, photos: ids };
    }
  }

  async function run() {
    if (!action) return;
    const invalid = validate(action);
    setFields(invalid);
    if (Object.keys(invalid).length) {
      setError(t('detail.fixFields'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await api.post<DetailView>(`/api/v1/complaints/${report.id}/${PATHS[action]}`, bodyOf(action));
      qc.setQueryData(['complaints', 'detail', report.id], updated);
      void qc.invalidateQueries({ queryKey: ['complaints', 'inbox'] });
      notifications.show({ color: 'teal', message: t(`detail.done.${action}`, { code: updated.trackingCode }) });
      setAction(null);
    } catch (e) {
      const p = problemOf(e, t);
      setError(p.message);
      setFields(p.fields);
      // A stale page (another officer acted first): show the report as it is now.
      void qc.invalidateQueries({ queryKey: ['complaints', 'detail', report.id] });
    } finally {
      setBusy(false);
    }
  }

  const textField: Record<PanelAction, { key: string; label: string; required: boolean; template: boolean; description?: string }> = {
    verify: { key: 'note', label: t('detail.noteOptional'), required: false, template: false, description: t('detail.noteInternalHint') },
    reject: { key: 'note', label: t('detail.noteOptional'), required: false, template: false, description: t('detail.noteInternalHint') },
    dispose: { key: 'note', label: t('detail.disposeNote'), required: false, template: false, description: t('detail.noteInternalHint') },
    start: { key: 'note', label: t('detail.noteOptional'), required: false, template: false, description: t('detail.noteInternalHint') },
    request_info: { key: 'question', label: t('detail.question'), required: true, template: true, description: t('detail.questionHint') },
    resolve: { key: 'answer', label: t('detail.answer'), required: true, template: true, description: t('detail.answerHint') },
    note: { key: 'text', label: t('detail.noteText'), required: true, template: !internal, description: internal ? t('detail.noteInternal') : t('detail.notePublic') },
  };

  if (actions.length === 0) {
    return (
      <Paper withBorder p="md" radius="md">
        <Text size="sm" c="dimmed" data-testid="no-actions">
          {t('detail.noActions')}
        </Text>
      </Paper>
    );
  }
  const field = action ? textField[action] : null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="actions-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="actions-heading">
          {t('detail.actions')}
        </Title>
        <Group gap="xs">
          {actions.map((a) => (
            <Button
              key={a}
              size="sm"
              variant={action === a ? 'filled' : 'light'}
              color={a === 'reject' ? 'red' : a === 'resolve' ? 'teal' : undefined}
              onClick={() => choose(a)}
              data-testid={`action-${a}`}
            >
              {t(`detail.action.${a}`)}
            </Button>
          ))}
        </Group>
        {action && field ? (
          <Stack gap="sm" data-testid="action-form">
            {action === 'reject' ? (
              <Select
                label={t('detail.reason')}
                required
                data={REJECTION_REASONS.map((x) => ({ value: x, label: t(`rejectionReason.${x}`) }))}
                value={reason}
                onChange={setReason}
                error={fields.reason}
              />
            ) : null}
            {action === 'dispose' ? <UnitPicker value={unitId} onChange={setUnitId} current={{ id: report.unitId, name: report.unitName }} error={fields.unitId} /> : null}
            {action === 'note' ? (
              <Switch checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} label={t('detail.internalSwitch')} data-testid="note-internal" />
            ) : null}
            <Stack gap={4}>
              {field.template ? (
                <Group justify="flex-end">
                  <TemplateMenu categoryId={report.categoryId} onPick={(body) => setText(body)} />
                </Group>
              ) : null}
              <Textarea
                label={field.label}
                description={field.description}
                required={field.required}
                autosize
                minRows={action === 'resolve' ? 4 : 2}
                maxLength={NOTE_MAX}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={fields[field.key]}
                data-testid="action-text"
              />
            </Stack>
            {action === 'resolve' || action === 'note' ? (
              <ProofPhotos photos={photos} onChange={setPhotos} label={action === 'resolve' ? t('detail.proofPhotos') : t('detail.notePhotos')} error={fields.proofPhotos ?? fields.photos} />
            ) : null}
            {error ? (
              <Alert color="red" role="alert" data-testid="action-error">
                {error}
              </Alert>
            ) : null}
            <Group gap="xs">
              <Button onClick={run} loading={busy} color={action === 'reject' ? 'red' : undefined} data-testid="action-confirm">
                {t(`detail.confirm.${action}`)}
              </Button>
              <Button variant="default" onClick={() => setAction(null)} disabled={busy}>
                {t('action.cancel')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
