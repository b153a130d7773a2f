import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type AfterCommit, type Clock, inTransaction, type TxCtx } from '../context.js';
import { systemActor } from '../policies/actor.js';
import type { Tenant } from '../tenancy/tenants.js';
import { lastPosition } from './relay.js';
import { eventConsumers } from './schema.js';
import { type DomainEvent, EVENT_COLUMNS, EVENT_TYPE, toDomainEvent } from './write.js';

/** Events a handler takes per round before others get their turn. */
const PAGE = 100;
/** After this many failures on one event the handler skips it (logged) so later events flow. */
export const MAX_HANDLER_ATTEMPTS = 8;
/** First retry delay after a failure; doubles per attempt (1 s, 2 s, 4 s … about 2 min in all). */
const RETRY_BASE_MS = 1_000;

/**
 * A durable event handler: runs in the worker process for every relayed event of its types, in
 * a transaction of the event's tenant together with the advance of its checkpoint, so that its
 * writes (projections, notifications) happen once per event. Handlers should still be idempotent
 * where they touch anything outside the database (they run again after a failed commit).
 */
export type EventHandler = (event: DomainEvent, tx: TxCtx) => Promise<void>;

interface Registration {
  name: string;
  types: string[];
  handler: EventHandler;
  from: 'now' | 'start';
}

const registry = new Map<string, Registration>();

/**
 * Registers a durable handler (modules call it at import): `name` is its stable checkpoint name
 * (e.g. `warroom.incident_counts`); `from: 'start'` replays every past event on first run
 * (projections), the default `'now'` begins with events relayed after its first start
 * (notifications). Returns the unregister function.
 */
export function onEvent(types: string | string[], name: string, handler: EventHandler, opts: { from?: 'now' | 'start' } = {}): () => void {
  const list = Array.isArray(types) ? types : [types];
  if (!/^[a-z][a-z0-9_.:-]{1,99}$/.test(name)) throw new Error(`invalid event handler name "${name}"`);
  for (const t of list) if (!EVENT_TYPE.test(t)) throw new Error(`invalid event type "${t}"`);
  if (registry.has(name)) throw new Error(`event handler "${name}" is already registered`);
  const reg: Registration = { name, types: list, handler, from: opts.from ?? 'now' };
  registry.set(name, reg);
  return () => {
    if (registry.get(name) === reg) registry.delete(name);
  };
}

export interface ConsumerDeps {
  db: Database;
  clock: Clock;
  tenant(id: string): Promise<Tenant | undefined>;
  afterCommit?: AfterCommit;
  log: { error(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void };
}

/**
 * Runs every registered handler over the events after its checkpoint. Several worker processes
 * may call this at once: a handler's checkpoint row is locked (SKIP LOCKED) while one of them
 * works on it. Returns how many events were handled.
 */
export async function runConsumers(deps: ConsumerDeps): Promise<number> {
  let handled = 0;
  for (const reg of [...registry.values()]) handled += await runOne(deps, reg);
  return handled;
}

async function ensureCheckpoint(db: Database, reg: Registration): Promise<void> {
  const start = reg.from === 'start' ? 0 : await lastPosition(db);
  await db.query('INSERT INTO event_consumers (name, position) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [reg.name, start]);
}

async function runOne(deps: ConsumerDeps, reg: Registration): Promise<number> {
  const { db } = deps;
  let [cp] = await db.query<{ position: string; retry_at: Date | string | null }>('SELECT position::text AS position, retry_at FROM event_consumers WHERE name = $1', [reg.name]);
  if (!cp) {
    await ensureCheckpoint(db, reg);
    [cp] = await db.query('SELECT position::text AS position, retry_at FROM event_consumers WHERE name = $1', [reg.name]);
  }
  if (cp.retry_at && new Date(cp.retry_at).getTime() > Date.now()) return 0;
  let position = Number(cp.position);
  let handled = 0;
  for (;;) {
    const rows = await db.query(`SELECT ${EVENT_COLUMNS} FROM domain_events WHERE type = ANY($1::text[]) AND position > $2 ORDER BY position LIMIT ${PAGE}`, [reg.types, position]);
    if (rows.length === 0) return handled;
    for (const row of rows) {
      const event = toDomainEvent(row);
      const outcome = await handleOne(deps, reg, event);
      if (outcome === 'busy' || outcome === 'failed') return handled;
      position = event.position;
      if (outcome === 'handled') handled++;
    }
    if (rows.length < PAGE) return handled;
  }
}

async function handleOne(deps: ConsumerDeps, reg: Registration, event: DomainEvent): Promise<'handled' | 'skipped' | 'busy' | 'failed'> {
  const { db } = deps;
  const tenant = await deps.tenant(event.tenantId);
  const ctx = { db, tenant: tenant!, actor: systemActor, clock: deps.clock, locale: 'id' as const, afterCommit: deps.afterCommit };
  return inTransaction(ctx, async (tx) => {
    const [cp] = await tx.tx.select().from(eventConsumers).where(eq(eventConsumers.name, reg.name)).for('update', { skipLocked: true });
    if (!cp) return 'busy';
    if (cp.position >= event.position) return 'skipped';
    const advance = (lastError: string | null) =>
      tx.tx
        .update(eventConsumers)
        .set({ position: event.position, attempts: 0, lastError, retryAt: null, updatedAt: new Date() })
        .where(eq(eventConsumers.name, reg.name));
    // An inactive or removed tenant's events are passed over.
    if (!tenant) {
      await advance(null);
      return 'skipped';
    }
    // The handler's writes are undone on failure; the failure count is kept.
    await tx.tx.execute(sql`SAVEPOINT event_handler`);
    try {
      await reg.handler(event, tx);
      await tx.tx.execute(sql`RELEASE SAVEPOINT event_handler`);
    } catch (err) {
      await tx.tx.execute(sql`ROLLBACK TO SAVEPOINT event_handler`);
      const attempts = cp.attempts + 1;
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
      if (attempts < MAX_HANDLER_ATTEMPTS) {
        deps.log.warn({ err, handler: reg.name, event: event.id, attempts }, 'event handler failed; will retry');
        await tx.tx
          .update(eventConsumers)
          .set({ attempts, lastError: message, retryAt: new Date(Date.now() + RETRY_BASE_MS * 2 ** (attempts - 1)), updatedAt: new Date() })
          .where(eq(eventConsumers.name, reg.name));
        return 'failed';
      }
      deps.log.error({ err, handler: reg.name, event: event.id, position: event.position, attempts }, 'event handler gave up on an event; skipped');
      await advance(`skipped event ${event.position} after ${attempts} attempts: ${message}`);
      return 'skipped';
    }
    await advance(null);
    return 'handled';
  });
}
