import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { PgDatabase, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Orm = PgDatabase<any, Schema>;
export type Tx = PgTransaction<any, Schema, any>;
/** Either the base connection or an open transaction: what queries run on. */
export type Executor = Orm | Tx;

export interface Database {
  kind: 'pglite' | 'postgres';
  orm: Orm;
  /** One parameterised statement, returning rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(sqlText: string): Promise<void>;
  /**
   * Subscribe to NOTIFY on a channel; returns the unsubscribe function. `onReconnect` is called
   * when the LISTEN connection was lost and made again (notifications in between are lost).
   */
  listen(channel: string, onPayload: (payload: string) => void, opts?: { onReconnect?: () => void }): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** The embedded instance, when kind is pglite. */
  pglite?: PGlite;
  /** The pool, when kind is postgres. */
  pool?: pg.Pool;
  /**
   * A small pool for named prepared page queries only (preparedRows), whose connections keep one
   * generic plan per statement (plan_cache_mode=force_generic_plan). Every other statement goes
   * through `pool` and is planned for its values.
   */
  preparedPool?: pg.Pool;
}

// timestamptz and bigint come back as strings from node-postgres by default; keep ISO strings
// for timestamps (Drizzle maps them) and parse int8 counts as numbers where they fit.
pg.types.setTypeParser(20, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

export const pgliteExtensions = { pg_trgm };

export interface OpenOptions {
  /** PostgreSQL URL; when absent, PGlite. */
  url?: string;
  /** PGlite data directory; absent means in-memory. */
  dataDir?: string;
  /** PGlite: start from a dumped data directory (tests). */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.url ? openPostgres(opts.url, opts.poolSize ?? 20) : openPglite(opts);
}

export async function openPglite(opts: OpenOptions): Promise<Database> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pgl = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    extensions: pgliteExtensions,
    relaxedDurability: false,
  });
  const orm = drizzlePglite(pgl, { schema }) as unknown as Orm;
  return {
    kind: 'pglite',
    orm,
    pglite: pgl,
    async query<T>(text: string, params: unknown[] = []) {
      const r = await pgl.query<T>(text, params as any[]);
      return r.rows;
    },
    async exec(sqlText: string) {
      await pgl.exec(sqlText);
    },
    async listen(channel, onPayload) {
      const unsub = await pgl.listen(channel, onPayload);
      return async () => {
        await unsub();
      };
    },
    async close() {
      if (!pgl.closed) await pgl.close();
    },
  };
}

export async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'balai' });
  pool.on('error', () => {
    /* idle client errors are reported on the next query */
  });
  const orm = drizzleNodePg(pool, { schema }) as unknown as Orm;
  const listeners = new Map<string, Set<(p: string) => void>>();
  const reconnected = new Set<() => void>();
  let listenClient: pg.Client | undefined;
  let closing = false;

  async function ensureListenClient(): Promise<pg.Client> {
    if (listenClient) return listenClient;
    const c = new pg.Client({ connectionString: url, application_name: 'balai-listen' });
    await c.connect();
    c.on('notification', (msg) => {
      const subs = listeners.get(msg.channel);
      if (subs) for (const fn of subs) fn(msg.payload ?? '');
    });
    c.on('error', () => {
      // Reconnect and re-subscribe: a lost LISTEN connection must not silence realtime.
      listenClient = undefined;
      if (closing) return;
      setTimeout(() => {
        ensureListenClient()
          .then(async (nc) => {
            for (const ch of listeners.keys()) await nc.query(`LISTEN "${ch}"`);
            for (const fn of reconnected) fn();
          })
          .catch(() => {});
      }, 500);
    });
    listenClient = c;
    return c;
  }

  const preparedPool = new pg.Pool({
    connectionString: url,
    max: Math.max(2, Math.ceil(poolSize / 2)),
    application_name: 'balai-prepared',
    options: '-c plan_cache_mode=force_generic_plan',
  });
  preparedPool.on('error', () => {});

  return {
    kind: 'postgres',
    orm,
    pool,
    preparedPool,
    async query<T>(text: string, params: unknown[] = []) {
      const r = await pool.query(text, params);
      return r.rows as T[];
    },
    async exec(sqlText: string) {
      await pool.query(sqlText);
    },
    async listen(channel, onPayload, opts) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel ${channel}`);
      const c = await ensureListenClient();
      let subs = listeners.get(channel);
      if (!subs) {
        subs = new Set();
        listeners.set(channel, subs);
        await c.query(`LISTEN "${channel}"`);
      }
      subs.add(onPayload);
      const onReconnect = opts?.onReconnect;
      if (onReconnect) reconnected.add(onReconnect);
      return async () => {
        subs!.delete(onPayload);
        if (onReconnect) reconnected.delete(onReconnect);
      };
    },
    async close() {
      closing = true;
      await listenClient?.end().catch(() => {});
      await Promise.all([pool.end(), preparedPool.end()]);
    },
  };
}

export function pgliteDataDir(dataDir: string): string {
  return join(dataDir, 'pg');
}
