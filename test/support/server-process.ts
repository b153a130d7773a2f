import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  cleanup(): Promise<void>;
}

let portCounter = 0;

/**
 * Ports that fetch() refuses to connect to (the Fetch standard's "bad ports"): 3659 lies in the
 * range below, and a server started there never answered /readyz ("fetch failed", cause "bad
 * port"): the rare "not ready after 120 s" of the kill test, for test processes whose pid fell on it.
 */
const FETCH_BAD_PORTS = new Set([3659, 4045, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080]);

/** The port of the n-th server of a test process: three per process, in turn, none a bad port. */
export function serverPort(pid: number, n: number): number {
  const port = 3400 + (pid % 200) * 3 + (n % 3);
  return FETCH_BAD_PORTS.has(port) ? port + 600 : port;
}

/** The sessions of one PostgreSQL database and what they wait for, on one line each (failure reports). */
export async function databaseSessions(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(
      `SELECT pid, application_name, state, wait_event_type, wait_event, (now() - xact_start)::text AS xact_age, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS query
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return `sessions: ${r.rows.map((x) => JSON.stringify(x)).join('\n  ') || 'none'}`;
  } finally {
    await c.end();
  }
}

/** A scratch PostgreSQL database next to DATABASE_URL, dropped by the returned function. */
export async function scratchDatabase(baseUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Starts the real server (`tsx server/main.ts`) as a child process and waits for /readyz.
 * Without databaseUrl it uses a fresh embedded data directory.
 */
export async function startServer(
  opts: {
    databaseUrl?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    /** What else to report when the server does not become ready (e.g. the database's sessions). */
    diagnose?: () => Promise<string>;
  } = {},
): Promise<ServerProcess> {
  const port = serverPort(process.pid, portCounter++);
  const dataDir = mkdtempSync(join(tmpdir(), 'balai-proc-'));
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      AUTH_RATE_PER_MINUTE: '10000',
      ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : { DATABASE_URL: '' }),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!opts.databaseUrl) delete (child as any).spawnargs; // keep the object small in failure output
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const startedAt = Date.now();
  const deadline = startedAt + (opts.timeoutMs ?? 60_000);
  let lastProbe = 'none';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) break;
      lastProbe = `HTTP ${r.status}`;
    } catch (e) {
      /* not listening yet */
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      lastProbe = String(cause?.code ?? cause?.message ?? e);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      const extra = opts.diagnose ? await opts.diagnose().catch((e) => `diagnosis failed: ${e}`) : '';
      // The summary goes last: CI shows the end of a failure's message.
      const tail = out.trimEnd().split('\n').slice(-6).join('\n');
      throw new Error(
        `server did not become ready:\n${out}\n--- not ready after ${Math.round((Date.now() - startedAt) / 1000)} s; last /readyz: ${lastProbe}; ${extra}\nlast output:\n${tail}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    async cleanup() {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
