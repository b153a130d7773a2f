import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { DESCRIPTION_MAX, NOTE_MAX, REDACTION_MARK } from '../../../../../common/complaints/contracts.js';
import { type Ctx, inTransaction, type TxCtx } from '../../../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../../../platform/errors.js';
import { isoUtc, rowsOf } from '../../../../platform/org/sql.js';
import { can } from '../../../../platform/policies/actor.js';
import type { ComplaintRow } from '../../presenters.js';
import { complaintForStaff, findComplaint } from '../../queries.js';
import { complaintEvents, complaintRedactions } from '../../schema.js';

/**
 * Moderation by the triage desk: hide or show a photo or a whole report, and redact passages of
 * the description or of a public timeline note. Every change writes an internal timeline entry
 * with the reason, an audit event (the reason, never the redacted text) and a
 * `complaint.moderated` event. A change to the state it is already in writes nothing.
 */

async function lockedForStaff(tx: TxCtx, id: string): Promise<ComplaintRow> {
  await complaintForStaff(tx.tx, tx, id);
  await tx.tx.execute(sql`SELECT 1 FROM complaints WHERE tenant_id = ${tx.tenant.id} AND id = ${id} FOR UPDATE`);
  return (await findComplaint(tx.tx, tx.tenant.id, id))!;
}

async function record(tx: TxCtx, row: ComplaintRow, action: string, reason: string, facts: Record<string, unknown>): Promise<void> {
  const now = tx.clock.now();
  await tx.tx.insert(complaintEvents).values({
    tenantId: tx.tenant.id,
    id: uuidv7(),
    complaintId: row.id,
    action: `moderation.${action}`,
    note: reason,
    internal: true,
    unitId: row.unit_id,
    actorUserId: tx.actor.id ?? null,
    actorKind: 'triage',
    at: now,
  });
  const data = { trackingCode: row.tracking_code, reason, ...facts };
  await tx.audit({ action: `complaint.${action}`, entityType: 'complaint', entityId: row.id, unitId: row.unit_id, data });
  await tx.emit({ type: 'complaint.moderated', aggregateType: 'complaint', aggregateId: row.id, unitId: row.unit_id, payload: { trackingCode: row.tracking_code, action, ...facts } });
}

export interface VisibilityInput {
  hidden: boolean;
  /** Why (kept on the internal timeline and in the audit trail). */
  reason: string;
}

/**
 * Hides a report photo from the public (tracking page, public downloads) or shows again one that
 * moderation hid (photos of internal notes stay hidden: 409 complaints.photo_internal).
 */
export async function setPhotoVisibility(ctx: Ctx, id: string, fileId: string, input: VisibilityInput): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await lockedForStaff(tx, id);
    const [photo] = await rowsOf<{ hidden: boolean; moderated: boolean }>(
      tx.tx,
      sql`SELECT hidden, moderated FROM complaint_photos WHERE tenant_id = ${tx.tenant.id} AND complaint_id = ${row.id} AND file_id = ${fileId}`,
    );
    if (!photo) throw new NotFound();
    if (photo.hidden === input.hidden) return;
    // A photo hidden without moderation belongs to an internal note: it never goes public.
    if (!input.hidden && !photo.moderated) throw new Conflict('complaints.photo_internal');
    await tx.tx.execute(
      sql`UPDATE complaint_photos SET hidden = ${input.hidden}, moderated = ${input.hidden} WHERE tenant_id = ${tx.tenant.id} AND complaint_id = ${row.id} AND file_id = ${fileId}`,
    );
    await record(tx, row, input.hidden ? 'photo_hidden' : 'photo_shown', input.reason, { fileId });
  });
}

/** Takes a whole report off the public map, list and tracking page (staff still see it), or back. */
export async function setReportVisibility(ctx: Ctx, id: string, input: VisibilityInput): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await lockedForStaff(tx, id);
    if (row.hidden === input.hidden) return;
    await tx.tx.execute(sql`UPDATE complaints SET hidden = ${input.hidden} WHERE tenant_id = ${tx.tenant.id} AND id = ${row.id}`);
    await record(tx, row, input.hidden ? 'hidden' : 'shown', input.reason, {});
  });
}

