import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { ComplaintStatus } from '../../../common/complaints/workflow.js';
import { rowsOf } from '../../platform/org/sql.js';
import { type Ctx, inTransaction, type TxCtx } from '../../platform/context.js';
import type { PeriodicDeps } from '../../platform/jobs/periodic.js';
import { notifyMany } from '../../platform/notify/notify.js';
import { systemActor } from '../../platform/policies/actor.js';
import { uuidArray } from '../../platform/policies/scope.js';
import type { Tenant } from '../../platform/tenancy/tenants.js';
import { applySystemTransition } from './commands/applyTransition.js';
import { stageOf } from './deadlines.js';
import type { ComplaintRow } from './presenters.js';
import { findComplaint } from './queries.js';
import { complaintEvents } from './schema.js';

/** How often a worker looks for reports whose warning, escalation or automatic closing is due. */
export const SWEEP_INTERVAL_MS = 60_000;
/** Reports handled per kind, tenant and run; the rest wait for the next run (keeps a run short). */
const SWEEP_BATCH = 200;
/** Days after which an unconfirmed resolution is closed when the tenant has no setting. */
const DEFAULT_AUTO_CLOSE_DAYS = 7;
const DAY_MS = 86_400_000;

export interface SweepResult {
  warned: number;
  escalated: number;
  closed: number;
}

/**
 * The deadline sweep of every tenant: escalates reports whose stage passed its due time to the
 * unit head (notification + escalated flag), warns the assignee of reports at 80 % of their
 * stage's time, and closes resolved reports the reporter neither confirmed nor reopened within
 * the tenant's `auto_close_days`. Each report is handled in its own transaction under a row lock
 * taken with SKIP LOCKED and the condition checked again, so that several workers, or a command
 * moving the report at the same moment, never make a report warned, escalated or closed twice.
 */
export async function sweepDeadlines(deps: PeriodicDeps): Promise<SweepResult> {
  const total: SweepResult = { warned: 0, escalated: 0, closed: 0 };
  for (const tenant of await deps.tenants()) {
    const ctx: Ctx = { db: deps.db, tenant, actor: systemActor, clock: deps.clock, locale: 'id', afterCommit: deps.afterCommit };
    const r = await sweepTenant(ctx);
    total.warned += r.warned;
    total.escalated += r.escalated;
    total.closed += r.closed;
  }
  return total;
}

async function sweepTenant(ctx: Ctx): Promise<SweepResult> {
  const now = ctx.clock.now();
  const tenantId = ctx.tenant.id;
  const result: SweepResult = { warned: 0, escalated: 0, closed: 0 };
  // Escalation first: a report past its due time is escalated, not warned.
  const overdue = await rowsOf<{ id: string }>(
    ctx.db.orm,
    sql`SELECT id FROM complaints WHERE tenant_id = ${tenantId} AND due_at IS NOT NULL AND escalated_at IS NULL AND due_at <= ${now.toISOString()}::timestamptz
         ORDER BY due_at LIMIT ${SWEEP_BATCH}`,
  );
  for (const { id } of overdue) if (await inTransaction(ctx, (tx) => escalateOne(tx, id))) result.escalated++;

  const warn = await rowsOf<{ id: string }>(
    ctx.db.orm,
    sql`SELECT id FROM complaints WHERE tenant_id = ${tenantId} AND warn_at IS NOT NULL AND warn_at <= ${now.toISOString()}::timestamptz
         ORDER BY warn_at LIMIT ${SWEEP_BATCH}`,
  );
  for (const { id } of warn) if (await inTransaction(ctx, (tx) => warnOne(tx, id))) result.warned++;

  const days = await autoCloseDays(ctx);
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const unconfirmed = await rowsOf<{ id: string }>(
    ctx.db.orm,
    sql`SELECT id FROM complaints WHERE tenant_id = ${tenantId} AND status = 'resolved' AND resolved_at <= ${cutoff.toISOString()}::timestamptz
         ORDER BY resolved_at LIMIT ${SWEEP_BATCH}`,
  );
  for (const { id } of unconfirmed) if (await inTransaction(ctx, (tx) => closeOne(tx, id, cutoff, days))) result.closed++;
  return result;
}

async function autoCloseDays(ctx: Ctx): Promise<number> {
  const [row] = await rowsOf<{ days: number }>(ctx.db.orm, sql`SELECT auto_close_days AS days FROM complaint_settings WHERE tenant_id = ${ctx.tenant.id}`);
  return row?.days ?? DEFAULT_AUTO_CLOSE_DAYS;
}

