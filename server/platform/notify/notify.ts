import { and, count, eq, inArray, isNull, ne } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Locale } from '../../../common/i18n/problems.js';
import type { TxCtx } from '../context.js';
import { users } from '../org/schema.js';
import { type EmailInput, enqueueEmails } from './email.js';
import { notifications } from './schema.js';

/** Text in both languages, or one text for everyone. */
export type Localized = string | { id: string; en: string };

/** Notification kinds: dotted lower-case names such as `announcement` or `complaint.assigned`. */
export const NOTIFICATION_KIND = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
/** Links point inside Balai: a path such as `/complaints/0190…`, never another site. */
export const NOTIFICATION_LINK = /^\/(?!\/)[^\s\\]{0,499}$/;
/** Rows written per statement. */
const INSERT_CHUNK = 500;

export interface NotifyInput {
  /** The user who receives it (same tenant). */
  userId: string;
  /** What kind of notice it is, e.g. `announcement`. */
  kind: string;
  title: Localized;
  body?: Localized;
  /** Path in the web app the notice opens, e.g. `/admin/outbox`. */
  link?: string | null;
  /** Also send it by e-mail (when the user has an address). */
  email?: boolean;
}

let publicUrl = 'http://localhost:3000';

/** The base URL for links in notification e-mails (PUBLIC_URL); set once per process at start. */
export function setNotifyPublicUrl(url: string): void {
  publicUrl = url.replace(/\/$/, '');
}

function pick(text: Localized | undefined, locale: Locale): string {
  if (text === undefined) return '';
  return typeof text === 'string' ? text : text[locale];
}

/**
 * Notifies one user inside the command's transaction: an in-app notification, an e-mail in the
 * outbox when asked for and the user has an address (template `notification`, in the user's
 * language), and a `notification.created` event addressed to the user so that open pages update
 * the unread count. Returns the notification id, or null when the user does not exist in this
 * tenant or is disabled.
 */
export async function notify(tx: TxCtx, input: NotifyInput): Promise<string | null> {
  const { userId, ...rest } = input;
  const [id] = await notifyMany(tx, [userId], rest);
  return id ?? null;
}

/** The same notice to many users at once (one statement per 500 rows). Returns the new ids. */
export async function notifyMany(tx: TxCtx, userIds: string[], input: Omit<NotifyInput, 'userId'>): Promise<string[]> {
  if (!NOTIFICATION_KIND.test(input.kind)) throw new Error(`invalid notification kind "${input.kind}"`);
  if (input.link != null && !NOTIFICATION_LINK.test(input.link)) throw new Error(`invalid notification link "${input.link}"`);
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return [];
  const tenantId = tx.tenant.id;
  const recipients: { id: string; name: string; email: string | null; locale: Locale }[] = [];
  for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
    recipients.push(
      ...(await tx.tx
        .select({ id: users.id, name: users.name, email: users.email, locale: users.locale })
        .from(users)
        .where(and(eq(users.tenantId, tenantId), inArray(users.id, ids.slice(i, i + INSERT_CHUNK)), ne(users.status, 'disabled')))),
    );
  }
  if (recipients.length === 0) return [];
  const now = tx.clock.now();
  const rows = recipients.map((u) => ({
    tenantId,
    id: uuidv7(),
    userId: u.id,
    kind: input.kind,
    title: pick(input.title, u.locale).slice(0, 500),
    body: pick(input.body, u.locale),
    link: input.link ?? null,
    createdAt: now,
  }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.tx.insert(notifications).values(rows.slice(i, i + INSERT_CHUNK));

  if (input.email) {
    const mails: EmailInput[] = [];
    for (const [i, u] of recipients.entries()) {
      if (!u.email) continue;
      const link = input.link ? `${publicUrl}/t/${tx.tenant.slug}${input.link}` : '';
      mails.push({ to: u.email, template: 'notification', locale: u.locale, params: { name: u.name, title: rows[i].title, body: rows[i].body, link } });
    }
    await enqueueEmails(tx, mails);
  }

  const unread = await unreadCounts(tx, recipients.map((u) => u.id));
  for (const r of rows) {
    await tx.emit({
      type: 'notification.created',
      aggregateType: 'notification',
      aggregateId: r.id,
      payload: { userId: r.userId, notificationId: r.id, kind: r.kind, title: r.title, link: r.link, unread: unread.get(r.userId) ?? 0 },
    });
  }
  return rows.map((r) => r.id);
}

/** Unread notifications per user, read inside the transaction (served by notifications_unread_idx). */
export async function unreadCounts(tx: TxCtx, userIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < userIds.length; i += INSERT_CHUNK) {
    const rows = await tx.tx
      .select({ userId: notifications.userId, n: count() })
      .from(notifications)
      .where(and(eq(notifications.tenantId, tx.tenant.id), inArray(notifications.userId, userIds.slice(i, i + INSERT_CHUNK)), isNull(notifications.readAt)))
      .groupBy(notifications.userId);
    for (const r of rows) out.set(r.userId, Number(r.n));
  }
  return out;
}
