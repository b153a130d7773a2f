import { z } from 'zod';
import type { AppInstance } from '../../app.js';
import { IdempotencyHeaders, idempotencyRequest, sendIdempotent } from '../../platform/idempotency/http.js';
import { pageQuery } from '../../../common/validators.js';
import {
  CategoryBody,
  CategoryPatch,
  CloseBody,
  ComplaintStatusEnum,
  DisposeBody,
  NoteBody,
  ProvideInfoBody,
  RateBody,
  RejectBody,
  ReopenBody,
  RequestInfoBody,
  ResolveBody,
  RoutingRuleBody,
  StartBody,
  SubmitComplaintBody,
  VerifyBody,
  WithdrawBody,
} from '../../../common/complaints/contracts.js';
import { addNote } from './commands/addNote.js';
import { closeComplaint } from './commands/closeComplaint.js';
import { provideInfo } from './commands/provideInfo.js';
import { rateComplaint } from './commands/rateComplaint.js';
import { reopenComplaint } from './commands/reopenComplaint.js';
import { requestInfo } from './commands/requestInfo.js';
import { resolveComplaint } from './commands/resolveComplaint.js';
import { startComplaint } from './commands/startComplaint.js';
import { withdrawComplaint } from './commands/withdrawComplaint.js';
import { disposeComplaint } from './commands/disposeComplaint.js';
import { rejectComplaint } from './commands/rejectComplaint.js';
import { addRoutingRule, removeRoutingRule } from './commands/routingRules.js';
import { createCategory, requireCategoryManager, updateCategory } from './commands/saveCategory.js';
import { submitComplaint } from './commands/submitComplaint.js';
import { trackComplaint } from './commands/trackComplaint.js';
import { verifyComplaint } from './commands/verifyComplaint.js';
import { viewComplaint } from './commands/viewComplaint.js';
import { CategoryView, ComplaintDetail, InboxItem, MyComplaintItem, presentMine, PublicCategoryView, presentCategory, presentInboxItem, RoutingRuleView, SubmittedView, TrackView } from './presenters.js';
import { findCategory, listCategories, listInbox, listMine, listRoutingRules } from './queries.js';

/** Per-IP limits of the public endpoints (tracking codes must not be guessable by brute force). */
const SUBMIT_RATE = { max: 60, timeWindow: '1 minute' };
const TRACK_RATE = { max: 60, timeWindow: '1 minute' };

const IdParams = z.object({ id: z.uuid() });
const regionCode = z.string().regex(/^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$/, { message: 'complaints.region_code' });

