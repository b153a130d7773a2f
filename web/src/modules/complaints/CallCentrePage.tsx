import { Alert, Anchor, Badge, Box, Button, CopyButton, Flex, Group, Kbd, NumberInput, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ComplaintChannel } from '../../../../common/complaints/intake';
import { normalizePhone } from '../../../../common/validators';
import { api, isApiError } from '../../app/api';
import { withBase } from '../../app/base';
import { useTenant } from '../../app/tenant';
import { useDateTime } from '../../app/time';
import { PageHeader } from '../../ui/Page';
import { type AttributeDefinition, type ComplaintStatus, type PublicCategory, STATUS_COLORS, type Submitted, useCategories, useRegions } from './api';

interface CallerReport {
  id: string;
  trackingCode: string;
  status: ComplaintStatus;
  channel: ComplaintChannel;
  categoryName: string;
  summary: string;
  place: string | null;
  reporterName: string | null;
  submittedAt: string;
}

interface NearbyReport {
  id: string;
  trackingCode: string;
  status: ComplaintStatus;
  summary: string;
  place: string | null;
  submittedAt: string;
}

/** What a failed request said, per field and overall. */
export function problemText(e: unknown, fallback: string): { message: string; fields: Record<string, string> } {
  if (!isApiError(e)) return { message: fallback, fields: {} };
  const fields: Record<string, string> = {};
  for (const f of e.fieldErrors) fields[f.field.split('.')[0]] ??= f.message;
  return { message: [e.message, ...e.fieldErrors.map((f) => f.message)].join(' '), fields };
}

/**
 * Tab in a select chosen by typing takes the first option matching the text typed, as the list
 * shows it. Mantine's own autoSelectOnBlur clicks the highlighted option while the dropdown
 * closes, and under load that click was sometimes lost: the operator tabbed on and the field
 * stayed empty. This picks from the text itself, the same match as the list's filter.
 */
function pickTypedOption(options: { value: string; label: string }[], current: string | null, onPick: (value: string) => void) {
  return (event: { currentTarget: HTMLInputElement }) => {
    const typed = event.currentTarget.value.trim().toLowerCase();
    if (!typed) return;
    const selected = options.find((o) => o.value === current);
    if (selected && selected.label.toLowerCase() === typed) return;
    const match = options.find((o) => o.label.toLowerCase().includes(typed));
    if (match && match.value !== current) onPick(match.value);
  };
}

/** Attribute inputs of a category (Open311 attributes), in their order. */
export function AttributeFields({
  defs,
  values,
  onChange,
  error,
}: {
  defs: AttributeDefinition[];
  values: Record<string, string | number>;
  onChange: (next: Record<string, string | number>) => void;
  error?: string;
}) {
  const sorted = [...defs].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const set = (code: string, v: string | number | null | undefined) => {
    const next = { ...values };
    if (v === null || v === undefined || v === '') delete next[code];
    else next[code] = v;
    onChange(next);
  };
  return (
    <>
      {sorted.map((d) =>
        d.datatype === 'singlevaluelist' ? (
          <Select
            key={d.code}
            label={d.description}
            required={d.required}
            data={(d.values ?? []).map((v) => ({ value: v.key, label: v.name }))}
            value={(values[d.code] as string | undefined) ?? null}
            onChange={(v) => set(d.code, v)}
            onBlur={pickTypedOption(
              (d.values ?? []).map((v) => ({ value: v.key, label: v.name })),
              (values[d.code] as string | undefined) ?? null,
              (v) => set(d.code, v),
            )}
            searchable
            selectFirstOptionOnChange
            error={error}
            data-testid={`attr-${d.code}`}
          />
        ) : d.datatype === 'number' ? (
          <NumberInput key={d.code} label={d.description} required={d.required} value={values[d.code] ?? ''} onChange={(v) => set(d.code, typeof v === 'number' ? v : undefined)} error={error} />
        ) : (
          <TextInput key={d.code} label={d.description} required={d.required} value={String(values[d.code] ?? '')} onChange={(e) => set(d.code, e.currentTarget.value)} maxLength={500} error={error} />
        ),
      )}
    </>
  );
}

