import pino from 'pino';
import { requestSerializer } from './platform/http/logRedaction.js';
import { buildApp } from './app.js';
import { startBackground } from './background.js';
import { openAndPrepare, webDistDir } from './boot.js';
import { loadConfig } from './config.js';
import { processClock } from './platform/processClock.js';
import { DEMO_PASSWORD } from './seed/demo.js';

/** How long a graceful stop waits for in-flight requests before giving up. */
const SHUTDOWN_GRACE_MS = 10_000;

const started = Date.now();
const config = loadConfig();
const log = pino({ level: config.LOG_LEVEL, serializers: { req: requestSerializer } });

const phases: Record<string, number> = {};
let last = Date.now();
const phase = (name: string) => {
  const now = Date.now();
  phases[name] = now - last;
  last = now;
};
const { db, demo } = await openAndPrepare(config, log);
phase('database');
const clock = processClock;
const background = await startBackground({ config, db, clock, log });
phase('background');
const app = await buildApp({ config, db, clock, afterCommit: background.afterCommit, webDist: webDistDir(), logger: log });
await app.listen({ port: config.PORT, host: config.HOST });
phase('http');
log.info({ ms: Date.now() - started, sinceProcessStart: Math.round(process.uptime() * 1000), phases, db: db.kind }, `Balai siap di ${config.PUBLIC_URL}`);

if (demo.length) {
  const lines = demo.map((a) => `  ${a.tenant.padEnd(14)} ${a.role.padEnd(11)} ${a.email.padEnd(36)} ${a.name} (${a.unit})`);
  console.info(
    [
      '',
      'Demo city ready. Sign in with any of these accounts, password: ' + DEMO_PASSWORD,
      ...lines,
      `Makassar: ${config.PUBLIC_URL}/   Tanjungpinang: ${config.PUBLIC_URL}/t/tanjungpinang/`,
      '',
    ].join('\n'),
  );
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping: finishing in-flight requests');
  const force = setTimeout(() => {
    log.error('graceful stop timed out');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  await app.close();
  await background.stop();
  await db.close();
  log.info('stopped');
  log.flush(() => process.exit(0));
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