/** Citizen reports: public intake and tracking, the staff inbox and triage, category administration. */
export function complaintRoutes(app: AppInstance): void {
  const tags = ['complaints'];

  // ------------------------------------------------------------------------- public
  app.get(
    '/api/v1/complaints/categories',
    {
      config: { access: { public: true } },
      schema: { tags, summary: 'Active public report categories of the tenant, for the icon grid (with Open311 attributes)', response: { 200: z.object({ items: z.array(PublicCategoryView) }) } },
    },
    async (req) => {
      const rows = await listCategories(req.ctx().db.orm, req.tenant.id, { publicOnly: true });
      return { items: rows.map((r) => ({ id: r.id, name: r.name, icon: r.icon, kind: r.kind, attributes: r.attributes })) };
    },
  );

  app.post(
    '/api/v1/complaints',
    {
      config: { access: { public: true }, rateLimit: SUBMIT_RATE },
      schema: {
        tags,
        summary:
          'File a report, signed in or anonymously (an anonymous reporter gets the private link key in accessToken). A retry with the same Idempotency-Key returns the same report.',
        headers: IdempotencyHeaders,
        body: SubmitComplaintBody,
        response: { 201: SubmittedView },
      },
    },
    async (req, reply) => sendIdempotent(reply, await submitComplaint(req.ctx(), req.body, idempotencyRequest(req, 'complaints.submit'))),
  );

  app.get(
    '/api/v1/complaints/track/:code',
    {
      config: { access: { public: true }, rateLimit: TRACK_RATE },
      schema: {
        tags,
        summary: 'Public status and timeline of a report by tracking code; before verification only with the private link token or as the reporter',
        params: z.object({ code: z.string().max(40) }),
        querystring: z.object({ token: z.string().max(100).optional() }),
        response: { 200: TrackView },
      },
    },
    async (req) => trackComplaint(req.ctx(), req.params.code, req.query.token),
  );

  // ------------------------------------------------------------------------- staff
  app.get(
    '/api/v1/complaints',
    {
      config: { access: { authenticated: true, userKind: 'staff' } },
      schema: {
        tags,
        summary: 'Inbox: the whole tenant for the triage desk (complaints.triage), reports disposed to one’s units for handlers (complaints.handle); newest first',
        querystring: z.object({
          status: ComplaintStatusEnum.optional(),
          categoryId: z.uuid().optional(),
          unitId: z.uuid().optional(),
          regionCode: regionCode.optional(),
          /** Only open reports past the due time of their current stage. */
          overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
          /** Only open reports whose overdue stage was escalated to the unit head. */
          escalated: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
          /** Indonesian full-text search (description, address, public answers) or a tracking code. */
          q: z.string().max(200).optional(),
          ...pageQuery,
        }),
        response: { 200: z.object({ items: z.array(InboxItem), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { rows, nextCursor } = await listInbox(req.ctx(), req.query);
      const now = req.ctx().clock.now();
      return { items: rows.map((r) => presentInboxItem(r, now)), nextCursor };
    },
  );

  app.get(
    '/api/v1/complaints/:id',
    {
      config: { access: { authenticated: true, userKind: 'staff' } },
      schema: {
        tags,
        summary: 'One report with its full timeline; reporter contact masked, shown in clear with ?reveal=true to holders of personal_data.read (that reading is audited)',
        params: IdParams,
        querystring: z.object({ reveal: z.enum(['true', 'false']).optional() }),
        response: { 200: ComplaintDetail },
      },
    },
    async (req) => viewComplaint(req.ctx(), req.params.id, { reveal: req.query.reveal === 'true' }),
  );

  const triage = { access: { permission: 'complaints.triage' as const } };
  app.post(
    '/api/v1/complaints/:id/verify',
    { config: triage, schema: { tags, summary: 'Verify a submitted report (it becomes public, without the reporter)', params: IdParams, body: VerifyBody, response: { 200: ComplaintDetail } } },
    async (req) => {
      await verifyComplaint(req.ctx(), req.params.id, req.body ?? {});
      return viewComplaint(req.ctx(), req.params.id);
    },
  );
  app.post(
    '/api/v1/complaints/:id/reject',
    { config: triage, schema: { tags, summary: 'Reject a report as spam, invalid or duplicate', params: IdParams, body: RejectBody, response: { 200: ComplaintDetail } } },
    async (req) => {
      await rejectComplaint(req.ctx(), req.params.id, req.body);
      return viewComplaint(req.ctx(), req.params.id);
    },
  );
  app.post(
    '/api/v1/complaints/:id/dispose',
    { config: triage, schema: { tags, summary: 'Dispose a verified report to the responsible unit (again, to re-dispose)', params: IdParams, body: DisposeBody, response: { 200: ComplaintDetail } } },
    async (req) => {
      await disposeComplaint(req.ctx(), req.params.id, req.body);
      return viewComplaint(req.ctx(), req.params.id);
    },
  );

  // ------------------------------------------------------------------------- handler follow-up
  const handle = { access: { permission: 'complaints.handle' as const } };
  app.post(
    '/api/v1/complaints/:id/start',
    { config: handle, schema: { tags, summary: 'The responsible unit takes up a disposed or reopened report', params: IdParams, body: StartBody, response: { 200: ComplaintDetail } } },
    async (req) => {
      await startComplaint(req.ctx(), req.params.id, req.body ?? {});
      return viewComplaint(req.ctx(), req.params.id);
    },
  );
  app.post(
    '/api/v1/complaints/:id/notes',
    {
      config: handle,
      schema: { tags, summary: 'Add a follow-up note with photos; internal notes and their photos never reach the public', params: IdParams, body: NoteBody, response: { 200: ComplaintDetail } },
    },
    async (req) => {
      await addNote(req.ctx(), req.params.id, req.body);
      return viewComplaint(req.ctx(), req.params.id);
    },
  );
  app.post(
    '/api/v1/complaints/:id/request-info',
    { config: handle, schema: { tags, summary: 'Ask the reporter for more information (public question); pauses the deadline', params: IdParams, body: RequestInfoBody, response: { 200: ComplaintDetail } } },
    async (req) => {
      await requestInfo(req.ctx(), req.params.id, req.body);
      return viewComplaint(req.ctx(), req.params.id);
    },
  );
  app.post(
    '/api/v1/complaints/:id/resolve',
    { config: handle, schema: { tags, summary: 'Answer the report (public) with at least one proof photo', params: IdParams, body: ResolveBody, response: { 200: ComplaintDetail } } },
    async (req) => {
      await resolveComplaint(req.ctx(), req.params.id, req.body);
      return viewComplaint(req.ctx(), req.params.id);
    },
  );

  // ------------------------------------------------------------------------- reporter follow-up
  const CodeParams = z.object({ code: z.string().max(40) });
  const TokenHeaders = z.object({ 'x-complaint-token': z.string().max(100).optional() });
  const reporter = { access: { public: true as const }, rateLimit: TRACK_RATE };
  const reporterRoutes = [
    ['withdraw', 'Withdraw a report before it is verified', WithdrawBody, (req: any) => withdrawComplaint(req.ctx(), req.params.code, req.headers['x-complaint-token'], req.body ?? {})],
    ['provide-info', 'Answer the unit’s question; the report returns to its stage and the deadline resumes', ProvideInfoBody, (req: any) => provideInfo(req.ctx(), req.params.code, req.headers['x-complaint-token'], req.body)],
    ['close', 'Confirm the resolution and close the report', CloseBody, (req: any) => closeComplaint(req.ctx(), req.params.code, req.headers['x-complaint-token'])],
    ['reopen', 'Disagree with the resolution within 7 days: the report goes back to the unit', ReopenBody, (req: any) => reopenComplaint(req.ctx(), req.params.code, req.headers['x-complaint-token'], req.body)],
    ['rate', 'Rate a closed report 1–5, once', RateBody, (req: any) => rateComplaint(req.ctx(), req.params.code, req.headers['x-complaint-token'], req.body)],
  ] as const;
  for (const [path, summary, body, run] of reporterRoutes) {
    app.post(
      `/api/v1/complaints/track/:code/${path}`,
      {
        config: reporter,
        schema: {
          tags,
          summary: `${summary}. As the signed-in reporter or with the private link's token in X-Complaint-Token; otherwise 404`,
          params: CodeParams,
          headers: TokenHeaders,
          body,
          response: { 200: TrackView },
        },
      },
      async (req) => {
        await run(req);
        return trackComplaint(req.ctx(), req.params.code, req.headers['x-complaint-token']);
      },
    );
  }

  app.get(
    '/api/v1/me/complaints',
    {
      config: { access: { authenticated: true } },
      schema: { tags, summary: 'The signed-in resident’s own reports, newest first', querystring: z.object({ ...pageQuery }), response: { 200: z.object({ items: z.array(MyComplaintItem), nextCursor: z.string().nullable() }) } },
    },
    async (req) => {
      const { rows, nextCursor } = await listMine(req.ctx(), req.query);
      return { items: rows.map(presentMine), nextCursor };
    },
  );

  // ------------------------------------------------------------------------- administration
  const manage = { access: { permission: 'complaints.categories.manage' as const } };
  app.get(
    '/api/v1/admin/complaints/categories',
    { config: manage, schema: { tags, summary: 'Every category of the tenant, inactive ones included (a short list, not paginated)', response: { 200: z.object({ items: z.array(CategoryView), nextCursor: z.null() }) } } },
    async (req) => {
      requireCategoryManager(req.ctx());
      return { items: (await listCategories(req.ctx().db.orm, req.tenant.id)).map(presentCategory), nextCursor: null };
    },
  );
  app.post(
    '/api/v1/admin/complaints/categories',
    { config: manage, schema: { tags, summary: 'Add a category', body: CategoryBody, response: { 201: CategoryView } } },
    async (req, reply) => {
      const id = await createCategory(req.ctx(), req.body);
      return reply.code(201).send(presentCategory((await findCategory(req.ctx().db.orm, req.tenant.id, id))!));
    },
  );
  app.patch(
    '/api/v1/admin/complaints/categories/:id',
    { config: manage, schema: { tags, summary: 'Change a category (name, icon, unit, deadlines, attributes, public, active)', params: IdParams, body: CategoryPatch, response: { 200: CategoryView } } },
    async (req) => {
      await updateCategory(req.ctx(), req.params.id, req.body);
      return presentCategory((await findCategory(req.ctx().db.orm, req.tenant.id, req.params.id))!);
    },
  );
  app.get(
    '/api/v1/admin/complaints/routing-rules',
    {
      config: manage,
      schema: { tags, summary: 'Routing rules (category + kecamatan/kelurahan → unit)', querystring: z.object({ categoryId: z.uuid().optional() }), response: { 200: z.object({ items: z.array(RoutingRuleView), nextCursor: z.null() }) } },
    },
    async (req) => {
      requireCategoryManager(req.ctx());
      const rows = await listRoutingRules(req.ctx().db.orm, req.tenant.id, req.query.categoryId);
      return {
        items: rows.map((r) => ({ id: r.id, categoryId: r.category_id, regionCode: r.region_code, regionName: r.region_name, unitId: r.unit_id, unitName: r.unit_name })),
        nextCursor: null,
      };
    },
  );
  app.post(
    '/api/v1/admin/complaints/routing-rules',
    { config: manage, schema: { tags, summary: 'Route a category’s reports from a kecamatan or kelurahan to another unit', body: RoutingRuleBody, response: { 201: z.object({ id: z.string() }) } } },
    async (req, reply) => reply.code(201).send({ id: await addRoutingRule(req.ctx(), req.body) }),
  );
  app.delete(
    '/api/v1/admin/complaints/routing-rules/:id',
    { config: manage, schema: { tags, summary: 'Remove a routing rule', params: IdParams } },
    async (req, reply) => {
      await removeRoutingRule(req.ctx(), req.params.id);
      return reply.code(204).send();
    },
  );
}
