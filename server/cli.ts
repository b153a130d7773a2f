/**
 * `npx balai <command>` (bin/balai.js runs this file through tsx). Reads the same environment as
 * the server (DATABASE_URL, else the embedded database in DATA_DIR/pg). With the embedded
 * database, stop the server first: one process at a time may open it.
 *
 * The commands are one table, name → { summary, usage, run }: a command is added with one entry.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { pickLocale, problemMessage } from '../common/i18n/problems.js';
import { emailSchema, nameSchema, passwordSchema, regionCodeSchema } from '../common/validators.js';
import { type Config, loadConfig } from './config.js';
import type { Database } from './db/client.js';
import { parseGenerateArgs, runGenerateCommand, generateUsage } from './platform/generate/command.js';
import { GenerateError, GenerateUsageError } from './platform/generate/index.js';
import { AppError } from './platform/errors.js';

// Most commands import what they need when they run (the database drivers alone take a good part
// of a second to load), so that `help` and usage errors answer at once.

/** What a command gets: the configuration, the database on demand, and output. */
export interface CliContext {
  config: Config;
  /**
   * Opens the configured database (closed by the CLI when the command ends). It must be migrated
   * already, unless `create` is set (only `migrate` creates and migrates it).
   */
  open(opts?: { create?: boolean }): Promise<Database>;
  /** A line of results, on stdout. */
  out(line: string): void;
  /** A line of progress or diagnostics, on stderr. */
  err(line: string): void;
}

export interface Command {
  /** One line for `balai help`. */
  summary: string;
  /** Full usage for `balai help <command>` and after a usage error. */
  usage: string;
  /** Runs the command; resolves to the exit code. */
  run(argv: string[], cli: CliContext): Promise<number>;
}

/** A wrong invocation: the message and the command's usage are printed, exit code 2. */
export class UsageError extends Error {}
/** A refused or failed operation with a message for the operator, exit code 1. */
export class CliError extends Error {}

