import type { Database } from './client.js';

/**
 * A raw query runner bound to one connection and transaction. `name` makes it a named prepared
 * statement on PostgreSQL (parsed and planned once per connection; for hot, constant statements).
 */
export type Q = (text: string, params?: unknown[], name?: string) => Promise<any[]>;

export interface TxOptions {
  /** Read everything from one consistent snapshot and refuse writes (verification, reports). */
  readOnlySnapshot?: boolean;
}

/**
 * Runs fn in one transaction on one connection of either driver, with raw SQL. For platform
 * internals (sealing, relays, bulk loads) that work below Drizzle; commands use inTransaction.
 */
export async function withTx<T>(db: Database, fn: (q: Q) => Promise<T>, opts: TxOptions = {}): Promise<T> {
  if (db.kind === 'postgres') {
    const client = await db.pool!.connect();
    try {
      await client.query(opts.readOnlySnapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      const r = await fn(async (t, p, name) => (await client.query(name ? { name, text: t, values: p as any[] } : { text: t, values: p as any[] })).rows);
      await client.query('COMMIT');
      return r;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }
  // The embedded database has one connection: a transaction is also a consistent snapshot.
  return db.pglite!.transaction(async (tx) => fn(async (t, p) => (await tx.query(t, p as any[])).rows as any[]));
}
