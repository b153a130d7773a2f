import { z } from 'zod';
import { MergeBody, NearbyQuery, RedactBody, SupportBody, VisibilityBody } from '../../../../common/complaints/contracts.js';
import type { AppInstance } from '../../../app.js';
import { IdempotencyHeaders, idempotencyRequest, sendIdempotent } from '../../../platform/idempotency/http.js';
import { viewComplaint } from '../commands/viewComplaint.js';
import { ComplaintDetail } from '../presenters.js';
import { complaintForStaff, findCategory } from '../queries.js';
import { mergeComplaint } from './commands/mergeComplaint.js';
import { listRedactions, redactText, setPhotoVisibility, setReportVisibility } from './commands/moderateComplaint.js';
import { supportComplaint } from './commands/supportComplaint.js';
import { DuplicateItem, NearbyItem, presentDuplicate, presentNearby, RedactionView, SupportView } from './presenters.js';
import { findNearby, STAFF_DUPLICATE_STATUSES, SUPPORTABLE_STATUSES, windowStart } from './queries.js';

/** Per-IP limits: suggestions like tracking; support is lighter (one tap per report). */
const NEARBY_RATE = { max: 60, timeWindow: '1 minute' };
const SUPPORT_RATE = { max: 10, timeWindow: '1 minute' };
const PUBLIC_LIMIT = 5;
const STAFF_LIMIT = 10;

const IdParams = z.object({ id: z.uuid() });

/** Duplicate suggestions, support, merge and moderation of citizen reports. */
export function complaintDuplicateRoutes(app: AppInstance): void {
  const tags = ['complaints'];

  app.get(
    '/api/v1/complaints/nearby',
    {
      config: { access: { public: true }, rateLimit: NEARBY_RATE },
      schema: {
        tags,
        summary: `Verified open reports of the same category within 50 m of a point and 30 days, best match first (text similarity and distance); public facts only, for "support instead of filing again"`,
        querystring: NearbyQuery,
        response: { 200: z.object({ items: z.array(NearbyItem) }) },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      const q = req.query;
      const category = await findCategory(ctx.db.orm, ctx.tenant.id, q.categoryId);
      if (!category?.active || !category.public) return { items: [] };
      const rows = await findNearby(ctx.db.orm, {
        tenantId: ctx.tenant.id,
        categoryId: q.categoryId,
        point: { lat: q.lat, lng: q.lng },
        text: q.text,
        since: windowStart(ctx.clock.now()),
        statuses: SUPPORTABLE_STATUSES,
        publicOnly: true,
        limit: PUBLIC_LIMIT,
      });
      return { items: rows.map(presentNearby) };
    },
  );

  app.post(
    '/api/v1/complaints/track/:code/support',
    {
      config: { access: { public: true }, rateLimit: SUPPORT_RATE },
      schema: {
        tags,
        summary:
          '"Saya juga mengalami ini": support a verified open report. Signed in: once per account (a repeat answers 200 alreadySupported); anonymous: Idempotency-Key required, optional e-mail for updates. 201 when counted',
        params: z.object({ code: z.string().max(40) }),
        headers: IdempotencyHeaders,
        body: SupportBody,
        response: { 200: SupportView, 201: SupportView },
      },
    },
    async (req, reply) => {
      const anonymous = req.ctx().actor.kind === 'anonymous';
      const idem = idempotencyRequest(req, 'complaints.support', { required: anonymous });
      return sendIdempotent(reply, await supportComplaint(req.ctx(), req.params.code, req.body ?? {}, idem));
    },
  );

  // ------------------------------------------------------------------------- triage desk
  const triage = { access: { permission: 'complaints.triage' as const } };

  app.get(
    '/api/v1/complaints/:id/duplicates',
    {
      config: triage,
      schema: {
        tags,
        summary: 'Possible duplicates of a report for verification: open reports (unverified ones included) of its category within 50 m (or its kelurahan without coordinates) and 30 days',
        params: IdParams,
        response: { 200: z.object({ items: z.array(DuplicateItem) }) },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      const row = await complaintForStaff(ctx.db.orm, ctx, req.params.id);
      const rows = await findNearby(ctx.db.orm, {
        tenantId: ctx.tenant.id,
        categoryId: row.category_id,
        point: row.lat != null && row.lng != null ? { lat: row.lat, lng: row.lng } : null,
        region: { kecamatan: row.kecamatan_code, kelurahan: row.kelurahan_code },
        text: row.description,
        since: windowStart(new Date(row.submitted_at)),
        statuses: STAFF_DUPLICATE_STATUSES,
        publicOnly: false,
        excludeId: row.id,
        limit: STAFF_LIMIT,
      });
      return { items: rows.map(presentDuplicate) };
    },
  );

  app.post(
    '/api/v1/complaints/:id/merge',
    {
      config: triage,
      schema: {
        tags,
        summary:
          'Merge a duplicate (submitted or verified) into a primary report: the duplicate is rejected as duplicate, its reporter and supporters follow the primary. Returns the duplicate',
        params: IdParams,
        body: MergeBody,
        response: { 200: ComplaintDetail.extend({ mergedInto: z.object({ id: z.string(), trackingCode: z.string() }) }) },
      },
    },
    async (req) => {
      const r = await mergeComplaint(req.ctx(), req.params.id, req.body);
      return { ...(await viewComplaint(req.ctx(), req.params.id)), mergedInto: { id: r.primaryId, trackingCode: r.primaryCode } };
    },
  );

  app.post(
    '/api/v1/complaints/:id/visibility',
    {
      config: triage,
      schema: { tags, summary: 'Hide a whole report from the public (map, list, tracking page) or show it again, with a reason (audited)', params: IdParams, body: VisibilityBody, response: { 200: ComplaintDetail } },
    },
    async (req) => {
      await setReportVisibility(req.ctx(), req.params.id, req.body);
      return viewComplaint(req.ctx(), req.params.id);
    },
  );

  app.post(
    '/api/v1/complaints/:id/photos/:fileId/visibility',
    {
      config: triage,
      schema: {
        tags,
        summary: 'Hide a report photo from the public or show it again, with a reason (audited)',
        params: z.object({ id: z.uuid(), fileId: z.uuid() }),
        body: VisibilityBody,
        response: { 200: ComplaintDetail },
      },
    },
    async (req) => {
      await setPhotoVisibility(req.ctx(), req.params.id, req.params.fileId, req.body);
      return viewComplaint(req.ctx(), req.params.id);
    },
  );

  app.post(
    '/api/v1/complaints/:id/redact',
    {
      config: triage,
      schema: {
        tags,
        summary: 'Redact passages of the description or of a public timeline note (replaced everywhere; the original is kept for audit.read holders), with a reason (audited)',
        params: IdParams,
        body: RedactBody,
        response: { 200: ComplaintDetail },
      },
    },
    async (req) => {
      await redactText(req.ctx(), req.params.id, req.body);
      return viewComplaint(req.ctx(), req.params.id);
    },
  );

  app.get(
    '/api/v1/complaints/:id/redactions',
    {
      config: { access: { permission: 'audit.read' as const } },
      schema: { tags, summary: 'Originals kept by the redactions of a report (audit.read; the reading is audited)', params: IdParams, response: { 200: z.object({ items: z.array(RedactionView) }) } },
    },
    async (req) => {
      const rows = await listRedactions(req.ctx(), req.params.id);
      return {
        items: rows.map((r) => ({ id: r.id, field: r.event_id ? ('note' as const) : ('description' as const), eventId: r.event_id, original: r.original, redacted: r.redacted, reason: r.reason, actorName: r.actor_name, at: r.at })),
      };
    },
  );
}