/** Parses `--name value` options strictly; unknown options and stray arguments are usage errors. */
function options<T extends Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>(argv: string[], spec: T) {
  try {
    return parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function required(values: Record<string, unknown>, names: string[]): void {
  const missing = names.filter((n) => values[n] === undefined || values[n] === '');
  if (missing.length) throw new UsageError(`missing ${missing.map((n) => `--${n}`).join(', ')}`);
}

/** Validates one option with a zod schema; the error names the option. */
function check<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const text = issue.message.includes('.') && !issue.message.includes(' ') ? problemMessage(issue.message, 'en') : issue.message;
  throw new UsageError(`--${option}${issue.path.length ? `[${issue.path.join('.')}]` : ''}: ${text}`);
}

const TIME_ZONES = { WIB: 'Asia/Jakarta', WITA: 'Asia/Makassar', WIT: 'Asia/Jayapura' } as const;

export const commands: Record<string, Command> = {
  migrate: {
    summary: 'Create or upgrade the database schema and load the Indonesian regions (once)',
    usage: 'npx balai migrate\n\nApplies the SQL migrations not applied yet, then loads the 91,599 regions of idn-area-data if the table is empty.',
    async run(argv, cli) {
      options(argv, {});
      const { migrate } = await import('./db/migrate.js');
      const { loadRegions } = await import('./platform/regions/load.js');
      const db = await cli.open({ create: true });
      const started = Date.now();
      const applied = await migrate(db, (m) => cli.err(m));
      cli.out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Schema is up to date.');
      const loaded = await loadRegions(db, (n, total) => cli.err(`regions: ${n.toLocaleString('en')} / ${total.toLocaleString('en')}`));
      cli.out(loaded ? `Loaded ${loaded.toLocaleString('en')} regions.` : 'Regions already loaded.');
      cli.out(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      return 0;
    },
  },

  seed: {
    summary: 'Seed the demo cities (Makassar, Tanjungpinang) and demo accounts into an empty database',
    usage: 'npx balai seed\n\nOnly on a database without tenants. Every demo account gets the same published password: never on a real installation.',
    async run(argv, cli) {
      options(argv, {});
      const { DEMO_PASSWORD, seedDemo } = await import('./seed/demo.js');
      const db = await cli.open();
      const accounts = await seedDemo(db);
      if (!accounts.length) throw new CliError('The database already has tenants; the demo seed only runs on an empty database. Nothing changed.');
      cli.out(`Demo seeded. Password of every account: ${DEMO_PASSWORD}`);
      for (const a of accounts) cli.out(`  ${a.tenant.padEnd(14)} ${a.role.padEnd(11)} ${a.email}`);
      return 0;
    },
  },

  'create-tenant': {
    summary: 'Set up a government: tenant, root unit, system roles and the national working calendar',
    usage: [
      'npx balai create-tenant --slug SLUG --name NAME --kind kota|kabupaten|provinsi --region CODE --tz ZONE [--host HOST …]',
      '',
      '  --slug    lower-case letters, digits, hyphens (used in /t/SLUG/ and cookies), e.g. parepare',
      '  --name    e.g. "Kota Parepare"',
      '  --kind    kota or kabupaten (region of level 2) or provinsi (level 1)',
      '  --region  Kemendagri code, e.g. 73.72',
      '  --tz      Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)',
      '  --host    a host name that selects this tenant; repeat for several',
    ].join('\n'),
    async run(argv, cli) {
      const v = options(argv, {
        slug: { type: 'string' },
        name: { type: 'string' },
        kind: { type: 'string' },
        region: { type: 'string' },
        tz: { type: 'string' },
        host: { type: 'string', multiple: true },
      });
      required(v, ['slug', 'name', 'kind', 'region', 'tz']);
      const { hostSchema } = await import('./platform/tenancy/adminRoutes.js');
      const { provisionTenant } = await import('./platform/tenancy/provision.js');
      const slug = check(z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, { message: 'field.slug' }), v.slug, 'slug');
      const name = check(nameSchema, v.name, 'name');
      const kind = check(z.enum(['kota', 'kabupaten', 'provinsi']), v.kind, 'kind');
      const regionCode = check(regionCodeSchema, v.region, 'region');
      const tzInput = String(v.tz);
      const timeZone = check(z.enum(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']), TIME_ZONES[tzInput.toUpperCase() as keyof typeof TIME_ZONES] ?? tzInput, 'tz');
      const hosts = [...new Set(check(z.array(hostSchema), v.host ?? [], 'host'))];
      const db = await cli.open();
      const [region] = await db.query<{ name: string; level: number }>('SELECT name, level::int AS level FROM regions WHERE code = $1', [regionCode]);
      if (!region) throw new CliError(`Unknown region code ${regionCode} (is the region table loaded? run npx balai migrate).`);
      const wantLevel = kind === 'provinsi' ? 1 : 2;
      if (region.level !== wantLevel) throw new CliError(`Region ${regionCode} (${region.name}) is level ${region.level}; a ${kind} needs a region of level ${wantLevel}.`);
      const [sameSlug] = await db.query('SELECT 1 FROM tenants WHERE slug = $1', [slug]);
      if (sameSlug) throw new CliError(`A tenant with the slug "${slug}" already exists. Nothing changed.`);
      if (hosts.length) {
        const [clash] = await db.query<{ slug: string; host: string }>('SELECT slug, h AS host FROM tenants, unnest(hosts) h WHERE hosts && $1::text[] AND h = ANY($1::text[]) LIMIT 1', [hosts]);
        if (clash) throw new CliError(`The host ${clash.host} already selects the tenant "${clash.slug}". Nothing changed.`);
      }
      const { tenant, rootUnitId } = await provisionTenant(db, { slug, name, kind, regionCode, timeZone, hosts });
      cli.out(`Created tenant ${tenant.slug} (${tenant.name}, ${region.name}, ${timeZone}).`);
      cli.out(`  id ${tenant.id}, root unit ${rootUnitId}`);
      cli.out(`  served at /t/${tenant.slug}/${hosts.length ? ` and on ${hosts.join(', ')}` : ''}`);
      cli.out(`Next: npx balai create-admin --tenant ${tenant.slug} --email … --name …`);
      return 0;
    },
  },

  'create-admin': {
    summary: 'Create a staff account with the admin role on the root unit of a tenant',
    usage: [
      'npx balai create-admin --tenant SLUG --email EMAIL --name NAME [--password PASSWORD]',
      '',
      'Without --password a strong one is generated and printed once. A password needs at least',
      '8 characters with letters and digits. An e-mail already registered in the tenant is refused.',
    ].join('\n'),
    async run(argv, cli) {
      const v = options(argv, { tenant: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } });
      required(v, ['tenant', 'email', 'name']);
      const email = check(emailSchema, v.email, 'email');
      const name = check(nameSchema, v.name, 'name');
      if (v.password !== undefined && !passwordSchema.safeParse(v.password).success) {
        throw new CliError(`--password: ${problemMessage('field.password_weak', 'en')}`);
      }
      const { createAdmin } = await import('./platform/tenancy/createAdmin.js');
      const db = await cli.open();
      const created = await createAdmin(db, { tenant: String(v.tenant), email, name, password: v.password });
      cli.out(`Created admin ${name} <${email}> on ${created.rootUnitName} (tenant ${v.tenant}).`);
      if (created.generatedPassword) {
        cli.out(`Password (shown once, change it after signing in): ${created.generatedPassword}`);
      }
      return 0;
    },
  },

  'verify-audit': {
    summary: "Check every tenant's audit hash chain; exit 1 on any altered, inserted, deleted or long-unsealed event",
    usage: [
      'npx balai verify-audit [--tenant SLUG]',
      '',
      'Recomputes the hash chain of sealed audit events in seq order and compares it with the stored',
      'chain head. Prints the head (seq and hash) of each tenant: keep it somewhere else to detect a',
      'rewrite of the whole chain later. Events unsealed for longer than AUDIT_SEAL_GRACE_MINUTES are',
      'reported too. Exit code 0 when everything verifies, 1 otherwise.',
    ].join('\n'),
    async run(argv, cli) {
      const v = options(argv, { tenant: { type: 'string' } });
      const { verifyAudit } = await import('./platform/audit/verify.js');
      const db = await cli.open();
      if (v.tenant !== undefined) {
        const [known] = await db.query('SELECT 1 FROM tenants WHERE slug = $1', [v.tenant]);
        if (!known) throw new CliError(`Unknown tenant "${v.tenant}".`);
      }
      let lastPrint = 0;
      const report = await verifyAudit(db, {
        graceMinutes: cli.config.AUDIT_SEAL_GRACE_MINUTES,
        tenant: v.tenant,
        onProgress: (n) => {
          if (Date.now() - lastPrint < 1_000) return;
          lastPrint = Date.now();
          cli.err(`checked ${n.toLocaleString('en')} sealed events…`);
        },
      });
      cli.out(`Audit chain of ${report.tenants} tenant(s): ${report.sealed.toLocaleString('en')} sealed event(s) checked, ${report.unsealed} not sealed yet.`);
      for (const t of report.perTenant) {
        const head = t.lastSeq === null ? 'no sealed events yet' : `head seq ${t.lastSeq} hash ${t.lastHash}`;
        cli.out(`  ${t.tenant.padEnd(16)} ${String(t.sealed).padStart(9)} sealed ${String(t.unsealed).padStart(6)} unsealed   ${head}`);
      }
      if (report.problems.length === 0) {
        cli.out('OK: every sealed event verifies against its chain.');
        return 0;
      }
      for (const p of report.problems) {
        const where = [p.seq !== undefined ? `seq ${p.seq}` : null, p.id ? `id ${p.id}` : null].filter(Boolean).join(', ');
        cli.out(`PROBLEM ${p.tenant}: ${p.reason}${where ? ` (first bad event: ${where})` : ''}: ${p.detail}`);
      }
      cli.out(`FAILED: ${report.problems.length} problem(s) found.`);
      return 1;
    },
  },

  // ─── worker ─── `npx balai worker`: background work without HTTP (added by the jobs helper).
  worker: {
    summary: 'Run the background work without HTTP: jobs (pg-boss), event relay and handlers, e-mail delivery, audit sealing',
    usage: [
      'npx balai worker',
      '',
      'Runs until SIGTERM or SIGINT, then finishes running jobs and stops. Start the web processes with',
      'RUN_WORKERS=false and one or more workers beside them (PostgreSQL: DATABASE_URL); they share the',
      'work through the database. E-mail goes out through SMTP_URL when set, otherwise it is kept in the',
      'outbox for admins. The embedded database allows one process at a time, so a separate worker is',
      'for PostgreSQL installations.',
    ].join('\n'),
    async run(argv, cli) {
      options(argv, {});
      const { runWorker } = await import('./worker.js');
      await runWorker(cli.config);
      return 0;
    },
  },

  // ─── generate ─── `npx balai generate …`: bulk data for benchmarks (added by the bench helper).
  generate: {
    summary: "Bulk data for benchmarks and load tests: citizens, staff, sessions, audit events (and modules' own)",
    get usage() {
      return generateUsage();
    },
    async run(argv, cli) {
      let args: ReturnType<typeof parseGenerateArgs>;
      try {
        args = parseGenerateArgs(argv);
      } catch (e) {
        throw e instanceof GenerateUsageError ? new UsageError(e.message) : e;
      }
      if (args.help) {
        cli.out(generateUsage());
        return 0;
      }
      if (Object.values(args.counts).every((n) => !n)) throw new UsageError('say how many rows to make, e.g. --citizens 100000');
      const db = await cli.open();
      try {
        await runGenerateCommand(db, args);
      } catch (e) {
        throw e instanceof GenerateError ? new CliError(e.message) : e;
      }
      return 0;
    },
  },


  help: {
    summary: 'Show the commands, or the usage of one: npx balai help COMMAND',
    usage: 'npx balai help [COMMAND]',
    async run(argv, cli) {
      const [name] = argv;
      if (name) {
        const cmd = commands[name];
        if (!cmd) throw new UsageError(`unknown command "${name}"`);
        cli.out(`${cmd.summary}\n\n${cmd.usage}`);
        return 0;
      }
      cli.out(usageAll());
      return 0;
    },
  },
};

function usageAll(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return [
    'Balai command line. Usage: npx balai COMMAND [options]   (npx balai help COMMAND for details)',
    '',
    ...Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from the environment, as for the server: DATABASE_URL (PostgreSQL), else the',
    'embedded database in DATA_DIR (default ./data; stop the server first, one process at a time).',
  ].join('\n');
}

/** Fails unless every checked-in migration has been applied. */
async function requireMigrated(db: Database): Promise<void> {
  const { migrationFiles } = await import('./db/migrate.js');
  let done: Set<string>;
  try {
    done = new Set((await db.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
  } catch {
    throw new CliError('The database has no schema yet: run npx balai migrate first.');
  }
  const pending = migrationFiles()
    .map((m) => m.name)
    .filter((n) => !done.has(n));
  if (pending.length) throw new CliError(`The database is not up to date (${pending.join(', ')} pending): run npx balai migrate first.`);
}

/** Runs one command line; resolves to the exit code. Never throws. */
export async function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const out = (line: string) => console.info(line);
  const err = (line: string) => console.error(line);
  const [name = 'help', ...rest] = argv;
  const cmd = name === '--help' || name === '-h' ? commands.help : commands[name];
  if (!cmd) {
    err(`Unknown command "${name}".\n`);
    err(usageAll());
    return 2;
  }
  let db: Database | undefined;
  try {
    const config = loadConfig(env);
    const cli: CliContext = {
      config,
      out,
      err,
      async open(opts = {}) {
        if (db) return db;
        const { openDatabase, pgliteDataDir } = await import('./db/client.js');
        const dataDir = pgliteDataDir(config.DATA_DIR);
        if (!config.DATABASE_URL && !opts.create && !existsSync(join(dataDir, 'PG_VERSION'))) {
          throw new CliError(`No database in ${dataDir}: run npx balai migrate (or npm start) first, or set DATABASE_URL.`);
        }
        db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATABASE_URL ? undefined : dataDir, poolSize: 4 });
        if (!opts.create) await requireMigrated(db);
        return db;
      },
    };
    return await cmd.run(rest, cli);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`balai ${name}: ${e.message}\n\n${cmd.usage}`);
      return 2;
    }
    if (e instanceof CliError) {
      err(e.message);
      return 1;
    }
    if (e instanceof AppError) {
      // Operators read English unless their locale is Indonesian (LANG=id_ID.UTF-8).
      const locale = pickLocale(env.LANG?.replace('_', '-').split('.')[0], 'en');
      const title = problemMessage(e.code, locale, e.params);
      const fields = e.fieldErrors.map((f) => problemMessage(f.code, locale, f.params ?? {})).filter((m) => m !== title);
      err([title, ...fields].join(' '));
      return 1;
    }
    err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return 1;
  } finally {
    await db?.close().catch(() => {});
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
