import { type SQL, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/client.js';
import type { Ctx } from '../context.js';

/** Event types are dotted lower-case names: `unit.created`, `notification.created`. */
export const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export interface EventInput {
  /** Past-tense name, e.g. `unit.created`, `complaint.submitted`. */
  type: string;
  aggregateType: string;
  aggregateId: string;
  /** Unit the event concerns; SSE subscribers see events of units they may read. */
  unitId?: string | null;
  /**
   * What happened, kept small (ids, statuses, titles). Conventions read by the SSE stream:
   * `userId` addresses the event to that user only; `public: true` publishes it on the public
   * stream (TV and display pages), with an optional `topic`.
   */
  payload?: Record<string, unknown>;
}

/** A relayed event as consumers and the SSE stream see it. */
export interface DomainEvent {
  position: number;
  id: string;
  tenantId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  unitId: string | null;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * Writes a domain event into the outbox inside the caller's transaction. The row gets the
 * writing transaction's id (column default `pg_current_xact_id()`) and no position; the relay
 * numbers it in commit order after commit (relay.ts).
 */
export async function writeEvent(tx: Tx, ctx: Ctx, event: EventInput): Promise<void> {
  await writeEvents(tx, [{ ctx, event }]);
}

/**
 * Writes several domain events in one statement (a batch of commands written together); the rows
 * travel as one JSON parameter (see writeAudits).
 */
export async function writeEvents(tx: Tx, items: readonly { ctx: Ctx; event: EventInput }[]): Promise<void> {
  if (items.length === 0) return;
  await tx.execute(eventsInsertSql(items));
}

/** The INSERT of writeEvents, for a caller that runs it inside a statement of its own (see auditInsertSql). */
export function eventsInsertSql(items: readonly { ctx: Ctx; event: EventInput }[]): SQL {
  for (const { event } of items) if (!EVENT_TYPE.test(event.type)) throw new Error(`invalid event type "${event.type}"`);
  const rows = items.map(({ ctx, event }) => ({
    tenant_id: ctx.tenant.id,
    id: uuidv7(),
    type: event.type,
    aggregate_type: event.aggregateType,
    aggregate_id: event.aggregateId,
    unit_id: event.unitId ?? null,
    payload: event.payload ?? {},
    occurred_at: ctx.clock.now().toISOString(),
  }));
  return sql`INSERT INTO domain_events (tenant_id, id, type, aggregate_type, aggregate_id, unit_id, payload, occurred_at)
      SELECT r.tenant_id, r.id, r.type, r.aggregate_type, r.aggregate_id, r.unit_id, r.payload, r.occurred_at
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(tenant_id uuid, id uuid, type text, aggregate_type text, aggregate_id text, unit_id uuid,
             payload jsonb, occurred_at timestamptz)`;
}

/** Columns selected by readers of relayed events, mapped by `toDomainEvent`. */
export const EVENT_COLUMNS = `position, id::text AS id, tenant_id::text AS tenant_id, type, aggregate_type, aggregate_id,
  unit_id::text AS unit_id, payload, occurred_at`;

export function toDomainEvent(r: any): DomainEvent {
  return {
    position: Number(r.position),
    id: r.id,
    tenantId: r.tenant_id,
    type: r.type,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    unitId: r.unit_id ?? null,
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : (r.payload ?? {}),
    occurredAt: new Date(r.occurred_at),
  };
}
