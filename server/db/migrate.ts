import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../paths.js';
import type { Database } from './client.js';

const MIGRATIONS_DIR = packagePath('server', 'db', 'migrations');
/** Advisory lock key so that several app processes starting together migrate once. */
const MIGRATION_LOCK = 7_305_001;

export function migrationFiles(dir = MIGRATIONS_DIR): { name: string; sql: string }[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

/** Applies the checked-in SQL migrations that have not run yet, each in its own transaction. */
export async function migrate(db: Database, log: (msg: string) => void = () => {}): Promise<string[]> {
  const applied: string[] = [];
  const run = async (q: (text: string, params?: unknown[]) => Promise<any[]>, exec: (s: string) => Promise<void>) => {
    await exec(`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await q('SELECT name FROM schema_migrations')).map((r) => r.name as string));
    for (const m of migrationFiles()) {
      if (done.has(m.name)) continue;
      log(`migrating ${m.name}`);
      await exec(`BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (name) VALUES ('${m.name.replace(/'/g, "''")}');\nCOMMIT;`);
      applied.push(m.name);
    }
  };
  if (db.kind === 'postgres') {
    const client = await db.pool!.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await run(
          async (t, p) => (await client.query(t, p)).rows,
          async (s) => {
            try {
              await client.query(s);
            } catch (e) {
              await client.query('ROLLBACK').catch(() => {});
              throw e;
            }
          },
        );
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  } else {
    await run(
      (t, p) => db.query(t, p),
      async (s) => {
        try {
          await db.exec(s);
        } catch (e) {
          await db.exec('ROLLBACK').catch(() => {});
          throw e;
        }
      },
    );
  }
  return applied;
}
