import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { type Locale, issuesToFieldErrors, problemMessage } from '../../../../common/i18n/problems.js';
import type { AppInstance } from '../../../app.js';
import { lookupApiKey } from '../../../platform/auth/apikeys.js';
import { storeUpload } from '../../../platform/files/commands/storeUpload.js';
import { formatBytes, largestUpload } from '../../../platform/files/prepare.js';
import { fileServiceFor } from '../../../platform/files/service.js';
import { AppError, type FieldError, Forbidden, Invalid, NotFound, RateLimited } from '../../../platform/errors.js';
import { IDEMPOTENCY_HEADER, idempotencyRequest, REPLAYED_HEADER } from '../../../platform/idempotency/http.js';
import { requestLocale } from '../../../platform/http/problems.js';
import { normalizeTrackingCode } from '../../../platform/numbering/format.js';
import { anonymous, canAnywhere } from '../../../platform/policies/actor.js';
import { hashAccessToken, submitComplaint, TRACKING_GROUPS, TRACKING_PREFIX } from '../commands/submitComplaint.js';
import { stageOf } from '../deadlines.js';
import { listCategories } from '../queries.js';
import './messages.js';
import { codeOfToken, DEFAULT_WINDOW_DAYS, findPublicRequest, listPublicRequests, MAX_REQUESTS, type Open311Status, open311Status, type PublicRequestRow, servicesChangedAt } from './queries.js';
import { type MediaPart, type Open311Form, open311Field, toSubmitInput } from './request.js';
import { toXml } from './xml.js';

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) at /open311/v2, every resource as .json and
 * .xml, over the same queries and the same submitComplaint command as the web flow.
 *
 * - service_code is the category id; service_request_id is the report's tracking code (public,
 *   unguessable, what the resident already knows); the token is the report's private link key.
 * - Only verified, unhidden reports are listed; never the reporter, never internal notes.
 * - POST requests needs an API key holding complaints.intake, sent as the form field `api_key`
 *   (the standard), the query parameter, or the platform's X-API-Key / Authorization: Bearer.
 * - Errors use the standard's list of {code, description}, described in the request's language.
 */

export const OPEN311_PREFIX = '/open311/v2';
export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
const FORMATS = ['json', 'xml'] as const;
type Format = (typeof FORMATS)[number];
const CONTENT_TYPE: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };
/** Element names of list items in the XML documents. */
const XML_ITEMS = { services: 'service', service_requests: 'request', attributes: 'attribute', values: 'value', errors: 'error', endpoints: 'endpoint', formats: 'format' };
/** The permission an API key needs to file reports. */
export const INTAKE_PERMISSION = 'complaints.intake' as const;

const READ_RATE = { max: 120, timeWindow: '1 minute' };
const POST_RATE = { max: 120, timeWindow: '1 minute' };
const FORM_LIMIT = 64 * 1024;
/** Form fields of one multipart request (attributes included). */
const MAX_FIELDS = 60;

// ------------------------------------------------------------------------- response shapes (JSON)
const Errors = z.array(z.object({ code: z.number().int(), description: z.string() }));
const Discovery = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(z.object({ specification: z.string(), url: z.string(), changeset: z.string(), type: z.string(), formats: z.array(z.string()) })),
});
const Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.literal('realtime'),
  keywords: z.string(),
  group: z.string(),
});
const ServiceDefinition = z.object({
  service_code: z.string(),
  attributes: z.array(
    z.object({
      variable: z.boolean(),
      code: z.string(),
      datatype: z.string(),
      required: z.boolean(),
      datatype_description: z.string().nullable(),
      order: z.number().int(),
      description: z.string(),
      values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
    }),
  ),
});
const Created = z.array(z.object({ service_request_id: z.string(), token: z.string().nullable(), service_notice: z.string(), account_id: z.null() }));
const ServiceRequest = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string(),
  service_notice: z.null(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable(),
  address_id: z.string().nullable(),
  zipcode: z.null(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.string().nullable(),
});
const TokenView = z.array(z.object({ service_request_id: z.string(), token: z.string() }));