/** Locks the report when `condition` still holds (and nobody else holds it); the row, or null. */
async function claim(tx: TxCtx, id: string, condition: ReturnType<typeof sql>): Promise<ComplaintRow | null> {
  const locked = await rowsOf<{ id: string }>(tx.tx, sql`SELECT id FROM complaints WHERE tenant_id = ${tx.tenant.id} AND id = ${id} AND ${condition} FOR UPDATE SKIP LOCKED`);
  if (locked.length === 0) return null;
  return (await findComplaint(tx.tx, tx.tenant.id, id)) ?? null;
}

async function escalateOne(tx: TxCtx, id: string): Promise<boolean> {
  const now = tx.clock.now();
  const row = await claim(tx, id, sql`due_at IS NOT NULL AND escalated_at IS NULL AND due_at <= ${now.toISOString()}::timestamptz`);
  if (!row) return false;
  const stage = stageOf(row.status);
  const recipients = await escalationRecipients(tx, row);
  await tx.tx.execute(sql`UPDATE complaints SET escalated_at = ${now.toISOString()}::timestamptz, warn_at = NULL WHERE tenant_id = ${tx.tenant.id} AND id = ${id}`);
  await timelineNote(tx, row, 'escalate', `Melewati tenggat ${STAGE_NAMES[stage ?? 'resolution'].id} (${formatDue(tx.tenant, row.due_at)}); dieskalasi ke ${recipients.length} pimpinan.`);
  const facts = { trackingCode: row.tracking_code, status: row.status, stage, dueAt: row.due_at, recipients: recipients.length };
  await tx.audit({ action: 'complaint.escalated', entityType: 'complaint', entityId: id, unitId: row.unit_id, data: facts });
  await tx.emit({ type: 'complaint.escalated', aggregateType: 'complaint', aggregateId: id, unitId: row.unit_id, payload: facts });
  await notifyMany(tx, recipients, {
    kind: 'complaint.escalated',
    title: { id: `Eskalasi: laporan ${row.tracking_code} melewati tenggat`, en: `Escalation: report ${row.tracking_code} is overdue` },
    body: {
      id: `${row.category_name} di ${row.unit_name} belum ${STAGE_NAMES[stage ?? 'resolution'].id} hingga tenggat ${formatDue(tx.tenant, row.due_at, 'id')}. Mohon ditindaklanjuti.`,
      en: `${row.category_name} at ${row.unit_name} was not ${STAGE_NAMES[stage ?? 'resolution'].en} by its deadline ${formatDue(tx.tenant, row.due_at, 'en')}. Please follow it up.`,
    },
    link: `/staf/pengaduan/${id}`,
    email: true,
  });
  return true;
}

async function warnOne(tx: TxCtx, id: string): Promise<boolean> {
  const now = tx.clock.now();
  const row = await claim(tx, id, sql`warn_at IS NOT NULL AND warn_at <= ${now.toISOString()}::timestamptz`);
  if (!row) return false;
  const stage = stageOf(row.status) ?? 'resolution';
  const recipients = await assignees(tx, row);
  await tx.tx.execute(sql`UPDATE complaints SET warn_at = NULL, warned_at = ${now.toISOString()}::timestamptz WHERE tenant_id = ${tx.tenant.id} AND id = ${id}`);
  await timelineNote(tx, row, 'deadline_warning', `80% waktu ${STAGE_NAMES[stage].id} telah terpakai; tenggat ${formatDue(tx.tenant, row.due_at)}.`);
  const facts = { trackingCode: row.tracking_code, status: row.status, stage, dueAt: row.due_at, recipients: recipients.length };
  await tx.audit({ action: 'complaint.deadline_warning', entityType: 'complaint', entityId: id, unitId: row.unit_id, data: facts });
  await tx.emit({ type: 'complaint.deadline_warning', aggregateType: 'complaint', aggregateId: id, unitId: row.unit_id, payload: facts });
  await notifyMany(tx, recipients, {
    kind: 'complaint.deadline_warning',
    title: { id: `Tenggat laporan ${row.tracking_code} segera habis`, en: `Report ${row.tracking_code} is nearing its deadline` },
    body: {
      id: `${row.category_name}: ${STAGE_NAMES[stage].id} harus selesai sebelum ${formatDue(tx.tenant, row.due_at, 'id')}.`,
      en: `${row.category_name}: ${STAGE_NAMES[stage].en} is due by ${formatDue(tx.tenant, row.due_at, 'en')}.`,
    },
    link: `/staf/pengaduan/${id}`,
    email: false,
  });
  return true;
}

