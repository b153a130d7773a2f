import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type Ctx, reader } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, ISO_US_RE, isoUtc, limitSql, preparedRows, rowsOf, UUID_RE } from '../../platform/org/sql.js';
import { can } from '../../platform/policies/actor.js';
import { scopeOf, uuidArray } from '../../platform/policies/scope.js';
import { HANDLED_STATUSES, type ComplaintStatus } from '../../../common/complaints/workflow.js';
import { type CategoryRow, type ComplaintRow, type InboxItemRow, SUMMARY_LENGTH } from './presenters.js';
import { mayTriage } from './policies.js';
import { searchCondition } from './inbox/search.js';

// ---------------------------------------------------------------------------------------------
// Settings, categories, routing

export interface Bounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** The area in which the tenant accepts report coordinates, or undefined when not configured. */
export async function tenantBounds(ex: Executor, tenantId: string): Promise<Bounds | undefined> {
  const [row] = await rowsOf<Bounds>(
    ex,
    sql`SELECT bounds_south AS south, bounds_west AS west, bounds_north AS north, bounds_east AS east FROM complaint_settings WHERE tenant_id = ${tenantId}`,
  );
  return row;
}

const categorySelect = sql`SELECT c.id, c.name, c.icon, c.kind, c.default_unit_id, u.name AS default_unit_name, c.public, c.active,
                                  c.sort_order, c.deadline_hours, c.attributes
                             FROM complaint_categories c
                             JOIN units u ON u.tenant_id = c.tenant_id AND u.id = c.default_unit_id`;

/** Every category of the tenant (a bounded list: tens), ordered for the icon grid. */
export async function listCategories(ex: Executor, tenantId: string, opts: { publicOnly?: boolean } = {}): Promise<CategoryRow[]> {
  return rowsOf<CategoryRow>(
    ex,
    sql`${categorySelect} WHERE c.tenant_id = ${tenantId} ${opts.publicOnly ? sql`AND c.active AND c.public` : sql``}
         ORDER BY c.sort_order, c.name`,
  );
}

export async function findCategory(ex: Executor, tenantId: string, id: string): Promise<CategoryRow | undefined> {
  const [row] = await rowsOf<CategoryRow>(ex, sql`${categorySelect} WHERE c.tenant_id = ${tenantId} AND c.id = ${id}`);
  return row;
}

export interface RoutingRuleRow {
  id: string;
  category_id: string;
  region_code: string;
  region_name: string;
  unit_id: string;
  unit_name: string;
}

export async function listRoutingRules(ex: Executor, tenantId: string, categoryId?: string): Promise<RoutingRuleRow[]> {
  return rowsOf<RoutingRuleRow>(
    ex,
    sql`SELECT r.id, r.category_id, r.region_code, g.name AS region_name, r.unit_id, u.name AS unit_name
          FROM complaint_routing_rules r
          JOIN regions g ON g.code = r.region_code
          JOIN units u ON u.tenant_id = r.tenant_id AND u.id = r.unit_id
         WHERE r.tenant_id = ${tenantId} ${categoryId ? sql`AND r.category_id = ${categoryId}` : sql``}
         ORDER BY r.category_id, r.region_code`,
  );
}

/**
 * The responsible unit for a report: a rule for its kelurahan, else one for its kecamatan, else
 * the category's default unit.
 */
export async function routeComplaint(ex: Executor, tenantId: string, category: CategoryRow, kecamatan: string | null, kelurahan: string | null): Promise<string> {
  const codes = [kelurahan, kecamatan].filter((c): c is string => Boolean(c));
  if (codes.length) {
    const rules = await rowsOf<{ region_code: string; unit_id: string }>(
      ex,
      sql`SELECT r.region_code, r.unit_id FROM complaint_routing_rules r
            JOIN units u ON u.tenant_id = r.tenant_id AND u.id = r.unit_id AND u.active
           WHERE r.tenant_id = ${tenantId} AND r.category_id = ${category.id}
             AND r.region_code IN (${sql.join(codes.map((c) => sql`${c}`), sql`, `)})`,
    );
    for (const code of codes) {
      const rule = rules.find((r) => r.region_code === code);
      if (rule) return rule.unit_id;
    }
  }
  return category.default_unit_id;
}