/** The answer and the standard's errors, documented per format (XML documents are strings). */
function responses(format: Format, status: number, ok: z.ZodType, errors: number[] = [400, 404]): Record<number, z.ZodType> {
  const out: Record<number, z.ZodType> = { [status]: format === 'json' ? ok : z.string() };
  for (const code of errors) out[code] = format === 'json' ? Errors : z.string();
  return out;
}

// ------------------------------------------------------------------------- helpers
/** An Open311 error: one or more descriptions under one status code. */
class Open311Error extends AppError {}

function formatOf(req: FastifyRequest): Format {
  return /\.xml$/.test(req.url.split('?')[0]) ? 'xml' : 'json';
}

function send(reply: FastifyReply, format: Format, status: number, root: string, body: unknown): FastifyReply {
  reply.code(status).header('content-type', CONTENT_TYPE[format]);
  return reply.send(format === 'xml' ? toXml(root, body, XML_ITEMS) : body);
}

/** Scheme, host and tenant path prefix of this request, for absolute URLs. */
function baseUrl(req: FastifyRequest): string {
  const prefix = (req.raw as { balaiTenantSlug?: string }).balaiTenantSlug ? `/t/${req.tenant.slug}` : '';
  return `${req.protocol}://${req.host}${prefix}`;
}

/** An ISO 8601 date-time with the tenant's offset, e.g. 2026-11-27T20:47:31+08:00. */
function local(iso: string | null, zone: string): string | null {
  return iso ? DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).set({ millisecond: 0 }).toISO({ suppressMilliseconds: true }) : null;
}

/** jurisdiction_id is optional (the host or /t/ prefix selects the city); a wrong one is 404. */
function checkJurisdiction(req: FastifyRequest, given: unknown): void {
  if (typeof given === 'string' && given !== '' && given !== req.tenant.slug) throw new Open311Error(404, 'open311.jurisdiction', { id: given.slice(0, 60) });
}

function errorItems(err: AppError, status: number, locale: Locale): { code: number; description: string }[] {
  if (err.fieldErrors.length) {
    return err.fieldErrors.map((f: FieldError) => ({ code: status, description: `${open311Field(f.field)}: ${problemMessage(f.code, locale, f.params ?? {})}` }));
  }
  return [{ code: status, description: problemMessage(err.code, locale, err.params) }];
}

/** Every error of these routes in the standard's format: `[{code, description}]` / `<errors><error>`. */
const open311Errors = (maxMediaBytes: number) => (err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
  const locale = requestLocale(req);
  const format = formatOf(req);
  let status: number;
  let items: { code: number; description: string }[];
  if (err instanceof AppError) {
    // The standard answers a missing or invalid api_key with 403.
    status = err.status === 401 ? 403 : err.status;
    if (err instanceof RateLimited) reply.header('retry-after', String(err.retryAfterSeconds));
    items = errorItems(err, status, locale);
  } else if (hasZodFastifySchemaValidationErrors(err)) {
    status = 400;
    const issues = err.validation.map((v) => ({ ...(v.params as object), code: v.keyword, message: v.message ?? '', path: v.instancePath.split('/').filter(Boolean) }));
    items = issuesToFieldErrors(issues).map((f) => ({ code: 400, description: `${f.field || 'request'}: ${problemMessage(f.code, locale, f.params)}` }));
  } else {
    const code = (err as { code?: string }).code;
    const known: Record<string, [number, string, Record<string, unknown>]> = {
      FST_REQ_FILE_TOO_LARGE: [413, 'payload_too_large', { limit: formatBytes(maxMediaBytes) }],
      FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', { limit: `${FORM_LIMIT / 1024} KB` }],
      FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', { type: req.headers['content-type'] ?? '' }],
      FST_FILES_LIMIT: [400, 'open311.media_only', {}],
      FST_FIELDS_LIMIT: [400, 'field.too_many', { maximum: MAX_FIELDS }],
      FST_PARTS_LIMIT: [400, 'field.too_many', { maximum: MAX_FIELDS }],
    };
    const hit = code ? known[code] : undefined;
    if (hit) [status, items] = [hit[0], [{ code: hit[0], description: problemMessage(hit[1], locale, hit[2]) }]];
    else if (err.statusCode === 429) [status, items] = [429, [{ code: 429, description: problemMessage('rate_limited', locale, { seconds: 60 }) }]];
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) [status, items] = [err.statusCode, [{ code: err.statusCode, description: problemMessage('invalid', locale) }]];
    else {
      req.log.error({ err }, 'unhandled error');
      [status, items] = [500, [{ code: 500, description: problemMessage('internal', locale) }]];
    }
  }
  return send(reply, format, status, 'errors', items);
};

