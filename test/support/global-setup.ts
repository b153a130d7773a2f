import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/db/client.js';
import { migrate } from '../../server/db/migrate.js';
import { loadRegions } from '../../server/platform/regions/load.js';
import { seedDemo } from '../../server/seed/demo.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
    pgAdminUrl: string;
  }
}

/**
 * Builds one migrated, region-loaded, demo-seeded database per run: a PGlite dump (embedded) or a
 * PostgreSQL template database (DATABASE_URL). Each test file then starts from a copy of it.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const admin = await openDatabase({ url, poolSize: 2 });
    const name = `balai_tpl_${process.pid}`;
    await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
    await admin.exec(`CREATE DATABASE ${name}`);
    const tplUrl = withDatabase(url, name);
    const tpl = await openDatabase({ url: tplUrl, poolSize: 2 });
    await migrate(tpl);
    await loadRegions(tpl);
    await seedDemo(tpl);
    await tpl.close();
    project.provide('pgTemplate', name);
    project.provide('pgAdminUrl', url);
    project.provide('pgliteTemplate', '');
    return async () => {
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.close();
    };
  }
  const db = await openDatabase({});
  await migrate(db);
  await loadRegions(db);
  await seedDemo(db);
  const dump = await db.pglite!.dumpDataDir('gzip');
  await db.close();
  const dir = join(process.cwd(), '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pglite-template-${process.pid}.tar.gz`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplate', '');
  project.provide('pgAdminUrl', '');
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
