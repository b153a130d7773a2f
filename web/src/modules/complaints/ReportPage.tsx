import { ActionIcon, Alert, Anchor, Box, Button, Container, CopyButton, Group, Image, Paper, Radio, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconCamera, IconCheck, IconCopy, IconCurrentLocation, IconX } from '@tabler/icons-react';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { COMPLAINT_KINDS, type ComplaintKind } from '../../../../common/complaints/workflow';
import { api, isApiError } from '../../app/api';
import { useMe } from '../../app/auth';
import { withBase } from '../../app/base';
import { useTenant } from '../../app/tenant';
import { fieldMessage, normalizePhone } from '../../ui/form';
import { usePageTitle } from '../../ui/Page';
import { ErrorState, LoadingState } from '../../ui/PageState';
import { type PublicCategory, type Submitted, useCategories, useRegions } from './api';
import { CategoryIcon } from './CategoryIcon';
import { DESCRIPTION_MAX, DESCRIPTION_MIN, MAX_PHOTOS } from './limits';
import { downscalePhoto } from './photos';

interface Photo {
  key: string;
  preview: string;
  id?: string;
  token?: string;
  error?: string;
}

interface Upload {
  id: string;
  downloadToken?: string;
}

type Errors = Record<string, string | undefined>;

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** The private link of a report: whoever holds it can follow it before verification. */
export function privateLink(code: string, token?: string): string {
  return `${window.location.origin}${withBase(`/lapor/lacak/${encodeURIComponent(code)}`)}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** The citizen report form: category, place, photos, description, then the tracking code. */
export function ReportPage() {
  const { t } = useTranslation();
  usePageTitle(t('report.title'));
  const [done, setDone] = useState<Submitted | null>(null);
  return (
    <Container size="sm" py="lg" px="md">
      {done ? <Confirmation result={done} onAnother={() => setDone(null)} /> : <ReportForm onDone={setDone} />}
    </Container>
  );
}

function ReportForm({ onDone }: { onDone: (r: Submitted) => void }) {
  const { t } = useTranslation();
  const tenant = useTenant();
  const me = useMe();
  const categories = useCategories();
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [kind, setKind] = useState<ComplaintKind>('pengaduan');
  const [kecamatan, setKecamatan] = useState<string | null>(null);
  const [kelurahan, setKelurahan] = useState<string | null>(null);
  const [address, setAddress] = useState('');
  const [location, setLocation] = useState<{ lat: number; lng: number; accuracy: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [description, setDescription] = useState('');
  const [attributes, setAttributes] = useState<Record<string, string>>({});
  const [contact, setContact] = useState({ name: '', phone: '', email: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const idem = useRef<{ body: string; key: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const kecamatanList = useRegions(tenant.data?.regionCode);
  const kelurahanList = useRegions(kecamatan);
  const category = categories.data?.items.find((c) => c.id === categoryId) ?? null;
  const attrs = [...(category?.attributes ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const uploading = photos.some((p) => !p.id && !p.error);

  if (categories.isPending || tenant.isPending) return <LoadingState />;
  if (categories.isError) return <ErrorState error={categories.error} onRetry={() => categories.refetch()} />;

  const clearError = (key: string) => setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));

  function chooseCategory(c: PublicCategory) {
    setCategoryId(c.id);
    setKind(c.kind);
    setAttributes({});
    clearError('categoryId');
  }

  function locate() {
    if (!('geolocation' in navigator)) {
      setErrors((e) => ({ ...e, location: t('report.locationUnavailable') }));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        setLocation({ lat: Number(pos.coords.latitude.toFixed(6)), lng: Number(pos.coords.longitude.toFixed(6)), accuracy: Math.round(pos.coords.accuracy) });
        clearError('location');
      },
      () => {
        setLocating(false);
        setErrors((e) => ({ ...e, location: t('report.locationDenied') }));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  async function addPhotos(files: FileList | null) {
    if (!files) return;
    const room = MAX_PHOTOS - photos.length;
    const chosen = Array.from(files).slice(0, Math.max(0, room));
    clearError('photos');
    for (const file of chosen) {
      const key = newKey();
      let blob: Blob;
      try {
        blob = await downscalePhoto(file);
      } catch {
        setPhotos((list) => [...list, { key, preview: '', error: t('report.photoUnreadable', { name: file.name }) }]);
        continue;
      }
      const preview = URL.createObjectURL(blob);
      setPhotos((list) => [...list, { key, preview }]);
      const fd = new FormData();
      fd.append('file', blob, 'foto.jpg');
      try {
        const up = await api.post<Upload>('/api/v1/files', fd);
        setPhotos((list) => list.map((p) => (p.key === key ? { ...p, id: up.id, token: up.downloadToken } : p)));
      } catch (e) {
        setPhotos((list) => list.map((p) => (p.key === key ? { ...p, error: isApiError(e) ? e.message : t('errors.unexpected') } : p)));
      }
    }
    if (fileRef.current) fileRef.current.value = '';
  }

  function removePhoto(key: string) {
    setPhotos((list) => {
      const gone = list.find((p) => p.key === key);
      if (gone?.preview) URL.revokeObjectURL(gone.preview);
      return list.filter((p) => p.key !== key);
    });
  }

  function validate(): Errors {
    const e: Errors = {};
    if (!categoryId) e.categoryId = t('report.chooseCategory');
    const n = description.trim().length;
    if (n === 0) e.description = fieldMessage('field.required');
    else if (n < DESCRIPTION_MIN) e.description = fieldMessage('field.too_short', { minimum: DESCRIPTION_MIN });
    else if (n > DESCRIPTION_MAX) e.description = fieldMessage('field.too_long', { maximum: DESCRIPTION_MAX });
    if (!location && !kecamatan) e.regionCode = t('report.placeRequired');
    for (const a of attrs) {
      const v = (attributes[a.code] ?? '').trim();
      if (a.required && !v) e[`attributes.${a.code}`] = fieldMessage('field.required');
      else if (v && a.datatype === 'number' && !Number.isFinite(Number(v))) e[`attributes.${a.code}`] = t('report.numberRequired');
    }
    if (contact.phone.trim() && !normalizePhone(contact.phone)) e['reporter.phone'] = fieldMessage('field.phone');
    if (contact.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact.email.trim())) e['reporter.email'] = fieldMessage('field.email');
    return e;
  }

  function focusFirstError() {
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-error-anchor="true"], [data-form-error]')?.focus());
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    if (sending || uploading) return;
    const found = validate();
    setFormError(null);
    if (Object.values(found).some(Boolean)) {
      setErrors(found);
      focusFirstError();
      return;
    }
    const attributeValues: Record<string, string | number> = {};
    for (const a of attrs) {
      const v = (attributes[a.code] ?? '').trim();
      if (v) attributeValues[a.code] = a.datatype === 'number' ? Number(v) : v;
    }
    const reporter = me.data
      ? undefined
      : Object.fromEntries(
          Object.entries({ name: contact.name.trim(), phone: contact.phone.trim() ? normalizePhone(contact.phone) : '', email: contact.email.trim() }).filter(([, v]) => v),
        );
    const body = {
      categoryId,
      kind,
      description: description.trim(),
      ...(location ? { location: { lat: location.lat, lng: location.lng } } : {}),
      ...(kelurahan || kecamatan ? { regionCode: kelurahan ?? kecamatan } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
      attributes: attributeValues,
      photos: photos.filter((p) => p.id).map((p) => (p.token ? { id: p.id, token: p.token } : { id: p.id })),
      ...(reporter && Object.keys(reporter).length ? { reporter } : {}),
    };
    // The same draft keeps its key, so a retry after a lost answer returns the same report.
    const json = JSON.stringify(body);
    if (idem.current?.body !== json) idem.current = { body: json, key: newKey() };
    setSending(true);
    try {
      const r = await api.post<Submitted>('/api/v1/complaints', body, { 'idempotency-key': idem.current.key });
      idem.current = null;
      onDone(r);
      window.scrollTo({ top: 0 });
    } catch (e) {
      if (isApiError(e)) {
        const known: Errors = {};
        const other: string[] = [];
        for (const fe of e.fieldErrors) {
          const key = fe.field.startsWith('location') ? 'location' : fe.field.startsWith('photos') ? 'photos' : fe.field;
          if (FIELD_KEYS.has(key) || key.startsWith('attributes.') || key.startsWith('reporter.')) known[key] = known[key] ?? fe.message;
          else other.push(fe.message);
        }
        setErrors(known);
        setFormError(Object.keys(known).length && !other.length ? null : [e.message, ...other].join(' '));
      } else setFormError(t('errors.unexpected'));
      focusFirstError();
    } finally {
      setSending(false);
    }
  }

  const count = description.trim().length;
  return (
    <form ref={formRef} noValidate onSubmit={submit}>
      <Stack gap="lg">
        <Box>
          <Title order={1} size="h2" id="page-title" tabIndex={-1} style={{ outline: 'none' }}>
            {t('report.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('report.lead')}{' '}
            <Anchor component={Link} to="/lapor/lacak" size="sm" style={{ textDecoration: 'underline' }}>
              {t('report.trackLink')}
            </Anchor>
          </Text>
        </Box>
        {formError ? (
          <Alert color="red" data-form-error tabIndex={-1} role="alert">
            {formError}
          </Alert>
        ) : null}

        <Stack gap={6} component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
          <Text component="legend" fw={600} mb={6}>
            {t('report.category')} <span aria-hidden>*</span>
          </Text>
          <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs" role="radiogroup" aria-label={t('report.category')} aria-invalid={errors.categoryId ? true : undefined}>
            {categories.data.items.map((c, i) => {
              const selected = c.id === categoryId;
              return (
                <UnstyledButton
                  key={c.id}
                  role="radio"
                  aria-checked={selected}
                  data-error-anchor={errors.categoryId && i === 0 ? 'true' : undefined}
                  onClick={() => chooseCategory(c)}
                  className="balai-category"
                  data-selected={selected || undefined}
                >
                  <CategoryIcon name={c.icon} />
                  <Text size="sm" fw={500} lh={1.25} ta="center">
                    {c.name}
                  </Text>
                </UnstyledButton>
              );
            })}
          </SimpleGrid>
          {errors.categoryId ? (
            <Text c="red" size="sm" role="alert">
              {errors.categoryId}
            </Text>
          ) : null}
        </Stack>

        {attrs.length ? (
          <Stack gap="sm">
            {attrs.map((a) => {
              const key = `attributes.${a.code}`;
              const common = { label: a.description, required: a.required, error: errors[key], name: key };
              const change = (v: string) => {
                setAttributes((s) => ({ ...s, [a.code]: v }));
                clearError(key);
              };
              return a.datatype === 'singlevaluelist' ? (
                <Select key={a.code} {...common} data={(a.values ?? []).map((v) => ({ value: v.key, label: v.name }))} value={attributes[a.code] ?? null} onChange={(v) => change(v ?? '')} allowDeselect={!a.required} />
              ) : (
                <TextInput key={a.code} {...common} inputMode={a.datatype === 'number' ? 'decimal' : undefined} value={attributes[a.code] ?? ''} onChange={(e) => change(e.currentTarget.value)} />
              );
            })}
          </Stack>
        ) : null}

        <Stack gap="sm">
          <Text fw={600}>{t('report.place')}</Text>
          <Group gap="xs" wrap="wrap">
            <Button variant="light" leftSection={<IconCurrentLocation size={18} aria-hidden />} onClick={locate} loading={locating}>
              {t('report.useLocation')}
            </Button>
            {location ? (
              <Group gap={4} wrap="nowrap">
                <Text size="sm" data-testid="report-location">
                  {t('report.locationSet', { latitude: location.lat, longitude: location.lng, accuracy: location.accuracy })}
                </Text>
                <ActionIcon variant="subtle" color="gray" aria-label={t('report.locationClear')} onClick={() => setLocation(null)}>
                  <IconX size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ) : null}
          </Group>
          {errors.location ? (
            <Text c="red" size="sm" role="alert">
              {errors.location}
            </Text>
          ) : null}
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <Select
              label={t('report.kecamatan')}
              placeholder={t('report.choose')}
              data={(kecamatanList.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
              value={kecamatan}
              onChange={(v) => {
                setKecamatan(v);
                setKelurahan(null);
                clearError('regionCode');
              }}
              searchable
              clearable
              error={errors.regionCode}
              name="regionCode"
            />
            <Select
              label={t('report.kelurahan')}
              placeholder={kecamatan ? t('report.choose') : t('report.chooseKecamatanFirst')}
              data={(kelurahanList.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
              value={kelurahan}
              onChange={setKelurahan}
              disabled={!kecamatan}
              searchable
              clearable
            />
          </SimpleGrid>
          <TextInput label={t('report.address')} description={t('report.addressHint')} value={address} maxLength={300} onChange={(e) => setAddress(e.currentTarget.value)} error={errors.address} name="address" />
          <Text size="xs" c="dimmed">
            {t('report.noMap')}
          </Text>
        </Stack>

        <Stack gap="xs">
          <Text fw={600}>{t('report.photos', { max: MAX_PHOTOS })}</Text>
          <Group gap="xs">
            {photos.map((p, i) => (
              <Paper key={p.key} withBorder radius="sm" pos="relative" w={88} h={88} style={{ overflow: 'hidden' }} data-testid="report-photo" data-uploaded={p.id ? 'true' : undefined}>
                {p.preview ? <Image src={p.preview} alt={t('report.photoAlt', { n: i + 1 })} w={88} h={88} fit="cover" /> : null}
                {p.error ? (
                  <Text size="xs" c="red" p={4} pos="absolute" top={0} bg="white" role="alert">
                    {p.error}
                  </Text>
                ) : null}
                <ActionIcon size="sm" radius="xl" color="dark" pos="absolute" top={4} right={4} aria-label={t('report.photoRemove', { n: i + 1 })} onClick={() => removePhoto(p.key)}>
                  <IconX size={14} aria-hidden />
                </ActionIcon>
              </Paper>
            ))}
            {photos.length < MAX_PHOTOS ? (
              <Button component="label" variant="default" h={88} w={88} p={0} aria-label={t('report.photoAdd')} style={{ cursor: 'pointer' }}>
                <Stack gap={2} align="center">
                  <IconCamera size={24} aria-hidden />
                  <Text size="xs">{t('report.photoAddShort')}</Text>
                </Stack>
                <input ref={fileRef} type="file" accept="image/*" multiple hidden data-testid="report-photo-input" onChange={(e) => addPhotos(e.currentTarget.files)} />
              </Button>
            ) : null}
          </Group>
          {uploading ? (
            <Text size="sm" c="dimmed" role="status">
              {t('report.uploading')}
            </Text>
          ) : null}
          {errors.photos ? (
            <Text c="red" size="sm" role="alert">
              {errors.photos}
            </Text>
          ) : null}
        </Stack>

        <Textarea
          label={t('report.description')}
          description={t('report.descriptionHint')}
          required
          autosize
          minRows={4}
          maxRows={12}
          value={description}
          onChange={(e) => {
            setDescription(e.currentTarget.value);
            clearError('description');
          }}
          error={errors.description}
          name="description"
          inputWrapperOrder={['label', 'description', 'input', 'error']}
        />
        <Text size="xs" c={count > DESCRIPTION_MAX || (count > 0 && count < DESCRIPTION_MIN) ? 'red' : 'dimmed'} mt={-12} ta="right" aria-live="polite">
          {t('report.counter', { count, min: DESCRIPTION_MIN, max: DESCRIPTION_MAX })}
        </Text>

        <Radio.Group label={t('report.kind')} value={kind} onChange={(v) => setKind(v as ComplaintKind)} styles={{ label: { fontWeight: 600, marginBottom: 6 } }}>
          <Group gap="md">
            {COMPLAINT_KINDS.map((k) => (
              <Radio key={k} value={k} label={t(`complaintKind.${k}`)} />
            ))}
          </Group>
        </Radio.Group>

        {me.data ? (
          <Text size="sm">{t('report.sendingAs', { name: me.data.user.name })}</Text>
        ) : (
          <Stack gap="sm">
            <Box>
              <Text fw={600}>{t('report.contactTitle')}</Text>
              <Text size="sm" c="dimmed">
                {t('report.contactLead')}{' '}
                <Anchor component={Link} to="/masuk?next=%2Flapor" size="sm" style={{ textDecoration: 'underline' }}>
                  {t('report.signInInstead')}
                </Anchor>
              </Text>
            </Box>
            <TextInput label={t('field.name')} autoComplete="name" value={contact.name} maxLength={120} onChange={(e) => setContact({ ...contact, name: e.currentTarget.value })} error={errors['reporter.name']} />
            <TextInput
              label={t('field.phone')}
              type="tel"
              autoComplete="tel"
              value={contact.phone}
              onChange={(e) => {
                setContact({ ...contact, phone: e.currentTarget.value });
                clearError('reporter.phone');
              }}
              error={errors['reporter.phone']}
            />
            <TextInput
              label={t('field.email')}
              type="email"
              autoComplete="email"
              value={contact.email}
              onChange={(e) => {
                setContact({ ...contact, email: e.currentTarget.value });
                clearError('reporter.email');
              }}
              error={errors['reporter.email']}
            />
          </Stack>
        )}

        <Button type="submit" size="md" fullWidth loading={sending} disabled={uploading}>
          {t('report.submit')}
        </Button>
      </Stack>
    </form>
  );
}

const FIELD_KEYS = new Set(['categoryId', 'kind', 'description', 'location', 'regionCode', 'address', 'photos']);

function Confirmation({ result, onAnother }: { result: Submitted; onAnother: () => void }) {
  const { t } = useTranslation();
  const link = privateLink(result.trackingCode, result.accessToken);
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
