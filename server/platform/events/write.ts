import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/client.js';
import type { Ctx } from '../context.js';
import { domainEvents } from './schema.js';

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
  if (!EVENT_TYPE.test(event.type)) throw new Error(`invalid event type "${event.type}"`);
  await tx.insert(domainEvents).values({
    tenantId: ctx.tenant.id,
    id: uuidv7(),
    type: event.type,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    unitId: event.unitId ?? null,
    payload: event.payload ?? {},
    occurredAt: ctx.clock.now(),
  });
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
