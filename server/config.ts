import { z } from 'zod';

/** Environment settings, validated once at start. Every setting has a safe default for the demo. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** HTTP port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().default('0.0.0.0'),
  /** PostgreSQL URL; when unset, the embedded PGlite database in DATA_DIR/pg is used. */
  DATABASE_URL: z.string().url().optional(),
  /** Pool size for node-postgres. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** Folder for the embedded database and uploaded files. */
  DATA_DIR: z.string().default('./data'),
  /** Seed the demo city (Makassar, Tanjungpinang, demo accounts) on an empty database. */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Tenant served on a host name that matches no tenant and has no /t/{slug} prefix. */
  DEFAULT_TENANT: z.string().default('makassar'),
  /** Public base URL, used in e-mail links and the start-up message (default: localhost on PORT). */
  PUBLIC_URL: z.string().url().optional(),
  /** Run background jobs (pg-boss workers, audit sealing, event relay) in this process. */
  RUN_WORKERS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Overrides the pause of every periodic task such as the complaints deadline sweep (ms; tests and demos). */
  PERIODIC_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).optional(),
  /** SMTP URL (smtp://user:pass@host:587); when unset, e-mails stay in the outbox for admins. */
  SMTP_URL: z.string().optional(),
  /** Sender address of e-mails. */
  MAIL_FROM: z.string().default('Balai <no-reply@balai.local>'),
  /** Session lifetime in hours. */
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
  /**
   * How long a process may answer from a session it looked up before reading it again (seconds; 0
   * reads every time). Changes reach every process at once anyway (see sessionCache.ts); this
   * bounds a change notification lost while the LISTEN connection reconnected.
   */
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /** Log level of pino. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set cookies with the Secure flag (behind HTTPS). */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Trust X-Forwarded-* headers from a reverse proxy. */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Sign-in, registration and reset attempts per minute per IP address (per app process). */
  AUTH_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Largest upload in megabytes (per file). */
  UPLOAD_MAX_MB: z.coerce.number().min(1).max(100).default(10),
  /** Minutes after which an unsealed audit event is reported by verify-audit. */
  AUDIT_SEAL_GRACE_MINUTES: z.coerce.number().int().min(1).default(10),
  /** Seconds between heartbeat comments on open event streams (SSE). */
  SSE_HEARTBEAT_SECONDS: z.coerce.number().min(0.05).max(300).default(15),
  /** Delivery attempts of an e-mail before it is marked failed. */
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** Seconds before the first retry of a failed e-mail; doubles with each attempt. */
  EMAIL_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
}).transform((c) => ({ ...c, PUBLIC_URL: c.PUBLIC_URL ?? `http://localhost:${c.PORT}` }));

export type Config = z.infer<typeof EnvSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set" (e.g. `DATABASE_URL=` in a shell or a compose file).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
