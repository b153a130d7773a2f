import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/db.js';
import type { Database } from '../../db/client.js';
import { inTransaction, systemClock } from '../context.js';
import { notify } from '../notify/notify.js';
import { systemActor } from '../policies/actor.js';
import type { Tenant } from '../tenancy/tenants.js';
import { type ConsumerDeps, MAX_HANDLER_ATTEMPTS, onEvent, runConsumers } from './consumers.js';
import { relayEvents } from './relay.js';

let db: Database;
let tenant: Tenant;
let deps: ConsumerDeps;
let staffId: string;
const logged: { level: string; msg?: string }[] = [];
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  db = await createTestDb();
  [tenant] = await db.query<any>(`SELECT id, slug, name FROM tenants WHERE slug = 'makassar'`);
  [{ id: staffId }] = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'staf.binamarga@makassarkota.go.id'`);
  deps = {
    db,
    clock: systemClock,
    tenant: async (id) => (id === tenant.id ? tenant : undefined),
    log: { error: (_o, msg) => logged.push({ level: 'error', msg }), warn: (_o, msg) => logged.push({ level: 'warn', msg }) },
  };
});
afterAll(async () => {
  await db?.close();
});
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function emit(type: string, payload: Record<string, unknown> = {}): Promise<void> {
  await inTransaction({ db, tenant, actor: systemActor, clock: systemClock, locale: 'id' }, (tx) => tx.emit({ type, aggregateType: 'test', aggregateId: 'x', payload }));
  for (let i = 0; i < 100 && (await relayEvents(db)) === 0; i++) await new Promise((r) => setTimeout(r, 20));
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return r.n;
}

describe('durable event handlers (onEvent)', () => {
  it('start after the events that exist, handle each new event once, and commit their writes with the checkpoint', async () => {
    await emit('test.before_start');
    const seen: number[] = [];
    cleanups.push(
      onEvent(['test.ping', 'test.before_start'], 'test.notify_on_ping', async (event, tx) => {
        seen.push(event.payload.n as number);
        await notify(tx, { userId: staffId, kind: 'test.ping', title: { id: `Ping ${event.payload.n}`, en: `Ping ${event.payload.n}` } });
      }),
    );
    expect(await runConsumers(deps)).toBe(0); // creates the checkpoint at the current position
    await emit('test.ping', { n: 1 });
    await emit('test.other', { n: 99 });
    await emit('test.ping', { n: 2 });
    expect(await runConsumers(deps)).toBe(2);
    expect(await runConsumers(deps)).toBe(0);
    expect(seen).toEqual([1, 2]);
    expect(await count(`SELECT 1 FROM notifications WHERE kind = 'test.ping' AND user_id = $1`, [staffId])).toBe(2);
    // The handler's own event (notification.created) went into the outbox in its transaction.
    expect(await count(`SELECT 1 FROM domain_events WHERE type = 'notification.created' AND payload->>'kind' = 'test.ping'`)).toBe(2);
  });

  it("undo a failing handler's writes, retry it with backoff, and carry on after a success", async () => {
    let fail = true;
    let calls = 0;
    cleanups.push(
      onEvent('test.flaky', 'test.flaky_handler', async (_event, tx) => {
        calls++;
        await notify(tx, { userId: staffId, kind: 'test.flaky', title: 'Flaky' });
        if (fail) throw new Error('downstream unavailable');
      }),
    );
    await runConsumers(deps);
    await emit('test.flaky');
    expect(await runConsumers(deps)).toBe(0);
    expect(calls).toBe(1);
    expect(await count(`SELECT 1 FROM notifications WHERE kind = 'test.flaky'`)).toBe(0);
    const [cp] = await db.query<any>(`SELECT attempts, last_error, retry_at FROM event_consumers WHERE name = 'test.flaky_handler'`);
    expect(cp.attempts).toBe(1);
    expect(cp.last_error).toBe('downstream unavailable');
    expect(new Date(cp.retry_at).getTime()).toBeGreaterThan(Date.now());
    // Not before its retry time.
    expect(await runConsumers(deps)).toBe(0);
    expect(calls).toBe(1);
    fail = false;
    await new Promise((r) => setTimeout(r, 1_050));
    expect(await runConsumers(deps)).toBe(1);
    expect(calls).toBe(2);
    expect(await count(`SELECT 1 FROM notifications WHERE kind = 'test.flaky'`)).toBe(1);
    const [after] = await db.query<any>(`SELECT attempts, last_error FROM event_consumers WHERE name = 'test.flaky_handler'`);
    expect(after).toEqual({ attempts: 0, last_error: null });
  });

  it('skip an event after the last attempt, logged, so that later events still flow', async () => {
    const seen: string[] = [];
    cleanups.push(
      onEvent('test.poison', 'test.poison_handler', async (event) => {
        seen.push(event.payload.kind as string);
        if (event.payload.kind === 'bad') throw new Error('cannot handle');
      }),
    );
    await runConsumers(deps);
    await emit('test.poison', { kind: 'bad' });
    await emit('test.poison', { kind: 'good' });
    await db.query(`UPDATE event_consumers SET attempts = $1 WHERE name = 'test.poison_handler'`, [MAX_HANDLER_ATTEMPTS - 1]);
    expect(await runConsumers(deps)).toBe(1);
    expect(seen).toEqual(['bad', 'good']);
    expect(logged.some((l) => l.level === 'error' && /gave up/.test(l.msg ?? ''))).toBe(true);
    const [cp] = await db.query<any>(`SELECT attempts, last_error FROM event_consumers WHERE name = 'test.poison_handler'`);
    expect(cp.attempts).toBe(0);
  });

  it('replay history for a handler registered with from: start, and refuse bad registrations', async () => {
    const seen: number[] = [];
    cleanups.push(onEvent('test.ping', 'test.projection', async (e) => void seen.push(e.payload.n as number), { from: 'start' }));
    await runConsumers(deps);
    expect(seen).toEqual([1, 2]);
    expect(() => onEvent('test.ping', 'test.projection', async () => {})).toThrow(/already registered/);
    expect(() => onEvent('Bad', 'test.x', async () => {})).toThrow(/invalid event type/);
    expect(() => onEvent('test.ping', 'Bad Name', async () => {})).toThrow(/invalid event handler name/);
  });

  it('let only one process work on a handler at a time (the checkpoint row is locked)', async () => {
    let calls = 0;
    cleanups.push(
      onEvent('test.once', 'test.once_handler', async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 50));
      }),
    );
    await runConsumers(deps);
    await emit('test.once');
    await emit('test.once');
    await Promise.all([runConsumers(deps), runConsumers(deps), runConsumers(deps)]);
    await runConsumers(deps);
    expect(calls).toBe(2);
  });
});
