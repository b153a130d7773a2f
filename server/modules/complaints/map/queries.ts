import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { type Ctx, reader } from '../../../platform/context.js';
import { decodeCursor, encodeCursor, ISO_US_RE, isoUtc, limitSql, preparedRows, rowsOf, UUID_RE } from '../../../platform/org/sql.js';
import { PUBLIC_STATUSES, type ComplaintStatus } from '../../../../common/complaints/workflow.js';
import {
  ALWAYS_POINTS_ZOOM,
  type BBox,
  type CellRange,
  cellRange,
  clusterLevel,
  GRID_BITS,
  POINT_COLUMN_LEVEL,
  POINTS_ZOOM,
  pointColumns,
  pointLimit,
  rangeBounds,
} from './grid.js';

/** Public status groups: what the map colours and the filter offers. */
export const STATUS_GROUPS = ['verified', 'in_progress', 'resolved'] as const;
export type StatusGroup = (typeof STATUS_GROUPS)[number];
export const GROUP_STATUSES: Record<StatusGroup, readonly ComplaintStatus[]> = {
  verified: ['verified'],
  in_progress: ['disposed', 'in_progress', 'needs_info', 'reopened'],
  resolved: ['resolved', 'closed'],
};
export function groupOf(status: ComplaintStatus): StatusGroup {
  return (Object.keys(GROUP_STATUSES) as StatusGroup[]).find((g) => GROUP_STATUSES[g].includes(status)) ?? 'verified';
}

/** Status literals (not parameters), so that the planner proves the partial indexes' predicates. */
function statusList(statuses: readonly ComplaintStatus[]): SQL {
  return sql.raw(statuses.map((s) => `'${s}'`).join(', '));
}
/** Public reports: verified and onwards, not refused, not hidden by moderation. */
const PUBLIC = sql`NOT c.hidden AND c.status IN (${statusList(PUBLIC_STATUSES)})`;

export interface PublicFilter {
  categoryId?: string;
  status?: StatusGroup;
  kecamatan?: string;
  /** First and last day (YYYY-MM-DD, in the tenant's zone) of the submission date. */
  from?: string;
  to?: string;
}

/**
 * Not in a private category (a report of a private category is never public). Written as
 * `<> ALL(private ones)`: usually an empty list, checked at no cost per row.
 */
function notPrivate(column: SQL, tenantId: string): SQL {
  return sql`${column} <> ALL(ARRAY(SELECT id FROM complaint_categories WHERE tenant_id = ${tenantId} AND NOT public))`;
}

/** Conditions on complaints c shared by the list and the map's raw paths. */
function reportConds(ctx: Pick<Ctx, 'tenant'>, f: PublicFilter): SQL[] {
  const tenantId = ctx.tenant.id;
  const conds: SQL[] = [sql`c.tenant_id = ${tenantId}`, PUBLIC, notPrivate(sql`c.category_id`, tenantId)];
  // Category and kecamatan are compared as `(…) IS TRUE`, which no index takes as its condition:
  // the planner then reads the public reports' own indexes (complaints_public_idx,
  // complaints_map_columns_idx), which include both columns. Given a plain `=`, it walked
  // complaints_kecamatan_idx / complaints_category_idx (every report of the kecamatan, newest
  // first) and fetched each row to check its status: the newest reports are the ones not yet
  // verified, so a busy kecamatan's first page took ~30 ms instead of ~0.4 ms.
  if (f.categoryId) conds.push(sql`(c.category_id = ${f.categoryId}) IS TRUE`);
  if (f.status) conds.push(sql`c.status IN (${statusList(GROUP_STATUSES[f.status])})`);
  if (f.kecamatan) conds.push(sql`(c.kecamatan_code = ${f.kecamatan}) IS TRUE`);
  if (f.from) conds.push(sql`c.submitted_at >= (${f.from}::date::timestamp AT TIME ZONE ${ctx.tenant.timeZone})`);
  if (f.to) conds.push(sql`c.submitted_at < ((${f.to}::date + 1)::timestamp AT TIME ZONE ${ctx.tenant.timeZone})`);
  return conds;
}

// ---------------------------------------------------------------------------------------------
// Map

export interface Cluster {
  lat: number;
  lng: number;
  count: number;
  verified: number;
  inProgress: number;
  resolved: number;
}

export interface MapPoint {
  trackingCode: string;
  lat: number;
  lng: number;
  status: ComplaintStatus;
  statusGroup: StatusGroup;
  categoryId: string;
  categoryName: string;
  categoryIcon: string;
  submittedAt: string;
}

