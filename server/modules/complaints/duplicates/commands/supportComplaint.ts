import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { isPublicStatus } from '../../../../../common/complaints/workflow.js';
import { type Ctx, inTransaction } from '../../../../platform/context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../../../platform/errors.js';
import { claimIdempotencyKey, type IdempotencyRequest, type IdempotentOutcome, storeIdempotentResponse } from '../../../../platform/idempotency/idempotency.js';
import { normalizeTrackingCode } from '../../../../platform/numbering/format.js';
import { rowsOf } from '../../../../platform/org/sql.js';
import { TRACKING_GROUPS, TRACKING_PREFIX } from '../../commands/submitComplaint.js';
import { isReporter } from '../../policies.js';
import { findByTrackingCode } from '../../queries.js';
import { SUPPORTABLE_STATUSES } from '../queries.js';

export interface SupportComplaintInput {
  /** An anonymous supporter's address for status updates (refused for signed-in residents). */
  email?: string;
}

export interface SupportResult {
  trackingCode: string;
  supportersCount: number;
  /** Already supported by this account or address: nothing was written (answered 200, not 201). */
  alreadySupported: boolean;
  /** Whether the supporter follows the report (an account or an e-mail address). */
  following: boolean;
}

/**
 * "Saya juga mengalami ini": a resident supports a verified open report instead of filing the
 * same one. Signed in, once per account (a repeat is answered 200 with alreadySupported and
 * writes nothing); anonymous, with an Idempotency-Key (a retry returns the first answer) and an
 * optional e-mail address (once per address). Supporters with an account or address follow the
 * report. The support row, the report's supporters_count, the audit event and the
 * `complaint.supported` event are written in one transaction. Unverified, hidden and unknown
 * reports are the same 404.
 */
export async function supportComplaint(ctx: Ctx, rawCode: string, input: SupportComplaintInput, idempotency: IdempotencyRequest | null = null): Promise<IdempotentOutcome<SupportResult>> {
  return inTransaction(ctx, async (tx) => {
    if (idempotency) {
      const replay = await claimIdempotencyKey<SupportResult>(tx, idempotency);
      if (replay) return replay;
    }
    const code = normalizeTrackingCode(rawCode, TRACKING_PREFIX, TRACKING_GROUPS);
    if (!code) throw new NotFound();
    const row = await findByTrackingCode(tx.tx, tx.tenant.id, code);
    if (!row || !isPublicStatus(row.status) || row.hidden) throw new NotFound();
    if (!SUPPORTABLE_STATUSES.includes(row.status)) throw new Conflict('complaints.support_closed', { status: row.status });
    const actor = tx.actor;
    if (actor.kind !== 'user' && actor.kind !== 'anonymous') throw new Forbidden();
    const signedIn = actor.kind === 'user';
    if (signedIn && input.email) throw Invalid.field('email', 'complaints.support_email_anonymous_only');
    if (isReporter(actor, { reporterUserId: row.reporter_user_id })) throw new Conflict('complaints.support_own');

    const now = tx.clock.now();
    const userId = signedIn ? actor.id! : null;
    const email = signedIn ? null : (input.email ?? null);
    const inserted = await rowsOf<{ id: string }>(
      tx.tx,
      sql`INSERT INTO complaint_supporters (tenant_id, id, complaint_id, user_id, email, at)
          VALUES (${tx.tenant.id}, ${uuidv7()}, ${row.id}, ${userId}, ${email}, ${now.toISOString()}::timestamptz)
          ON CONFLICT DO NOTHING RETURNING id`,
    );
    const following = Boolean(userId ?? email);
    let count: number;
    if (inserted.length) {
      [{ count }] = await rowsOf<{ count: number }>(
        tx.tx,
        sql`UPDATE complaints SET supporters_count = supporters_count + 1 WHERE tenant_id = ${tx.tenant.id} AND id = ${row.id} RETURNING supporters_count AS count`,
      );
      const facts = { trackingCode: row.tracking_code, supportersCount: count, anonymous: !signedIn, following };
      await tx.audit({ action: 'complaint.supported', entityType: 'complaint', entityId: row.id, unitId: row.unit_id, data: facts });
      await tx.emit({ type: 'complaint.supported', aggregateType: 'complaint', aggregateId: row.id, unitId: row.unit_id, payload: { trackingCode: row.tracking_code, supportersCount: count } });
    } else {
      [{ count }] = await rowsOf<{ count: number }>(tx.tx, sql`SELECT supporters_count AS count FROM complaints WHERE tenant_id = ${tx.tenant.id} AND id = ${row.id}`);
    }
    const response = { status: inserted.length ? 201 : 200, body: { trackingCode: row.tracking_code, supportersCount: count, alreadySupported: !inserted.length, following } };
    if (idempotency) await storeIdempotentResponse(tx, idempotency, response);
    return { ...response, replayed: false };
  });
}