/** Reads a multipart body into form fields and the one `media` file, before the API key check. */
async function readMultipart(req: FastifyRequest): Promise<Open311Form> {
  const form: Open311Form = {};
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'media' || form.media) {
        await part.toBuffer().catch(() => undefined);
        throw Invalid.field(part.fieldname, 'open311.media_only');
      }
      form.media = { buffer: await part.toBuffer(), filename: part.filename } satisfies MediaPart;
    } else {
      if (part.valueTruncated) throw Invalid.field(part.fieldname, 'field.too_long', { maximum: FORM_LIMIT });
      form[part.fieldname] = String(part.value);
    }
  }
  return form;
}

/**
 * The API key of `POST requests`. The platform checks access when the request arrives, before the
 * body is read, and GeoReport clients send the key as a form field: so the route is open at that
 * stage and this hook, once the body is parsed and before it is validated, authenticates the key
 * exactly as the platform does (lookupApiKey) and requires complaints.intake. A key in the
 * X-API-Key / Authorization header was already authenticated by the platform (invalid → 401 there,
 * answered as 403 here). Signed-in sessions are not accepted: the standard's client is a machine.
 */
async function requireIntakeKey(req: FastifyRequest): Promise<void> {
  if (req.isMultipart()) req.body = await readMultipart(req);
  const form = (req.body && typeof req.body === 'object' ? req.body : {}) as Open311Form;
  let actor = req.actor;
  if (actor.kind !== 'apikey') {
    const fromForm = typeof form.api_key === 'string' ? form.api_key : undefined;
    const fromQuery = (req.query as Record<string, unknown> | undefined)?.api_key;
    const presented = fromForm ?? (typeof fromQuery === 'string' ? fromQuery : undefined);
    const found = presented ? await lookupApiKey(req.server.deps.db, req.tenant.id, presented.trim()) : null;
    if (!found) throw new Open311Error(403, 'open311.api_key');
    actor = found;
  }
  if (!canAnywhere(actor, INTAKE_PERMISSION)) throw new Forbidden('open311.api_key_permission');
  req.actor = actor;
}

function parseForm(body: string): Open311Form {
  const form: Open311Form = {};
  for (const [k, v] of new URLSearchParams(body)) form[k] = v;
  return form;
}

function presentRequest(r: PublicRequestRow, zone: string, base: string): z.infer<typeof ServiceRequest> {
  return {
    service_request_id: r.tracking_code,
    status: open311Status(r.status),
    status_notes: r.status_notes,
    service_name: r.category_name,
    service_code: r.category_id,
    description: r.description,
    agency_responsible: r.unit_name,
    service_notice: null,
    requested_datetime: local(r.submitted_at, zone)!,
    updated_datetime: local(r.updated_at, zone)!,
    // The resolution deadline, while the unit works on it.
    expected_datetime: stageOf(r.status) === 'resolution' ? local(r.due_at, zone) : null,
    address: r.address,
    address_id: r.kelurahan_code,
    zipcode: null,
    lat: r.lat,
    long: r.lng,
    // The public download of the first photo not hidden by moderation (public once verified).
    media_url: r.photo_id ? `${base}/api/v1/files/${r.photo_id}` : null,
  };
}

function parseDate(value: string | undefined, field: string, zone: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const d = DateTime.fromISO(value, { zone });
  if (!d.isValid) throw Invalid.field(field, 'open311.datetime');
  return d.toJSDate();
}

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