export interface MapResult {
  mode: 'clusters' | 'points';
  /** Grid level of the clusters (a cell is a tile of that zoom), null for points. */
  level: number | null;
  /** Reports in the covered cells (clusters) or in the box (points, at most pointLimit + 1 counted). */
  total: number;
  /** Points only: more reports are in the box than were sent (zoom in). */
  truncated: boolean;
  clusters: Cluster[];
  points: MapPoint[];
}

interface ClusterRow {
  lat: number;
  lng: number;
  n: number;
  verified: number;
  in_progress: number;
  resolved: number;
}

/**
 * Clusters of the public reports per cell of `range`. Without a period they come from the rollup
 * complaint_map_cells (a few rows per cell, whatever the number of reports); with a period, from
 * complaint_map_days (a few rows per cell and day), or with a period and a category or kecamatan
 * filter from the reports themselves (complaints_public_idx: submission date range, index-only).
 */
async function clusters(ex: Executor, ctx: Ctx, range: CellRange, f: PublicFilter): Promise<ClusterRow[]> {
  const tenantId = ctx.tenant.id;
  if (!f.from && !f.to) {
    const cells = sql`tenant_id = ${tenantId} AND level = ${range.level} AND cell_x BETWEEN ${range.x0} AND ${range.x1} AND cell_y BETWEEN ${range.y0} AND ${range.y1}`;
    const sums = sql`sum(sum_lat) / sum(reports) AS lat, sum(sum_lng) / sum(reports) AS lng, sum(reports)::int AS n,
                 coalesce(sum(reports) FILTER (WHERE status_group = 'verified'), 0)::int AS verified,
                 coalesce(sum(reports) FILTER (WHERE status_group = 'in_progress'), 0)::int AS in_progress,
                 coalesce(sum(reports) FILTER (WHERE status_group = 'resolved'), 0)::int AS resolved`;
    const group = f.status ? sql`AND status_group = ${f.status}` : sql``;
    if (!f.categoryId && !f.kecamatan) {
      // Public categories only, at most three rows per cell.
      return rowsOf<ClusterRow>(ex, sql`SELECT ${sums} FROM complaint_map_totals WHERE ${cells} ${group} GROUP BY cell_x, cell_y HAVING sum(reports) > 0`);
    }
    const conds: SQL[] = [cells, notPrivate(sql`category_id`, tenantId)];
    if (f.categoryId) conds.push(sql`category_id = ${f.categoryId}`);
    if (f.kecamatan) conds.push(sql`kecamatan_code = ${f.kecamatan}`);
    return rowsOf<ClusterRow>(ex, sql`SELECT ${sums} FROM complaint_map_cells WHERE ${sql.join(conds, sql` AND `)} ${group} GROUP BY cell_x, cell_y HAVING sum(reports) > 0`);
  }
  if (!f.categoryId && !f.kecamatan) {
    // A period of the whole map: the rollup per local day (public categories only).
    const conds: SQL[] = [
      sql`tenant_id = ${tenantId} AND level = ${range.level} AND cell_x BETWEEN ${range.x0} AND ${range.x1} AND cell_y BETWEEN ${range.y0} AND ${range.y1}`,
    ];
    if (f.from) conds.push(sql`day >= ${f.from}::date`);
    if (f.to) conds.push(sql`day <= ${f.to}::date`);
    if (f.status) conds.push(sql`status_group = ${f.status}`);
    return rowsOf<ClusterRow>(
      ex,
      sql`SELECT sum(sum_lat) / sum(reports) AS lat, sum(sum_lng) / sum(reports) AS lng, sum(reports)::int AS n,
                 coalesce(sum(reports) FILTER (WHERE status_group = 'verified'), 0)::int AS verified,
                 coalesce(sum(reports) FILTER (WHERE status_group = 'in_progress'), 0)::int AS in_progress,
                 coalesce(sum(reports) FILTER (WHERE status_group = 'resolved'), 0)::int AS resolved
            FROM complaint_map_days WHERE ${sql.join(conds, sql` AND `)} GROUP BY cell_x, cell_y HAVING sum(reports) > 0`,
    );
  }
  const b = rangeBounds(range);
  const shift = GRID_BITS - range.level;
  const conds = [...reportConds(ctx, f), sql`c.lat IS NOT NULL`, sql`c.lat >= ${b.south} AND c.lat < ${b.north}`, sql`c.lng >= ${b.west} AND c.lng < ${b.east}`];
  return rowsOf<ClusterRow>(
    ex,
    sql`SELECT avg(c.lat) AS lat, avg(c.lng) AS lng, count(*)::int AS n,
               count(*) FILTER (WHERE c.status = 'verified')::int AS verified,
               count(*) FILTER (WHERE c.status IN (${statusList(GROUP_STATUSES.in_progress)}))::int AS in_progress,
               count(*) FILTER (WHERE c.status IN (${statusList(GROUP_STATUSES.resolved)}))::int AS resolved
          FROM complaints c
         WHERE ${sql.join(conds, sql` AND `)}
         GROUP BY complaint_map_x(c.lng) >> ${sql.raw(String(shift))}, complaint_map_y(c.lat) >> ${sql.raw(String(shift))}`,
  );
}

