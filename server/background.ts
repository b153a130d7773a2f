import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { sealAudit } from './platform/audit/seal.js';
import type { AfterCommit, Clock } from './platform/context.js';
import { runConsumers } from './platform/events/consumers.js';
import { EVENTS_CHANNEL, relayEvents, tryRelayEvents } from './platform/events/relay.js';
import { expireIdempotencyKeys } from './platform/idempotency/idempotency.js';
import { type JobDefinition, Jobs, registeredJobs } from './platform/jobs/boss.js';
import { Loop } from './platform/jobs/loop.js';
import { registeredPeriodic } from './platform/jobs/periodic.js';
import { type DeliverySettings, dispatchEmails, emailSendJob, type MailTransport, smtpTransport } from './platform/notify/delivery.js';
import { setNotifyPublicUrl } from './platform/notify/notify.js';
import { TenantRegistry } from './platform/tenancy/tenants.js';

/** How often audit events are sealed when nothing kicks the sealer. */
const SEAL_INTERVAL_MS = 1_000;
/** How often the relay looks for committed events when nothing kicks it (another process wrote them). */
const RELAY_INTERVAL_MS = 250;
/** Safety poll of the durable event handlers (they are kicked by every relayed batch). */
const CONSUMER_INTERVAL_MS = 5_000;
/** Web processes without workers wake the worker's relay at most this often. */
const RELAY_NUDGE_MS = 10;
/** NOTIFY channel on which web processes without workers ask the relay to run. */
const RELAY_CHANNEL = 'balai_relay';
/** How often pending e-mails are handed to the sender (or kept, without SMTP). */
const EMAIL_DISPATCH_INTERVAL_MS = 2_000;
/** How often idempotency keys older than 24 h are deleted. */
const IDEMPOTENCY_EXPIRY_INTERVAL_MS = 60 * 60 * 1000;

export interface Background {
  afterCommit: AfterCommit;
  /** pg-boss, when this process runs workers. */
  jobs?: Jobs;
  stop(): Promise<void>;
}

export interface BackgroundDeps {
  config: Config;
  db: Database;
  clock: Clock;
  log: Pick<FastifyBaseLogger, 'error' | 'warn' | 'info'>;
  /** Replaces the SMTP transport built from SMTP_URL (tests). */
  transport?: MailTransport;
}

/**
 * A web process without workers: after a command that emitted events it NOTIFYs `balai_relay`
 * (at most one per RELAY_NUDGE_MS), so that a `balai worker` relays them at once instead of at its
 * next poll.
 */
function webOnly(db: Database, log: BackgroundDeps['log']): Background {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const nudge = () => {
    timer = undefined;
    if (stopped) return;
    db.query('SELECT pg_notify($1, $2)', [RELAY_CHANNEL, '']).catch((err) => log.warn({ err }, 'relay nudge failed'));
  };
  return {
    afterCommit: {
      auditWritten: () => {},
      eventsWritten: () => {
        if (!timer && !stopped) timer = setTimeout(nudge, RELAY_NUDGE_MS);
      },
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts the work that runs beside the HTTP server: audit sealing, the event relay (numbers
 * committed domain events and NOTIFYs every process), durable event handlers, pg-boss workers and
 * e-mail delivery. With RUN_WORKERS=false none of it runs here and a separate `balai worker`
 * process does it; the web process then only serves requests and event streams.
 */
export async function startBackground(deps: BackgroundDeps): Promise<Background> {
  const { config, db, clock, log } = deps;
  setNotifyPublicUrl(config.PUBLIC_URL);
  if (!config.RUN_WORKERS) return webOnly(db, log);

  const onError = (name: string, err: unknown) => log.error({ err, worker: name }, 'background task failed');
  const tenants = new TenantRegistry(db, config.DEFAULT_TENANT);
  const afterCommit: AfterCommit = {
    auditWritten: () => sealer.kick(),
    eventsWritten: () => relay.kick(),
    // Only a transaction that queued e-mails wakes the dispatcher (not every command with events:
    // a busy registration desk would otherwise run an empty dispatch per batch).
    emailsQueued: () => dispatcher.kick(),
  };

  const sealer = new Loop('audit-seal', () => sealAudit(db, clock.now()), SEAL_INTERVAL_MS, onError);
  const consumers = new Loop(
    'event-consumers',
    () => runConsumers({ db, clock, log, afterCommit, tenant: async (id) => (await tenants.all()).find((t) => t.id === id) }),
    CONSUMER_INTERVAL_MS,
    onError,
  );
  const relay = new Loop(
    'event-relay',
    async () => {
      // Another process holding the relay lock may have taken its snapshot before our commit:
      // try again shortly rather than at the next poll.
      for (let attempt = 0; attempt < 5; attempt++) {
        const n = await tryRelayEvents(db);
        if (n !== 'busy') {
          if (n > 0) consumers.kick();
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    RELAY_INTERVAL_MS,
    onError,
  );
  // Events relayed by another worker process wake the handlers here too; web processes without
  // workers wake the relay.
  const unlistenEvents = await db.listen(EVENTS_CHANNEL, () => consumers.kick());
  const unlistenRelay = await db.listen(RELAY_CHANNEL, () => relay.kick());

  const settings: DeliverySettings = { from: config.MAIL_FROM, maxAttempts: config.EMAIL_MAX_ATTEMPTS, retrySeconds: config.EMAIL_RETRY_SECONDS };
  const transport = deps.transport ?? (config.SMTP_URL ? smtpTransport(config.SMTP_URL) : undefined);
  const definitions: JobDefinition<any>[] = [...registeredJobs()];
  if (transport) definitions.push(emailSendJob({ db, transport, settings, now: () => clock.now() }));
  const jobs = await Jobs.start(db, { onError: (err) => onError('pg-boss', err), definitions });
  const dispatcher = new Loop(
    'email-dispatch',
    () => dispatchEmails(db, { jobs: transport ? jobs : undefined, settings, now: clock.now() }),
    EMAIL_DISPATCH_INTERVAL_MS,
    onError,
  );

  const idempotencyExpiry = new Loop('idempotency-expiry', () => expireIdempotencyKeys(db, clock.now()), IDEMPOTENCY_EXPIRY_INTERVAL_MS, onError);

  // Module timers (deadline sweeps): each process with workers runs them; tasks claim their rows.
  const periodic = registeredPeriodic().map(
    (task) =>
      new Loop(task.name, () => task.run({ db, clock, tenants: () => tenants.all(), afterCommit }), config.PERIODIC_INTERVAL_MS ?? task.intervalMs, onError),
  );

  sealer.start();
  relay.start();
  for (const loop of periodic) loop.start();
  idempotencyExpiry.start();
  consumers.start();
  dispatcher.start();
  log.info({ jobs: definitions.map((d) => d.name), periodic: registeredPeriodic().map((t) => t.name), smtp: Boolean(transport) }, 'background workers started');

  return {
    afterCommit,
    jobs,
    async stop() {
      await Promise.all([relay.stop(), consumers.stop(), dispatcher.stop(), sealer.stop(), idempotencyExpiry.stop(), ...periodic.map((l) => l.stop())]);
      await jobs.stop();
      await unlistenEvents();
      await unlistenRelay();
      // Number and seal what the last commands and jobs wrote, so nothing waits for the next start.
      await relayEvents(db).catch((err) => onError('event-relay', err));
      await sealAudit(db, clock.now()).catch((err) => onError('audit-seal', err));
    },
  };
}
