import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ConvertIntakeBody } from '../../../../common/complaints/intake.js';
import { normalizePhone } from '../../../../common/validators.js';
import { type Ctx, inTransaction, type TxCtx } from '../../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../../platform/errors.js';
import { files } from '../../../platform/files/schema.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { fileComplaint, PHOTO_PURPOSE, type SubmittedComplaint } from '../commands/submitComplaint.js';
import { mayTriage } from '../policies.js';
import { complaintIntake, complaintPhotos } from '../schema.js';
import type { IntakeRow } from './presenters.js';

/** The queued message, locked for this transaction; 404 for anyone but the triage desk. */
async function lockIntake(tx: TxCtx, id: string): Promise<Pick<IntakeRow, 'id' | 'channel' | 'status' | 'sender' | 'media'>> {
  if (!mayTriage(tx.actor)) throw new NotFound();
  const [row] = await rowsOf<Pick<IntakeRow, 'id' | 'channel' | 'status' | 'sender' | 'media'>>(
    tx.tx,
    sql`SELECT id, channel, status, sender, media FROM complaint_intake WHERE tenant_id = ${tx.tenant.id} AND id = ${id} FOR UPDATE`,
  );
  if (!row) throw new NotFound();
  if (row.status !== 'pending') throw new Conflict('complaints.intake_handled', { status: row.status });
  return row;
}

/**
 * The triage desk turns a queued message into a report, through the same filing as the web form
 * (fileComplaint: category, place and attributes checked, routed, tracked, deadline, audit and
 * `complaint.submitted`), with the message's channel, the sender as reporter and the officer as
 * the one who filed it. The chosen images become the report's photos. Converting a message that
 * was already converted or discarded is a 409.
 */
export async function convertIntake(ctx: Ctx, id: string, input: ConvertIntakeBody): Promise<SubmittedComplaint> {
  return inTransaction(ctx, async (tx) => {
    const item = await lockIntake(tx, id);
    const images = item.media.filter((m) => m.mime.startsWith('image/'));
    const chosen = input.mediaIds ?? images.map((m) => m.id);
    const unknown = chosen.flatMap((m, i) => (images.some((x) => x.id === m) ? [] : [{ field: `mediaIds.${i}`, code: 'complaints.intake_media_unknown', params: {} }]));
    if (unknown.length) throw new Invalid('validation', {}, unknown);
    const phone = item.sender.phone ? normalizePhone(item.sender.phone) : null;
    const name = item.sender.name ?? item.sender.handle;
    const reporter = name || phone ? { ...(name ? { name: name.slice(0, 120) } : {}), ...(phone ? { phone } : {}) } : undefined;

    const filed = await fileComplaint(
      tx,
      {
        categoryId: input.categoryId,
        kind: input.kind,
        description: input.description,
        location: input.location,
        regionCode: input.regionCode,
        address: input.address,
        attributes: input.attributes,
        photos: [],
        reporter,
      },
      { channel: item.channel, onBehalf: true },
    );
    const unique = [...new Set(chosen)];
    if (unique.length) {
      // The images pass from the queue to the report: the report's photo policy applies from now on.
      await tx.tx
        .update(files)
        .set({ purpose: PHOTO_PURPOSE })
        .where(and(eq(files.tenantId, ctx.tenant.id), inArray(files.id, unique)));
      await tx.tx.insert(complaintPhotos).values(unique.map((fileId, position) => ({ tenantId: ctx.tenant.id, fileId, complaintId: filed.id, position })));
    }
    const now = ctx.clock.now();
    await tx.tx
      .update(complaintIntake)
      .set({ status: 'converted', complaintId: filed.id, handledBy: ctx.actor.id!, handledAt: now })
      .where(and(eq(complaintIntake.tenantId, ctx.tenant.id), eq(complaintIntake.id, id)));
    const facts = { intakeId: id, channel: item.channel, complaintId: filed.id, trackingCode: filed.trackingCode, photos: unique.length };
    await tx.audit({ action: 'complaint.intake_converted', entityType: 'complaint_intake', entityId: id, data: facts });
    await tx.emit({ type: 'complaint.intake_converted', aggregateType: 'complaint_intake', aggregateId: id, payload: facts });
    return filed;
  });
}

/** The triage desk discards a queued message (spam, not a report, …) with a reason; 409 when already handled. */
export async function discardIntake(ctx: Ctx, id: string, reason: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const item = await lockIntake(tx, id);
    await tx.tx
      .update(complaintIntake)
      .set({ status: 'discarded', discardReason: reason, handledBy: ctx.actor.id!, handledAt: ctx.clock.now() })
      .where(and(eq(complaintIntake.tenantId, ctx.tenant.id), eq(complaintIntake.id, id)));
    await tx.audit({ action: 'complaint.intake_discarded', entityType: 'complaint_intake', entityId: id, data: { channel: item.channel, reason } });
    await tx.emit({ type: 'complaint.intake_discarded', aggregateType: 'complaint_intake', aggregateId: id, payload: { channel: item.channel } });
  });
}
