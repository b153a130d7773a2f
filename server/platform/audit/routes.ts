import { type SQL, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { AppInstance } from '../../app.js';
import { type Ctx, reader } from '../context.js';
import { Invalid } from '../errors.js';
import { optionalText } from '../org/schemas.js';
import { decodeCursor, encodeCursor, ISO_US_RE, isoUtc, rowsOf, UUID_RE } from '../org/sql.js';
import { inScopeSql, type Scope, scopeOf } from '../policies/scope.js';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
/** A day (YYYY-MM-DD, in the tenant's zone) or an ISO 8601 instant with offset. */
const dayOrInstant = z
  .string()
  .max(40)
  .refine((v) => (isoDate.test(v) ? DateTime.fromISO(v).isValid : z.iso.datetime({ offset: true }).safeParse(v).success), { message: 'field.datetime' });

export const AuditQuery = z.strictObject({
  action: optionalText(100),
  entityType: optionalText(50),
  entityId: optionalText(100),
  actorId: z.uuid().optional(),
  /** From this instant, or from the start of this day (inclusive). */
  from: dayOrInstant.optional(),
  /** Until this instant (exclusive), or to the end of this day (inclusive). */
  to: dayOrInstant.optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditItem = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actor: z.object({ id: z.string().nullable(), kind: z.string(), name: z.string().nullable() }),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  /** Sealed into the tenant's hash chain (tamper-evident) — events are sealed shortly after commit. */
  sealed: z.boolean(),
  seq: z.number().nullable(),
});

interface AuditRow {
  id: string;
  occurred_at: string;
  occurred_at_us: string;
  actor_id: string | null;
  actor_kind: string;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  unit_id: string | null;
  unit_name: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  request_id: string | null;
  seq: number | string | bigint | null;
}

function instant(v: string, zone: string, end: boolean): string {
  if (!isoDate.test(v)) return new Date(v).toISOString();
  const day = DateTime.fromISO(v, { zone }).startOf('day');
  return (end ? day.plus({ days: 1 }) : day).toUTC().toISO()!;
}

/**
 * The browse statement: newest first on (occurred_at, id). Every filter combination has an index
 * whose leading columns match (audit_browse_idx, audit_action_idx, audit_entity_idx,
 * audit_actor_idx from 0001; audit_unit_idx from 0002 for unit-scoped auditors).
 */
export function auditListSql(tenantId: string, timeZone: string, scope: Scope, q: AuditQuery, after?: [string, string]): SQL {
  const conds: SQL[] = [sql`a.tenant_id = ${tenantId}`];
  if (!scope.tenantWide) {
    conds.push(sql`a.unit_id IN (SELECT s.id FROM units s WHERE s.tenant_id = ${tenantId} AND ${inScopeSql(sql`s.path`, scope)})`);
  }
  if (q.action) conds.push(sql`a.action = ${q.action}`);
  if (q.entityType) conds.push(sql`a.entity_type = ${q.entityType}`);
  if (q.entityId) conds.push(sql`a.entity_id = ${q.entityId}`);
  if (q.actorId) conds.push(sql`a.actor_id = ${q.actorId}`);
  if (q.from) conds.push(sql`a.occurred_at >= ${instant(q.from, timeZone, false)}::timestamptz`);
  if (q.to) conds.push(sql`a.occurred_at < ${instant(q.to, timeZone, true)}::timestamptz`);
  if (after) conds.push(sql`(a.occurred_at, a.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return sql`SELECT a.id, ${isoUtc(sql`a.occurred_at`)} AS occurred_at, ${isoUtc(sql`a.occurred_at`, 'us')} AS occurred_at_us,
                    a.actor_id, a.actor_kind, a.actor_name, a.action, a.entity_type, a.entity_id, a.unit_id, un.name AS unit_name,
                    a.data, a.ip, a.request_id, se.seq
               FROM audit_events a
               LEFT JOIN units un ON un.tenant_id = a.tenant_id AND un.id = a.unit_id
               LEFT JOIN audit_seals se ON se.tenant_id = a.tenant_id AND se.event_id = a.id
              WHERE ${sql.join(conds, sql` AND `)}
              ORDER BY a.occurred_at DESC, a.id DESC
              LIMIT ${q.limit + 1}`;
}

/** A page of the audit trail the actor may read: all of it tenant-wide, else their units' events. */
export async function browseAudit(ctx: Ctx, q: AuditQuery): Promise<{ items: z.infer<typeof AuditItem>[]; nextCursor: string | null }> {
  if (q.entityId && !q.entityType) throw Invalid.field('querystring.entityId', 'field.entity_type_required');
  const after = decodeCursor(q.cursor, (p) => p.length === 2 && typeof p[0] === 'string' && ISO_US_RE.test(p[0]) && typeof p[1] === 'string' && UUID_RE.test(p[1])) as
    | [string, string]
    | undefined;
  const scope = scopeOf(ctx.actor, 'audit.read');
  const rows = await rowsOf<AuditRow>(reader(ctx), auditListSql(ctx.tenant.id, ctx.tenant.timeZone, scope, q, after));
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at,
      actor: { id: r.actor_id, kind: r.actor_kind, name: r.actor_name },
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
      ip: r.ip,
      requestId: r.request_id,
      sealed: r.seq !== null,
      seq: r.seq === null ? null : Number(r.seq),
    })),
    nextCursor: more && last ? encodeCursor([last.occurred_at_us, last.id]) : null,
  };
}

/** Browsing the audit trail (`audit.read`; API keys with audit.read may export it). */
export function auditRoutes(app: AppInstance): void {
  app.get(
    '/api/v1/admin/audit',
    {
      config: { access: { permission: 'audit.read', allowApiKey: true } },
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first, filtered; unit-scoped auditors see their units’ events only',
        querystring: AuditQuery,
        response: { 200: z.object({ items: z.array(AuditItem), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => browseAudit(req.ctx(), req.query),
  );
}
