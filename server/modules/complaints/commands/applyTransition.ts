import { timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type ComplaintAction, type ComplaintStatus, transition, type WorkflowActor } from '../../../../common/complaints/workflow.js';
import { loadCalendar } from '../../../platform/calendar/load.js';
import { type Ctx, inTransaction, type TxCtx } from '../../../platform/context.js';
import { Conflict, NotFound } from '../../../platform/errors.js';
import { type FileClaim, claimFiles } from '../../../platform/files/commands/claimFiles.js';
import { Invalid } from '../../../platform/errors.js';
import { normalizeTrackingCode } from '../../../platform/numbering/format.js';
import { nextDeadline } from '../deadlines.js';
import { notifyReporter } from '../notifyReporter.js';
import type { ComplaintRow } from '../presenters.js';
import { isReporter, workflowRoles } from '../policies.js';
import { complaintForStaff, findByTrackingCode, findComplaint } from '../queries.js';
import { complaintEvents, complaintPhotos, complaints } from '../schema.js';
import { hashAccessToken, PHOTO_PURPOSE, TRACKING_GROUPS, TRACKING_PREFIX } from './submitComplaint.js';

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
  /** Where the report goes instead of the workflow's target (an answer returns to the stage it left). */
  target?: (row: ComplaintRow, to: ComplaintStatus) => ComplaintStatus;
  /** Photos attached with the move (proof of resolution, the reporter's answer). */
  photos?: FileClaim[];
  /** Audit and event facts beyond the status change. */
  facts?: Record<string, unknown>;
}

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** Whether a presented private-link token is the report's (constant time). */
export function tokenMatches(stored: Buffer | Uint8Array | null, token: string | undefined): boolean {
  if (!stored || !token || !TOKEN_RE.test(token)) return false;
  const presented = hashAccessToken(token);
  const s = Buffer.from(stored);
  return s.length === presented.length && timingSafeEqual(s, presented);
}

async function lock(tx: TxCtx, id: string): Promise<void> {
  await tx.tx
    .select({ id: complaints.id })
    .from(complaints)
    .where(and(eq(complaints.tenantId, tx.tenant.id), eq(complaints.id, id)))
    .for('update');
}

/**
 * Moves a report along the workflow as the staff actor: the report must be visible to them (else
 * 404), the action allowed from its status for one of their roles (else 409
 * `complaint.transition_invalid`). Written in one transaction under a row lock (see `move`).
 */
export async function applyTransition(ctx: Ctx, id: string, input: TransitionInput): Promise<ComplaintStatus> {
  return inTransaction(ctx, async (tx) => {
    await complaintForStaff(tx.tx, ctx, id);
    await lock(tx, id);
    const row = await complaintForStaff(tx.tx, ctx, id);
    return move(tx, row, workflowRoles(ctx.actor, { status: row.status, unitPath: row.unit_path, reporterUserId: row.reporter_user_id }), input);
  });
}

/**
 * The report a reporter acts on by tracking code: the signed-in reporter, or whoever holds the
 * private link's token. Unknown codes, other people's reports and wrong tokens are the same 404.
 */
export async function reporterComplaint(tx: TxCtx, rawCode: string, token: string | undefined): Promise<ComplaintRow> {
  const code = normalizeTrackingCode(rawCode, TRACKING_PREFIX, TRACKING_GROUPS);
  if (!code) throw new NotFound();
  const row = await findByTrackingCode(tx.tx, tx.tenant.id, code);
  if (!row) throw new NotFound();
  if (!isReporter(tx.actor, { reporterUserId: row.reporter_user_id }) && !tokenMatches(row.access_token_hash, token)) throw new NotFound();
  return row;
}

/** The reporter's side of the workflow (withdraw, answer, close, reopen), by code and token. */
export async function applyReporterTransition(ctx: Ctx, code: string, token: string | undefined, input: TransitionInput): Promise<ComplaintStatus> {
  return inTransaction(ctx, async (tx) => {
    const found = await reporterComplaint(tx, code, token);
    await lock(tx, found.id);
    const row = (await findComplaint(tx.tx, ctx.tenant.id, found.id))!;
    return move(tx, row, ['reporter'], input);
  });
}