/** A region of the tenant at kecamatan (3) or kelurahan (4) level, or undefined. */
export async function tenantRegion(ex: Executor, tenantRegionCode: string, code: string): Promise<{ code: string; level: number; parent_code: string | null } | undefined> {
  if (!code.startsWith(`${tenantRegionCode}.`)) return undefined;
  const [row] = await rowsOf<{ code: string; level: number; parent_code: string | null }>(
    ex,
    sql`SELECT code, level, parent_code FROM regions WHERE code = ${code} AND level IN (3, 4)`,
  );
  return row;
}

// ---------------------------------------------------------------------------------------------
// Reports

function complaintSelect(): SQL {
  return sql`SELECT c.id, c.tracking_code, c.status, c.kind, c.category_id, cat.name AS category_name, cat.icon AS category_icon,
                    c.unit_id, un.name AS unit_name, un.path::text[] AS unit_path,
                    c.kecamatan_code, kec.name AS kecamatan_name, c.kelurahan_code, kel.name AS kelurahan_name,
                    c.description, c.lat, c.lng, c.address, c.attributes, c.rejection_reason,
                    c.reporter_user_id, c.reporter_name, c.reporter_phone, c.reporter_email,
                    ru.name AS reporter_account_name, ru.phone AS reporter_account_phone, ru.email AS reporter_account_email,
                    c.access_token_hash, c.hidden, c.supporters_count, c.merged_into_id, c.channel,
                    (SELECT count(*)::int FROM complaint_photos p WHERE p.tenant_id = c.tenant_id AND p.complaint_id = c.id) AS photo_count,
                    ${isoUtc(sql`c.submitted_at`)} AS submitted_at, ${isoUtc(sql`c.submitted_at`, 'us')} AS submitted_at_us,
                    ${isoUtc(sql`c.verified_at`)} AS verified_at, ${isoUtc(sql`c.disposed_at`)} AS disposed_at,
                    ${isoUtc(sql`c.updated_at`)} AS updated_at, ${isoUtc(sql`c.due_at`)} AS due_at, c.paused_hours, c.resume_status,
                    ${isoUtc(sql`c.warn_at`)} AS warn_at, ${isoUtc(sql`c.warned_at`)} AS warned_at, ${isoUtc(sql`c.escalated_at`)} AS escalated_at,
                    ${isoUtc(sql`c.resolved_at`)} AS resolved_at, c.rating, c.rating_comment, cat.deadline_hours
               FROM complaints c
               JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id
               JOIN units un ON un.tenant_id = c.tenant_id AND un.id = c.unit_id
               LEFT JOIN regions kec ON kec.code = c.kecamatan_code
               LEFT JOIN regions kel ON kel.code = c.kelurahan_code
               LEFT JOIN users ru ON ru.tenant_id = c.tenant_id AND ru.id = c.reporter_user_id`;
}

export async function findComplaint(ex: Executor, tenantId: string, id: string): Promise<ComplaintRow | undefined> {
  if (!UUID_RE.test(id)) return undefined;
  const [row] = await rowsOf<ComplaintRow>(ex, sql`${complaintSelect()} WHERE c.tenant_id = ${tenantId} AND c.id = ${id}`);
  return row;
}

export async function findByTrackingCode(ex: Executor, tenantId: string, code: string): Promise<ComplaintRow | undefined> {
  const [row] = await rowsOf<ComplaintRow>(ex, sql`${complaintSelect()} WHERE c.tenant_id = ${tenantId} AND c.tracking_code = ${code}`);
  return row;
}

export interface TimelineRow {
  id: string;
  action: string;
  from_status: ComplaintStatus | null;
  to_status: ComplaintStatus | null;
  note: string | null;
  internal: boolean;
  unit_id: string | null;
  unit_name: string | null;
  actor_kind: string;
  actor_name: string | null;
  at: string;
}

