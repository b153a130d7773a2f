import { type SQL, sql } from 'drizzle-orm';
import { DUPLICATE_DAYS, DUPLICATE_RADIUS_M } from '../../../../common/complaints/contracts.js';
import type { ComplaintStatus } from '../../../../common/complaints/workflow.js';
import type { Executor } from '../../../db/client.js';
import { isoUtc, rowsOf } from '../../../platform/org/sql.js';

/**
 * Open reports a new one may duplicate: verified and being worked on. Resolved reports are left
 * out (the problem is said to be fixed: a new report or the reporter's reopening is the way),
 * as are refused, withdrawn and closed ones.
 */
export const SUPPORTABLE_STATUSES: readonly ComplaintStatus[] = ['verified', 'disposed', 'in_progress', 'needs_info', 'reopened'];
/** Staff also see reports still waiting for verification. */
export const STAFF_DUPLICATE_STATUSES: readonly ComplaintStatus[] = ['submitted', ...SUPPORTABLE_STATUSES];

const EARTH_RADIUS_M = 6371008.8;
// A little under the haversine figure (111,195 m), so the box always contains the circle.
const M_PER_DEGREE_LAT = 111_000;
/** Weight of the text similarity against the closeness when both rank a match. */
const TEXT_WEIGHT = 0.6;

/** Literal status list (matches the partial index complaints_nearby_idx, whose predicate the planner must prove). */
function statusList(statuses: readonly ComplaintStatus[]): SQL {
  return sql.raw(statuses.map((s) => `'${s.replace(/'/g, '')}'`).join(', '));
}

export interface NearbyRow {
  id: string;
  tracking_code: string;
  status: ComplaintStatus;
  category_id: string;
  category_name: string;
  category_icon: string;
  description: string;
  supporters_count: number;
  hidden: boolean;
  submitted_at: string;
  distance_m: number | null;
  similarity: number | null;
}

export interface NearbySearch {
  tenantId: string;
  categoryId: string;
  /** The place; null for a report without coordinates (then `regionCode` narrows). */
  point: { lat: number; lng: number } | null;
  /** Kelurahan or kecamatan of a report without coordinates. */
  region?: { kecamatan: string | null; kelurahan: string | null };
  text?: string;
  since: Date;
  statuses: readonly ComplaintStatus[];
  /** Public callers: only unhidden reports of public categories. */
  publicOnly: boolean;
  excludeId?: string;
  limit: number;
}

/**
 * The nearby statement. With a point: a bounding box of DUPLICATE_RADIUS_M around it (served by
 * complaints_nearby_idx: a range on lat, lng and submitted_at checked in the index), then the
 * haversine distance. Ranked by text similarity (pg_trgm) combined with closeness.
 */
export function nearbySql(q: NearbySearch): SQL {
  const conds: SQL[] = [
    sql`c.tenant_id = ${q.tenantId}`,
    sql`c.category_id = ${q.categoryId}`,
    sql`c.status IN (${statusList(q.statuses)})`,
    sql`c.submitted_at >= ${q.since.toISOString()}::timestamptz`,
  ];
  let distance: SQL = sql`NULL::double precision`;
  if (q.point) {
    const { lat, lng } = q.point;
    const dLat = DUPLICATE_RADIUS_M / M_PER_DEGREE_LAT;
    const dLng = DUPLICATE_RADIUS_M / (M_PER_DEGREE_LAT * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
    conds.push(sql`c.lat IS NOT NULL`, sql`c.lat BETWEEN ${lat - dLat}::float8 AND ${lat + dLat}::float8`, sql`c.lng BETWEEN ${lng - dLng}::float8 AND ${lng + dLng}::float8`);
    distance = sql`(2 * ${sql.raw(String(EARTH_RADIUS_M))} * asin(least(1, sqrt(power(sin(radians(c.lat - ${lat}::float8) / 2), 2)
                   + cos(radians(${lat}::float8)) * cos(radians(c.lat)) * power(sin(radians(c.lng - ${lng}::float8) / 2), 2)))))`;
  } else {
    conds.push(sql`c.lat IS NULL`);
    if (q.region?.kelurahan) conds.push(sql`c.kecamatan_code = ${q.region.kecamatan}`, sql`c.kelurahan_code = ${q.region.kelurahan}`);
    else if (q.region?.kecamatan) conds.push(sql`c.kecamatan_code = ${q.region.kecamatan}`);
    else conds.push(sql`false`);
  }
  if (q.publicOnly) conds.push(sql`NOT c.hidden`, sql`cat.public`);
  if (q.excludeId) conds.push(sql`c.id <> ${q.excludeId}`);
  const text = q.text?.trim() ? q.text.trim() : null;
  const similarity = text ? sql`similarity(c.description, ${text}::text)` : sql`NULL::real`;
  const closeness = q.point ? sql`(1 - x.distance_m / ${sql.raw(String(DUPLICATE_RADIUS_M))})` : sql`0`;
  const score = text ? sql`(${sql.raw(String(TEXT_WEIGHT))} * x.similarity + ${sql.raw(String(1 - TEXT_WEIGHT))} * ${closeness})` : closeness;
  return sql`SELECT x.* FROM (
               SELECT c.id, c.tracking_code, c.status, c.category_id, cat.name AS category_name, cat.icon AS category_icon,
                      c.description, c.supporters_count, c.hidden, ${isoUtc(sql`c.submitted_at`)} AS submitted_at,
                      ${distance} AS distance_m, ${similarity} AS similarity, c.submitted_at AS submitted_ts
                 FROM complaints c
                 JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id
                WHERE ${sql.join(conds, sql` AND `)}
             ) x
             WHERE x.distance_m IS NULL OR x.distance_m <= ${sql.raw(String(DUPLICATE_RADIUS_M))}
             ORDER BY ${score} DESC, x.submitted_ts DESC, x.id DESC
             LIMIT ${q.limit}`;
}

export async function findNearby(ex: Executor, q: NearbySearch): Promise<NearbyRow[]> {
  const rows = await rowsOf<NearbyRow & { submitted_ts?: unknown }>(ex, nearbySql(q));
  return rows.map(({ submitted_ts: _ts, ...r }) => ({ ...r, distance_m: r.distance_m == null ? null : Number(r.distance_m), similarity: r.similarity == null ? null : Number(r.similarity) }));
}

/** Start of the duplicate window before a moment. */
export function windowStart(at: Date): Date {
  return new Date(at.getTime() - DUPLICATE_DAYS * 24 * 60 * 60 * 1000);
}

/** A report's supporters count and the tracking code of the report it was merged into (tracking page). */
export async function supportOf(ex: Executor, tenantId: string, id: string): Promise<{ supportersCount: number; mergedInto: string | null }> {
  const [row] = await rowsOf<{ supporters_count: number; merged_into: string | null }>(
    ex,
    sql`SELECT c.supporters_count, p.tracking_code AS merged_into FROM complaints c
          LEFT JOIN complaints p ON p.tenant_id = c.tenant_id AND p.id = c.merged_into_id
         WHERE c.tenant_id = ${tenantId} AND c.id = ${id}`,
  );
  return { supportersCount: row?.supporters_count ?? 0, mergedInto: row?.merged_into ?? null };
}
