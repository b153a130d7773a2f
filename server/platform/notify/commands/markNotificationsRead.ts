import { and, eq, isNull } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { inTransaction } from '../../context.js';
import { NotFound } from '../../errors.js';
import { unreadCounts } from '../notify.js';
import { notifications } from '../schema.js';

/**
 * The signed-in user marks one of their notifications read. Reading it again changes nothing;
 * another user's (or another tenant's) notification answers 404.
 */
export async function markNotificationRead(ctx: Ctx, input: { id: string }): Promise<void> {
  const n = notifications;
  const userId = ctx.actor.id!;
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.tx
      .select({ id: n.id, readAt: n.readAt })
      .from(n)
      .where(and(eq(n.tenantId, ctx.tenant.id), eq(n.id, input.id), eq(n.userId, userId)))
      .for('update');
    if (!row) throw new NotFound();
    if (row.readAt) return;
    await tx.tx
      .update(n)
      .set({ readAt: ctx.clock.now() })
      .where(and(eq(n.tenantId, ctx.tenant.id), eq(n.id, input.id)));
    const unread = (await unreadCounts(tx, [userId])).get(userId) ?? 0;
    await tx.audit({ action: 'notification.read', entityType: 'notification', entityId: input.id });
    await tx.emit({ type: 'notification.read', aggregateType: 'notification', aggregateId: input.id, payload: { userId, notificationIds: [input.id], unread } });
  });
}

/** The signed-in user marks every unread notification read. Returns how many changed. */
export async function markAllNotificationsRead(ctx: Ctx): Promise<number> {
  const n = notifications;
  const userId = ctx.actor.id!;
  return inTransaction(ctx, async (tx) => {
    const changed = await tx.tx
      .update(n)
      .set({ readAt: ctx.clock.now() })
      .where(and(eq(n.tenantId, ctx.tenant.id), eq(n.userId, userId), isNull(n.readAt)))
      .returning({ id: n.id });
    if (changed.length === 0) return 0;
    await tx.audit({ action: 'notification.read_all', entityType: 'user', entityId: userId, data: { count: changed.length } });
    await tx.emit({ type: 'notification.read', aggregateType: 'user', aggregateId: userId, payload: { userId, all: true, count: changed.length, unread: 0 } });
    return changed.length;
  });
}