/** Kecamatan → kelurahan pickers, both chosen by typing. */
export function RegionFields({
  kecamatan,
  kelurahan,
  onChange,
  error,
}: {
  kecamatan: string | null;
  kelurahan: string | null;
  onChange: (kecamatan: string | null, kelurahan: string | null) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const tenant = useTenant();
  const kecamatanList = useRegions(tenant.data?.regionCode);
  const kelurahanList = useRegions(kecamatan);
  const kecamatanOptions = (kecamatanList.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }));
  const kelurahanOptions = (kelurahanList.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }));
  return (
    <Group grow align="flex-start" gap="sm">
      <Select
        label={t('callCentre.kecamatan')}
        required
        data={kecamatanOptions}
        value={kecamatan}
        onChange={(v) => onChange(v, null)}
        onBlur={pickTypedOption(kecamatanOptions, kecamatan, (v) => onChange(v, null))}
        searchable
        selectFirstOptionOnChange
        clearable
        error={error}
        data-testid="cc-kecamatan"
      />
      <Select
        label={t('callCentre.kelurahan')}
        data={kelurahanOptions}
        value={kelurahan}
        onChange={(v) => onChange(kecamatan, v)}
        onBlur={pickTypedOption(kelurahanOptions, kelurahan, (v) => onChange(kecamatan, v))}
        // Never disabled, so that Tab order stays the same while the kecamatan is being chosen.
        placeholder={!kecamatan ? t('callCentre.kecamatanFirst') : kelurahanList.isSuccess ? t('callCentre.typeToSearch') : t('state.loading')}
        searchable
        selectFirstOptionOnChange
        clearable
        data-testid="cc-kelurahan"
      />
    </Group>
  );
}

/** Category picker by typing. */
export function CategoryField({ categories, value, onChange, error }: { categories: PublicCategory[]; value: string | null; onChange: (v: string | null) => void; error?: string }) {
  const { t } = useTranslation();
  const options = categories.map((c) => ({ value: c.id, label: c.name }));
  return (
    <Select
      label={t('callCentre.category')}
      required
      data={options}
      value={value}
      onChange={onChange}
      onBlur={pickTypedOption(options, value, onChange)}
      searchable
      selectFirstOptionOnChange
      nothingFoundMessage={t('callCentre.nothingFound')}
      error={error}
      data-testid="cc-category"
    />
  );
}

const EMPTY = { phone: '', name: '', categoryId: null as string | null, attributes: {} as Record<string, string | number>, kecamatan: null as string | null, kelurahan: null as string | null, address: '', description: '' };

/**
 * `/staf/call-centre`: the operator's console, built for a call in progress. Keyboard-first: the
 * caller's phone has focus, Tab follows the order of the conversation, selects are chosen by
 * typing, Ctrl+Enter files the report. Leaving the phone field looks up the caller's earlier
 * reports; choosing a category and a place shows open reports nearby (perhaps the same problem).
 * The tracking code to read out stays on screen while the form clears for the next call.
 */
