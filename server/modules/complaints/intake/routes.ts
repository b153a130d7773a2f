import { z } from 'zod';
import type { AppInstance } from '../../../app.js';
import { ConvertIntakeBody, DiscardIntakeBody, INTAKE_CHANNELS, INTAKE_STATUSES, IntakeBody, STAFF_CHANNELS } from '../../../../common/complaints/intake.js';
import { SubmitComplaintBody } from '../../../../common/complaints/contracts.js';
import { maskPhone } from '../../../../common/mask.js';
import { nameSchema, normalizePhone, pageQuery, phoneSchema } from '../../../../common/validators.js';
import { inTransaction } from '../../../platform/context.js';
import { Invalid, NotFound } from '../../../platform/errors.js';
import { IdempotencyHeaders, idempotencyRequest, sendIdempotent } from '../../../platform/idempotency/http.js';
import { can } from '../../../platform/policies/actor.js';
import { submitComplaint } from '../commands/submitComplaint.js';
import { SubmittedView } from '../presenters.js';
import { convertIntake, discardIntake } from './convertIntake.js';
import { perCallerRate } from '../../../platform/http/rateLimits.js';
import { registerIntakeMediaPolicy } from './files.js';
import './messages.js';
import { CallerReport, IntakeDetail, IntakeItem, IntakeReceipt, NearbyReport, presentCallerReport, presentIntake, summary } from './presenters.js';
import { callerReports, findIntake, listIntake, nearbyOpenReports } from './queries.js';
import { receiveIntake } from './receiveIntake.js';

const IdParams = z.object({ id: z.uuid() });
const regionCode = z.string().regex(/^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$/, { message: 'complaints.region_code' });

/** A report filed by the call centre for a caller: the web form's fields, the caller as reporter. */
const CallCentreBody = SubmitComplaintBody.omit({ reporter: true, photos: true }).extend({
  channel: z.enum(STAFF_CHANNELS).default('call_centre'),
  reporter: z.strictObject({ name: nameSchema.optional(), phone: phoneSchema }),
});

/**
 * Channels of the complaints module (issue 4 point 7): the intake webhook for gateways, the
 * triage queue of received messages, and the call-centre console's filing and look-ups.
 */
/** Messages per minute one gateway key may deliver (5 a second: a busy city's WhatsApp line). */
export const INTAKE_RATE_PER_API_KEY = 300;

