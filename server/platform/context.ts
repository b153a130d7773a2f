import type { Database, Executor, Tx } from '../db/client.js';
import type { Locale } from '../../common/i18n/problems.js';
import type { Tenant } from './tenancy/tenants.js';
import type { Actor } from './policies/actor.js';
import { writeAudit, type AuditInput } from './audit/write.js';
import { writeEvent, type EventInput } from './events/write.js';

/** The time source; tests replace it to move the clock. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Hooks run after a command's transaction commits (event relay, audit sealing). */
export interface AfterCommit {
  eventsWritten(): void;
  auditWritten(): void;
  /** E-mails were put into the outbox (the dispatcher hands them on). */
  emailsQueued?(): void;
}

/** What every request or job hands to queries and commands. */
export interface Ctx {
  db: Database;
  tenant: Tenant;
  actor: Actor;
  clock: Clock;
  locale: Locale;
  requestId?: string;
  ip?: string;
  afterCommit?: AfterCommit;
}

/** The context inside a command's transaction: write, audit and emit together. */
export interface TxCtx extends Ctx {
  tx: Tx;
  audit(entry: AuditInput): Promise<void>;
  emit(event: EventInput): Promise<void>;
  /** Says that the transaction put e-mails into the outbox (see enqueueEmails). */
  mailed?(): void;
}

/**
 * Runs one command in one transaction: its writes, its audit events and its domain events commit
 * together or not at all.
 */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: TxCtx) => Promise<T>): Promise<T> {
  let audited = false;
  let emitted = false;
  let mailed = false;
  const result = await ctx.db.orm.transaction(async (tx) => {
    const txCtx: TxCtx = {
      ...ctx,
      tx,
      audit: async (entry) => {
        audited = true;
        await writeAudit(tx, ctx, entry);
      },
      emit: async (event) => {
        emitted = true;
        await writeEvent(tx, ctx, event);
      },
      mailed: () => {
        mailed = true;
      },
    };
    return fn(txCtx);
  });
  if (emitted) ctx.afterCommit?.eventsWritten();
  if (audited) ctx.afterCommit?.auditWritten();
  if (mailed) ctx.afterCommit?.emailsQueued?.();
  return result;
}

/** The executor for reads: the open transaction when there is one. */
export function reader(ctx: Ctx | TxCtx): Executor {
  return 'tx' in ctx ? ctx.tx : ctx.db.orm;
}
