import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { isoUtc, rowsOf, UUID_RE } from '../../../platform/org/sql.js';
import { uuidArray } from '../../../platform/policies/scope.js';
import { type ComplaintStatus, PUBLIC_STATUSES } from '../../../../common/complaints/workflow.js';

/** Most service requests one GET requests answers (GeoReport v2: "at most 1000"). */
export const MAX_REQUESTS = 1000;
/** The window GET requests covers when no dates are given (GeoReport v2: "the last 90 days"). */
export const DEFAULT_WINDOW_DAYS = 90;

/**
 * Open311 knows two statuses. A report is closed for the city once it is answered (resolved, the
 * reporter may still confirm or reopen it) or closed; every other public status is open.
 */
export const CLOSED_STATUSES: readonly ComplaintStatus[] = ['resolved', 'closed'];
export const OPEN_STATUSES: readonly ComplaintStatus[] = PUBLIC_STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));
export type Open311Status = 'open' | 'closed';
export function open311Status(status: ComplaintStatus): Open311Status {
  return CLOSED_STATUSES.includes(status) ? 'closed' : 'open';
}

/** What a public service request shows: never the reporter, never internal notes. */
export interface PublicRequestRow {
  id: string;
  tracking_code: string;
  status: ComplaintStatus;
  category_id: string;
  category_name: string;
  description: string;
  unit_name: string;
  address: string | null;
  kelurahan_code: string | null;
  lat: number | null;
  lng: number | null;
  submitted_at: string;
  updated_at: string;
  due_at: string | null;
  /** The newest public timeline note (answer, question, disposition note…). */
  status_notes: string | null;
  /** The first photo not hidden by moderation. */
  photo_id: string | null;
}

function publicSelect(): SQL {
  return sql`SELECT c.id, c.tracking_code, c.status, c.category_id, cat.name AS category_name, c.description, un.name AS unit_name,
                    c.address, c.kelurahan_code, c.lat, c.lng,
                    ${isoUtc(sql`c.submitted_at`)} AS submitted_at, ${isoUtc(sql`c.updated_at`)} AS updated_at, ${isoUtc(sql`c.due_at`)} AS due_at,
                    (SELECT e.note FROM complaint_events e
                      WHERE e.tenant_id = c.tenant_id AND e.complaint_id = c.id AND NOT e.internal AND e.note IS NOT NULL
                      ORDER BY e.at DESC, e.id DESC LIMIT 1) AS status_notes,
                    (SELECT p.file_id FROM complaint_photos p
                      WHERE p.tenant_id = c.tenant_id AND p.complaint_id = c.id AND NOT p.hidden
                      ORDER BY p.position LIMIT 1) AS photo_id
               FROM complaints c
               JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id
               JOIN units un ON un.tenant_id = c.tenant_id AND un.id = c.unit_id`;
}

function statusList(statuses: readonly ComplaintStatus[]): SQL {
  return sql`c.status IN (${sql.join(
    statuses.map((s) => sql`${s}`),
    sql`, `,
  )})`;
}

export interface RequestFilter {
  /** Tracking codes; when given, the other filters are ignored (as GeoReport v2 says). */
  codes?: string[];
  /** Category ids. */
  serviceCodes?: string[];
  statuses?: Open311Status[];
  start: Date;
  end: Date;
}

/**
 * Verified public reports (never before verification, never hidden ones), newest first, at most
 * MAX_REQUESTS. By date the (tenant, status, submitted_at) index serves it, one range per status.
 */
export async function listPublicRequests(ex: Executor, tenantId: string, f: RequestFilter): Promise<PublicRequestRow[]> {
  const conds: SQL[] = [sql`c.tenant_id = ${tenantId}`, sql`NOT c.hidden`];
  if (f.codes) {
    conds.push(statusList(PUBLIC_STATUSES), sql`c.tracking_code = ANY(ARRAY[${sql.join(
      f.codes.map((c) => sql`${c}`),
      sql`, `,
    )}]::text[])`);
  } else {
    const wanted = new Set(f.statuses ?? ['open', 'closed']);
    conds.push(statusList([...(wanted.has('open') ? OPEN_STATUSES : []), ...(wanted.has('closed') ? CLOSED_STATUSES : [])]));
    conds.push(sql`c.submitted_at >= ${f.start.toISOString()}::timestamptz AND c.submitted_at <= ${f.end.toISOString()}::timestamptz`);
    if (f.serviceCodes) {
      const ids = f.serviceCodes.filter((c) => UUID_RE.test(c));
      if (ids.length === 0) return [];
      conds.push(sql`c.category_id = ANY(${uuidArray(ids)})`);
    }
  }
  return rowsOf<PublicRequestRow>(ex, sql`${publicSelect()} WHERE ${sql.join(conds, sql` AND `)} ORDER BY c.submitted_at DESC, c.id DESC LIMIT ${MAX_REQUESTS}`);
}

/** One verified public report by tracking code, or undefined. */
export async function findPublicRequest(ex: Executor, tenantId: string, code: string): Promise<PublicRequestRow | undefined> {
  const [row] = await rowsOf<PublicRequestRow>(
    ex,
    sql`${publicSelect()} WHERE c.tenant_id = ${tenantId} AND c.tracking_code = ${code} AND NOT c.hidden AND ${statusList(PUBLIC_STATUSES)}`,
  );
  return row;
}

/** The tracking code of the report whose private link key (the Open311 token) this is. */
export async function codeOfToken(ex: Executor, tenantId: string, tokenHash: Buffer): Promise<string | undefined> {
  const [row] = await rowsOf<{ tracking_code: string }>(ex, sql`SELECT tracking_code FROM complaints WHERE tenant_id = ${tenantId} AND access_token_hash = ${tokenHash}`);
  return row?.tracking_code;
}

/** When the public category list last changed (the discovery document's changeset). */
export async function servicesChangedAt(ex: Executor, tenantId: string): Promise<string | null> {
  const [row] = await rowsOf<{ at: string | null }>(ex, sql`SELECT ${isoUtc(sql`max(updated_at)`)} AS at FROM complaint_categories WHERE tenant_id = ${tenantId}`);
  return row?.at ?? null;
}