/**
 * A move the system makes on its own (timers such as closing unconfirmed resolutions), inside the
 * caller's transaction with the row already locked; the workflow must allow it for `system`.
 */
export function applySystemTransition(tx: TxCtx, row: ComplaintRow, input: TransitionInput): Promise<ComplaintStatus> {
  return move(tx, row, ['system'], input);
}

/**
 * Writes one move: status and stage deadline, photos, the public timeline entry (and an internal
 * note when asked), the audit event, the `complaint.status_changed` event and the reporter's
 * notification, all in the caller's transaction.
 */
async function move(tx: TxCtx, row: ComplaintRow, roles: WorkflowActor[], input: TransitionInput): Promise<ComplaintStatus> {
  const ctx = tx;
  const id = row.id;
  const outcomes = roles.map((r) => ({ role: r, result: transition(row.status, input.action, r) }));
  const allowed = outcomes.find((o) => o.result.ok);
  if (!allowed?.result.ok) {
    if (roles.length === 0) throw new NotFound();
    throw new Conflict('complaint.transition_invalid', { action: input.action, status: row.status });
  }
  const to = input.target ? input.target(row, allowed.result.to) : allowed.result.to;
  if (input.check) await input.check(tx, row);
  const now = ctx.clock.now();
  const cal = await loadCalendar(tx.tx, ctx.tenant);
  const deadline = nextDeadline(cal, row.deadline_hours, row.status, to, now, {
    dueAt: row.due_at ? new Date(row.due_at) : null,
    pausedHours: row.paused_hours,
    warnAt: row.warn_at ? new Date(row.warn_at) : null,
    warned: row.warned_at != null,
  });
  const set: Partial<typeof complaints.$inferInsert> = { ...input.set, status: to, updatedAt: now, dueAt: deadline.dueAt, pausedHours: deadline.pausedHours, warnAt: deadline.warnAt };
  // A new stage starts with its own warning and escalation.
  if (deadline.restarted) Object.assign(set, { warnedAt: null, escalatedAt: null });
  if (to === 'verified') set.verifiedAt = now;
  if (to === 'disposed') set.disposedAt = now;
  if (to === 'resolved') set.resolvedAt = now;
  if (to === 'closed') set.closedAt = now;
  if (to === 'needs_info') set.resumeStatus = row.status === 'disposed' ? 'disposed' : 'in_progress';
  if (row.status === 'needs_info') set.resumeStatus = null;
  await tx.tx.update(complaints).set(set).where(and(eq(complaints.tenantId, ctx.tenant.id), eq(complaints.id, id)));
  if (input.photos?.length) await attachPhotos(tx, row, input.photos, false);
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
  const data = { trackingCode: row.tracking_code, from: row.status, to, dueAt: deadline.dueAt?.toISOString() ?? null, ...input.facts };
  await tx.audit({ action: `complaint.${input.action}`, entityType: 'complaint', entityId: id, unitId, data });
  await tx.emit({ type: 'complaint.status_changed', aggregateType: 'complaint', aggregateId: id, unitId, payload: { ...data, action: input.action } });
  // The reporter hears of every change they did not make themselves.
  if (allowed.role !== 'reporter') await notifyReporter(tx, row, to);
  return to;
}

/**
 * Claims photos for a report (uploaded by the actor, or with their download token) and appends
 * them after its existing photos. Hidden ones (internal notes) never reach the public.
 */
export async function attachPhotos(tx: TxCtx, row: ComplaintRow, photos: FileClaim[], hidden: boolean): Promise<void> {
  const claimed = await claimFiles(tx, { files: photos, purpose: PHOTO_PURPOSE, field: 'photos' });
  const notImages = photos.flatMap((p, i) => (claimed.find((f) => f.id === p.id)?.mime.startsWith('image/') ? [] : [{ field: `photos.${i}`, code: 'complaints.photo_not_image', params: {} }]));
  if (notImages.length) throw new Invalid('validation', {}, notImages);
  const start = Number(row.photo_count);
  await tx.tx.insert(complaintPhotos).values(photos.map((p, i) => ({ tenantId: tx.tenant.id, fileId: p.id, complaintId: row.id, position: start + i, hidden })));
}