export function CallCentrePage() {
  const { t } = useTranslation();
  const categories = useCategories();
  const qc = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const [lookupPhone, setLookupPhone] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<(Submitted & { caller: string }) | null>(null);
  const idempotencyKey = useRef(crypto.randomUUID());
  const phoneRef = useRef<HTMLInputElement>(null);
  const category = categories.data?.items.find((c) => c.id === form.categoryId);
  const region = form.kelurahan ?? form.kecamatan;

  // The call starts with the phone number: focus goes there, also when the navigation has just
  // moved it to the page heading (RouteFocus) a moment after the page appeared.
  useEffect(() => {
    phoneRef.current?.focus();
    const heading = document.getElementById('page-title');
    const redirect = () => phoneRef.current?.focus();
    heading?.addEventListener('focus', redirect);
    const stop = window.setTimeout(() => heading?.removeEventListener('focus', redirect), 2000);
    return () => {
      window.clearTimeout(stop);
      heading?.removeEventListener('focus', redirect);
    };
  }, []);

  const set = <K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => {
      const { [key]: _gone, ...rest } = e;
      return rest;
    });
  };

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    const phone = normalizePhone(form.phone);
    const local: Record<string, string> = {};
    if (!phone) local.phone = t('callCentre.phoneInvalid');
    if (!form.categoryId) local.categoryId = t('callCentre.categoryRequired');
    if (!region) local.regionCode = t('callCentre.placeRequired');
    if (form.description.trim().length < 20) local.description = t('callCentre.descriptionShort');
    if (Object.keys(local).length) {
      setErrors(local);
      setFailure(t('callCentre.fixFields'));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const body = {
        categoryId: form.categoryId,
        description: form.description.trim(),
        regionCode: region,
        ...(form.address.trim() ? { address: form.address.trim() } : {}),
        attributes: form.attributes,
        reporter: { phone: form.phone, ...(form.name.trim() ? { name: form.name.trim() } : {}) },
      };
      const res = await api.post<Submitted>('/api/v1/complaints/call-centre', body, { 'idempotency-key': idempotencyKey.current });
      setDone({ ...res, caller: form.name.trim() || form.phone });
      idempotencyKey.current = crypto.randomUUID();
      // The caller's history and the nearby list now include this report.
      qc.removeQueries({ queryKey: ['callCentre'] });
      setForm(EMPTY);
      setLookupPhone(null);
      setErrors({});
      phoneRef.current?.focus();
    } catch (err) {
      const p = problemText(err, t('errors.unexpected'));
      setErrors(p.fields);
      setFailure(p.message);
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      void submit();
    }
  }

  const privateLink = done?.accessToken ? `${window.location.origin}${withBase(`/lapor/lacak/${done.trackingCode}`)}?token=${done.accessToken}` : null;

  return (
    <>
      <PageHeader
        title={t('callCentre.title')}
        description={
          <>
            {t('callCentre.lead')} <Kbd>Tab</Kbd> · <Kbd>Ctrl</Kbd>+<Kbd>Enter</Kbd> {t('callCentre.toSubmit')}
          </>
        }
        actions={
          <Anchor component={Link} to="/staf/pengaduan/masuk">
            {t('callCentre.queueLink')}
          </Anchor>
        }
      />
      {done ? (
        <Alert color="teal" mb="md" title={t('callCentre.filedTitle', { caller: done.caller })} data-testid="cc-result" role="status">
          <Group gap="md" align="center" wrap="wrap">
            <Text size="xl" fw={800} ff="monospace" data-testid="cc-tracking-code">
              {done.trackingCode}
            </Text>
            <Text size="sm">{t('callCentre.readOut')}</Text>
            {privateLink ? (
              <CopyButton value={privateLink}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy} tabIndex={-1}>
                    {copied ? t('callCentre.linkCopied') : t('callCentre.copyLink')}
                  </Button>
                )}
              </CopyButton>
            ) : null}
          </Group>
        </Alert>
      ) : null}
      <Flex gap="lg" direction={{ base: 'column', md: 'row' }} align={{ base: 'stretch', md: 'flex-start' }}>
        <Box style={{ flex: '7 1 0', minWidth: 0 }}>
          <Paper withBorder p="md" radius="md" component="form" onSubmit={submit} onKeyDown={onKeyDown} aria-label={t('callCentre.formLabel')} noValidate>
            <Stack gap="sm">
              <Group grow align="flex-start" gap="sm">
                <TextInput
                  ref={phoneRef}
                  label={t('callCentre.phone')}
                  description={t('callCentre.phoneHint')}
                  required
                  autoFocus
                  data-autofocus
                  inputMode="tel"
                  autoComplete="off"
                  maxLength={20}
                  value={form.phone}
                  onChange={(e) => set('phone', e.currentTarget.value)}
                  onBlur={() => setLookupPhone(normalizePhone(form.phone))}
                  error={errors.phone ?? errors.reporter}
                  data-testid="cc-phone"
                />
                <TextInput
                  label={t('callCentre.name')}
                  autoComplete="off"
                  maxLength={120}
                  value={form.name}
                  onChange={(e) => set('name', e.currentTarget.value)}
                  data-testid="cc-name"
                />
              </Group>
              <CategoryField
                categories={categories.data?.items ?? []}
                value={form.categoryId}
                onChange={(v) => {
                  set('categoryId', v);
                  set('attributes', {});
                }}
                error={errors.categoryId}
              />
              <RegionFields
                kecamatan={form.kecamatan}
                kelurahan={form.kelurahan}
                onChange={(kec, kel) => {
                  setForm((f) => ({ ...f, kecamatan: kec, kelurahan: kel }));
                  setErrors(({ regionCode: _r, ...rest }) => rest);
                }}
                error={errors.regionCode}
              />
              <TextInput label={t('callCentre.address')} maxLength={300} value={form.address} onChange={(e) => set('address', e.currentTarget.value)} error={errors.address} data-testid="cc-address" />
              <Textarea
                label={t('callCentre.description')}
                description={t('callCentre.descriptionHint')}
                required
                autosize
                minRows={3}
                maxLength={2000}
                value={form.description}
                onChange={(e) => set('description', e.currentTarget.value)}
                error={errors.description}
                data-testid="cc-description"
              />
              {/* Asked last: they appear once the category is chosen, after Tab has already moved on. */}
              {category?.attributes.length ? <AttributeFields defs={category.attributes} values={form.attributes} onChange={(v) => set('attributes', v)} error={errors.attributes} /> : null}
              {failure ? (
                <Alert color="red" role="alert">
                  {failure}
                </Alert>
              ) : null}
              <Group justify="space-between">
                <Button type="submit" loading={busy} data-testid="cc-submit">
                  {t('callCentre.submit')}
                </Button>
                <Text size="xs" c="dimmed">
                  <Kbd>Ctrl</Kbd>+<Kbd>Enter</Kbd>
                </Text>
              </Group>
            </Stack>
          </Paper>
        </Box>
        <Box style={{ flex: '5 1 0', minWidth: 0 }}>
          <Stack gap="md">
            <CallerHistory phone={lookupPhone} />
            <Nearby categoryId={form.categoryId} regionCode={region} categoryName={category?.name} />
          </Stack>
        </Box>
      </Flex>
    </>
  );
}

