import type { Database } from '../../db/client.js';
import type { AfterCommit, Clock } from '../context.js';
import type { Tenant } from '../tenancy/tenants.js';

/** What a periodic task gets each time it runs. */
export interface PeriodicDeps {
  db: Database;
  clock: Clock;
  /** Active tenants (cached for a few seconds). */
  tenants(): Promise<Tenant[]>;
  afterCommit?: AfterCommit;
}

/**
 * Work that a worker process repeats on a timer (deadline sweeps), registered by modules at import
 * and run by every process with workers (RUN_WORKERS). Several processes may run it at once, so a
 * task must claim rows itself (row locks with SKIP LOCKED, conditions re-checked under the lock).
 */
export interface PeriodicTask {
  name: string;
  /** Pause between runs; PERIODIC_INTERVAL_MS overrides it for every task (tests, demos). */
  intervalMs: number;
  run(deps: PeriodicDeps): Promise<unknown>;
}

const registry = new Map<string, PeriodicTask>();

/** Registers a periodic task; returns a function that removes it (tests). */
export function registerPeriodic(task: PeriodicTask): () => void {
  if (registry.has(task.name)) throw new Error(`periodic task "${task.name}" is already registered`);
  registry.set(task.name, task);
  return () => {
    if (registry.get(task.name) === task) registry.delete(task.name);
  };
}

export function registeredPeriodic(): PeriodicTask[] {
  return [...registry.values()];
}
