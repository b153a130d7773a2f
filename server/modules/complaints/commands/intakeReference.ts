import type { Database, Executor } from '../../../db/client.js';
import { makeCalendar, type WorkingCalendar } from '../../../platform/calendar/workingTime.js';
import { loadCalendar } from '../../../platform/calendar/load.js';
import type { Tenant } from '../../../platform/tenancy/tenants.js';
import type { CategoryRow } from '../presenters.js';
import { type Bounds, findCategory, tenantBounds, tenantRegion } from '../queries.js';

export interface RegionRow {
  code: string;
  level: number;
  parent_code: string | null;
}

/**
 * What checking and filing a report reads besides its content: the category, the tenant's
 * coordinate bounds, its regions and its working calendar. Two implementations: fresh reads in
 * the filing transaction (the one-by-one path), and a per-process snapshot (the batched path).
 */
export interface SubmissionReference {
  category(id: string): Promise<CategoryRow | undefined> | CategoryRow | undefined;
  bounds(): Promise<Bounds | undefined> | Bounds | undefined;
  region(code: string): Promise<RegionRow | undefined> | RegionRow | undefined;
  calendar(): Promise<WorkingCalendar> | WorkingCalendar;
}

/** Reads everything fresh inside the caller's transaction. */
export function freshReference(ex: Executor, tenant: Tenant): SubmissionReference {
  return {
    category: (id) => findCategory(ex, tenant.id, id),
    bounds: () => tenantBounds(ex, tenant.id),
    region: (code) => tenantRegion(ex, tenant.regionCode, code),
    calendar: () => loadCalendar(ex, tenant),
  };
}

/**
 * The snapshot the batched path validates against. `version` stands for the tenant row (time zone,
 * work week, office hours), its calendar days and its complaint settings (bounds); each category
 * carries its own row version. The batch statement compares both with the database as it writes
 * (see submitBatched.ts), so a report checked against a stale snapshot is never written: it goes
 * the one-by-one way with fresh reads and the snapshot is dropped.
 */
export interface ReferenceSnapshot extends SubmissionReference {
  tenantId: string;
  version: string;
  categoryVersion(id: string): string | undefined;
  category(id: string): CategoryRow | undefined;
  bounds(): Bounds | undefined;
  region(code: string): RegionRow | undefined;
  calendar(): WorkingCalendar;
}

/**
 * SQL for the version of a tenant's reference data (tenant row, calendar days, complaint settings),
 * given an expression for the tenant id. Row versions are `xmin`: any update gives a row a new
 * one; a deletion or an insertion changes the count or the newest xmin of calendar_days.
 */
export function referenceVersionSql(tenantIdExpr: string): string {
  return `(SELECT t.xmin::text FROM tenants t WHERE t.id = ${tenantIdExpr})
      || ':' || (SELECT count(*)::text || ':' || coalesce(max(d.xmin::text::bigint), 0)::text FROM calendar_days d WHERE d.tenant_id = ${tenantIdExpr})
      || ':' || coalesce((SELECT s.xmin::text FROM complaint_settings s WHERE s.tenant_id = ${tenantIdExpr}), '-')`;
}

/** How long a snapshot is used before it is read again, even when nothing said it changed. */
const SNAPSHOT_TTL_MS = 60_000;

interface Entry {
  at: number;
  snapshot: Promise<ReferenceSnapshot>;
}

const snapshots = new WeakMap<Database, Map<string, Entry>>();

/** The process's snapshot of a tenant's reference data, read when missing or older than a minute. */
export function referenceSnapshot(db: Database, tenant: Tenant): Promise<ReferenceSnapshot> {
  let perDb = snapshots.get(db);
  if (!perDb) snapshots.set(db, (perDb = new Map()));
  const now = Date.now();
  const hit = perDb.get(tenant.id);
  if (hit && now - hit.at < SNAPSHOT_TTL_MS) return hit.snapshot;
  const snapshot = loadSnapshot(db, tenant);
  perDb.set(tenant.id, { at: now, snapshot });
  snapshot.catch(() => perDb.delete(tenant.id));
  return snapshot;
}

/** Drops a tenant's snapshot (a batch found it stale); the next report reads it again. */
export function dropReferenceSnapshot(db: Database, tenantId: string): void {
  snapshots.get(db)?.delete(tenantId);
}

async function loadSnapshot(db: Database, tenant: Tenant): Promise<ReferenceSnapshot> {
  const [head] = await db.query<{ version: string; time_zone: string; settings: Tenant['settings'] }>(
    `SELECT ${referenceVersionSql('$1::uuid')} AS version, t.time_zone, t.settings FROM tenants t WHERE t.id = $1::uuid`,
    [tenant.id],
  );
  if (!head) throw new Error(`tenant ${tenant.id} not found`);
  const [days, categories, boundsRows, regions] = await Promise.all([
    db.query<{ day: string; kind: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_days WHERE tenant_id = $1::uuid`, [tenant.id]),
    db.query<CategoryRow & { version: string }>(
      `SELECT c.id::text AS id, c.name, c.icon, c.kind, c.default_unit_id::text AS default_unit_id, u.name AS default_unit_name, c.public, c.active,
              c.sort_order, c.deadline_hours, c.attributes, c.xmin::text AS version
         FROM complaint_categories c JOIN units u ON u.tenant_id = c.tenant_id AND u.id = c.default_unit_id
        WHERE c.tenant_id = $1::uuid`,
      [tenant.id],
    ),
    db.query<Bounds>(
      `SELECT bounds_south AS south, bounds_west AS west, bounds_north AS north, bounds_east AS east FROM complaint_settings WHERE tenant_id = $1::uuid`,
      [tenant.id],
    ),
    db.query<RegionRow>(`SELECT code, level, parent_code FROM regions WHERE code LIKE $1 AND level IN (3, 4)`, [`${tenant.regionCode}.%`]),
  ]);
  const settings = parsed(head.settings);
  const calendar = makeCalendar({
    timeZone: head.time_zone as Tenant['timeZone'],
    workWeek: settings.workWeek,
    officeStart: settings.officeStart,
    officeEnd: settings.officeEnd,
    nonWorkingDates: days.filter((d) => d.kind !== 'extra_workday').map((d) => d.day),
    extraWorkingDates: days.filter((d) => d.kind === 'extra_workday').map((d) => d.day),
  });
  const byId = new Map(categories.map((c) => [c.id, { ...c, attributes: parsed(c.attributes), deadline_hours: parsed(c.deadline_hours) }]));
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const bounds = boundsRows[0];
  return {
    tenantId: tenant.id,
    version: head.version,
    category: (id) => byId.get(id),
    categoryVersion: (id) => byId.get(id)?.version,
    bounds: () => bounds,
    region: (code) => byCode.get(code),
    calendar: () => calendar,
  };
}

/** jsonb as the driver hands it over (parsed by both drivers, but never trust a string). */
function parsed<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
