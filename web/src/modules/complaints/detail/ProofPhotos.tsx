import { ActionIcon, Box, Button, Group, Image, Loader, Text } from '@mantine/core';
import { IconCamera, IconX } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../../app/api';
import { MAX_PHOTOS } from '../../../../../common/complaints/contracts';
import { downscalePhoto } from '../photos';
import type { Uploaded } from './types';

export interface ProofPhoto {
  key: string;
  preview: string;
  id?: string;
  /** Download token of an anonymous upload, needed to claim the file. */
  token?: string;
  error?: string;
}

let seq = 0;

/**
 * Photos attached to an answer or note: downscaled in the browser, uploaded at once to
 * POST /api/v1/files, and sent with the command by their file ids.
 */
export function ProofPhotos({ photos, onChange, label, error }: { photos: ProofPhoto[]; onChange: (update: (list: ProofPhoto[]) => ProofPhoto[]) => void; label: string; error?: string }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef(photos);
  latest.current = photos;
  // Object URLs of the previews are released when the form goes away.
  useEffect(
    () => () => {
      for (const p of latest.current) if (p.preview) URL.revokeObjectURL(p.preview);
    },
    [],
  );

  async function add(files: FileList | null) {
    if (!files) return;
    const chosen = Array.from(files).slice(0, Math.max(0, MAX_PHOTOS - photos.length));
    for (const file of chosen) {
      seq += 1;
      const key = `p${seq}`;
      let blob: Blob;
      try {
        blob = await downscalePhoto(file);
      } catch {
        onChange((list) => [...list, { key, preview: '', error: t('followup.photoUnreadable', { name: file.name }) }]);
        continue;
      }
      onChange((list) => [...list, { key, preview: URL.createObjectURL(blob) }]);
      const fd = new FormData();
      fd.append('file', blob, 'bukti.jpg');
      try {
        const up = await api.post<Uploaded>('/api/v1/files', fd);
        onChange((list) => list.map((p) => (p.key === key ? { ...p, id: up.id, token: up.downloadToken } : p)));
      } catch (e) {
        onChange((list) => list.map((p) => (p.key === key ? { ...p, error: isApiError(e) ? e.message : t('errors.unexpected') } : p)));
      }
    }
    if (input.current) input.current.value = '';
  }

  return (
    <Box>
      <Text size="sm" fw={500} mb={4}>
        {label}
      </Text>
      <Group gap="xs">
        {photos.map((p, i) => (
          <Box
            key={p.key}
            pos="relative"
            w={72}
            h={72}
            style={{ borderRadius: 6, overflow: 'hidden', background: 'var(--mantine-color-gray-1)' }}
            data-testid="proof-photo"
            data-uploaded={p.id ? 'true' : undefined}
          >
            {p.preview ? <Image src={p.preview} alt={t('followup.photoAlt', { n: i + 1 })} w={72} h={72} fit="cover" /> : null}
            {!p.id && !p.error ? <Loader size="xs" pos="absolute" top={26} left={26} aria-label={t('state.loading')} /> : null}
            {p.error ? (
              <Text size="xs" c="red" p={2} pos="absolute" top={0} left={0} style={{ background: 'rgba(255,255,255,.85)' }}>
                {p.error}
              </Text>
            ) : null}
            <ActionIcon
              size="sm"
              color="dark"
              variant="filled"
              pos="absolute"
              top={2}
              right={2}
              aria-label={t('followup.removePhoto', { n: i + 1 })}
              onClick={() => {
                if (p.preview) URL.revokeObjectURL(p.preview);
                onChange((list) => list.filter((x) => x.key !== p.key));
              }}
            >
              <IconX size={12} aria-hidden />
            </ActionIcon>
          </Box>
        ))}
        {photos.length < MAX_PHOTOS ? (
          <Button variant="default" h={72} leftSection={<IconCamera size={16} aria-hidden />} onClick={() => input.current?.click()}>
            {t('followup.addPhoto')}
          </Button>
        ) : null}
      </Group>
      <input ref={input} type="file" accept="image/jpeg,image/png,image/webp" multiple hidden onChange={(e) => void add(e.currentTarget.files)} data-testid="proof-input" />
      {error ? (
        <Text size="xs" c="red" mt={4} role="alert">
          {error}
        </Text>
      ) : null}
    </Box>
  );
}
