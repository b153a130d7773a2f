import { randomInt } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { modules } from '../../modules/index.js';
import { platformGenerators } from './platform.js';
import { type GenerateTenant, type Generator, type GeneratorContext, GenerateError } from './types.js';

export { GenerateError, GenerateUsageError, type GenerateTenant, type Generator, type GeneratorContext } from './types.js';

/**
 * Bulk data for benchmarks and demos at scale (`npx balai generate --citizens 100000 …`).
 *
 * Every generator is one entry of a registry, named by its command-line option. The platform
 * generates people, sessions and audit events; each module adds its own entries through its
 * ModuleDefinition (`generators`), e.g. `--complaints 1000000`. Rows are made on the database
 * server in large `INSERT … SELECT FROM generate_series(…)` batches, so nothing but the word lists
 * travels from Node and hundreds of thousands of rows load per second.
 */

/** Every generator in the order they run: platform first, then the modules' own. */
export function generatorRegistry(): Generator[] {
  return [...platformGenerators, ...modules.flatMap((m) => m.generators ?? [])];
}

export interface GenerateOptions {
  /** Slug of the tenant that receives the data. */
  tenant: string;
  /** Rows per generator key; keys without a count (or 0) are skipped. */
  counts: Record<string, number>;
  tokenSeed?: string;
  seed?: number;
  now?: Date;
  sessionTtlHours?: number;
  batchSize?: number;
}

export interface GenerateProgress {
  generator: string;
  phase?: string;
  done: number;
  total: number;
  elapsedMs: number;
}

export interface GeneratorResult {
  key: string;
  requested: number;
  inserted: number;
  ms: number;
  rowsPerSecond: number;
}

export interface GenerateResult {
  tenant: GenerateTenant;
  seed: number;
  generators: GeneratorResult[];
  /** Time spent vacuuming and analysing the written tables. */
  vacuumMs: number;
  totalMs: number;
}

export const DEFAULT_BATCH = 25_000;


export async function generate(db: Database, opts: GenerateOptions, onProgress: (p: GenerateProgress) => void = () => {}): Promise<GenerateResult> {
  const t0 = Date.now();
  const registry = generatorRegistry();
  const known = new Set(registry.map((g) => g.key));
  for (const [key, n] of Object.entries(opts.counts)) {
    if (!known.has(key)) throw new GenerateError(`unknown generator "${key}" (known: ${[...known].join(', ')})`);
    if (!Number.isSafeInteger(n) || n < 0) throw new GenerateError(`--${key} needs a whole number ≥ 0, got ${n}`);
  }
  const [tenant] = await db.query<GenerateTenant>('SELECT id::text AS id, slug, region_code AS "regionCode" FROM tenants WHERE slug = $1', [opts.tenant]);
  if (!tenant) throw new GenerateError(`tenant "${opts.tenant}" does not exist (npx balai seed for the demo cities, or npx balai create-tenant)`);
  const seed = opts.seed ?? randomInt(1, 2 ** 31 - 1);
  const tokenSeed = opts.tokenSeed ?? randomTokenSeed();
  const now = opts.now ?? new Date();
  const results: GeneratorResult[] = [];
  const touched = new Set<string>();
  for (const g of registry) {
    const count = opts.counts[g.key] ?? 0;
    if (count === 0) continue;
    const started = Date.now();
    const ctx: GeneratorContext = {
      db,
      tenant,
      now,
      seed,
      tokenSeed,
      sessionTtlHours: opts.sessionTtlHours ?? 24 * 14,
      batchSize: opts.batchSize ?? DEFAULT_BATCH,
      progress: (done, phase) => onProgress({ generator: g.key, phase, done, total: count, elapsedMs: Date.now() - started }),
    };
    const inserted = await g.run(ctx, count);
    const ms = Date.now() - started;
    results.push({ key: g.key, requested: count, inserted, ms, rowsPerSecond: Math.round(inserted / Math.max(ms / 1000, 0.001)) });
    for (const t of g.tables) touched.add(t);
  }
  const v0 = Date.now();
  // Fresh statistics (and a visibility map) so that the first queries after a bulk load are planned
  // for the real table sizes, and autovacuum does not start in the middle of a measurement.
  for (const t of touched) {
    if (!/^[a-z_][a-z0-9_]*$/.test(t)) throw new Error(`bad table name ${t}`);
    await db.exec(`VACUUM (ANALYZE) ${t}`);
  }
  return { tenant, seed, generators: results, vacuumMs: Date.now() - v0, totalMs: Date.now() - t0 };
}

function randomTokenSeed(): string {
  return Array.from({ length: 4 }, () => randomInt(0, 2 ** 32).toString(16).padStart(8, '0')).join('');
}

export { generatedSessionToken } from './platform.js';