function ReportLine({ r, extra }: { r: { id: string; trackingCode: string; status: ComplaintStatus; summary: string; place: string | null; submittedAt: string }; extra?: string }) {
  const { t } = useTranslation();
  const when = useDateTime();
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="cc-report">
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Anchor component={Link} to={`/staf/pengaduan/${r.id}`} ff="monospace" fw={600} size="sm" tabIndex={-1}>
          {r.trackingCode}
        </Anchor>
        <Badge size="sm" color={STATUS_COLORS[r.status]}>
          {t(`complaintStatus.${r.status}`)}
        </Badge>
      </Group>
      {extra ? (
        <Text size="sm" fw={500}>
          {extra}
        </Text>
      ) : null}
      <Text size="sm" lineClamp={2}>
        {r.summary}
      </Text>
      <Text size="xs" c="dimmed">
        {[r.place, when(r.submittedAt)].filter(Boolean).join(' · ')}
      </Text>
    </Paper>
  );
}

/** The caller's earlier reports (looked up when the phone field is left; each lookup is audited). */
function CallerHistory({ phone }: { phone: string | null }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['callCentre', 'callers', phone],
    queryFn: () => api.get<{ phone: string; items: CallerReport[] }>('/api/v1/complaints/call-centre/callers', { phone }),
    enabled: Boolean(phone),
    staleTime: 60_000,
  });
  return (
    <Paper withBorder p="md" radius="md" aria-live="polite" data-testid="cc-history">
      <Title order={2} size="h4" mb="xs">
        {t('callCentre.historyTitle')}
      </Title>
      {!phone ? (
        <Text size="sm" c="dimmed">
          {t('callCentre.historyHint')}
        </Text>
      ) : q.isPending ? (
        <Text size="sm">{t('state.loading')}</Text>
      ) : q.isError ? (
        <Text size="sm" c="red">
          {problemText(q.error, t('errors.unexpected')).message}
        </Text>
      ) : q.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('callCentre.historyNone', { phone: q.data.phone })}
        </Text>
      ) : (
        <Stack gap="xs">
          <Text size="sm">{t('callCentre.historyCount', { count: q.data.items.length, phone: q.data.phone })}</Text>
          {q.data.items.map((r) => (
            <ReportLine key={r.id} r={r} extra={[r.categoryName, r.reporterName, t(`callCentre.channel.${r.channel}`)].filter(Boolean).join(' · ')} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** Open reports of the chosen category at the chosen place: the caller's problem may be known already. */
function Nearby({ categoryId, regionCode, categoryName }: { categoryId: string | null; regionCode: string | null; categoryName?: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['callCentre', 'nearby', categoryId, regionCode],
    queryFn: () => api.get<{ items: NearbyReport[] }>('/api/v1/complaints/call-centre/nearby', { categoryId, regionCode }),
    enabled: Boolean(categoryId && regionCode),
    staleTime: 30_000,
  });
  return (
    <Paper withBorder p="md" radius="md" aria-live="polite" data-testid="cc-nearby">
      <Title order={2} size="h4" mb="xs">
        {t('callCentre.nearbyTitle')}
      </Title>
      {!categoryId || !regionCode ? (
        <Text size="sm" c="dimmed">
          {t('callCentre.nearbyHint')}
        </Text>
      ) : q.isPending ? (
        <Text size="sm">{t('state.loading')}</Text>
      ) : q.isError ? (
        <Text size="sm" c="red">
          {problemText(q.error, t('errors.unexpected')).message}
        </Text>
      ) : q.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('callCentre.nearbyNone', { category: categoryName ?? '' })}
        </Text>
      ) : (
        <Stack gap="xs">
          {q.data.items.map((r) => (
            <ReportLine key={r.id} r={r} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}
