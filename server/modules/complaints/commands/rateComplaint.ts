import { and, eq, isNull } from 'drizzle-orm';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { Conflict } from '../../../platform/errors.js';
import { complaints } from '../schema.js';
import { reporterComplaint } from './applyTransition.js';

/** The reporter rates the handling 1–5 (with a comment) once the report is closed; only once. */
export async function rateComplaint(ctx: Ctx, code: string, token: string | undefined, input: { score: number; comment?: string }): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await reporterComplaint(tx, code, token);
    const now = ctx.clock.now();
    const updated = await tx.tx
      .update(complaints)
      .set({ rating: input.score, ratingComment: input.comment || null, ratedAt: now, updatedAt: now })
      .where(and(eq(complaints.tenantId, ctx.tenant.id), eq(complaints.id, row.id), eq(complaints.status, 'closed'), isNull(complaints.rating)))
      .returning({ id: complaints.id });
    if (updated.length === 0) {
      if (row.status !== 'closed') throw new Conflict('complaint.transition_invalid', { action: 'rate', status: row.status });
      throw new Conflict('complaints.already_rated');
    }
    const data = { trackingCode: row.tracking_code, score: input.score, comment: Boolean(input.comment) };
    await tx.audit({ action: 'complaint.rated', entityType: 'complaint', entityId: row.id, unitId: row.unit_id, data });
    await tx.emit({ type: 'complaint.rated', aggregateType: 'complaint', aggregateId: row.id, unitId: row.unit_id, payload: data });
  });
}
