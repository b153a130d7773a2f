import type { ComplaintStatus } from '../../../common/complaints/workflow.js';
import type { TxCtx } from '../../platform/context.js';
import { enqueueEmail } from '../../platform/notify/email.js';
import { notify } from '../../platform/notify/notify.js';
import type { ComplaintRow } from './presenters.js';
import { mergedIntoCode, mergedNews, notifyFollowers } from './duplicates/followers.js';

/** What each status means to the reporter, in both languages. */
export const STATUS_NEWS: Record<ComplaintStatus, { id: string; en: string }> = {
  submitted: { id: 'diterima', en: 'received' },
  verified: { id: 'diverifikasi', en: 'verified' },
  rejected: { id: 'ditolak', en: 'rejected' },
  disposed: { id: 'diteruskan ke {unit}', en: 'passed to {unit}' },
  in_progress: { id: 'sedang ditangani {unit}', en: 'being handled by {unit}' },
  needs_info: { id: 'memerlukan keterangan tambahan dari Anda', en: 'needs more information from you' },
  resolved: { id: 'telah ditindaklanjuti; mohon konfirmasi', en: 'has been resolved; please confirm' },
  closed: { id: 'ditutup', en: 'closed' },
  reopened: { id: 'dibuka kembali', en: 'reopened' },
  withdrawn: { id: 'dicabut', en: 'withdrawn' },
};

/**
 * Tells the reporter (and only the reporter) that their report changed status: a signed-in
 * reporter gets an in-app notice and an e-mail in their language; an anonymous reporter who left
 * an e-mail address gets an e-mail through the outbox (in Indonesian, with the tracking code; the
 * private link's key is never stored, so the mail cannot contain it). The report's followers
 * (supporters, reporters of reports merged into it) are told too; nobody else.
 */
export async function notifyReporter(tx: TxCtx, row: ComplaintRow, to: ComplaintStatus): Promise<void> {
  // A report rejected by a merge says where its updates continue (duplicates/followers.ts).
  const primary = to === 'rejected' ? await mergedIntoCode(tx, row.id) : null;
  const news = primary ? mergedNews(primary) : STATUS_NEWS[to];
  const unit = row.unit_name;
  // Followers (supporters, merged reporters) hear of the same change.
  await notifyFollowers(tx, row, { id: news.id.replace('{unit}', unit), en: news.en.replace('{unit}', unit) });
  const title = {
    id: `Laporan ${row.tracking_code} ${news.id.replace('{unit}', unit)}`,
    en: `Report ${row.tracking_code} ${news.en.replace('{unit}', unit)}`,
  };
  const body = {
    id: `Status laporan Anda (${row.category_name}) kini: ${news.id.replace('{unit}', unit)}. Lihat perkembangannya dengan kode ${row.tracking_code}.`,
    en: `Your report (${row.category_name}) is now ${news.en.replace('{unit}', unit)}. Follow it with the code ${row.tracking_code}.`,
  };
  if (row.reporter_user_id) {
    await notify(tx, { userId: row.reporter_user_id, kind: 'complaint.status_changed', title, body, link: `/lapor/lacak/${row.tracking_code}`, email: true });
    return;
  }
  if (row.reporter_email) {
    await enqueueEmail(tx, {
      to: row.reporter_email,
      template: 'notification',
      locale: 'id',
      params: { name: row.reporter_name ?? 'Pelapor', title: title.id, body: body.id, link: `Kode pelacakan: ${row.tracking_code}`, tenant: tx.tenant.name },
    });
  }
}
