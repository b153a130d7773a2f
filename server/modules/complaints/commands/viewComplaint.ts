import type { z } from 'zod';
import { allowedActions, type WorkflowActor } from '../../../../common/complaints/workflow.js';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { can } from '../../../platform/policies/actor.js';
import { workflowRoles } from '../policies.js';
import { type ComplaintDetail, presentInboxItem, presentReporter } from '../presenters.js';
import { complaintForStaff, photosOf, timelineOf } from '../queries.js';

/**
 * A report in the staff workspace with its full timeline (internal notes included). The
 * reporter's phone and e-mail are masked; an actor holding personal_data.read on the report's
 * unit sees them in clear by asking (`reveal`), and that reading is audited (UU PDP).
 */
export async function viewComplaint(ctx: Ctx, id: string, opts: { reveal?: boolean } = {}): Promise<z.infer<typeof ComplaintDetail>> {
  const row = await complaintForStaff(ctx.db.orm, ctx, id);
  const [timeline, photos] = await Promise.all([timelineOf(ctx.db.orm, ctx.tenant.id, id, { includeInternal: true }), photosOf(ctx.db.orm, ctx.tenant.id, id)]);
  const hasContact = Boolean(row.reporter_phone ?? row.reporter_email ?? row.reporter_account_phone ?? row.reporter_account_email);
  const unmasked = Boolean(opts.reveal) && can(ctx.actor, 'personal_data.read', row.unit_path);
  if (unmasked && hasContact) {
    await inTransaction(ctx, (tx) => tx.audit({ action: 'complaint.reporter_viewed', entityType: 'complaint', entityId: id, unitId: row.unit_id, data: { trackingCode: row.tracking_code } }));
  }
  const roles = workflowRoles(ctx.actor, { status: row.status, unitPath: row.unit_path, reporterUserId: row.reporter_user_id }).filter((r): r is WorkflowActor => r !== 'reporter');
  return {
    ...presentInboxItem(row, ctx.clock.now()),
    description: row.description,
    location: row.lat != null && row.lng != null ? { lat: row.lat, lng: row.lng } : null,
    address: row.address,
    attributes: row.attributes,
    rejectionReason: row.rejection_reason,
    reporter: presentReporter(row, unmasked),
    photos: photos.map((p) => ({ id: p.file_id, hidden: p.hidden })),
    verifiedAt: row.verified_at,
    disposedAt: row.disposed_at,
    resolvedAt: row.resolved_at,
    pausedHours: row.paused_hours,
    hidden: row.hidden,
    supportersCount: Number(row.supporters_count ?? 0),
    mergedIntoId: row.merged_into_id,
    channel: row.channel,
    rating: row.rating != null ? { score: row.rating, comment: row.rating_comment } : null,
    allowedActions: [...new Set(roles.flatMap((r) => allowedActions(row.status, r)))],
    timeline: timeline.map((e) => ({
      id: e.id,
      action: e.action,
      status: e.to_status,
      fromStatus: e.from_status,
      note: e.note,
      internal: e.internal,
      unitId: e.unit_id,
      unitName: e.unit_name,
      actorKind: e.actor_kind,
      actorName: e.actor_name,
      at: e.at,
    })),
  };
}
