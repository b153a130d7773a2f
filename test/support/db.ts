import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../server/db/client.js';
import { withDatabase } from './global-setup.js';
import { withTx } from '../../server/db/tx.js';

let counter = 0;

/**
 * A fresh database for one test file, copied from the run's template (migrated, regions loaded,
 * demo seeded): PGlite from its dump, or a PostgreSQL database created from the template.
 */
export async function createTestDb(): Promise<Database> {
  const pgTemplate = inject('pgTemplate');
  if (pgTemplate) {
    const adminUrl = inject('pgAdminUrl');
    const admin = await openDatabase({ url: adminUrl, poolSize: 1 });
    const name = `balai_t_${process.pid}_${++counter}_${Date.now() % 100000}`;
    await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${pgTemplate}`);
    await admin.close();
    const db = await openDatabase({ url: withDatabase(adminUrl, name), poolSize: 10 });
    const close = db.close.bind(db);
    db.close = async () => {
      await close();
      const a = await openDatabase({ url: adminUrl, poolSize: 1 });
      await a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await a.close();
    };
    return db;
  }
  const file = inject('pgliteTemplate');
  const blob = new Blob([readFileSync(file)]);
  return openDatabase({ loadDataDir: blob });
}

/** The URL of a test database, for tests that start extra processes (PostgreSQL only). */
export function databaseUrlOf(db: Database): string | undefined {
  const opts = (db.pool as any)?.options;
  return opts?.connectionString;
}

/**
 * The plan of a statement as EXPLAIN prints it, with sequential scans discouraged: on a test
 * database's few rows a sequential scan would always win, and the question is which index the
 * statement can use and whether it needs a sort. `settings`: SET LOCAL statements the caller's
 * transaction runs before the statement.
 */
export async function explainPlan(db: Database, text: string, params: unknown[] = [], settings: string[] = []): Promise<string> {
  return withTx(db, async (q) => {
    await q('SET LOCAL enable_seqscan = off');
    for (const s of settings) await q(s);
    const rows: Record<string, string>[] = await q(`EXPLAIN ${text}`, params);
    return rows.map((r) => Object.values(r)[0]).join('\n');
  });
}
