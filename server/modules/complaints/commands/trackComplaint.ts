import type { z } from 'zod';
import { isPublicStatus } from '../../../../common/complaints/workflow.js';
import type { Ctx } from '../../../platform/context.js';
import { NotFound } from '../../../platform/errors.js';
import { isReporter } from '../policies.js';
import type { TrackView } from '../presenters.js';
import { findByTrackingCode, photosOf, timelineOf } from '../queries.js';
import { supportOf } from '../duplicates/queries.js';
import { normalizeTrackingCode } from '../../../platform/numbering/format.js';
import { tokenMatches } from './applyTransition.js';
import { TRACKING_GROUPS, TRACKING_PREFIX } from './submitComplaint.js';

/**
 * The tracking page: the status and public timeline of a report by its code. Before verification
 * (and after a refusal or withdrawal) only the private link's token or the signed-in reporter
 * opens it; a verified, unhidden report is public. Unknown codes and wrong tokens get the same
 * 404, so the answer reveals nothing. Never the reporter's identity, never internal notes.
 */
export async function trackComplaint(ctx: Ctx, rawCode: string, token?: string): Promise<z.infer<typeof TrackView>> {
  // As typed: lower case, spaces, O for 0 and I/L for 1 are read as the code they mean.
  const code = normalizeTrackingCode(rawCode, TRACKING_PREFIX, TRACKING_GROUPS);
  if (!code) throw new NotFound();
  const row = await findByTrackingCode(ctx.db.orm, ctx.tenant.id, code);
  if (!row) throw new NotFound();
  const open = (isPublicStatus(row.status) && !row.hidden) || tokenMatches(row.access_token_hash, token) || isReporter(ctx.actor, { reporterUserId: row.reporter_user_id });
  if (!open) throw new NotFound();
  const [timeline, photos, support] = await Promise.all([
    timelineOf(ctx.db.orm, ctx.tenant.id, row.id, { includeInternal: false }),
    photosOf(ctx.db.orm, ctx.tenant.id, row.id),
    supportOf(ctx.db.orm, ctx.tenant.id, row.id),
  ]);
  return {
    trackingCode: row.tracking_code,
    status: row.status,
    kind: row.kind,
    category: { id: row.category_id, name: row.category_name, icon: row.category_icon },
    description: row.description,
    location: row.lat != null && row.lng != null ? { lat: row.lat, lng: row.lng } : null,
    kecamatan: row.kecamatan_code ? { code: row.kecamatan_code, name: row.kecamatan_name ?? row.kecamatan_code } : null,
    kelurahan: row.kelurahan_code ? { code: row.kelurahan_code, name: row.kelurahan_name ?? row.kelurahan_code } : null,
    address: row.address,
    unitName: isPublicStatus(row.status) ? row.unit_name : null,
    rejectionReason: row.rejection_reason,
    photoIds: photos.filter((p) => !p.hidden).map((p) => p.file_id),
    submittedAt: row.submitted_at,
    dueAt: row.due_at,
    resolvedAt: row.resolved_at,
    rating: row.rating != null ? { score: row.rating, comment: row.rating_comment } : null,
    timeline: timeline.map((e) => ({ action: e.action, status: e.to_status, note: e.note, at: e.at })),
    supportersCount: support.supportersCount,
    mergedInto: support.mergedInto,
    viewerIsReporter: isReporter(ctx.actor, { reporterUserId: row.reporter_user_id }),
  };
}
