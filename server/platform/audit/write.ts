import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/client.js';
import type { Ctx } from '../context.js';
import { auditEvents } from './schema.js';

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
  await tx.insert(auditEvents).values({
    tenantId: ctx.tenant.id,
    id: uuidv7(),
    occurredAt: ctx.clock.now(),
    actorId: ctx.actor.id ?? null,
    actorKind: ctx.actor.kind,
    actorName: ctx.actor.name ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    unitId: entry.unitId ?? null,
    data: entry.data ?? {},
    ip: ctx.ip ?? null,
    requestId: ctx.requestId ?? null,
  });
}