interface PointRow {
  tracking_code: string;
  lat: number;
  lng: number;
  status: ComplaintStatus;
  category_id: string;
  category_name: string;
  category_icon: string;
  submitted_at: string;
}

/**
 * Public reports inside the box, newest first, at most `limit`, from complaints_map_columns_idx
 * alone (index-only: grid column, coordinates, sort key, tracking code and filters are in it),
 * reading each grid column the box covers over the box's latitudes only. (Points are drawn from
 * zoom 16, so a box covers at most 2 × MAX_TILES_ACROSS columns.) A pin carries no text: its
 * popup loads the report's public page data when opened, so a phone on a weak connection does
 * not download the descriptions of hundreds of reports it never opens.
 */
export function pointsSql(ctx: Pick<Ctx, 'tenant'>, b: BBox, f: PublicFilter, limit: number): SQL {
  const columns = pointColumns(b);
  const conds = [
    ...reportConds(ctx, f),
    sql`c.lat IS NOT NULL`,
    sql`(complaint_map_x(c.lng) >> ${sql.raw(String(GRID_BITS - POINT_COLUMN_LEVEL))}) IN (${sql.join(columns.map((x) => sql`${x}::int`), sql`, `)})`,
    sql`c.lat BETWEEN ${b.south} AND ${b.north}`,
    sql`c.lng BETWEEN ${b.west} AND ${b.east}`,
  ];
  return sql`SELECT n.tracking_code, n.lat, n.lng, n.status, n.category_id, cat.name AS category_name, cat.icon AS category_icon,
                    ${isoUtc(sql`n.submitted_at`)} AS submitted_at
               FROM (SELECT c.tracking_code, c.lat, c.lng, c.status, c.category_id, c.submitted_at, c.id FROM complaints c
                      WHERE ${sql.join(conds, sql` AND `)}
                      ORDER BY c.submitted_at DESC, c.id DESC LIMIT ${limit}) n
               JOIN complaint_categories cat ON cat.tenant_id = ${ctx.tenant.id} AND cat.id = n.category_id
              ORDER BY n.submitted_at DESC, n.id DESC`;
}

const SUMMARY_LENGTH = 140;
function summarize(text: string): string {
  return text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH - 1)}…` : text;
}

/**
 * What the public map shows for a box at a zoom: clusters (count and centroid per cell of a
 * quarter tile) up to zoom 15; from zoom 16 the reports themselves when the screen can show them
 * all (pointLimit: one pin per 32 × 32 px), else still clusters; from zoom 18 always reports, the
 * newest pointLimit of them.
 */
export async function publicMap(ctx: Ctx, b: BBox, zoom: number, f: PublicFilter): Promise<MapResult> {
  const limit = pointLimit(b, zoom);
  const ex = reader(ctx);
  if (zoom < ALWAYS_POINTS_ZOOM) {
    const range = cellRange(b, clusterLevel(zoom));
    const rows = await clusters(ex, ctx, range, f);
    const total = rows.reduce((s, r) => s + Number(r.n), 0);
    if (zoom < POINTS_ZOOM || total > limit) {
      return {
        mode: 'clusters',
        level: range.level,
        total,
        truncated: false,
        clusters: rows.map((r) => ({
          lat: Number(r.lat),
          lng: Number(r.lng),
          count: Number(r.n),
          verified: Number(r.verified),
          inProgress: Number(r.in_progress),
          resolved: Number(r.resolved),
        })),
        points: [],
      };
    }
  }
  const rows = await rowsOf<PointRow>(ex, pointsSql(ctx, b, f, limit + 1));
  const truncated = rows.length > limit;
  const shown = truncated ? rows.slice(0, limit) : rows;
  return {
    mode: 'points',
    level: null,
    total: rows.length,
    truncated,
    clusters: [],
    points: shown.map((r) => ({
      trackingCode: r.tracking_code,
      lat: Number(r.lat),
      lng: Number(r.lng),
      status: r.status,
      statusGroup: groupOf(r.status),
      categoryId: r.category_id,
      categoryName: r.category_name,
      categoryIcon: r.category_icon,
      submittedAt: r.submitted_at,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// List

export interface PublicListRow {
  id: string;
  tracking_code: string;
  status: ComplaintStatus;
  category_id: string;
  category_name: string;
  category_icon: string;
  description: string;
  lat: number | null;
  lng: number | null;
  kecamatan_code: string | null;
  kecamatan_name: string | null;
  kelurahan_code: string | null;
  kelurahan_name: string | null;
  submitted_at: string;
  submitted_at_us: string;
  updated_at: string;
}

/**
 * The public list statement, newest first. The page's keys come from complaints_public_idx alone
 * (index-only: the filters are in its key or INCLUDE columns), then the page's 21 rows are read.
 * Written so because the planner otherwise walked complaints_inbox_idx (all reports, newest
 * first) and checked each row's status in the table: the newest reports of a city are those not
 * yet verified, and with 30,000 of them on top (a busy week's intake) a 20-row page took ~25 ms.
 */
export function publicListSql(ctx: Ctx, f: PublicFilter, limit: number, after?: [string, string]): SQL {
  const conds = reportConds(ctx, f);
  if (after) conds.push(sql`(c.submitted_at, c.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return sql`SELECT c.id, c.tracking_code, c.status, c.category_id, cat.name AS category_name, cat.icon AS category_icon,
                    left(c.description, ${SUMMARY_LENGTH + 1}) AS description, c.lat, c.lng,
                    c.kecamatan_code, kec.name AS kecamatan_name, c.kelurahan_code, kel.name AS kelurahan_name,
                    ${isoUtc(sql`c.submitted_at`)} AS submitted_at, ${isoUtc(sql`c.submitted_at`, 'us')} AS submitted_at_us,
                    ${isoUtc(sql`c.updated_at`)} AS updated_at
               FROM (SELECT c.tenant_id, c.id, c.submitted_at FROM complaints c
                      WHERE ${sql.join(conds, sql` AND `)}
                      ORDER BY c.submitted_at DESC, c.id DESC
                      ${limitSql(limit + 1)}) p
               JOIN complaints c ON c.tenant_id = p.tenant_id AND c.id = p.id
               JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id
               LEFT JOIN regions kec ON kec.code = c.kecamatan_code
               LEFT JOIN regions kel ON kel.code = c.kelurahan_code
              ORDER BY p.submitted_at DESC, p.id DESC`;
}

