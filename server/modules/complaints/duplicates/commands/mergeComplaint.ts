import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { ComplaintStatus } from '../../../../../common/complaints/workflow.js';
import type { Ctx, TxCtx } from '../../../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../../../platform/errors.js';
import { rowsOf } from '../../../../platform/org/sql.js';
import { applyTransition } from '../../commands/applyTransition.js';
import type { ComplaintRow } from '../../presenters.js';
import { findComplaint } from '../../queries.js';
import { complaintEvents } from '../../schema.js';

/** Reports that can take others in: anything not refused, withdrawn or closed. */
const CLOSED_TARGETS: readonly ComplaintStatus[] = ['rejected', 'withdrawn', 'closed'];

export interface MergeComplaintInput {
  /** The primary report (same tenant; a report that was itself merged stands for its primary). */
  into: string;
  /** Internal note of the desk. */
  note?: string;
}

export interface MergeResult {
  /** The primary the report went into (after following a merged target to its primary). */
  primaryId: string;
  primaryCode: string;
  /** Supporters the primary gained: the duplicate's reporter and supporters (those with an account or address follow it). */
  supportersAdded: number;
}

/**
 * The triage desk merges a duplicate into a primary report. The duplicate goes through the
 * workflow's reject transition (reason 'duplicate', merged_into_id set; only from submitted or
 * verified, else 409 complaint.transition_invalid); its reporter and its supporters become
 * supporters (followers) of the primary, whose supporters_count is recounted; reports earlier
 * merged into the duplicate are re-pointed to the primary, so merges never chain. Both timelines
 * get an entry, both reports an audit event, in one transaction (the duplicate's reporter and
 * followers are told where the updates continue).
 *
 * Decisions: merging across categories is allowed (residents often pick a neighbouring
 * category; the desk judges the place and the problem); a target that was itself merged is
 * replaced by its primary; a refused, withdrawn or closed target is 409; itself is 400;
 * another tenant's report is 404.
 */
export async function mergeComplaint(ctx: Ctx, id: string, input: MergeComplaintInput): Promise<MergeResult> {
  if (input.into === id) throw Invalid.field('into', 'complaints.merge_self');
  let result: MergeResult | undefined;
  await applyTransition(ctx, id, {
    action: 'reject',
    note: input.note,
    noteInternal: true,
    check: async (tx, dup) => {
      result = await absorb(tx, dup, input);
    },
    // `set` is read after `check`, so the primary found there is filled in through a getter.
    get set() {
      return { rejectionReason: 'duplicate' as const, mergedIntoId: result?.primaryId ?? null };
    },
    get facts() {
      return { reason: 'duplicate', mergedInto: result?.primaryCode ?? null };
    },
  });
  return result!;
}

async function absorb(tx: TxCtx, dup: ComplaintRow, input: MergeComplaintInput): Promise<MergeResult> {
  const tenantId = tx.tenant.id;
  let primary = await findComplaint(tx.tx, tenantId, input.into);
  if (!primary) throw new NotFound();
  const [target] = await rowsOf<{ merged_into_id: string | null }>(tx.tx, sql`SELECT merged_into_id FROM complaints WHERE tenant_id = ${tenantId} AND id = ${primary.id}`);
  if (target?.merged_into_id) primary = (await findComplaint(tx.tx, tenantId, target.merged_into_id))!;
  if (primary.id === dup.id) throw Invalid.field('into', 'complaints.merge_self');
  await tx.tx.execute(sql`SELECT 1 FROM complaints WHERE tenant_id = ${tenantId} AND id = ${primary.id} FOR UPDATE`);
  const [fresh] = await rowsOf<{ status: ComplaintStatus }>(tx.tx, sql`SELECT status FROM complaints WHERE tenant_id = ${tenantId} AND id = ${primary.id}`);
  if (CLOSED_TARGETS.includes(fresh.status)) throw new Conflict('complaints.merge_target_closed', { status: fresh.status });
  const now = tx.clock.now();
  const at = now.toISOString();

  // The duplicate's reporter follows the primary (unless it is the same person).
  const before = await supporterCount(tx, primary.id);
  if (!(dup.reporter_user_id && dup.reporter_user_id === primary.reporter_user_id)) {
    await tx.tx.execute(sql`INSERT INTO complaint_supporters (tenant_id, id, complaint_id, user_id, email, via_complaint_id, at)
                            VALUES (${tenantId}, ${uuidv7()}, ${primary.id}, ${dup.reporter_user_id}, ${dup.reporter_user_id ? null : dup.reporter_email}, ${dup.id}, ${at}::timestamptz)
                            ON CONFLICT DO NOTHING`);
  }
  // … and so do its supporters (and those carried into it by earlier merges).
  const carried = await rowsOf<{ user_id: string | null; email: string | null }>(
    tx.tx,
    sql`SELECT user_id, email FROM complaint_supporters WHERE tenant_id = ${tenantId} AND complaint_id = ${dup.id} ORDER BY at, id`,
  );
  for (const s of carried) {
    if (s.user_id && s.user_id === primary.reporter_user_id) continue;
    await tx.tx.execute(sql`INSERT INTO complaint_supporters (tenant_id, id, complaint_id, user_id, email, via_complaint_id, at)
                            VALUES (${tenantId}, ${uuidv7()}, ${primary.id}, ${s.user_id}, ${s.email}, ${dup.id}, ${at}::timestamptz)
                            ON CONFLICT DO NOTHING`);
  }
  const after = await supporterCount(tx, primary.id);
  await tx.tx.execute(sql`UPDATE complaints SET supporters_count = ${after} WHERE tenant_id = ${tenantId} AND id = ${primary.id}`);
  // No chains: what was merged into the duplicate now points at the primary.
  await tx.tx.execute(sql`UPDATE complaints SET merged_into_id = ${primary.id} WHERE tenant_id = ${tenantId} AND merged_into_id = ${dup.id}`);

  const actorKind = 'triage' as const;
  await tx.tx.insert(complaintEvents).values([
    { tenantId, id: uuidv7(), complaintId: primary.id, action: 'merge', internal: false, unitId: primary.unit_id, actorUserId: tx.actor.id ?? null, actorKind, at: now },
    {
      tenantId,
      id: uuidv7(),
      complaintId: primary.id,
      action: 'note',
      note: `Laporan ${dup.tracking_code} digabungkan ke laporan ini.${input.note ? ` ${input.note}` : ''}`.slice(0, 2000),
      internal: true,
      unitId: primary.unit_id,
      actorUserId: tx.actor.id ?? null,
      actorKind,
      at: now,
    },
  ]);
  const facts = { trackingCode: primary.tracking_code, from: dup.tracking_code, fromCategoryId: dup.category_id, categoryId: primary.category_id, supportersAdded: after - before, supportersCount: after };
  await tx.audit({ action: 'complaint.merged', entityType: 'complaint', entityId: primary.id, unitId: primary.unit_id, data: facts });
  await tx.emit({ type: 'complaint.merged', aggregateType: 'complaint', aggregateId: primary.id, unitId: primary.unit_id, payload: facts });
  return { primaryId: primary.id, primaryCode: primary.tracking_code, supportersAdded: after - before };
}

async function supporterCount(tx: TxCtx, complaintId: string): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(tx.tx, sql`SELECT count(*)::int AS n FROM complaint_supporters WHERE tenant_id = ${tx.tenant.id} AND complaint_id = ${complaintId}`);
  return row.n;
}
