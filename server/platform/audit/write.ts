import { type SQL, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/client.js';
import type { Ctx } from '../context.js';

export interface AuditInput {
  /** Verb in dotted form, e.g. `unit.created`, `user.login_failed`, `resident.viewed`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  /** Unit the entity belongs to, so unit auditors can filter. */
  unitId?: string | null;
  /** What changed; never secrets (passwords, tokens). */
  data?: Record<string, unknown>;
}

/** Appends an audit event inside the caller's transaction. Sealing happens after commit. */
export async function writeAudit(tx: Tx, ctx: Ctx, entry: AuditInput): Promise<void> {
  await writeAudits(tx, [{ ctx, entry }]);
}

/**
 * Appends several audit events in one statement (a batch of commands written together, each with
 * its own actor and request). The rows travel as one JSON parameter: a multi-row VALUES list of
 * 13 parameters a row costs far more to build and to parse for a batch of a hundred.
 */
export async function writeAudits(tx: Tx, items: readonly { ctx: Ctx; entry: AuditInput }[]): Promise<void> {
  if (items.length === 0) return;
  await tx.execute(auditInsertSql(items));
}

/**
 * The INSERT of writeAudits, for a caller that runs it inside a statement of its own (a
 * data-modifying WITH, to save round trips while it holds a lock).
 */
export function auditInsertSql(items: readonly { ctx: Ctx; entry: AuditInput }[]): SQL {
  const rows = items.map(({ ctx, entry }) => ({
    tenant_id: ctx.tenant.id,
    id: uuidv7(),
    occurred_at: ctx.clock.now().toISOString(),
    actor_id: ctx.actor.id ?? null,
    actor_kind: ctx.actor.kind,
    actor_name: ctx.actor.name ?? null,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId ?? null,
    unit_id: entry.unitId ?? null,
    data: entry.data ?? {},
    ip: ctx.ip ?? null,
    request_id: ctx.requestId ?? null,
  }));
  return sql`INSERT INTO audit_events (tenant_id, id, occurred_at, actor_id, actor_kind, actor_name, action, entity_type, entity_id, unit_id, data, ip, request_id)
      SELECT r.tenant_id, r.id, r.occurred_at, r.actor_id, r.actor_kind, r.actor_name, r.action, r.entity_type, r.entity_id, r.unit_id, r.data, r.ip, r.request_id
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(tenant_id uuid, id uuid, occurred_at timestamptz, actor_id uuid, actor_kind text, actor_name text,
             action text, entity_type text, entity_id text, unit_id uuid, data jsonb, ip text, request_id text)`;
}
