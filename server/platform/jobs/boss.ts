import PgBoss from 'pg-boss';
import type { Database } from '../../db/client.js';

/** Runs SQL for pg-boss: the base connection, or an open transaction (enqueue with the command). */
export type SqlRunner = (text: string, values?: unknown[]) => Promise<any[]>;

/** A kind of background work, handled by the worker processes with retries. */
export interface JobDefinition<T extends object = object> {
  /** Queue name, e.g. `email.send`, `complaints.escalate`. */
  name: string;
  /** Handles one job; throwing fails it and pg-boss retries it later. Must be idempotent. */
  handler(data: T, job: { id: string }): Promise<void>;
  /** Jobs fetched per worker poll and handled one after the other. */
  batchSize?: number;
  /** How often an idle worker looks for jobs (≥ 0.5 s). Waking happens sooner through `wake()`. */
  pollingIntervalSeconds?: number;
}

export interface SendOptions {
  retryLimit?: number;
  /** Seconds; with retryBackoff, doubled per retry (with jitter). */
  retryDelay?: number;
  retryBackoff?: boolean;
  /** Seconds a job may run before it counts as failed. */
  expireInSeconds?: number;
  startAfter?: Date;
  singletonKey?: string;
}

const registry = new Map<string, JobDefinition<any>>();

/** Registers a job kind (modules call it at import); the worker processes run it. */
export function registerJob<T extends object>(def: JobDefinition<T>): () => void {
  if (registry.has(def.name)) throw new Error(`job "${def.name}" is already registered`);
  registry.set(def.name, def);
  return () => {
    if (registry.get(def.name) === def) registry.delete(def.name);
  };
}

/** Job kinds registered by modules. */
export function registeredJobs(): JobDefinition<any>[] {
  return [...registry.values()];
}

/** The adapter pg-boss needs: every statement through our own connection (PGlite or the pool). */
function executorFor(run: SqlRunner): PgBoss.Db {
  return { executeSql: async (text, values) => ({ rows: await run(text, values) }) };
}

/** The base connection as a runner; PGlite needs exec() for pg-boss's multi-statement schema SQL. */
export function baseRunner(db: Database): SqlRunner {
  if (db.kind === 'pglite') {
    const pgl = db.pglite!;
    return async (text, values) => {
      if (values?.length) return (await pgl.query(text, values as any[])).rows as any[];
      const results = await pgl.exec(text);
      return (results.at(-1)?.rows as any[]) ?? [];
    };
  }
  const pool = db.pool!;
  return async (text, values) => (await pool.query(text, values as any[] | undefined)).rows;
}

/**
 * pg-boss on Balai's own database (schema `pgboss`), started only where workers run
 * (RUN_WORKERS=true, or `balai worker`).
 */
export class Jobs {
  private readonly workers = new Map<string, string>();

  private constructor(private readonly boss: PgBoss) {}

  static async start(db: Database, opts: { onError: (err: unknown) => void; definitions?: JobDefinition<any>[] }): Promise<Jobs> {
    const boss = new PgBoss({
      db: executorFor(baseRunner(db)),
      // Maintenance (expiry, archive) and cron run in whichever worker takes the turn.
      supervise: true,
      schedule: true,
      migrate: true,
    });
    boss.on('error', (err) => opts.onError(err));
    await boss.start();
    const jobs = new Jobs(boss);
    for (const def of opts.definitions ?? registeredJobs()) await jobs.work(def);
    return jobs;
  }

  private async work(def: JobDefinition<any>): Promise<void> {
    await this.boss.createQueue(def.name);
    const id = await this.boss.work<object>(
      def.name,
      { batchSize: def.batchSize ?? 1, pollingIntervalSeconds: def.pollingIntervalSeconds ?? 2 },
      async (batch) => {
        for (const job of batch) await def.handler(job.data, { id: job.id });
      },
    );
    this.workers.set(def.name, id);
  }

  /** Enqueues a job outside any transaction (after commit). */
  async send<T extends object>(name: string, data: T, options: SendOptions = {}): Promise<string | null> {
    return this.boss.send(name, data, options);
  }

  /**
   * Enqueues jobs inside an open transaction (`withTx`'s runner): they exist only if it commits.
   * On the embedded database this is the only way that does not deadlock (one connection).
   */
  async insertWithin(run: SqlRunner, jobs: ({ name: string; data: object } & SendOptions)[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(jobs as PgBoss.JobInsert[], { db: executorFor(run) });
  }

  /** Makes this process's worker of the queue look for jobs now instead of at its next poll. */
  wake(name: string): void {
    const id = this.workers.get(name);
    if (id) this.boss.notifyWorker(id);
  }

  /** The pg-boss instance, for tests and the CLI. */
  get instance(): PgBoss {
    return this.boss;
  }

  /** Stops fetching, waits for running jobs (up to timeoutMs), and leaves the database open. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.boss.stop({ graceful: true, close: false, timeout: timeoutMs, wait: true });
  }
}
