import { Alert, Badge, Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ComplaintStatus } from '../../../../common/complaints/workflow';
import { api, isApiError } from '../../app/api';
import { useDateTime } from '../../app/time';
import { STATUS_COLORS } from './api';
import { useLocaleSections } from './useLocaleSections';

const SECTIONS = ['duplicates', 'complaintStatus'] as const;

/** A possible duplicate (GET /api/v1/complaints/:id/duplicates). */
export interface DuplicateCandidate {
  id: string;
  trackingCode: string;
  status: ComplaintStatus;
  categoryId: string;
  categoryName: string;
  summary: string;
  distanceM: number | null;
  similarity: number | null;
  supportersCount: number;
  hidden: boolean;
  submittedAt: string;
}

export interface MergeDialogProps {
  /** The report being verified: the duplicate that goes into the chosen primary. */
  complaint: { id: string; trackingCode: string };
  opened: boolean;
  onClose: () => void;
  /** Called after the merge (refetch the detail). */
  onChanged: () => void;
}

/**
 * For the triage desk: the open reports near this one (same category, 50 m, 30 days, unverified
 * included, best match first) and a merge of this report into the chosen one. The report is then
 * rejected as a duplicate; its reporter and supporters follow the primary.
 */
export function MergeDialog({ complaint, opened, onClose, onChanged }: MergeDialogProps) {
  const { t } = useTranslation();
  const fmt = useDateTime();
  const q = useQuery({
    queryKey: ['complaints', complaint.id, 'duplicates'],
    queryFn: ({ signal }) => api.get<{ items: DuplicateCandidate[] }>(`/api/v1/complaints/${complaint.id}/duplicates`, undefined, signal),
    enabled: opened,
  });
  const [into, setInto] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = useLocaleSections(SECTIONS);

  async function merge() {
    if (!into) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/complaints/${complaint.id}/merge`, { into, ...(note.trim() ? { note: note.trim() } : {}) });
      onChanged();
      onClose();
    } catch (e) {
      setError(isApiError(e) ? [e.message, ...e.fieldErrors.map((f) => f.message)].join(' ') : String(e));
    } finally {
      setBusy(false);
    }
  }

  const items = q.data?.items ?? [];
  if (!ready) return null;
  return (
    <Modal opened={opened} onClose={onClose} title={t('duplicates.mergeTitle', { code: complaint.trackingCode })} size="lg">
      <Stack gap="sm" data-testid="merge-dialog">
        <Text size="sm" c="dimmed">
          {t('duplicates.mergeLead')}
        </Text>
        {q.isLoading ? <Text size="sm">{t('state.loading')}</Text> : null}
        {q.isError ? <Alert color="red">{isApiError(q.error) ? q.error.message : t('errors.network')}</Alert> : null}
        {q.isSuccess && !items.length ? <Text size="sm">{t('duplicates.none')}</Text> : null}
        <Radio.Group value={into} onChange={setInto} name="merge-into">
          <Stack gap="xs">
            {items.map((d) => (
              <Radio
                key={d.id}
                value={d.id}
                data-testid="merge-candidate"
                label={
                  <Stack gap={2}>
                    <Group gap="xs">
                      <Text fw={600} size="sm" ff="monospace">
                        {d.trackingCode}
                      </Text>
                      <Badge size="xs" variant="light" color={STATUS_COLORS[d.status]}>
                        {t(`complaintStatus.${d.status}`)}
                      </Badge>
                      {d.hidden ? (
                        <Badge size="xs" color="gray">
                          {t('duplicates.hidden')}
                        </Badge>
                      ) : null}
                    </Group>
                    <Text size="sm">{d.summary}</Text>
                    <Text size="xs" c="dimmed">
                      {t('duplicates.staffMeta', {
                        distance: d.distanceM == null ? t('duplicates.sameArea') : `${d.distanceM} m`,
                        similarity: d.similarity == null ? '–' : `${Math.round(d.similarity * 100)} %`,
                        count: d.supportersCount,
                        date: fmt(d.submittedAt),
                      })}
                    </Text>
                  </Stack>
                }
              />
            ))}
          </Stack>
        </Radio.Group>
        <Textarea label={t('duplicates.mergeNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button color="orange" disabled={!into} loading={busy} onClick={merge} data-testid="merge-submit">
            {t('duplicates.merge')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
