import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { requestSerializer } from './platform/http/logRedaction.js';
import { startBackground } from './background.js';
import { openAndPrepare } from './boot.js';
import { type Config, loadConfig } from './config.js';
import { systemClock } from './platform/context.js';
// Modules register their jobs and periodic tasks when imported.
import './modules/index.js';

/**
 * `balai worker`: pg-boss workers, the event relay, durable event handlers, e-mail delivery and
 * audit sealing, without HTTP. Run it beside web processes started with RUN_WORKERS=false; any
 * number of workers may run (they share the work through the database). Resolves when stopped by
 * SIGTERM or SIGINT.
 */
export async function runWorker(config: Config): Promise<void> {
  const log = pino({ level: config.LOG_LEVEL, serializers: { req: requestSerializer } });
  const { db } = await openAndPrepare({ ...config, SEED_DEMO: false }, log);
  const background = await startBackground({ config: { ...config, RUN_WORKERS: true }, db, clock: systemClock, log });
  log.info({ db: db.kind }, 'Balai worker running');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'worker stopping');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await background.stop();
  await db.close();
  log.info('worker stopped');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWorker(loadConfig()).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
