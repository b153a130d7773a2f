import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type ComplaintAction, type ComplaintStatus, transition } from '../../../../common/complaints/workflow.js';
import { type Ctx, inTransaction, type TxCtx } from '../../../platform/context.js';
import { Conflict, NotFound } from '../../../platform/errors.js';
import { complaintForStaff } from '../queries.js';
import type { ComplaintRow } from '../presenters.js';
import { workflowRoles } from '../policies.js';
import { complaintEvents, complaints } from '../schema.js';

export interface TransitionInput {
  action: ComplaintAction;
  /** Note written on the timeline. */
  note?: string;
  /** Whether the note stays in the staff workspace (the status change itself is always public). */
  noteInternal?: boolean;
  /** Extra columns the action sets (unit of a disposition, reason of a rejection). */
  set?: Partial<typeof complaints.$inferInsert>;
  /** Checks that need the open transaction (e.g. the target unit), run before writing. */
  check?: (tx: TxCtx, row: ComplaintRow) => Promise<void>;
  /** Audit and event facts beyond the status change. */
  facts?: Record<string, unknown>;
}

/**
 * Moves a report along the workflow as the staff actor: the report must be visible to them (else
 * 404), the action allowed from its status for one of their roles (else 409
 * `complaint.transition_invalid`). The status, timeline entry, audit event and domain event are
 * written in one transaction, under a row lock so that two desks cannot move it at once.
 */
export async function applyTransition(ctx: Ctx, id: string, input: TransitionInput): Promise<ComplaintStatus> {
  return inTransaction(ctx, async (tx) => {
    const row = await complaintForStaff(tx.tx, ctx, id);
    await tx.tx
      .select({ id: complaints.id })
      .from(complaints)
      .where(and(eq(complaints.tenantId, ctx.tenant.id), eq(complaints.id, id)))
      .for('update');
    const facts = { status: row.status, unitPath: row.unit_path, reporterUserId: row.reporter_user_id };
    const roles = workflowRoles(ctx.actor, facts);
    const outcomes = roles.map((r) => ({ role: r, result: transition(row.status, input.action, r) }));
    const allowed = outcomes.find((o) => o.result.ok);
    if (!allowed?.result.ok) {
      if (roles.length === 0) throw new NotFound();
      throw new Conflict('complaint.transition_invalid', { action: input.action, status: row.status });
    }
    const to = allowed.result.to;
    if (input.check) await input.check(tx, row);
    const now = ctx.clock.now();
    const set = { ...input.set, status: to, updatedAt: now };
    if (to === 'verified') Object.assign(set, { verifiedAt: now });
    if (to === 'disposed') Object.assign(set, { disposedAt: now });
    await tx.tx.update(complaints).set(set).where(and(eq(complaints.tenantId, ctx.tenant.id), eq(complaints.id, id)));
    const unitId = (input.set?.unitId as string | undefined) ?? row.unit_id;
    await tx.tx.insert(complaintEvents).values({
      tenantId: ctx.tenant.id,
      id: uuidv7(),
      complaintId: id,
      action: input.action,
      fromStatus: row.status,
      toStatus: to,
      note: input.noteInternal ? null : input.note || null,
      internal: false,
      unitId,
      actorUserId: ctx.actor.id ?? null,
      actorKind: allowed.role,
      at: now,
    });
    if (input.note && input.noteInternal) {
      // The status change is public; a note the desk keeps internal is a separate timeline entry.
      await tx.tx.insert(complaintEvents).values({
        tenantId: ctx.tenant.id,
        id: uuidv7(),
        complaintId: id,
        action: 'note',
        note: input.note,
        internal: true,
        unitId,
        actorUserId: ctx.actor.id ?? null,
        actorKind: allowed.role,
        at: now,
      });
    }
    const data = { trackingCode: row.tracking_code, from: row.status, to, ...input.facts };
    await tx.audit({ action: `complaint.${input.action}`, entityType: 'complaint', entityId: id, unitId, data });
    await tx.emit({ type: `complaint.status_changed`, aggregateType: 'complaint', aggregateId: id, unitId, payload: { ...data, action: input.action } });
    return to;
  });
}
