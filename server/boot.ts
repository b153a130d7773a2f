import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import { type Database, openDatabase, pgliteDataDir } from './db/client.js';
import { migrate } from './db/migrate.js';
import { packagePath } from './paths.js';
import { loadRegions } from './platform/regions/load.js';
import { type DemoAccount, seedDemo } from './seed/demo.js';

/** Opens the configured database and brings it to the current schema and reference data. */
export async function openAndPrepare(config: Config, log: Pick<FastifyBaseLogger, 'info'>): Promise<{ db: Database; demo: DemoAccount[] }> {
  const tOpen = Date.now();
  log.info({ kind: config.DATABASE_URL ? 'postgres' : 'pglite' }, 'opening database');
  const db = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATABASE_URL ? undefined : pgliteDataDir(config.DATA_DIR),
    poolSize: config.DATABASE_POOL_SIZE,
  });
  log.info({ ms: Date.now() - tOpen }, 'database open');
  const t0 = Date.now();
  const applied = await migrate(db, (m) => log.info(m));
  if (applied.length) log.info({ applied, ms: Date.now() - t0 }, 'migrations applied');
  const t1 = Date.now();
  const regions = await loadRegions(db);
  if (regions) log.info({ regions, ms: Date.now() - t1 }, 'regions loaded');
  const demo = config.SEED_DEMO ? await seedDemo(db) : [];
  if (demo.length) log.info({ accounts: demo.length }, 'demo city seeded');
  return { db, demo };
}

export function webDistDir(): string {
  return packagePath('dist', 'web');
}