// ------------------------------------------------------------------------- routes
const Jurisdiction = { jurisdiction_id: z.string().max(60).optional() };
const RequestsQuery = z.object({
  ...Jurisdiction,
  service_request_id: z.string().max(30_000).optional(),
  service_code: z.string().max(4000).optional(),
  start_date: z.string().max(40).optional(),
  end_date: z.string().max(40).optional(),
  status: z.string().max(40).optional(),
});
const PostBody = z.looseObject({
  api_key: z.string().max(200).optional(),
  ...Jurisdiction,
  service_code: z.string().max(100),
  lat: z.string().max(40).optional(),
  long: z.string().max(40).optional(),
  address_string: z.string().max(1000).optional(),
  address_id: z.string().max(40).optional(),
  email: z.string().max(254).optional(),
  device_id: z.string().max(200).optional(),
  account_id: z.string().max(200).optional(),
  first_name: z.string().max(120).optional(),
  last_name: z.string().max(120).optional(),
  phone: z.string().max(40).optional(),
  description: z.string().max(4000).optional(),
  media_url: z.string().max(2000).optional(),
  /** multipart/form-data only: one photo (JPEG, PNG, WebP, GIF). */
  media: z.any().optional(),
});

async function open311Plugin(app: AppInstance): Promise<void> {
  const files = fileServiceFor(app.deps.config);
  const maxMediaBytes = largestUpload(files.limits);
  await app.register(multipart, {
    limits: { fileSize: maxMediaBytes, files: 1, fields: MAX_FIELDS, parts: MAX_FIELDS + 1, fieldSize: FORM_LIMIT, fieldNameSize: 80, headerPairs: 20 },
  });
  // The standard posts forms; a JSON body is refused (415) rather than half understood.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => done(null, parseForm(String(body))));
  app.setErrorHandler(open311Errors(maxMediaBytes));
  const tags = ['open311'];

  for (const format of FORMATS) {
    const ext = `.${format}`;
    const xmlNote = format === 'xml' ? ' (text/xml)' : '';

    app.get(
      `${OPEN311_PREFIX}/discovery${ext}`,
      {
        config: { access: { public: true }, rateLimit: READ_RATE },
        schema: { tags, summary: `GeoReport v2 service discovery${xmlNote}`, querystring: z.object(Jurisdiction), response: responses(format, 200, Discovery) },
      },
      async (req, reply) => {
        checkJurisdiction(req, req.query.jurisdiction_id);
        const zone = req.tenant.timeZone;
        const changeset = local(await servicesChangedAt(req.ctx().db.orm, req.tenant.id), zone) ?? local(new Date(0).toISOString(), zone)!;
        const c = req.tenant.contact;
        const body = {
          changeset,
          contact: [req.tenant.name, c.email, c.phone, c.website].filter(Boolean).join(' · '),
          key_service: problemMessage('open311.key_service', requestLocale(req), { tenant: req.tenant.name }),
          endpoints: [{ specification: SPECIFICATION, url: `${baseUrl(req)}${OPEN311_PREFIX}`, changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
        };
        return send(reply, format, 200, 'discovery', body);
      },
    );

    app.get(
      `${OPEN311_PREFIX}/services${ext}`,
      {
        config: { access: { public: true }, rateLimit: READ_RATE },
        schema: {
          tags,
          summary: `GeoReport v2 services: the active public report categories (service_code = category id, group = default agency)${xmlNote}`,
          querystring: z.object(Jurisdiction),
          response: responses(format, 200, z.array(Service)),
        },
      },
      async (req, reply) => {
        checkJurisdiction(req, req.query.jurisdiction_id);
        const rows = await listCategories(req.ctx().db.orm, req.tenant.id, { publicOnly: true });
        const body = rows.map((r) => ({
          service_code: r.id,
          service_name: r.name,
          description: r.name,
          metadata: r.attributes.length > 0,
          type: 'realtime' as const,
          keywords: r.kind,
          group: r.default_unit_name,
        }));
        return send(reply, format, 200, 'services', body);
      },
    );

    app.get(
      `${OPEN311_PREFIX}/services/:service_code${ext}`,
      {
        config: { access: { public: true }, rateLimit: READ_RATE },
        schema: {
          tags,
          summary: `GeoReport v2 service definition: the category's attributes; 404 for an unknown or non-public service_code${xmlNote}`,
          params: z.object({ service_code: z.string().max(100) }),
          querystring: z.object(Jurisdiction),
          response: responses(format, 200, ServiceDefinition),
        },
      },
      async (req, reply) => {
        checkJurisdiction(req, req.query.jurisdiction_id);
        const code = req.params.service_code;
        const rows = await listCategories(req.ctx().db.orm, req.tenant.id, { publicOnly: true });
        const category = rows.find((r) => r.id === code);
        if (!category) throw new Open311Error(404, 'open311.service_code', { code: code.slice(0, 60) });
        const locale = requestLocale(req);
        const attributes = category.attributes
          .map((a, i) => ({ a, order: a.order ?? i + 1 }))
          .sort((x, y) => x.order - y.order)
          .map(({ a, order }) => ({
            variable: true,
            code: a.code,
            datatype: a.datatype,
            required: a.required,
            datatype_description: a.datatype === 'number' ? problemMessage('open311.number_hint', locale) : null,
            order,
            description: a.description,
            ...(a.values?.length ? { values: a.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
          }));
        return send(reply, format, 200, 'service_definition', { service_code: category.id, attributes });
      },
    );

    app.post(
      `${OPEN311_PREFIX}/requests${ext}`,
      {
        // Open at arrival because the key comes in the body; requireIntakeKey checks it before
        // anything else is looked at (see there).
        config: { access: { public: true }, rateLimit: POST_RATE },
        preValidation: requireIntakeKey,
        schema: {
          tags,
          summary: `GeoReport v2: file a report (application/x-www-form-urlencoded, or multipart/form-data with one photo as "media"). Needs api_key with complaints.intake. Answers the tracking code as service_request_id and the private link key as token; a retry with the same Idempotency-Key returns the same report${xmlNote}`,
          consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
          headers: z.object({ [IDEMPOTENCY_HEADER]: z.string().max(100).optional() }),
          body: PostBody,
          response: responses(format, 201, Created, [400, 403, 404]),
        },
      },
      async (req, reply) => {
        const form = req.body as Open311Form;
        checkJurisdiction(req, form.jurisdiction_id ?? (req.query as Record<string, unknown>)?.jurisdiction_id);
        const ctx = req.ctx();
        const media = form.media as MediaPart | undefined;
        const { api_key: _key, media: _media, ...fields } = form;
        const idempotency = idempotencyRequest(req, 'complaints.open311.request', {
          fingerprint: { fields, media: media ? createHash('sha256').update(media.buffer).digest('hex') : null },
        });
        const input = await toSubmitInput(ctx.db.orm, ctx.tenant.id, form);
        // The report is filed for an anonymous resident through the integration: submitComplaint
        // accepts reporter contact and issues the private link key only for anonymous filers.
        // The API key stays the idempotency scope. (If submitComplaint learns to accept API-key
        // actors as filers, use `ctx` here so that the audit trail names the key.)
        const filer = { ...ctx, actor: anonymous };
        if (media) {
          const stored = await storeUpload(filer, { buffer: media.buffer, originalName: media.filename }, files);
          input.photos = [{ id: stored.file.id, ...(stored.downloadToken ? { token: stored.downloadToken } : {}) }];
        }
        const outcome = await submitComplaint(filer, input, idempotency, { channel: 'open311' });
        if (outcome.replayed) reply.header(REPLAYED_HEADER, 'true');
        const created = outcome.body;
        const body = [
          {
            service_request_id: created.trackingCode,
            token: created.accessToken ?? null,
            service_notice: problemMessage('open311.service_notice', requestLocale(req), { code: created.trackingCode }),
            account_id: null,
          },
        ];
        return send(reply, format, 201, 'service_requests', body);
      },
    );

    app.get(
      `${OPEN311_PREFIX}/requests${ext}`,
      {
        config: { access: { public: true }, rateLimit: READ_RATE },
        schema: {
          tags,
          summary: `GeoReport v2 service requests: verified public reports, newest first, at most ${MAX_REQUESTS}; by default those of the last ${DEFAULT_WINDOW_DAYS} days; status open|closed${xmlNote}`,
          querystring: RequestsQuery,
          response: responses(format, 200, z.array(ServiceRequest)),
        },
      },
      async (req, reply) => {
        const q = req.query;
        checkJurisdiction(req, q.jurisdiction_id);
        const zone = req.tenant.timeZone;
        const ex = req.ctx().db.orm;
        let rows: PublicRequestRow[];
        if (q.service_request_id) {
          const codes = list(q.service_request_id);
          if (codes.length > MAX_REQUESTS) throw Invalid.field('service_request_id', 'field.too_many', { maximum: MAX_REQUESTS });
          const normalized = [...new Set(codes.map((c) => normalizeTrackingCode(c, TRACKING_PREFIX, TRACKING_GROUPS)).filter((c): c is string => c !== null))];
          rows = normalized.length ? await listPublicRequests(ex, req.tenant.id, { codes: normalized, start: new Date(0), end: new Date(0) }) : [];
        } else {
          const statuses = list(q.status);
          if (statuses.some((s) => s !== 'open' && s !== 'closed')) throw Invalid.field('status', 'open311.status');
          const end = parseDate(q.end_date, 'end_date', zone) ?? req.ctx().clock.now();
          const start = parseDate(q.start_date, 'start_date', zone) ?? DateTime.fromJSDate(end).minus({ days: DEFAULT_WINDOW_DAYS }).toJSDate();
          if (start > end) throw Invalid.field('start_date', 'open311.date_order');
          rows = await listPublicRequests(ex, req.tenant.id, {
            start,
            end,
            ...(statuses.length ? { statuses: statuses as Open311Status[] } : {}),
            ...(q.service_code ? { serviceCodes: list(q.service_code) } : {}),
          });
        }
        const base = baseUrl(req);
        return send(
          reply,
          format,
          200,
          'service_requests',
          rows.map((r) => presentRequest(r, zone, base)),
        );
      },
    );

    app.get(
      `${OPEN311_PREFIX}/requests/:service_request_id${ext}`,
      {
        config: { access: { public: true }, rateLimit: READ_RATE },
        schema: {
          tags,
          summary: `GeoReport v2 one service request by its id (the tracking code); 404 unless verified and public${xmlNote}`,
          params: z.object({ service_request_id: z.string().max(60) }),
          querystring: z.object(Jurisdiction),
          response: responses(format, 200, z.array(ServiceRequest)),
        },
      },
      async (req, reply) => {
        checkJurisdiction(req, req.query.jurisdiction_id);
        const raw = req.params.service_request_id;
        const code = normalizeTrackingCode(raw, TRACKING_PREFIX, TRACKING_GROUPS);
        const row = code ? await findPublicRequest(req.ctx().db.orm, req.tenant.id, code) : undefined;
        if (!row) throw new Open311Error(404, 'open311.request_not_found', { id: raw.slice(0, 60) });
        return send(reply, format, 200, 'service_requests', [presentRequest(row, req.tenant.timeZone, baseUrl(req))]);
      },
    );

    app.get(
      `${OPEN311_PREFIX}/tokens/:token${ext}`,
      {
        config: { access: { public: true }, rateLimit: READ_RATE },
        schema: {
          tags,
          summary: `GeoReport v2 token → service_request_id, for tokens issued by POST requests (the report's private link key); 404 otherwise${xmlNote}`,
          params: z.object({ token: z.string().max(100) }),
          querystring: z.object(Jurisdiction),
          response: responses(format, 200, TokenView),
        },
      },
      async (req, reply) => {
        checkJurisdiction(req, req.query.jurisdiction_id);
        const token = req.params.token;
        const code = /^[A-Za-z0-9_-]{43}$/.test(token) ? await codeOfToken(req.ctx().db.orm, req.tenant.id, hashAccessToken(token)) : undefined;
        if (!code) throw new NotFound('open311.token_not_found');
        return send(reply, format, 200, 'service_requests', [{ service_request_id: code, token }]);
      },
    );
  }
}

/** Registers /open311/v2 in its own scope (multipart and form parsers, the standard's errors). */
export function open311Routes(app: AppInstance): void {
  app.register(async (scope) => open311Plugin(scope as AppInstance));
}
