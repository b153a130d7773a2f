import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { sealAudit } from './platform/audit/seal.js';
import type { AfterCommit, Clock } from './platform/context.js';
import { Loop } from './platform/jobs/loop.js';

/** How often audit events are sealed when nothing kicks the sealer. */
const SEAL_INTERVAL_MS = 1_000;

export interface Background {
  afterCommit: AfterCommit;
  stop(): Promise<void>;
}

/**
 * Starts the work that runs beside the HTTP server: audit sealing (and, as they are added, the
 * event relay and pg-boss workers). With RUN_WORKERS=false the process only kicks nothing and
 * another process (`balai worker`) does the work.
 */
export async function startBackground(deps: { config: Config; db: Database; clock: Clock; log: FastifyBaseLogger }): Promise<Background> {
  const onError = (name: string, err: unknown) => deps.log.error({ err, worker: name }, 'background task failed');
  const sealer = new Loop('audit-seal', () => sealAudit(deps.db, deps.clock.now()), SEAL_INTERVAL_MS, onError);
  if (deps.config.RUN_WORKERS) sealer.start();
  return {
    afterCommit: {
      auditWritten: () => sealer.kick(),
      eventsWritten: () => {},
    },
    async stop() {
      await sealer.stop();
    },
  };
}