export async function timelineOf(ex: Executor, tenantId: string, complaintId: string, opts: { includeInternal: boolean }): Promise<TimelineRow[]> {
  return rowsOf<TimelineRow>(
    ex,
    sql`SELECT e.id, e.action, e.from_status, e.to_status, e.note, e.internal, e.unit_id, u.name AS unit_name, e.actor_kind,
               su.name AS actor_name, ${isoUtc(sql`e.at`)} AS at
          FROM complaint_events e
          LEFT JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id
          LEFT JOIN users su ON su.tenant_id = e.tenant_id AND su.id = e.actor_user_id AND su.kind = 'staff'
         WHERE e.tenant_id = ${tenantId} AND e.complaint_id = ${complaintId} ${opts.includeInternal ? sql`` : sql`AND NOT e.internal`}
         ORDER BY e.at, e.id`,
  );
}

export async function photosOf(ex: Executor, tenantId: string, complaintId: string): Promise<{ file_id: string; hidden: boolean }[]> {
  return rowsOf(ex, sql`SELECT file_id, hidden FROM complaint_photos WHERE tenant_id = ${tenantId} AND complaint_id = ${complaintId} ORDER BY position`);
}

/** A report the actor may open as staff; 404 otherwise, whatever the reason. */
export async function complaintForStaff(ex: Executor, ctx: Ctx, id: string): Promise<ComplaintRow> {
  const row = await findComplaint(ex, ctx.tenant.id, id);
  if (!row) throw new NotFound();
  if (mayTriage(ctx.actor)) return row;
  if (HANDLED_STATUSES.includes(row.status) && can(ctx.actor, 'complaints.handle', row.unit_path)) return row;
  throw new NotFound();
}

export interface InboxFilter {
  status?: ComplaintStatus;
  categoryId?: string;
  unitId?: string;
  regionCode?: string;
  /** Only reports whose current stage is past its due time (open reports with a running clock). */
  overdue?: boolean;
  /** Only open reports whose overdue stage was escalated to the unit head. */
  escalated?: boolean;
  /** Indonesian full-text search over description, address and public answers, or a tracking code. */
  q?: string;
  /** Only reports with coordinates inside this box (the inbox's map view). */
  bbox?: { west: number; south: number; east: number; north: number };
  cursor?: string;
  limit: number;
}

/**
 * Which reports an actor's inbox holds: the triage desk's (`'all'`) every report; a handler's the
 * reports disposed to units inside the subtrees of his complaints.handle grants (`roots`), or to
 * any unit when the grant is tenant-wide; anyone else's none (`roots` empty).
 */
export type InboxScope = 'all' | { tenantWide: boolean; roots: string[] };

export function inboxScope(ctx: Ctx): InboxScope {
  if (mayTriage(ctx.actor)) return 'all';
  const scope = scopeOf(ctx.actor, 'complaints.handle');
  return { tenantWide: scope.tenantWide, roots: scope.unitIds };
}

/** Whether the scope can hold no report at all (staff without a complaints role). */
export const emptyScope = (scope: InboxScope) => scope !== 'all' && !scope.tenantWide && scope.roots.length === 0;

/** The inbox list's columns: what an inbox item and its map pin show (see presentInboxItem). */
function inboxItemSelect(): SQL {
  return sql`SELECT c.id, c.tracking_code, c.status, c.kind, c.category_id, cat.name AS category_name, c.unit_id, un.name AS unit_name,
                    c.kecamatan_code, kec.name AS kecamatan_name, c.kelurahan_code, kel.name AS kelurahan_name,
                    left(c.description, ${SUMMARY_LENGTH + 1}) AS description, c.lat, c.lng, c.reporter_user_id,
                    (SELECT count(*)::int FROM complaint_photos p WHERE p.tenant_id = c.tenant_id AND p.complaint_id = c.id) AS photo_count,
                    ${isoUtc(sql`c.submitted_at`)} AS submitted_at, ${isoUtc(sql`c.submitted_at`, 'us')} AS submitted_at_us,
                    ${isoUtc(sql`c.updated_at`)} AS updated_at, ${isoUtc(sql`c.due_at`)} AS due_at,
                    ${isoUtc(sql`c.warned_at`)} AS warned_at, ${isoUtc(sql`c.escalated_at`)} AS escalated_at
               FROM complaints c
               JOIN complaint_categories cat ON cat.tenant_id = c.tenant_id AND cat.id = c.category_id
               JOIN units un ON un.tenant_id = c.tenant_id AND un.id = c.unit_id
               LEFT JOIN regions kec ON kec.code = c.kecamatan_code
               LEFT JOIN regions kel ON kel.code = c.kelurahan_code`;
}

