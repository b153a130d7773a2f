import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../../platform/context.js';
import { enqueueEmails } from '../../../platform/notify/email.js';
import { notifyMany } from '../../../platform/notify/notify.js';
import { rowsOf } from '../../../platform/org/sql.js';
import type { ComplaintRow } from '../presenters.js';

/** What a status change means to a follower (texts with {unit} already filled in). */
export interface FollowerNews {
  id: string;
  en: string;
}

/**
 * Who follows a report besides its reporter: supporters with an account (in-app notice and
 * e-mail) and anonymous supporters who left an e-mail address, including those carried over
 * from reports merged into it. The reporter and the acting user are left out.
 */
export async function followersOf(tx: TxCtx, complaintId: string, exclude: (string | null | undefined)[]): Promise<{ userIds: string[]; emails: string[] }> {
  const rows = await rowsOf<{ user_id: string | null; email: string | null }>(
    tx.tx,
    sql`SELECT DISTINCT user_id, CASE WHEN user_id IS NULL THEN lower(email) END AS email FROM complaint_supporters
         WHERE tenant_id = ${tx.tenant.id} AND complaint_id = ${complaintId} AND (user_id IS NOT NULL OR email IS NOT NULL)`,
  );
  const skip = new Set(exclude.filter((x): x is string => Boolean(x)));
  return {
    userIds: rows.flatMap((r) => (r.user_id && !skip.has(r.user_id) ? [r.user_id] : [])),
    emails: [...new Set(rows.flatMap((r) => (r.email ? [r.email] : [])))],
  };
}

/** The primary report a rejected one was merged into (its tracking code), if any. */
export async function mergedIntoCode(tx: TxCtx, complaintId: string): Promise<string | null> {
  const [row] = await rowsOf<{ tracking_code: string }>(
    tx.tx,
    sql`SELECT p.tracking_code FROM complaints c JOIN complaints p ON p.tenant_id = c.tenant_id AND p.id = c.merged_into_id
         WHERE c.tenant_id = ${tx.tenant.id} AND c.id = ${complaintId}`,
  );
  return row?.tracking_code ?? null;
}

/** What the reporter and followers of a merged report are told instead of "rejected". */
export function mergedNews(primaryCode: string): FollowerNews {
  return {
    id: `digabungkan dengan laporan ${primaryCode}; Anda akan menerima kabar perkembangan laporan tersebut`,
    en: `merged into report ${primaryCode}; you will receive the updates of that report`,
  };
}

/**
 * Tells the report's followers of its new status, in the caller's transaction (called from
 * notifyReporter, so followers hear of every change the reporter hears of).
 */
export async function notifyFollowers(tx: TxCtx, row: ComplaintRow, news: FollowerNews): Promise<void> {
  const { userIds, emails } = await followersOf(tx, row.id, [row.reporter_user_id, tx.actor.id]);
  if (!userIds.length && !emails.length) return;
  const title = { id: `Laporan ${row.tracking_code} yang Anda dukung ${news.id}`, en: `Report ${row.tracking_code} you support: ${news.en}` };
  const body = {
    id: `Laporan yang Anda dukung (${row.category_name}) kini: ${news.id}. Lihat perkembangannya dengan kode ${row.tracking_code}.`,
    en: `The report you support (${row.category_name}) is now ${news.en}. Follow it with the code ${row.tracking_code}.`,
  };
  if (userIds.length) await notifyMany(tx, userIds, { kind: 'complaint.followed_status_changed', title, body, link: `/lapor/lacak/${row.tracking_code}`, email: true });
  if (emails.length) {
    await enqueueEmails(
      tx,
      emails.map((to) => ({
        to,
        template: 'notification' as const,
        locale: 'id' as const,
        params: { name: 'Pendukung laporan', title: title.id, body: body.id, link: `Kode pelacakan: ${row.tracking_code}`, tenant: tx.tenant.name },
      })),
    );
  }
}
