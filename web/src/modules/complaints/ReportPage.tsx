import { Alert, Anchor, Box, Button, CloseButton, Container, Group, InputBase, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconCamera, IconChevronDown, IconCloudUpload, IconCurrentLocation, IconMap2 } from '@tabler/icons-react';
import { Component, type FormEvent, lazy, type ReactNode, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { COMPLAINT_KINDS, type ComplaintKind } from '../../../../common/complaints/workflow';
import { api, isApiError } from '../../app/api';
import { useMe } from '../../app/auth';
import { withBase } from '../../app/base';
import { useTenant } from '../../app/tenant';
import { usePageTitle } from '../../ui/Page';
import { ErrorState, LoadingState } from '../../ui/PageState';
import { type PublicCategory, type Submitted, useCategories, useRegions } from './api';
import { CategoryIcon } from './CategoryIcon';
import { clearDraft, type DraftPhoto, loadDraft, type Place, type ReportDraft, saveDraft } from './drafts';
import { useMapConfig } from './leaflet';
import { DESCRIPTION_MAX, DESCRIPTION_MIN, MAX_PHOTOS } from './limits';
import type { LatLng } from './photos';
import './ReportPage.css';

/*
 * Weight: this page must load ≤ 150 KB of gzipped JavaScript before the resident's first
 * interaction (test/e2e/complaints.e2e.ts measures it). It therefore uses plain elements with its
 * own stylesheet where Mantine components would bring popovers or transitions, and loads on
 * demand: the photo code (first photo), the form rules (first "Kirim"), the confirmation, the
 * map (Leaflet, when "Pilih di peta" is pressed) and duplicate suggestions.
 * Its texts are the `report` and `complaintKind` sections (route handle in app/router.tsx).
 */

interface PhotoState extends DraftPhoto {
  preview: string;
  uploading?: boolean;
}

interface Upload {
  id: string;
  downloadToken?: string;
}

interface Bounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

type Errors = Record<string, string | undefined>;
type FormRules = typeof import('../../ui/form');
type Payload = Record<string, unknown>;
/** A draft whose content was frozen by "Kirim": what is sent, without the photos' ids. */
type SendableDraft = ReportDraft & { payload: Payload };

/** The map (with Leaflet) loads when "Pilih di peta" is pressed, never with the page. */
const MapPicker = lazy(async () => ({ default: (await import('./MapPicker')).MapPicker }));
/** Open reports nearby (they load their own texts), shown before "Kirim" once category and place are known. */
const DuplicateSuggestions = lazy(async () => ({ default: (await import('./DuplicateSuggestions')).DuplicateSuggestions }));
const Confirmation = lazy(async () => ({ default: (await import('./ReportConfirmation')).Confirmation }));

/** An optional part that fails (e.g. its chunk cannot load offline) disappears instead of the page. */
class Optional extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

let warm = false;
/** On the first touch of the form, the code it will need is fetched, so it also works offline later. */
function warmUp(): void {
  if (warm) return;
  warm = true;
  void import('./photos').catch(() => {});
  void import('../../ui/form').catch(() => {});
  void import('./ReportConfirmation').catch(() => {});
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** The private link of a report: whoever holds it can follow it before verification. */
export function privateLink(code: string, token?: string): string {
  return `${window.location.origin}${withBase(`/lapor/lacak/${encodeURIComponent(code)}`)}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

function inside(p: LatLng, b: Bounds | null | undefined): boolean {
  return !b || (p.lat >= b.south && p.lat <= b.north && p.lng >= b.west && p.lng <= b.east);
}

function isOffline(e: unknown): boolean {
  return isApiError(e) && e.status === 0;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

async function uploadPhoto(blob: Blob): Promise<Upload> {
  const fd = new FormData();
  fd.append('file', blob, 'foto.jpg');
  return api.post<Upload>('/api/v1/files', fd);
}

/**
 * Sends a frozen draft: photos not uploaded yet first, then the report. The Idempotency-Key is
 * stored with the exact body before the request leaves, so a retry after a lost answer (even
 * after a reload) returns the same report instead of filing a second one.
 */
async function deliver(d: SendableDraft): Promise<Submitted> {
  for (const p of d.photos) {
    if (p.id || p.error) continue;
    const up = await uploadPhoto(p.blob);
    p.id = up.id;
    p.token = up.downloadToken;
    await saveDraft(d);
  }
  const body = { ...d.payload, photos: d.photos.filter((p) => p.id).map((p) => (p.token ? { id: p.id, token: p.token } : { id: p.id })) };
  const json = JSON.stringify(body);
  if (d.sent?.body !== json) d.sent = { body: json, key: newKey() };
  await saveDraft(d);
  return api.post<Submitted>('/api/v1/complaints', body, { 'idempotency-key': d.sent.key });
}

/** The citizen report form: category, place, photos, description, then the tracking code. */
export function ReportPage() {
  const { t } = useTranslation();
  usePageTitle(t('report.title'));
  // undefined while IndexedDB is read; null when there is no draft.
  const [draft, setDraft] = useState<ReportDraft | null | undefined>(undefined);
  const [queued, setQueued] = useState<SendableDraft | null>(null);
  const [resume, setResume] = useState(false);
  const [done, setDone] = useState<Submitted | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void loadDraft().then((d) => {
      if (!live) return;
      setDraft(d);
      if (d?.queued && (d as SendableDraft).payload) {
        setResume(true);
        setQueued(d as SendableDraft);
      }
    });
    return () => {
      live = false;
    };
  }, []);

  /** Sends now; offline (or the answer lost) the report waits on the device. Other errors are thrown. */
  const send = useCallback(async (d: SendableDraft) => {
    if (!navigator.onLine) {
      d.queued = true;
      await saveDraft(d);
      setQueued({ ...d });
      return;
    }
    try {
      const r = await deliver(d);
      await clearDraft();
      setQueued(null);
      setDraft(null);
      setDone(r);
      window.scrollTo({ top: 0 });
    } catch (e) {
      if (!isOffline(e)) throw e;
      d.queued = true;
      await saveDraft(d);
      setQueued({ ...d });
    }
  }, []);

  /** Back to the form with the queued content (to change it, or after the server refused it). */
  const edit = useCallback(async (d: SendableDraft, error?: string) => {
    d.queued = false;
    await saveDraft(d);
    setDraft({ ...d });
    setQueued(null);
    setFormError(error ?? null);
    setFormKey((k) => k + 1);
  }, []);

  let body: ReactNode;
  if (done)
    body = (
      <Suspense fallback={<LoadingState />}>
        <Confirmation
          result={done}
          link={privateLink(done.trackingCode, done.accessToken)}
          onAnother={() => {
            setDone(null);
            setFormKey((k) => k + 1);
          }}
        />
      </Suspense>
    );
  else if (draft === undefined) body = <LoadingState />;
  else if (queued) body = <QueuedReport draft={queued} resume={resume} send={send} edit={edit} />;
  else body = <ReportForm key={formKey} initial={draft} initialError={formError} send={send} />;
  return (
    <Container size="sm" py="lg" px="md">
      {body}
    </Container>
  );
}

const RETRY_MS = 30_000;

/** A report waiting for the connection: sent when the browser is back online or on request. */
function QueuedReport({
  draft,
  resume,
  send,
  edit,
}: {
  draft: SendableDraft;
  /** Found queued when the page opened: try at once. */
  resume: boolean;
  send: (d: SendableDraft) => Promise<void>;
  edit: (d: SendableDraft, error?: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const online = useOnline();
  const [sending, setSending] = useState(false);
  const busy = useRef(false);

  const retry = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    setSending(true);
    try {
      await send(draft);
    } catch (e) {
      await edit(draft, isApiError(e) ? e.message : t('errors.unexpected'));
    } finally {
      busy.current = false;
      setSending(false);
    }
  }, [draft, send, edit, t]);

  // Sent when the connection returns, when the page is opened again while online, and every
  // half minute while the browser believes it is online (the server may have been unreachable).
  const latest = useRef(retry);
  latest.current = retry;
  const first = useRef(true);
  useEffect(() => {
    const opening = first.current;
    first.current = false;
    if (online && (!opening || resume)) void latest.current();
  }, [online, resume]);
  useEffect(() => {
    const timer = window.setInterval(() => navigator.onLine && void latest.current(), RETRY_MS);
    return () => window.clearInterval(timer);
  }, []);

  return (
    <Stack gap="lg">
      <Title order={1} size="h2" id="page-title" tabIndex={-1} style={{ outline: 'none' }}>
        {t('report.title')}
      </Title>
      <Alert color="yellow" icon={<IconCloudUpload aria-hidden />} title={t('report.queuedTitle')} data-testid="report-queued" role="status">
        <Text size="sm">{t('report.queuedLead')}</Text>
      </Alert>
      <Text size="sm" className="balai-break" c="dimmed">
        {String(draft.payload.description ?? '')}
      </Text>
      <Group gap="sm">
        <Button onClick={() => void retry()} loading={sending} disabled={!online}>
          {t('report.sendNow')}
        </Button>
        <Button variant="default" onClick={() => void edit(draft)} disabled={sending}>
          {t('report.editQueued')}
        </Button>
      </Group>
    </Stack>
  );
}

const EMPTY: ReportDraft = {
  categoryId: null,
  kind: 'pengaduan',
  kecamatan: null,
  kelurahan: null,
  address: '',
  location: null,
  description: '',
  attributes: {},
  contact: { name: '', phone: '', email: '' },
  photos: [],
};

function ReportForm({ initial, initialError, send }: { initial: ReportDraft | null; initialError: string | null; send: (d: SendableDraft) => Promise<void> }) {
  const { t } = useTranslation();
  const tenant = useTenant();
  const me = useMe();
  const categories = useCategories();
  const mapConfig = useMapConfig();
  const online = useOnline();
  const start = initial ?? EMPTY;
  const [categoryId, setCategoryId] = useState<string | null>(start.categoryId);
  const [kind, setKind] = useState<ComplaintKind>(start.kind);
  const [kecamatan, setKecamatan] = useState<string | null>(start.kecamatan);
  const [kelurahan, setKelurahan] = useState<string | null>(start.kelurahan);
  const [address, setAddress] = useState(start.address);
  const [location, setLocation] = useState<Place | null>(start.location);
  const [locating, setLocating] = useState(false);
  const [mapOpen, setMapOpen] = useState(false);
  const [photos, setPhotos] = useState<PhotoState[]>(() => start.photos.map((p) => ({ ...p, preview: URL.createObjectURL(p.blob) })));
  const [description, setDescription] = useState(start.description);
  const [attributes, setAttributes] = useState<Record<string, string>>(start.attributes);
  const [contact, setContact] = useState(start.contact);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(initialError);
  const [notice, setNotice] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [restored] = useState(() => initial !== null && JSON.stringify({ ...initial, sent: undefined, queued: undefined, payload: undefined }) !== JSON.stringify(EMPTY));
  const [showRestored, setShowRestored] = useState(restored);
  const sent = useRef(initial?.sent);
  const formRef = useRef<HTMLFormElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const kecamatanList = useRegions(tenant.data?.regionCode);
  const kelurahanList = useRegions(kecamatan);
  const bounds = mapConfig.data?.bounds ?? null;
  const category = categories.data?.items.find((c) => c.id === categoryId) ?? null;
  const attrs = [...(category?.attributes ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const uploading = photos.some((p) => p.uploading);

  const current = (): ReportDraft => ({
    categoryId,
    kind,
    kecamatan,
    kelurahan,
    address,
    location,
    description,
    attributes,
    contact,
    photos: photos.map(({ key, blob, id, token, error }) => ({ key, blob, id, token, error })),
    sent: sent.current,
  });

  // Every change is kept on the device (debounced), so a reload or a lost connection loses nothing.
  const snapshot = current();
  const latest = useRef(snapshot);
  latest.current = snapshot;
  // Once "Kirim" is pressed the form's copy is no longer saved: a save still pending from the last
  // keystroke could fire after the report was queued (its answer lost) but before the form was
  // replaced by the queued view, and store the draft without `queued`, so that the report was
  // never resent (seen on CI: the reload showed the restored form instead of the waiting report).
  const submitting = useRef(false);
  const autosave = useRef<number | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: saves whenever a field of the draft changes
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (!submitting.current) void saveDraft(latest.current);
    }, 300);
    autosave.current = timer;
    return () => window.clearTimeout(timer);
  }, [categoryId, kind, kecamatan, kelurahan, address, location, description, attributes, contact, photos]);

  const previews = useRef(photos);
  previews.current = photos;
  useEffect(
    () => () => {
      for (const p of previews.current) URL.revokeObjectURL(p.preview);
    },
    [],
  );

  // Photos chosen while offline are uploaded when the connection returns.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the connection comes back
  useEffect(() => {
    if (!online) return;
    for (const p of previews.current) if (!p.id && !p.error && !p.uploading) void upload(p.key, p.blob);
  }, [online]);

  if (categories.isPending || tenant.isPending) return <LoadingState />;
  if (categories.isError) return <ErrorState error={categories.error} onRetry={() => categories.refetch()} />;

  const clearError = (key: string) => setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  const outside = () => t('report.outsideArea', { name: tenant.data?.name ?? '' });

  function chooseCategory(c: PublicCategory) {
    setCategoryId(c.id);
    setKind(c.kind);
    setAttributes({});
    clearError('categoryId');
  }

  function place(p: LatLng, source: Place['source'], accuracy?: number): boolean {
    if (!inside(p, bounds)) {
      setErrors((e) => ({ ...e, location: source === 'photo' ? t('report.photoOutsideArea', { name: tenant.data?.name ?? '' }) : outside() }));
      return false;
    }
    setLocation({ lat: Number(p.lat.toFixed(6)), lng: Number(p.lng.toFixed(6)), source, ...(accuracy !== undefined ? { accuracy } : {}) });
    clearError('location');
    clearError('regionCode');
    return true;
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
        place({ lat: pos.coords.latitude, lng: pos.coords.longitude }, 'gps', Math.round(pos.coords.accuracy));
      },
      () => {
        setLocating(false);
        setErrors((e) => ({ ...e, location: t('report.locationDenied') }));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  async function upload(key: string, blob: Blob) {
    setPhotos((list) => list.map((p) => (p.key === key ? { ...p, uploading: true } : p)));
    try {
      const up = await uploadPhoto(blob);
      setPhotos((list) => list.map((p) => (p.key === key ? { ...p, uploading: false, id: up.id, token: up.downloadToken } : p)));
    } catch (e) {
      // Offline: the photo waits on the device and goes up with the report.
      const error = isOffline(e) ? undefined : isApiError(e) ? e.message : t('errors.unexpected');
      setPhotos((list) => list.map((p) => (p.key === key ? { ...p, uploading: false, error } : p)));
    }
  }

  async function addPhotos(files: FileList | null) {
    if (!files) return;
    const room = MAX_PHOTOS - photos.length;
    const chosen = Array.from(files).slice(0, Math.max(0, room));
    if (fileRef.current) fileRef.current.value = '';
    clearError('photos');
    const { downscalePhoto, readPhotoGps } = await import('./photos');
    let pinned = location !== null;
    for (const file of chosen) {
      const key = newKey();
      // The position is read before downscaling: the canvas drops EXIF.
      const gps = pinned ? null : await readPhotoGps(file).catch(() => null);
      if (gps) pinned = place(gps, 'photo');
      let blob: Blob;
      try {
        blob = await downscalePhoto(file);
      } catch {
        setPhotos((list) => [...list, { key, blob: file, preview: '', error: t('report.photoUnreadable', { name: file.name }) }]);
        continue;
      }
      setPhotos((list) => [...list, { key, blob, preview: URL.createObjectURL(blob) }]);
      if (navigator.onLine) void upload(key, blob);
    }
  }

  function removePhoto(key: string) {
    setPhotos((list) => {
      const gone = list.find((p) => p.key === key);
      if (gone?.preview) URL.revokeObjectURL(gone.preview);
      return list.filter((p) => p.key !== key);
    });
  }

  function validate({ fieldMessage, normalizePhone }: FormRules): Errors {
    const e: Errors = {};
    if (!categoryId) e.categoryId = t('report.chooseCategory');
    const n = description.trim().length;
    if (n === 0) e.description = fieldMessage('field.required');
    else if (n < DESCRIPTION_MIN) e.description = fieldMessage('field.too_short', { minimum: DESCRIPTION_MIN });
    else if (n > DESCRIPTION_MAX) e.description = fieldMessage('field.too_long', { maximum: DESCRIPTION_MAX });
    if (!location && !kecamatan) e.regionCode = t('report.placeRequired');
    if (location && !inside(location, bounds)) e.location = outside();
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
    submitting.current = true;
    window.clearTimeout(autosave.current);
    setSending(true);
    setFormError(null);
    let d: SendableDraft | null = null;
    try {
      const rules = await import('../../ui/form');
      const found = validate(rules);
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
            Object.entries({ name: contact.name.trim(), phone: contact.phone.trim() ? rules.normalizePhone(contact.phone) : '', email: contact.email.trim() }).filter(([, v]) => v),
          );
      const payload: Payload = {
        categoryId,
        kind,
        description: description.trim(),
        ...(location ? { location: { lat: location.lat, lng: location.lng } } : {}),
        ...(kelurahan || kecamatan ? { regionCode: kelurahan ?? kecamatan } : {}),
        ...(address.trim() ? { address: address.trim() } : {}),
        attributes: attributeValues,
        ...(reporter && Object.keys(reporter).length ? { reporter } : {}),
      };
      const snap = current();
      d = { ...snap, photos: snap.photos.filter((p) => !p.error), payload };
      await send(d);
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
      // The key stays with the body it was used for: resending the same report reuses it.
      if (d?.sent) sent.current = d.sent;
      // Still on the form (refused, or invalid): its changes are saved again.
      submitting.current = false;
      setSending(false);
    }
  }

  async function startOver() {
    await clearDraft();
    sent.current = undefined;
    for (const p of photos) if (p.preview) URL.revokeObjectURL(p.preview);
    setCategoryId(null);
    setKind('pengaduan');
    setKecamatan(null);
    setKelurahan(null);
    setAddress('');
    setLocation(null);
    setPhotos([]);
    setDescription('');
    setAttributes({});
    setContact({ name: '', phone: '', email: '' });
    setErrors({});
    setShowRestored(false);
  }

  const count = description.trim().length;
  const locationText = location
    ? location.source === 'gps' && location.accuracy !== undefined
      ? t('report.locationSet', { latitude: location.lat, longitude: location.lng, accuracy: location.accuracy })
      : t('report.locationAt', { latitude: location.lat, longitude: location.lng })
    : '';
  return (
    <form ref={formRef} noValidate onSubmit={submit} className="balai-report" onPointerDownCapture={warmUp} onFocusCapture={warmUp} onKeyDownCapture={warmUp}>
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
        {online ? null : (
          <Alert color="yellow" role="status" data-testid="report-offline">
            {t('report.offline')}
          </Alert>
        )}
        {showRestored ? (
          <Group gap="xs" justify="space-between" className="balai-report-note" data-testid="report-restored">
            <Text size="sm">{t('report.draftRestored')}</Text>
            <Button size="compact-sm" variant="subtle" onClick={() => void startOver()}>
              {t('report.startOver')}
            </Button>
          </Group>
        ) : null}
        {formError ? (
          <Alert color="red" data-form-error tabIndex={-1} role="alert">
            {formError}
          </Alert>
        ) : null}

        <fieldset className="balai-report-fieldset">
          <Text component="legend" fw={600} mb={6}>
            {t('report.category')} <span aria-hidden>*</span>
          </Text>
          <div className="balai-report-grid" role="radiogroup" aria-label={t('report.category')} aria-invalid={errors.categoryId ? true : undefined}>
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
          </div>
          {errors.categoryId ? (
            <Text c="red" size="sm" role="alert">
              {errors.categoryId}
            </Text>
          ) : null}
        </fieldset>

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
                <NativeChoice key={a.code} {...common} placeholder={t('report.choose')} options={(a.values ?? []).map((v) => ({ value: v.key, label: v.name }))} value={attributes[a.code] ?? ''} onChange={change} />
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
            {bounds ? (
              <Button variant="light" leftSection={<IconMap2 size={18} aria-hidden />} onClick={() => setMapOpen((o) => !o)} aria-expanded={mapOpen} disabled={!online && !mapOpen}>
                {mapOpen ? t('report.closeMap') : t('report.pickOnMap')}
              </Button>
            ) : null}
          </Group>
          {location ? (
            <Group gap={4} wrap="nowrap" className="balai-report-note" data-source={location.source}>
              <Box style={{ flex: 1, minWidth: 0 }}>
                {location.source === 'photo' ? (
                  <Text size="sm" fw={600} data-testid="report-location-source">
                    {t('report.photoLocation')}
                  </Text>
                ) : location.source === 'map' ? (
                  <Text size="sm" fw={600} data-testid="report-location-source">
                    {t('report.mapLocation')}
                  </Text>
                ) : null}
                <Text size="sm" data-testid="report-location">
                  {locationText}
                </Text>
                {location.source === 'photo' ? (
                  <Text size="xs" c="dimmed">
                    {t('report.photoLocationChange')}
                  </Text>
                ) : null}
              </Box>
              <CloseButton aria-label={t('report.locationClear')} onClick={() => setLocation(null)} />
            </Group>
          ) : null}
          {errors.location ? (
            <Text c="red" size="sm" role="alert" data-testid="report-location-error">
              {errors.location}
            </Text>
          ) : null}
          {mapOpen && bounds ? (
            <Optional>
              <Suspense fallback={<LoadingState label={t('report.mapLoading')} />}>
                <MapPicker value={location ? { lat: location.lat, lng: location.lng } : null} onChange={(p) => place(p, 'map')} bounds={bounds} height={280} />
              </Suspense>
            </Optional>
          ) : null}
          <div className="balai-report-pair">
            <NativeChoice
              label={t('report.kecamatan')}
              placeholder={t('report.choose')}
              options={(kecamatanList.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
              value={kecamatan ?? ''}
              onChange={(v) => {
                setKecamatan(v || null);
                setKelurahan(null);
                clearError('regionCode');
              }}
              error={errors.regionCode}
              name="regionCode"
            />
            <NativeChoice
              label={t('report.kelurahan')}
              placeholder={kecamatan ? t('report.choose') : t('report.chooseKecamatanFirst')}
              options={(kelurahanList.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
              value={kelurahan ?? ''}
              onChange={(v) => setKelurahan(v || null)}
              disabled={!kecamatan}
              name="kelurahan"
            />
          </div>
          <TextInput label={t('report.address')} description={t('report.addressHint')} value={address} maxLength={300} onChange={(e) => setAddress(e.currentTarget.value)} error={errors.address} name="address" />
          <Text size="xs" c="dimmed">
            {t('report.noMap')}
          </Text>
        </Stack>

        <Stack gap="xs">
          <Text fw={600}>{t('report.photos', { max: MAX_PHOTOS })}</Text>
          <div className="balai-report-photos">
            {photos.map((p, i) => (
              <div key={p.key} className="balai-report-photo" data-testid="report-photo" data-uploaded={p.id ? 'true' : undefined} data-pending={!p.id && !p.error && !p.uploading ? 'true' : undefined}>
                {p.preview ? <img src={p.preview} alt={t('report.photoAlt', { n: i + 1 })} width={88} height={88} /> : null}
                {p.error ? (
                  <Text size="xs" c="red" p={4} className="balai-report-photo-error" role="alert">
                    {p.error}
                  </Text>
                ) : !p.id && !p.uploading ? (
                  <Text size="xs" p={2} className="balai-report-photo-pending">
                    {t('report.photoPending')}
                  </Text>
                ) : null}
                <CloseButton size="sm" radius="xl" variant="filled" className="balai-report-photo-remove" aria-label={t('report.photoRemove', { n: i + 1 })} onClick={() => removePhoto(p.key)} />
              </div>
            ))}
            {photos.length < MAX_PHOTOS ? (
              <label className="balai-report-photo-add" aria-label={t('report.photoAdd')}>
                <IconCamera size={24} aria-hidden />
                <Text size="xs" component="span">
                  {t('report.photoAddShort')}
                </Text>
                <input ref={fileRef} type="file" accept="image/*" multiple hidden data-testid="report-photo-input" onChange={(e) => void addPhotos(e.currentTarget.files)} />
              </label>
            ) : null}
          </div>
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

        <InputBase
          component="textarea"
          label={t('report.description')}
          description={t('report.descriptionHint')}
          required
          rows={5}
          value={description}
          onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => {
            setDescription(e.currentTarget.value);
            clearError('description');
          }}
          error={errors.description}
          name="description"
          inputWrapperOrder={['label', 'description', 'input', 'error']}
          classNames={{ input: 'balai-report-textarea' }}
        />
        <Text size="xs" c={count > DESCRIPTION_MAX || (count > 0 && count < DESCRIPTION_MIN) ? 'red' : 'dimmed'} mt={-12} ta="right" aria-live="polite">
          {t('report.counter', { count, min: DESCRIPTION_MIN, max: DESCRIPTION_MAX })}
        </Text>

        <fieldset className="balai-report-fieldset">
          <Text component="legend" fw={600} mb={6}>
            {t('report.kind')}
          </Text>
          <div className="balai-report-kinds">
            {COMPLAINT_KINDS.map((k) => (
              <label key={k} className="balai-report-kind">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                <span>{t(`complaintKind.${k}`)}</span>
              </label>
            ))}
          </div>
        </fieldset>

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

        {online && categoryId && (location || kecamatan) && description.trim().length >= DESCRIPTION_MIN ? (
          // Before "Kirim": open reports of the same category nearby, which the resident may support instead.
          <Optional>
            <Suspense fallback={null}>
              <DuplicateSuggestions
                categoryId={categoryId}
                lat={location?.lat}
                lng={location?.lng}
                description={description}
                onSupported={(code) => {
                  void clearDraft();
                  setNotice(t('report.supported', { code }));
                }}
              />
            </Suspense>
          </Optional>
        ) : null}
        {notice ? (
          <Alert color="teal" role="status" data-testid="report-supported">
            {notice}
          </Alert>
        ) : null}

        <Button type="submit" size="md" fullWidth loading={sending} disabled={uploading}>
          {t('report.submit')}
        </Button>
      </Stack>
    </form>
  );
}

const FIELD_KEYS = new Set(['categoryId', 'kind', 'description', 'location', 'regionCode', 'address', 'photos']);

/** A native select (the phone's own picker) with Mantine's input look, without Combobox code. */
function NativeChoice({
  label,
  placeholder,
  options,
  value,
  onChange,
  error,
  name,
  required,
  disabled,
}: {
  label: string;
  placeholder: string;
  options: { value: string; label: string }[];
  value: string;
  onChange: (v: string) => void;
  error?: string;
  name: string;
  required?: boolean;
  disabled?: boolean;
}) {
  return (
    <InputBase
      component="select"
      label={label}
      required={required}
      disabled={disabled}
      error={error}
      name={name}
      value={value}
      onChange={(e: React.ChangeEvent<HTMLSelectElement>) => onChange(e.currentTarget.value)}
      rightSection={<IconChevronDown size={16} aria-hidden />}
      rightSectionPointerEvents="none"
    >
      <option value="">{placeholder}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </InputBase>
  );
}
