import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../context.js';
import { Invalid } from '../errors.js';
import { notifications } from './schema.js';

export interface NotificationItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

/** Cursor of the notification list: the last item's (createdAt, id), base64url JSON. */
function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const createdAt = new Date(at);
    if (typeof at !== 'string' || Number.isNaN(createdAt.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad');
    return { createdAt, id };
  } catch {
    throw Invalid.field('cursor', 'field.cursor');
  }
}

/**
 * The signed-in user's notifications, newest first, with cursor pagination; served by
 * notifications_user_idx, or notifications_unread_list_idx for unread only.
 */
export async function listNotifications(ctx: Ctx, input: { unread?: boolean; cursor?: string; limit: number }): Promise<{ items: NotificationItem[]; nextCursor: string | null }> {
  const n = notifications;
  const cond = [eq(n.tenantId, ctx.tenant.id), eq(n.userId, ctx.actor.id!)];
  if (input.unread) cond.push(isNull(n.readAt));
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    cond.push(sql`(${n.createdAt}, ${n.id}) < (${c.createdAt.toISOString()}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = await ctx.db.orm
    .select()
    .from(n)
    .where(and(...cond))
    .orderBy(desc(n.createdAt), desc(n.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      link: r.link,
      readAt: r.readAt ? r.readAt.toISOString() : null,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

/** How many notifications the signed-in user has not read. */
export async function unreadCount(ctx: Ctx): Promise<number> {
  const n = notifications;
  const [r] = await ctx.db.orm
    .select({ n: count() })
    .from(n)
    .where(and(eq(n.tenantId, ctx.tenant.id), eq(n.userId, ctx.actor.id!), isNull(n.readAt)));
  return Number(r?.n ?? 0);
}
