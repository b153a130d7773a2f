import { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import type { Ctx } from '../../../platform/context.js';
import { inTransaction } from '../../../platform/context.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { can, canAnywhere } from '../../../platform/policies/actor.js';
import type { ComplaintStatus } from '../../../../common/complaints/workflow.js';
import { type ComplaintRow, presentReporter } from '../presenters.js';
import { emptyScope, type InboxFilter, inboxScope, inboxSql } from '../queries.js';

/** Most rows one export writes; narrow the filters for more. */
export const EXPORT_MAX_ROWS = 100_000;
/** Rows read per keyset page while streaming (memory stays flat whatever the export's size). */
const PAGE = 500;
const BOM = '\uFEFF';

export type Delimiter = 'semicolon' | 'comma';

const HEADERS = {
  id: ['Kode pelacakan', 'Status', 'Jenis', 'Kategori', 'Unit', 'Kecamatan', 'Kelurahan', 'Alamat', 'Uraian', 'Lintang', 'Bujur', 'Diterima', 'Batas waktu', 'Lewat batas waktu', 'Dieskalasi', 'Ditindaklanjuti', 'Nilai', 'Nama pelapor', 'Telepon pelapor', 'E-mail pelapor'],
  en: ['Tracking code', 'Status', 'Kind', 'Category', 'Unit', 'Kecamatan', 'Kelurahan', 'Address', 'Description', 'Latitude', 'Longitude', 'Submitted', 'Due', 'Overdue', 'Escalated', 'Resolved', 'Rating', 'Reporter name', 'Reporter phone', 'Reporter e-mail'],
} as const;

const STATUS_NAMES: Record<'id' | 'en', Record<ComplaintStatus, string>> = {
  id: { submitted: 'Diterima', verified: 'Terverifikasi', rejected: 'Ditolak', disposed: 'Didisposisi', in_progress: 'Dalam proses', needs_info: 'Menunggu informasi', resolved: 'Ditindaklanjuti', closed: 'Selesai', reopened: 'Dibuka kembali', withdrawn: 'Dicabut' },
  en: { submitted: 'Submitted', verified: 'Verified', rejected: 'Rejected', disposed: 'Disposed', in_progress: 'In progress', needs_info: 'Needs information', resolved: 'Resolved', closed: 'Closed', reopened: 'Reopened', withdrawn: 'Withdrawn' },
};

const NUMBER_RE = /^-?\d+([.,]\d+)?$/;
const FORMULA_RE = /^[=+\-@\t\r]/;

/**
 * One CSV cell: a cell a spreadsheet would read as a formula (= + - @, tab, CR) gets a leading
 * apostrophe (CSV injection guard; plain negative numbers are left alone), and a cell holding the
 * delimiter, a quote or a line break is quoted with its quotes doubled (RFC 4180).
 */
export function csvCell(value: string | number | null | undefined, sep: string): string {
  if (value == null) return '';
  let s = String(value);
  if (FORMULA_RE.test(s) && !NUMBER_RE.test(s)) s = `'${s}`;
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The filtered inbox as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads the
 * file in the PC's code page), `;` between cells by default — the list separator of Windows in
 * the Indonesian locale, where `,` is the decimal mark — or `,` on request; no `sep=` line (it
 * makes Excel ignore the BOM). Decimal numbers follow the delimiter's locale. Times are in the
 * tenant's zone. The rows are exactly the actor's inbox (same scope and filters), read in keyset
 * pages and streamed, at most EXPORT_MAX_ROWS. Reporter phone and e-mail are masked unless the
 * actor holds personal_data.read on the report's unit; every export is audited with its filters
 * and whether contact data could be in clear.
 */
export async function exportInboxCsv(ctx: Ctx, filter: Omit<InboxFilter, 'cursor' | 'limit'>, delimiter: Delimiter = 'semicolon'): Promise<Readable> {
  const sep = delimiter === 'comma' ? ',' : ';';
  const decimal = (n: number | null) => (n == null ? null : delimiter === 'comma' ? String(n) : String(n).replace('.', ','));
  const locale = ctx.locale === 'en' ? 'en' : 'id';
  const yes = locale === 'en' ? 'yes' : 'ya';
  const zone = ctx.tenant.timeZone;
  const time = (iso: string | null) => (iso ? DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('yyyy-MM-dd HH:mm') : null);
  const now = ctx.clock.now();
  const scope = inboxScope(ctx);
  await inTransaction(ctx, (tx) =>
    tx.audit({
      action: 'complaint.exported',
      entityType: 'complaint',
      entityId: null,
      data: { filter: { ...filter }, delimiter, unmasked: canAnywhere(ctx.actor, 'personal_data.read') },
    }),
  );
  const line = (cells: (string | number | null)[]) => `${cells.map((c) => csvCell(c, sep)).join(sep)}\r\n`;

  async function* rows(): AsyncGenerator<string> {
    yield BOM + line([...HEADERS[locale]]);
    if (emptyScope(scope)) return;
    let after: [string, string] | undefined;
    let written = 0;
    while (written < EXPORT_MAX_ROWS) {
      const limit = Math.min(PAGE, EXPORT_MAX_ROWS - written);
      const page = await rowsOf<ComplaintRow>(ctx.db.orm, inboxSql(ctx.tenant.id, scope, { ...filter, limit, now }, after, 'full'));
      const batch = page.slice(0, limit);
      let chunk = '';
      for (const r of batch) {
        const reporter = presentReporter(r, can(ctx.actor, 'personal_data.read', r.unit_path));
        const overdue = r.due_at != null && new Date(r.due_at) < now;
        chunk += line([
          r.tracking_code,
          STATUS_NAMES[locale][r.status] ?? r.status,
          r.kind,
          r.category_name,
          r.unit_name,
          r.kecamatan_name,
          r.kelurahan_name,
          r.address,
          r.description,
          decimal(r.lat),
          decimal(r.lng),
          time(r.submitted_at),
          time(r.due_at),
          overdue ? yes : null,
          time(r.escalated_at ?? null),
          time(r.resolved_at),
          r.rating,
          reporter.name,
          reporter.phone,
          reporter.email,
        ]);
      }
      if (chunk) yield chunk;
      written += batch.length;
      const last = batch.at(-1);
      if (page.length <= limit || !last) return;
      after = [last.submitted_at_us, last.id];
    }
  }
  return Readable.from(rows(), { objectMode: false });
}