export function intakeRoutes(app: AppInstance): void {
  registerIntakeMediaPolicy();
  const tags = ['complaints'];
  const triage = { access: { permission: 'complaints.triage' as const } };

  // ------------------------------------------------------------------------- webhook
  app.post(
    '/api/v1/intake/:channel',
    {
      config: { access: { permission: 'complaints.intake', allowApiKey: true }, rateLimit: perCallerRate({ perAddress: INTAKE_RATE_PER_API_KEY, perApiKey: INTAKE_RATE_PER_API_KEY }) },
      schema: {
        tags,
        summary: 'Deliver a resident’s message from a channel gateway to the triage queue (API key with complaints.intake only)',
        description:
          'Images are uploaded first with the same key (POST /api/v1/files) and listed by id in `media`. A repeat delivery ' +
          'with the same channel and `externalId` returns the first item with 200 and writes nothing; so does a retry with ' +
          'the same Idempotency-Key. A new message answers 201.',
        params: z.object({ channel: z.enum(INTAKE_CHANNELS) }),
        headers: IdempotencyHeaders,
        body: IntakeBody,
        response: { 200: IntakeReceipt, 201: IntakeReceipt },
      },
    },
    async (req, reply) =>
      sendIdempotent(reply, await receiveIntake(req.ctx(), { ...req.body, channel: req.params.channel }, idempotencyRequest(req, 'complaints.intake'))),
  );

  // ------------------------------------------------------------------------- triage queue
  app.get(
    '/api/v1/complaints/intake',
    {
      config: triage,
      schema: {
        tags,
        summary: 'The triage queue of received channel messages, newest first; sender phones masked',
        querystring: z.object({ channel: z.enum(INTAKE_CHANNELS).optional(), status: z.enum(INTAKE_STATUSES).optional(), ...pageQuery }),
        response: { 200: z.object({ items: z.array(IntakeItem), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { rows, nextCursor } = await listIntake(req.ctx(), req.query);
      return { items: rows.map((r) => presentIntake(r, { full: false, unmasked: false })), nextCursor };
    },
  );

  app.get(
    '/api/v1/complaints/intake/:id',
    {
      config: triage,
      schema: { tags, summary: 'One received message with its images; the sender’s phone unmasked with personal_data.read (audited)', params: IdParams, response: { 200: IntakeDetail } },
    },
    async (req) => {
      const ctx = req.ctx();
      const row = await findIntake(ctx.db.orm, ctx.tenant.id, req.params.id);
      if (!row) throw new NotFound();
      const unmasked = can(ctx.actor, 'personal_data.read');
      if (unmasked && row.sender.phone) {
        await inTransaction(ctx, (tx) => tx.audit({ action: 'complaint.intake_sender_viewed', entityType: 'complaint_intake', entityId: row.id, data: { channel: row.channel } }));
      }
      return { ...presentIntake(row, { full: true, unmasked }), media: row.media, unmasked };
    },
  );

  app.post(
    '/api/v1/complaints/intake/:id/convert',
    {
      config: triage,
      schema: {
        tags,
        summary: 'Turn a received message into a report (same filing as the web form; the sender is the reporter); 409 when already handled',
        params: IdParams,
        body: ConvertIntakeBody,
        response: { 201: SubmittedView },
      },
    },
    async (req, reply) => reply.code(201).send(await convertIntake(req.ctx(), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/complaints/intake/:id/discard',
    {
      config: triage,
      schema: { tags, summary: 'Discard a received message with a reason; 409 when already handled', params: IdParams, body: DiscardIntakeBody, response: { 200: IntakeDetail } },
    },
    async (req) => {
      const ctx = req.ctx();
      await discardIntake(ctx, req.params.id, req.body.reason);
      const row = (await findIntake(ctx.db.orm, ctx.tenant.id, req.params.id))!;
      return { ...presentIntake(row, { full: true, unmasked: false }), media: row.media, unmasked: false };
    },
  );

  // ------------------------------------------------------------------------- call-centre console
  app.post(
    '/api/v1/complaints/call-centre',
    {
      config: triage,
      schema: {
        tags,
        summary: 'File a report on a caller’s behalf (channel call_centre): the caller is the reporter, the operator is recorded as filer',
        description: 'The answer carries the tracking code to read out and the private link key for the caller (e.g. by SMS). Idempotency-Key is honoured.',
        headers: IdempotencyHeaders,
        body: CallCentreBody,
        response: { 201: SubmittedView },
      },
    },
    async (req, reply) => {
      const { channel, ...input } = req.body;
      const outcome = await submitComplaint(req.ctx(), { ...input, photos: [] }, idempotencyRequest(req, 'complaints.call_centre'), { channel, onBehalf: true });
      return sendIdempotent(reply, outcome);
    },
  );

  app.get(
    '/api/v1/complaints/call-centre/callers',
    {
      config: triage,
      schema: {
        tags,
        summary: 'A caller’s earlier reports by phone number (reports given with it and those of the account with it); audited',
        querystring: z.object({ phone: z.string().max(30) }),
        response: { 200: z.object({ phone: z.string(), items: z.array(CallerReport) }) },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      const phone = normalizePhone(req.query.phone);
      if (!phone) throw Invalid.field('querystring.phone', 'complaints.caller_phone');
      const rows = await callerReports(ctx.db.orm, ctx.tenant.id, phone);
      const unmasked = can(ctx.actor, 'personal_data.read');
      // Looking up whom a phone number belongs to is reading personal data (UU PDP): recorded.
      await inTransaction(ctx, (tx) =>
        tx.audit({ action: 'complaint.caller_looked_up', entityType: 'complaint', data: { phone: maskPhone(phone), found: rows.length, trackingCodes: rows.map((r) => r.tracking_code) } }),
      );
      return { phone: unmasked ? phone : maskPhone(phone)!, items: rows.map((r) => presentCallerReport(r, unmasked)) };
    },
  );

  app.get(
    '/api/v1/complaints/call-centre/nearby',
    {
      config: triage,
      schema: {
        tags,
        summary: 'Open reports of a category filed in the last 30 days in the same kelurahan/kecamatan or within about 100 m',
        querystring: z.object({
          categoryId: z.uuid(),
          regionCode: regionCode.optional(),
          lat: z.coerce.number().min(-90).max(90).optional(),
          lng: z.coerce.number().min(-180).max(180).optional(),
        }),
        response: { 200: z.object({ items: z.array(NearbyReport) }) },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      const rows = await nearbyOpenReports(ctx.db.orm, ctx.tenant.id, ctx.clock.now(), req.query);
      return { items: rows.map((r) => ({ id: r.id, trackingCode: r.tracking_code, status: r.status, summary: summary(r.description), place: r.place, submittedAt: r.submitted_at })) };
    },
  );
}