async function closeOne(tx: TxCtx, id: string, cutoff: Date, days: number): Promise<boolean> {
  const row = await claim(tx, id, sql`status = 'resolved' AND resolved_at <= ${cutoff.toISOString()}::timestamptz`);
  if (!row) return false;
  await applySystemTransition(tx, row, {
    action: 'close',
    note: `Ditutup otomatis: pelapor tidak mengonfirmasi atau membuka kembali dalam ${days} hari.`,
    facts: { automatic: true, afterDays: days },
  });
  return true;
}

const STAGE_NAMES = {
  verification: { id: 'verifikasi', en: 'verified' },
  disposition: { id: 'disposisi', en: 'disposed' },
  resolution: { id: 'penyelesaian', en: 'resolved' },
} as const;

async function timelineNote(tx: TxCtx, row: ComplaintRow, action: string, note: string): Promise<void> {
  await tx.tx.insert(complaintEvents).values({
    tenantId: tx.tenant.id,
    id: uuidv7(),
    complaintId: row.id,
    action,
    note,
    internal: true,
    unitId: row.unit_id,
    actorUserId: null,
    actorKind: 'system',
    at: tx.clock.now(),
  });
}

function formatDue(tenant: Tenant, due: string | null, locale: 'id' | 'en' = 'id'): string {
  if (!due) return '-';
  const zone = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' }[tenant.timeZone] ?? '';
  const text = new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', { timeZone: tenant.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(due));
  return `${text} ${zone}`.trim();
}

// ---------------------------------------------------------------------------------------------
// Who hears of it

interface Holder {
  user_id: string;
  unit_id: string;
  depth: number;
}

/** Active users holding `permission` through a grant, with the unit and depth of the grant. */
async function holders(tx: TxCtx, permission: string): Promise<Holder[]> {
  return rowsOf<Holder>(
    tx.tx,
    sql`SELECT g.user_id, g.unit_id, cardinality(u.path) AS depth
          FROM grants g
          JOIN roles r ON r.tenant_id = g.tenant_id AND r.id = g.role_id
          JOIN units u ON u.tenant_id = g.tenant_id AND u.id = g.unit_id
          JOIN users us ON us.tenant_id = g.tenant_id AND us.id = g.user_id AND us.status = 'active'
         WHERE g.tenant_id = ${tx.tenant.id} AND ${permission} = ANY (r.permissions)`,
  );
}

/** Of the holders whose grant covers the unit (on its path), those granted closest to it. */
export function nearestHolders(list: Holder[], unitPath: readonly string[]): string[] {
  const covering = list.filter((h) => unitPath.includes(h.unit_id));
  if (covering.length === 0) return [];
  const deepest = Math.max(...covering.map((h) => Number(h.depth)));
  return [...new Set(covering.filter((h) => Number(h.depth) === deepest).map((h) => h.user_id))];
}

/** Whose stage it is: the triage desk before disposition, the unit's handlers after it. */
function inTriage(status: ComplaintStatus): boolean {
  return status === 'submitted' || status === 'verified';
}

async function assignees(tx: TxCtx, row: ComplaintRow): Promise<string[]> {
  if (inTriage(row.status)) return [...new Set((await holders(tx, 'complaints.triage')).map((h) => h.user_id))];
  return nearestHolders(await holders(tx, 'complaints.handle'), row.unit_path);
}

/**
 * The unit head: holders of complaints.escalations granted closest above the responsible unit
 * (kepala bidang before kepala dinas before the city's administrators). Before disposition the
 * stage belongs to the triage desk, so the heads above the desk's units hear of it. Nobody holding
 * the permission leaves the triage desk to hear of it.
 */
async function escalationRecipients(tx: TxCtx, row: ComplaintRow): Promise<string[]> {
  const heads = await holders(tx, 'complaints.escalations');
  let out: string[];
  if (inTriage(row.status)) {
    const desks = await holders(tx, 'complaints.triage');
    const deskUnits = [...new Set(desks.map((d) => d.unit_id))];
    const paths = await rowsOf<{ path: string[] }>(tx.tx, sql`SELECT path::text[] AS path FROM units WHERE tenant_id = ${tx.tenant.id} AND id = ANY (${uuidArray(deskUnits)})`);
    out = [...new Set(paths.flatMap((p) => nearestHolders(heads, p.path)))];
  } else {
    out = nearestHolders(heads, row.unit_path);
  }
  if (out.length) return out;
  return [...new Set((await holders(tx, 'complaints.triage')).map((h) => h.user_id))];
}
