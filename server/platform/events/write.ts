import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/client.js';
import type { Ctx } from '../context.js';
import { domainEvents } from './schema.js';

export interface EventInput {
  /** Past-tense name, e.g. `unit.created`, `complaint.submitted`. */
  type: string;
  aggregateType: string;
  aggregateId: string;
  /** Unit the event concerns; SSE subscribers see events of units they may read. */
  unitId?: string | null;
  payload?: Record<string, unknown>;
}

/** Writes a domain event into the outbox inside the caller's transaction. */
export async function writeEvent(tx: Tx, ctx: Ctx, event: EventInput): Promise<void> {
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
