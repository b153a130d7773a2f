import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import type { IntakeChannel, IntakeStatus } from '../../../../common/complaints/intake.js';
import type { ComplaintStatus } from '../../../../common/complaints/workflow.js';
import { type Ctx, reader } from '../../../platform/context.js';
import { decodeCursor, encodeCursor, ISO_US_RE, isoUtc, rowsOf, UUID_RE } from '../../../platform/org/sql.js';
import type { IntakeRow, ReportRow } from './presenters.js';

/** Reports still waiting for someone (a caller may be told one is already being handled). */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ['submitted', 'verified', 'disposed', 'in_progress', 'needs_info', 'reopened'];
/** How far back "nearby open reports" look, and how near (degrees: ≈ 110 m at the equator). */
export const NEARBY_DAYS = 30;
export const NEARBY_DEGREES = 0.001;
/** Most earlier reports of a caller / nearby reports shown in the console. */
export const CONSOLE_LIMIT = 10;

const intakeSelect = sql`SELECT i.id, i.channel, i.external_id, i.status, i.text, i.sender, i.lat, i.lng, i.address, i.media,
                                i.complaint_id, c.tracking_code, i.discard_reason,
                                ${isoUtc(sql`i.received_at`)} AS received_at, ${isoUtc(sql`i.received_at`, 'us')} AS received_at_us,
                                ${isoUtc(sql`i.handled_at`)} AS handled_at, hu.name AS handled_by_name
                           FROM complaint_intake i
                           LEFT JOIN complaints c ON c.tenant_id = i.tenant_id AND c.id = i.complaint_id
                           LEFT JOIN users hu ON hu.tenant_id = i.tenant_id AND hu.id = i.handled_by`;

export async function findIntake(ex: Executor, tenantId: string, id: string): Promise<IntakeRow | undefined> {
  if (!UUID_RE.test(id)) return undefined;
  const [row] = await rowsOf<IntakeRow>(ex, sql`${intakeSelect} WHERE i.tenant_id = ${tenantId} AND i.id = ${id}`);
  return row;
}

export interface IntakeFilter {
  channel?: IntakeChannel;
  status?: IntakeStatus;
  cursor?: string;
  limit: number;
}

/** One page of the queue, newest first (served by the complaint_intake_* indexes). */
export async function listIntake(ctx: Ctx, f: IntakeFilter): Promise<{ rows: IntakeRow[]; nextCursor: string | null }> {
  const after = decodeCursor(f.cursor, (p) => p.length === 2 && typeof p[0] === 'string' && ISO_US_RE.test(p[0]) && typeof p[1] === 'string' && UUID_RE.test(p[1])) as
    | [string, string]
    | undefined;
  const conds: SQL[] = [sql`i.tenant_id = ${ctx.tenant.id}`];
  if (f.channel) conds.push(sql`i.channel = ${f.channel}`);
  if (f.status) conds.push(sql`i.status = ${f.status}`);
  if (after) conds.push(sql`(i.received_at, i.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  const rows = await rowsOf<IntakeRow>(reader(ctx), sql`${intakeSelect} WHERE ${sql.join(conds, sql` AND `)} ORDER BY i.received_at DESC, i.id DESC LIMIT ${f.limit + 1}`);
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  const last = page.at(-1);
  return { rows: page, nextCursor: more && last ? encodeCursor([last.received_at_us, last.id]) : null };
}

const reportSelect = sql`SELECT c.id, c.tracking_code, c.status, c.channel, cat.name AS category_name, c.description,
                                coalesce(kel.name, kec.name) AS place, c.reporter_name, ${isoUtc(sql`c.submitted_at`)} AS submitted_at
                           FROM complaints c
                           JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id
                           LEFT JOIN regions kec ON kec.code = c.kecamatan_code
                           LEFT JOIN regions kel ON kel.code = c.kelurahan_code`;

/**
 * A caller's earlier reports, newest first: those given with this phone number (anonymous, call
 * centre, intake) and those of the resident account with this number. Two index-served branches
 * (complaints_reporter_phone_idx, users_phone_uq + complaints_reporter_idx).
 */
export async function callerReports(ex: Executor, tenantId: string, phone: string): Promise<ReportRow[]> {
  return rowsOf<ReportRow>(
    ex,
    sql`SELECT * FROM (
          (${reportSelect} WHERE c.tenant_id = ${tenantId} AND c.reporter_phone = ${phone} ORDER BY c.submitted_at DESC, c.id DESC LIMIT ${CONSOLE_LIMIT})
          UNION
          (${reportSelect} WHERE c.tenant_id = ${tenantId}
              AND c.reporter_user_id = (SELECT u.id FROM users u WHERE u.tenant_id = ${tenantId} AND u.phone = ${phone})
            ORDER BY c.submitted_at DESC, c.id DESC LIMIT ${CONSOLE_LIMIT})
        ) r ORDER BY r.submitted_at DESC, r.id DESC LIMIT ${CONSOLE_LIMIT}`,
  );
}

export interface NearbyFilter {
  categoryId: string;
  /** Kelurahan or kecamatan code. */
  regionCode?: string;
  lat?: number;
  lng?: number;
}

/**
 * Open reports of the category filed in the last NEARBY_DAYS in the same kelurahan (or kecamatan),
 * or within NEARBY_DEGREES of the point; served by complaints_category_idx over the recent range.
 */
export async function nearbyOpenReports(ex: Executor, tenantId: string, now: Date, f: NearbyFilter): Promise<ReportRow[]> {
  const places: SQL[] = [];
  if (f.regionCode) places.push(f.regionCode.split('.').length === 4 ? sql`c.kelurahan_code = ${f.regionCode}` : sql`c.kecamatan_code = ${f.regionCode}`);
  if (f.lat != null && f.lng != null) {
    places.push(sql`(c.lat BETWEEN ${f.lat - NEARBY_DEGREES} AND ${f.lat + NEARBY_DEGREES} AND c.lng BETWEEN ${f.lng - NEARBY_DEGREES} AND ${f.lng + NEARBY_DEGREES})`);
  }
  if (!places.length) return [];
  const since = new Date(now.getTime() - NEARBY_DAYS * 86_400_000).toISOString();
  return rowsOf<ReportRow>(
    ex,
    sql`${reportSelect}
         WHERE c.tenant_id = ${tenantId} AND c.category_id = ${f.categoryId} AND c.submitted_at >= ${since}::timestamptz
           AND c.status IN (${sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `)})
           AND (${sql.join(places, sql` OR `)})
         ORDER BY c.submitted_at DESC, c.id DESC LIMIT ${CONSOLE_LIMIT}`,
  );
}
