import { v7 as uuidv7 } from 'uuid';
import type { FileClaim } from '../../../platform/files/commands/claimFiles.js';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { workflowRoles } from '../policies.js';
import { complaintForStaff } from '../queries.js';
import { complaintEvents } from '../schema.js';
import { attachPhotos } from './applyTransition.js';

export interface AddNoteInput {
  text: string;
  /** Internal notes (and their photos) stay in the staff workspace; public ones join the tracking page. */
  internal: boolean;
  photos: FileClaim[];
}

/** Staff who may open the report add a follow-up note, with photos, without changing its status. */
export async function addNote(ctx: Ctx, id: string, input: AddNoteInput): Promise<string> {
  return inTransaction(ctx, async (tx) => {
    const row = await complaintForStaff(tx.tx, ctx, id);
    const roles = workflowRoles(ctx.actor, { status: row.status, unitPath: row.unit_path, reporterUserId: row.reporter_user_id });
    const role = roles.includes('handler') ? 'handler' : 'triage';
    if (input.photos.length) await attachPhotos(tx, row, input.photos, input.internal);
    const noteId = uuidv7();
    await tx.tx.insert(complaintEvents).values({
      tenantId: ctx.tenant.id,
      id: noteId,
      complaintId: id,
      action: 'note',
      note: input.text,
      internal: input.internal,
      unitId: row.unit_id,
      actorUserId: ctx.actor.id ?? null,
      actorKind: role,
      at: ctx.clock.now(),
    });
    const data = { trackingCode: row.tracking_code, internal: input.internal, photos: input.photos.length };
    await tx.audit({ action: 'complaint.note_added', entityType: 'complaint', entityId: id, unitId: row.unit_id, data });
    await tx.emit({ type: 'complaint.note_added', aggregateType: 'complaint', aggregateId: id, unitId: row.unit_id, payload: { ...data, noteId } });
    return noteId;
  });
}
