import { SubmitComplaintBody } from '../../../../common/complaints/contracts.js';
import { issuesToFieldErrors } from '../../../../common/i18n/problems.js';
import type { Executor } from '../../../db/client.js';
import { type FieldError, Invalid } from '../../../platform/errors.js';
import { UUID_RE } from '../../../platform/org/sql.js';
import { findCategory } from '../queries.js';

/** A GeoReport v2 `POST requests` body as parsed from the form (strings; `media` from multipart). */
export type Open311Form = Record<string, unknown>;

/** The uploaded `media` file of a multipart request. */
export interface MediaPart {
  buffer: Buffer;
  filename?: string;
}

/** Our field names (submitComplaint's errors) → the GeoReport v2 names the client sent. */
export function open311Field(field: string): string {
  if (field.startsWith('attributes.')) return `attribute[${field.slice('attributes.'.length)}]`;
  if (field === 'categoryId') return 'service_code';
  if (field === 'location') return 'lat/long';
  if (field === 'location.lat') return 'lat';
  if (field === 'location.lng') return 'long';
  if (field === 'regionCode') return 'address_id';
  if (field === 'address') return 'address_string';
  if (field === 'reporter' || field === 'reporter.name') return 'first_name/last_name';
  if (field.startsWith('reporter.')) return field.slice('reporter.'.length);
  if (field === 'photos' || field.startsWith('photos.') || field === 'file') return 'media';
  return field;
}

function text(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

const ATTRIBUTE_KEY = /^attribute\[([^\]]{1,60})\]$/;

/**
 * Maps a GeoReport v2 request onto the web flow's input (SubmitComplaintBody), so that the same
 * command files it: service_code → category, lat/long → location, address_id → kelurahan or
 * kecamatan code, address_string → address, attribute[code] → attributes (numbers converted as the
 * category's definition says), first/last name, phone and e-mail → the reporter's contact.
 * device_id and account_id are not kept. Shape errors come back under the GeoReport names.
 */
export async function toSubmitInput(ex: Executor, tenantId: string, form: Open311Form): Promise<SubmitComplaintBody> {
  const errors: FieldError[] = [];
  const serviceCode = text(form.service_code);
  if (serviceCode && !UUID_RE.test(serviceCode)) throw Invalid.field('service_code', 'open311.service_code', { code: serviceCode.slice(0, 60) });
  const category = serviceCode ? await findCategory(ex, tenantId, serviceCode) : undefined;

  const attributes: Record<string, string | number> = {};
  for (const [key, raw] of Object.entries(form)) {
    const m = ATTRIBUTE_KEY.exec(key);
    const value = text(raw);
    if (!m || value === undefined) continue;
    const def = category?.attributes.find((a) => a.code === m[1]);
    attributes[m[1]] = def?.datatype === 'number' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }

  const lat = text(form.lat);
  const long = text(form.long);
  let location: { lat: number; lng: number } | undefined;
  if (lat !== undefined || long !== undefined) {
    const la = Number(lat);
    const lo = Number(long);
    if (lat === undefined || long === undefined || !Number.isFinite(la) || !Number.isFinite(lo)) errors.push({ field: 'lat/long', code: 'open311.lat_long', params: {} });
    else location = { lat: la, lng: lo };
  }
  if (text(form.media_url)) errors.push({ field: 'media_url', code: 'open311.media_url', params: {} });
  if (errors.length) throw new Invalid('validation', {}, errors);

  const name = [text(form.first_name), text(form.last_name)].filter(Boolean).join(' ');
  const reporter = { name: name || undefined, phone: text(form.phone), email: text(form.email) };
  const candidate = {
    categoryId: serviceCode,
    description: typeof form.description === 'string' ? form.description : undefined,
    ...(location ? { location } : {}),
    ...(text(form.address_id) ? { regionCode: text(form.address_id) } : {}),
    ...(text(form.address_string) ? { address: text(form.address_string) } : {}),
    attributes,
    ...(reporter.name || reporter.phone || reporter.email ? { reporter } : {}),
  };
  const parsed = SubmitComplaintBody.safeParse(candidate);
  if (!parsed.success) throw new Invalid('validation', {}, issuesToFieldErrors(parsed.error.issues as never));
  return parsed.data;
}
