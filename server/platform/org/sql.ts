import { type SQL, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Database, Executor } from '../../db/client.js';
import { Invalid } from '../errors.js';

/** Rows of a raw statement on either driver (node-postgres returns a result, PGlite too, shaped alike). */
export async function rowsOf<T>(ex: Executor, query: SQL): Promise<T[]> {
  const r: any = await ex.execute(query);
  return (Array.isArray(r) ? r : r.rows) as T[];
}

/**
 * Rows of a hot read outside a transaction, as a named prepared statement on PostgreSQL: each pool
 * connection of the dedicated prepared pool plans it once and keeps that generic plan (the
 * complaints table's many indexes make planning cost more than running a page query). The name
 * is derived from the statement's text, so every shape of a query (its filters) is one statement.
 * Only for statements whose best plan does not depend on the values (keyset pages on an index):
 * a text search or a date range must go through `rowsOf`. The embedded database runs it as is.
 */
export async function preparedRows<T>(db: Database, query: SQL): Promise<T[]> {
  const pool = db.preparedPool ?? db.pool;
  if (db.kind !== 'postgres' || !pool) return rowsOf<T>(db.orm, query);
  const { sql: text, params } = (db.orm as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(query);
  const name = `b_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
  return (await pool.query({ name, text, values: params as unknown[] })).rows as T[];
}

/**
 * `LIMIT n` written into the statement text. A prepared statement's generic plan does not know a
 * bound LIMIT and plans for a tenth of the table: on a million reports that chose a parallel scan
 * whose workers took ~30 ms to start for a 20-row page. Page sizes are few (validated ≤ 100), so
 * each gets its own prepared statement.
 */
export function limitSql(n: number): SQL {
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`bad LIMIT ${n}`);
  return sql.raw(`LIMIT ${n}`);
}

/** A timestamptz rendered as an exact ISO string in UTC (microseconds kept for cursors). */
export function isoUtc(column: SQL | unknown, precision: 'ms' | 'us' = 'ms'): SQL<string> {
  const frac = precision === 'us' ? 'US' : 'MS';
  return sql<string>`to_char(${column} AT TIME ZONE 'UTC', ${`YYYY-MM-DD"T"HH24:MI:SS.${frac}"Z"`})`;
}

/** `%term%` for LIKE on a lower-cased column, with LIKE's own wildcards escaped. */
export function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Opaque list cursor: the sort key of the last row, base64url JSON. */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/**
 * Reads a cursor made by {@link encodeCursor}; a tampered or foreign cursor is a 400 on the
 * `querystring.cursor` field, never a server error.
 */
export function decodeCursor(raw: string | undefined, check: (parts: unknown[]) => boolean): unknown[] | undefined {
  if (raw === undefined) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  if (!Array.isArray(parts) || !check(parts)) throw Invalid.field('querystring.cursor', 'field.cursor');
  return parts;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ISO_US_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
