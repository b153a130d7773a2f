import { and, eq, ne, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../context.js';
import { inTransaction } from '../../context.js';
import { Invalid, NotFound } from '../../errors.js';
import { units, users } from '../../org/schema.js';
import { can } from '../../policies/actor.js';
import { grants } from '../../policies/schema.js';
import { notifyMany } from '../notify.js';

/** Staff reached by one announcement; larger audiences are split by unit. */
export const MAX_ANNOUNCEMENT_RECIPIENTS = 5_000;

export interface AnnouncementInput {
  /** Unit whose staff (grants on it or on any unit below it) receive the announcement. */
  unitId: string;
  /** Short headline shown in the notification list and the e-mail subject. */
  title: string;
  /** The message itself, plain text. */
  body: string;
  /** Optional page of Balai the notice opens, e.g. `/admin/calendar`. */
  link?: string;
  /** Also send it by e-mail to every recipient with an address. */
  email: boolean;
}

/**
 * An admin (`users.manage` on the unit or above) announces something to the staff of a unit and
 * its sub-units: every active staff member holding a grant there gets an in-app notification
 * (and an e-mail when asked), in one transaction with the audit event and an
 * `announcement.published` event for the unit.
 */
export async function publishAnnouncement(ctx: Ctx, input: AnnouncementInput): Promise<{ id: string; recipients: number }> {
  const [unit] = await ctx.db.orm
    .select({ id: units.id, path: units.path, active: units.active })
    .from(units)
    .where(and(eq(units.tenantId, ctx.tenant.id), eq(units.id, input.unitId)));
  if (!unit?.active || !can(ctx.actor, 'users.manage', unit.path)) throw new NotFound();

  return inTransaction(ctx, async (tx) => {
    // Staff with a grant on the unit or any unit below it (units_path_idx serves `path @>`).
    const rows = await tx.tx
      .selectDistinct({ id: users.id })
      .from(grants)
      .innerJoin(units, and(eq(units.tenantId, grants.tenantId), eq(units.id, grants.unitId)))
      .innerJoin(users, and(eq(users.tenantId, grants.tenantId), eq(users.id, grants.userId)))
      .where(
        and(
          eq(grants.tenantId, ctx.tenant.id),
          sql`${units.path} @> ARRAY[${input.unitId}]::uuid[]`,
          eq(users.kind, 'staff'),
          eq(users.status, 'active'),
          ne(users.id, ctx.actor.id ?? '00000000-0000-0000-0000-000000000000'),
        ),
      )
      .limit(MAX_ANNOUNCEMENT_RECIPIENTS + 1);
    if (rows.length === 0) throw Invalid.field('unitId', 'announcement.no_recipients');
    if (rows.length > MAX_ANNOUNCEMENT_RECIPIENTS) throw Invalid.field('unitId', 'announcement.too_many_recipients', { max: MAX_ANNOUNCEMENT_RECIPIENTS });
    const id = uuidv7();
    const sent = await notifyMany(
      tx,
      rows.map((r) => r.id),
      { kind: 'announcement', title: input.title, body: input.body, link: input.link ?? null, email: input.email },
    );
    await tx.audit({
      action: 'announcement.published',
      entityType: 'announcement',
      entityId: id,
      unitId: input.unitId,
      data: { title: input.title, recipients: sent.length, email: input.email },
    });
    await tx.emit({
      type: 'announcement.published',
      aggregateType: 'announcement',
      aggregateId: id,
      unitId: input.unitId,
      payload: { title: input.title, recipients: sent.length },
    });
    return { id, recipients: sent.length };
  });
}
