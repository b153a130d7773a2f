import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Runs before the e2e web server starts: a fresh embedded data directory, or a fresh PostgreSQL
 * database, so that every run starts from the demo seed.
 */
export default async function globalSetup() {
  rmSync(fileURLToPath(new URL('../../.tmp/e2e-data', import.meta.url)), { recursive: true, force: true });
  const url = process.env.DATABASE_URL;
  if (url) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('DROP DATABASE IF EXISTS balai_e2e WITH (FORCE)');
    await c.query('CREATE DATABASE balai_e2e');
    await c.end();
  }
}