export function presentPublicItem(r: PublicListRow) {
  return {
    trackingCode: r.tracking_code,
    status: r.status,
    statusGroup: groupOf(r.status),
    category: { id: r.category_id, name: r.category_name, icon: r.category_icon },
    summary: summarize(r.description),
    location: r.lat == null || r.lng == null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
    kecamatan: r.kecamatan_code ? { code: r.kecamatan_code, name: r.kecamatan_name ?? r.kecamatan_code } : null,
    kelurahan: r.kelurahan_code ? { code: r.kelurahan_code, name: r.kelurahan_name ?? r.kelurahan_code } : null,
    submittedAt: r.submitted_at,
    updatedAt: r.updated_at,
  };
}

/** One page of the public list and the cursor of the next. */
export async function listPublic(ctx: Ctx, f: PublicFilter & { cursor?: string; limit: number }): Promise<{ items: ReturnType<typeof presentPublicItem>[]; nextCursor: string | null }> {
  const after = decodeCursor(f.cursor, (p) => p.length === 2 && typeof p[0] === 'string' && ISO_US_RE.test(p[0]) && typeof p[1] === 'string' && UUID_RE.test(p[1])) as
    | [string, string]
    | undefined;
  const q = publicListSql(ctx, f, f.limit, after);
  // A keyset page on complaints_public_idx is planned once per connection (its plan does not depend
  // on the values); a period is a date range, planned for its values.
  const rows = f.from || f.to || 'tx' in ctx ? await rowsOf<PublicListRow>(reader(ctx), q) : await preparedRows<PublicListRow>(ctx.db, q);
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  const last = page.at(-1);
  return { items: page.map(presentPublicItem), nextCursor: more && last ? encodeCursor([last.submitted_at_us, last.id]) : null };
}

// ---------------------------------------------------------------------------------------------
// Settings

export interface MapConfigRow {
  map_tile_url: string;
  map_attribution: string;
  bounds_south: number;
  bounds_west: number;
  bounds_north: number;
  bounds_east: number;
}

export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const DEFAULT_ATTRIBUTION = '© OpenStreetMap contributors';

export async function mapConfig(ex: Executor, tenantId: string) {
  const [row] = await rowsOf<MapConfigRow>(
    ex,
    sql`SELECT map_tile_url, map_attribution, bounds_south, bounds_west, bounds_north, bounds_east FROM complaint_settings WHERE tenant_id = ${tenantId}`,
  );
  return {
    tileUrl: row?.map_tile_url ?? DEFAULT_TILE_URL,
    attribution: row?.map_attribution ?? DEFAULT_ATTRIBUTION,
    bounds: row ? { south: Number(row.bounds_south), west: Number(row.bounds_west), north: Number(row.bounds_north), east: Number(row.bounds_east) } : null,
  };
}
