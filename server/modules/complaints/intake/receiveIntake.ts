import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { IntakeBody, IntakeChannel } from '../../../../common/complaints/intake.js';
import { normalizePhone } from '../../../../common/validators.js';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { Forbidden, Invalid } from '../../../platform/errors.js';
import { claimFiles } from '../../../platform/files/commands/claimFiles.js';
import { claimIdempotencyKey, type IdempotencyRequest, type IdempotentOutcome, storeIdempotentResponse } from '../../../platform/idempotency/idempotency.js';
import { isoUtc, rowsOf } from '../../../platform/org/sql.js';
import { complaintIntake } from '../schema.js';
import { INTAKE_MEDIA_PURPOSE } from './files.js';
import type { IntakeReceipt } from './presenters.js';

export interface ReceiveIntakeInput extends IntakeBody {
  /** The channel of the webhook URL. */
  channel: IntakeChannel;
}

/** A sender's phone as stored: 62… when it is an Indonesian mobile number, else its digits. */
export function senderPhone(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  return normalizePhone(raw) ?? raw.replace(/\D/g, '');
}

/**
 * A gateway (API key with complaints.intake) delivers one message of a channel to the triage
 * queue. A repeat delivery with the same channel and external id returns the first item (200) and
 * writes nothing, whatever its body; so does a retry with the same Idempotency-Key. Images must
 * have been uploaded with the same key (POST /api/v1/files) and are claimed for the queue. The
 * item, its audit event and `complaint.intake_received` (no personal data) commit together.
 */
export async function receiveIntake(ctx: Ctx, input: ReceiveIntakeInput, idempotency: IdempotencyRequest | null): Promise<IdempotentOutcome<IntakeReceipt>> {
  if (ctx.actor.kind !== 'apikey') throw new Forbidden('complaints.intake_api_key_only');
  return inTransaction(ctx, async (tx) => {
    if (idempotency) {
      const replay = await claimIdempotencyKey<IntakeReceipt>(tx, idempotency);
      if (replay) return replay;
    }
    const id = uuidv7();
    const now = ctx.clock.now();
    const phone = senderPhone(input.sender.phone);
    const sender = { ...input.sender, ...(phone ? { phone } : {}) };
    // The row first, so that a concurrent delivery of the same external id waits on the unique
    // index and then finds this one, instead of claiming the same files.
    const inserted = await rowsOf<{ id: string }>(
      tx.tx,
      sql`INSERT INTO complaint_intake (tenant_id, id, channel, external_id, text, sender, lat, lng, address, media, status, api_key_id, received_at)
          VALUES (${ctx.tenant.id}, ${id}, ${input.channel}, ${input.externalId ?? null}, ${input.text}, ${JSON.stringify(sender)}::jsonb,
                  ${input.location?.lat ?? null}, ${input.location?.lng ?? null}, ${input.address ?? null}, '[]'::jsonb, 'pending', ${ctx.actor.id ?? null}, ${now.toISOString()})
          ON CONFLICT (tenant_id, channel, external_id) WHERE external_id IS NOT NULL DO NOTHING
          RETURNING id`,
    );
    let response: { status: number; body: IntakeReceipt };
    if (inserted.length === 0) {
      const [first] = await rowsOf<IntakeReceiptRow>(tx.tx, sql`${receiptSelect} WHERE i.tenant_id = ${ctx.tenant.id} AND i.channel = ${input.channel} AND i.external_id = ${input.externalId!}`);
      response = { status: 200, body: presentReceipt(first, true) };
    } else {
      let media: { id: string; mime: string }[] = [];
      if (input.media.length) {
        const claimed = await claimFiles(tx, { files: input.media, purpose: INTAKE_MEDIA_PURPOSE, field: 'media' });
        const notImages = input.media.flatMap((m, i) => (claimed.find((f) => f.id === m.id)?.mime.startsWith('image/') ? [] : [{ field: `media.${i}`, code: 'complaints.photo_not_image', params: {} }]));
        if (notImages.length) throw new Invalid('validation', {}, notImages);
        media = input.media.map((m) => ({ id: m.id, mime: claimed.find((f) => f.id === m.id)!.mime }));
        await tx.tx.update(complaintIntake).set({ media }).where(sql`tenant_id = ${ctx.tenant.id} AND id = ${id}`);
      }
      const facts = { channel: input.channel, externalId: input.externalId ?? null, media: media.length, location: Boolean(input.location), apiKeyId: ctx.actor.id ?? null };
      await tx.audit({ action: 'complaint.intake_received', entityType: 'complaint_intake', entityId: id, data: facts });
      await tx.emit({ type: 'complaint.intake_received', aggregateType: 'complaint_intake', aggregateId: id, payload: { channel: input.channel, media: media.length } });
      response = { status: 201, body: { id, channel: input.channel, externalId: input.externalId ?? null, status: 'pending', receivedAt: now.toISOString(), duplicate: false, complaint: null } };
    }
    if (idempotency) return { ...(await storeIdempotentResponse(tx, idempotency, response)), replayed: false };
    return { ...response, replayed: false };
  });
}

interface IntakeReceiptRow {
  id: string;
  channel: IntakeChannel;
  external_id: string | null;
  status: IntakeReceipt['status'];
  received_at: string;
  complaint_id: string | null;
  tracking_code: string | null;
}

const receiptSelect = sql`SELECT i.id, i.channel, i.external_id, i.status, ${isoUtc(sql`i.received_at`)} AS received_at,
                                 i.complaint_id, c.tracking_code
                            FROM complaint_intake i
                            LEFT JOIN complaints c ON c.tenant_id = i.tenant_id AND c.id = i.complaint_id`;

function presentReceipt(r: IntakeReceiptRow, duplicate: boolean): IntakeReceipt {
  return {
    id: r.id,
    channel: r.channel,
    externalId: r.external_id,
    status: r.status,
    receivedAt: r.received_at,
    duplicate,
    complaint: r.complaint_id && r.tracking_code ? { id: r.complaint_id, trackingCode: r.tracking_code } : null,
  };
}