/**
 * The inbox statement, ordered by (submitted_at desc, id desc). Triage sees the whole tenant;
 * handlers see reports disposed to units inside their grants. The handler's units are expanded
 * from the small units table inside the statement (no round trip of its own), and each unit's
 * newest reports are read from the complaints index on (tenant, unit, submitted_at) and merged,
 * instead of one `unit_id = ANY` scan of the tenant-wide order that skips every other unit's rows.
 * `columns`: the inbox item's few columns, or the full report row (the CSV export).
 */
export function inboxSql(
  tenantId: string,
  scope: InboxScope,
  filter: Omit<InboxFilter, 'cursor'> & { now?: Date },
  after?: [string, string],
  columns: 'item' | 'full' = 'item',
): SQL {
  const select = columns === 'item' ? inboxItemSelect() : complaintSelect();
  const conds: SQL[] = [sql`c.tenant_id = ${tenantId}`];
  const perUnit = scope !== 'all' && !scope.tenantWide;
  if (scope !== 'all') {
    if (perUnit) conds.push(sql`c.unit_id = u.id`);
    conds.push(sql`c.status IN (${sql.join(HANDLED_STATUSES.map((s) => sql`${s}`), sql`, `)})`);
  }
  if (filter.status) conds.push(sql`c.status = ${filter.status}`);
  if (filter.categoryId) conds.push(sql`c.category_id = ${filter.categoryId}`);
  if (filter.unitId && !perUnit) conds.push(sql`c.unit_id = ${filter.unitId}`);
  if (filter.regionCode) {
    const kecamatan = filter.regionCode.split('.').slice(0, 3).join('.');
    conds.push(sql`c.kecamatan_code = ${kecamatan}`);
    if (filter.regionCode !== kecamatan) conds.push(sql`c.kelurahan_code = ${filter.regionCode}`);
  }
  if (filter.overdue) conds.push(sql`c.due_at IS NOT NULL AND c.due_at < ${(filter.now ?? new Date()).toISOString()}::timestamptz`);
  if (filter.escalated) conds.push(sql`c.escalated_at IS NOT NULL AND c.due_at IS NOT NULL`);
  if (filter.q?.trim()) conds.push(searchCondition(filter.q));
  if (filter.bbox) {
    const b = filter.bbox;
    conds.push(sql`c.lat IS NOT NULL AND c.lat BETWEEN ${b.south} AND ${b.north} AND c.lng BETWEEN ${b.west} AND ${b.east}`);
  }
  if (after) conds.push(sql`(c.submitted_at, c.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  const limit = filter.limit + 1;
  if (perUnit) {
    const units = sql`SELECT hu.id FROM units hu WHERE hu.tenant_id = ${tenantId} AND hu.path && ${uuidArray(scope.roots)}
                        ${filter.unitId ? sql`AND hu.id = ${filter.unitId}` : sql``}`;
    const page = sql`SELECT x.id FROM (${units}) AS u(id)
                       CROSS JOIN LATERAL (SELECT c.id, c.submitted_at FROM complaints c WHERE ${sql.join(conds, sql` AND `)}
                                            ORDER BY c.submitted_at DESC, c.id DESC ${limitSql(limit)}) x
                      ORDER BY x.submitted_at DESC, x.id DESC ${limitSql(limit)}`;
    return sql`${select} WHERE c.tenant_id = ${tenantId} AND c.id IN (${page}) ORDER BY c.submitted_at DESC, c.id DESC`;
  }
  return sql`${select} WHERE ${sql.join(conds, sql` AND `)} ORDER BY c.submitted_at DESC, c.id DESC ${limitSql(limit)}`;
}

/** Units (ids) inside the subtrees where the actor holds complaints.handle. */
export async function handledUnits(ex: Executor, ctx: Ctx): Promise<string[]> {
  const scope = scopeOf(ctx.actor, 'complaints.handle');
  if (scope.tenantWide) {
    return (await rowsOf<{ id: string }>(ex, sql`SELECT id FROM units WHERE tenant_id = ${ctx.tenant.id}`)).map((r) => r.id);
  }
  if (scope.unitIds.length === 0) return [];
  return (await rowsOf<{ id: string }>(ex, sql`SELECT id FROM units WHERE tenant_id = ${ctx.tenant.id} AND path && ${uuidArray(scope.unitIds)}`)).map((r) => r.id);
}

/** One page of the actor's inbox and the cursor of the next. Staff without either right see nothing. */
export async function listInbox(ctx: Ctx, filter: InboxFilter): Promise<{ rows: InboxItemRow[]; nextCursor: string | null }> {
  const after = decodeCursor(filter.cursor, (p) => p.length === 2 && typeof p[0] === 'string' && ISO_US_RE.test(p[0]) && typeof p[1] === 'string' && UUID_RE.test(p[1])) as
    | [string, string]
    | undefined;
  const ex = reader(ctx);
  const scope = inboxScope(ctx);
  if (emptyScope(scope)) return { rows: [], nextCursor: null };
  const statement = inboxSql(ctx.tenant.id, scope, { ...filter, now: ctx.clock.now() }, after);
  // Page queries are prepared once per connection; a search is planned for its words (a rare word
  // wants the text index, a common one the inbox order).
  const prepared = !('tx' in ctx) && !filter.q?.trim();
  const rows = prepared ? await preparedRows<InboxItemRow>(ctx.db, statement) : await rowsOf<InboxItemRow>(ex, statement);
  const more = rows.length > filter.limit;
  const page = more ? rows.slice(0, filter.limit) : rows;
  const last = page.at(-1);
  return { rows: page, nextCursor: more && last ? encodeCursor([last.submitted_at_us, last.id]) : null };
}

/** Most reports the inbox's map view shows at once (the newest in the box). */
export const INBOX_MAP_MAX = 500;

/**
 * The inbox's map view: the newest reports of the actor's inbox (same filters and visibility as
 * listInbox) that have coordinates inside the box, at most INBOX_MAP_MAX, and whether there were more.
 */
export async function listInboxMap(
  ctx: Ctx,
  filter: Omit<InboxFilter, 'cursor' | 'limit' | 'bbox'> & { bbox: NonNullable<InboxFilter['bbox']> },
): Promise<{ rows: InboxItemRow[]; truncated: boolean }> {
  const scope = inboxScope(ctx);
  if (emptyScope(scope)) return { rows: [], truncated: false };
  // A box is a range: planned for its values, never a prepared generic plan.
  const rows = await rowsOf<InboxItemRow>(reader(ctx), inboxSql(ctx.tenant.id, scope, { ...filter, limit: INBOX_MAP_MAX, now: ctx.clock.now() }));
  return { rows: rows.slice(0, INBOX_MAP_MAX), truncated: rows.length > INBOX_MAP_MAX };
}

/** One page of the signed-in resident's own reports, newest first (served by complaints_reporter_idx). */
export async function listMine(ctx: Ctx, page: { cursor?: string; limit: number }): Promise<{ rows: ComplaintRow[]; nextCursor: string | null }> {
  const after = decodeCursor(page.cursor, (p) => p.length === 2 && typeof p[0] === 'string' && ISO_US_RE.test(p[0]) && typeof p[1] === 'string' && UUID_RE.test(p[1])) as
    | [string, string]
    | undefined;
  const rows = await rowsOf<ComplaintRow>(reader(ctx), mineSql(ctx.tenant.id, ctx.actor.id ?? '', page.limit, after));
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  const last = items.at(-1);
  return { rows: items, nextCursor: more && last ? encodeCursor([last.submitted_at_us, last.id]) : null };
}

/** The "my reports" statement, ordered by (submitted_at desc, id desc). */
export function mineSql(tenantId: string, userId: string, limit: number, after?: [string, string]): SQL {
  const conds: SQL[] = [sql`c.tenant_id = ${tenantId}`, sql`c.reporter_user_id = ${userId}`];
  if (after) conds.push(sql`(c.submitted_at, c.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return sql`${complaintSelect()} WHERE ${sql.join(conds, sql` AND `)} ORDER BY c.submitted_at DESC, c.id DESC LIMIT ${limit + 1}`;
}