export interface RedactInput {
  /** A public timeline entry of the report whose note is redacted; absent: the description. */
  eventId?: string;
  /** Exact passages replaced by REDACTION_MARK; each must occur in the text. */
  phrases: string[];
  reason: string;
}

/** Replaces every occurrence of the phrases (longest first) by the mark. */
export function redact(text: string, phrases: string[]): string {
  let out = text;
  for (const p of [...new Set(phrases)].sort((a, b) => b.length - a.length)) out = out.split(p).join(REDACTION_MARK);
  return out;
}

/**
 * Redacts passages of the description or of a public note. The report (or note) then holds the
 * redacted text everywhere — tracking page, public map, staff workspace, search, exports — and
 * the original is kept in complaint_redactions, readable only with audit.read.
 */
export async function redactText(ctx: Ctx, id: string, input: RedactInput): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await lockedForStaff(tx, id);
    let original: string;
    let max: number;
    if (input.eventId) {
      const [ev] = await rowsOf<{ note: string | null; internal: boolean }>(
        tx.tx,
        sql`SELECT note, internal FROM complaint_events WHERE tenant_id = ${tx.tenant.id} AND complaint_id = ${row.id} AND id = ${input.eventId} FOR UPDATE`,
      );
      if (!ev || ev.internal || !ev.note) throw Invalid.field('eventId', 'complaints.redaction_event');
      original = ev.note;
      max = NOTE_MAX;
    } else {
      original = row.description;
      max = DESCRIPTION_MAX;
    }
    const missing = input.phrases.flatMap((p, i) => (original.includes(p) ? [] : [{ field: `phrases.${i}`, code: 'complaints.redaction_phrase_missing', params: { phrase: p } }]));
    if (missing.length) throw new Invalid('validation', {}, missing);
    const redacted = redact(original, input.phrases);
    if (redacted.length > max) throw Invalid.field('phrases', 'complaints.redaction_too_long', { max });
    const now = tx.clock.now();
    if (input.eventId) {
      await tx.tx.execute(sql`UPDATE complaint_events SET note = ${redacted} WHERE tenant_id = ${tx.tenant.id} AND id = ${input.eventId}`);
    } else {
      await tx.tx.execute(sql`UPDATE complaints SET description = ${redacted}, updated_at = ${now.toISOString()}::timestamptz WHERE tenant_id = ${tx.tenant.id} AND id = ${row.id}`);
    }
    const redactionId = uuidv7();
    await tx.tx.insert(complaintRedactions).values({
      tenantId: tx.tenant.id,
      id: redactionId,
      complaintId: row.id,
      eventId: input.eventId ?? null,
      original,
      redacted,
      reason: input.reason,
      actorUserId: tx.actor.id ?? null,
      at: now,
    });
    await record(tx, row, 'redacted', input.reason, { field: input.eventId ? 'note' : 'description', eventId: input.eventId ?? null, redactionId, passages: input.phrases.length });
  });
}

export interface RedactionRow {
  id: string;
  event_id: string | null;
  original: string;
  redacted: string;
  reason: string;
  actor_name: string | null;
  at: string;
}

/**
 * The originals kept by redactions of a report, for holders of audit.read on its unit (auditors
 * need not see the report in the workspace). Reading them is audited. Other tenants' and unknown
 * reports are 404.
 */
export async function listRedactions(ctx: Ctx, id: string): Promise<RedactionRow[]> {
  const row = await findComplaint(ctx.db.orm, ctx.tenant.id, id);
  if (!row || !can(ctx.actor, 'audit.read', row.unit_path)) throw new NotFound();
  const rows = await rowsOf<RedactionRow>(
    ctx.db.orm,
    sql`SELECT r.id, r.event_id, r.original, r.redacted, r.reason, u.name AS actor_name, ${isoUtc(sql`r.at`)} AS at
          FROM complaint_redactions r
          LEFT JOIN users u ON u.tenant_id = r.tenant_id AND u.id = r.actor_user_id
         WHERE r.tenant_id = ${ctx.tenant.id} AND r.complaint_id = ${row.id}
         ORDER BY r.at, r.id`,
  );
  if (rows.length) {
    await inTransaction(ctx, (tx) => tx.audit({ action: 'complaint.redactions_viewed', entityType: 'complaint', entityId: row.id, unitId: row.unit_id, data: { trackingCode: row.tracking_code, count: rows.length } }));
  }
  return rows;
}
