/**
 * `npm run bench` — the benchmark harness (see bench/README.md).
 *
 * 1. drops and recreates its own database `balai_bench` on BENCH_DATABASE_URL's server;
 * 2. generates data with the bulk loader (`generate --citizens … --sessions … --audit …`);
 * 3. starts the real server (what `npm start` runs: `node dist/server/main.mjs`, built first) and the bare baseline server on it;
 * 4. drives every scenario with autocannon and compares it with its baseline from the same run;
 * 5. measures start-up of the embedded (PGlite) installation, fresh and restarted;
 * 6. prints a table, writes bench/results/<timestamp>.json and latest.json, and exits non-zero
 *    when a scenario errored (or, in full mode, missed its target).
 *
 * `npm run bench -- --smoke` runs the same harness with tiny sizes to prove it works.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generatedSessionToken, generatorRegistry } from '../server/platform/generate/index.js';
import { CpuMeter, type CpuPerRequest, cpuAccountingAvailable } from './lib/cpu.js';
import { type FanoutResult, measureQueueFanout } from './lib/fanout.js';
import { simulateEstimates } from './lib/healthEstimate.js';
import { type LoadFigures, runLoad, runPaced } from './lib/load.js';
import { buildServer, installExitHandlers, runToEnd, SERVER_ENTRY, SERVER_NODE_FLAGS, startChild, stopChild, waitForOk } from './lib/processes.js';
import { measureStartup, type StartupFigures } from './lib/startup.js';
import { fanoutInputs } from './scenarios/health.js';
import { type BenchData, type Scenario, scenarios } from './scenarios/index.js';

const BENCH_DB = 'balai_bench';
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Pool size of both the app and the baseline server (the app's own default). */
const POOL_SIZE = 20;
const STARTUP_TARGET_FRESH_MS = 10_000;
/** A queue call reaches every connected display and patient page within this (p99, issue 5). */
const FANOUT_TARGET_P99_MS = 1_000;
const STARTUP_TARGET_RESTART_MS = 2_000;
const RESULTS_DIR = join(process.cwd(), 'bench', 'results');
const LOG_DIR = join(process.cwd(), '.tmp', 'bench');

interface Settings {
  smoke: boolean;
  durationS: number;
  warmupS: number;
  connections: number;
  rounds: number;
  restarts: number;
  startup: boolean;
  only?: string[];
  /** Reuse balai_bench when it holds data generated with the same sizes (see reusableDatabase). */
  reuseData: boolean;
  data: Record<string, number>;
  port: number;
}

function parseArgs(argv: string[]): Settings {
  const smoke = argv.includes('--smoke');
  const s: Settings = {
    smoke,
    durationS: smoke ? 2 : 15,
    warmupS: smoke ? 1 : 3,
    connections: smoke ? 20 : 200,
    rounds: 1,
    restarts: smoke ? 1 : 3,
    startup: true,
    reuseData: false,
    data: smoke
      ? { citizens: 1_000, staff: 50, sessions: 200, audit: 1_000, complaints: 2_000, patients: 20_000, polis: 50 }
      : { citizens: 100_000, staff: 2_000, sessions: 10_000, audit: 200_000, complaints: 1_000_000, patients: 200_000, polis: 1_000 },
    port: Number(process.env.BENCH_PORT ?? 3200),
  };
  const generators = new Set(generatorRegistry().map((g) => g.key));
  const num = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) throw new Error(`--${name} needs a number ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    const [, name, inline] = m;
    const value = () => inline ?? argv[++i];
    if (name === 'smoke') continue;
    else if (name === 'duration') s.durationS = num(name, value(), 1);
    else if (name === 'warmup') s.warmupS = num(name, value(), 0);
    else if (name === 'connections') s.connections = Math.round(num(name, value(), 1));
    else if (name === 'rounds') s.rounds = Math.round(num(name, value(), 1));
    else if (name === 'restarts') s.restarts = Math.round(num(name, value(), 1));
    else if (name === 'skip-startup') s.startup = false;
    else if (name === 'reuse-data') s.reuseData = true;
    else if (name === 'only') s.only = value().split(',');
    else if (generators.has(name)) s.data[name] = Math.round(num(name, value(), 0));
    else throw new Error(`unknown option --${name}`);
  }
  if (s.only) {
    const known = new Set(scenarios.map((sc) => sc.name));
    for (const n of s.only) if (!known.has(n)) throw new Error(`unknown scenario ${n} (known: ${[...known].join(', ')})`);
  }
  return s;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function recreateDatabase(adminUrl: string): Promise<{ url: string; postgres: string }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DB}`);
    const { rows } = await admin.query('SHOW server_version');
    return { url: withDatabase(adminUrl, BENCH_DB), postgres: rows[0].server_version };
  } finally {
    await admin.end();
  }
}

/**
 * `--reuse-data`: the database of an earlier run, when it was generated with the same sizes (a
 * 1M-report generation takes ~9 minutes). Scenarios that write (intake) have added rows to it.
 */
async function reusableDatabase(adminUrl: string, sizes: Record<string, number>): Promise<{ db: { url: string; postgres: string }; tokenSeed: string; generatedAt: string } | undefined> {
  const url = withDatabase(adminUrl, BENCH_DB);
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch {
    return undefined;
  }
  try {
    const { rows } = await client.query<{ sizes: Record<string, number>; token_seed: string; generated_at: Date; version: string }>(
      'SELECT sizes, token_seed, generated_at, current_setting($1) AS version FROM bench_meta',
      ['server_version'],
    );
    const row = rows[0];
    const same = (a: Record<string, number>) => JSON.stringify(Object.entries(a).sort(([x], [y]) => x.localeCompare(y)));
    if (!row || same(row.sizes) !== same(sizes)) return undefined;
    return { db: { url, postgres: row.version }, tokenSeed: row.token_seed, generatedAt: row.generated_at.toISOString() };
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

/**
 * Brings the freshly generated (or reused) database to the state of a server that has been
 * running: the generation's dirty pages written out (CHECKPOINT), so that checkpoint I/O does not
 * run under the first scenarios, and every table and index of the bench database read once
 * (pg_prewarm, into the operating system's cache), as a city's working set is after hours of use.
 * Without this the first seconds of each scenario measured reads from disk after a bulk load.
 */
async function settleDatabase(url: string): Promise<{ mb: number; ms: number }> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
    const { rows } = await client.query<{ blocks: string }>(
      `SELECT coalesce(sum(pg_prewarm(c.oid, 'read')), 0) AS blocks
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'm', 't')`,
    );
    return { mb: (Number(rows[0].blocks) * 8192) / 1048576, ms: performance.now() - started };
  } finally {
    await client.end();
  }
}

/** Notes the sizes and the session token seed of the generated data, for `--reuse-data`. */
async function saveBenchMeta(url: string, sizes: Record<string, number>, tokenSeed: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE bench_meta (sizes jsonb NOT NULL, token_seed text NOT NULL, generated_at timestamptz NOT NULL DEFAULT now())');
    await client.query('INSERT INTO bench_meta (sizes, token_seed) VALUES ($1, $2)', [JSON.stringify(sizes), tokenSeed]);
  } finally {
    await client.end();
  }
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const say = (s = '') => process.stdout.write(`${s}\n`);

/** One measured run: autocannon's figures and the CPU each side spent per request. */
type Measured = LoadFigures & { cpu?: CpuPerRequest };

interface ScenarioResult {
  name: string;
  description: string;
  server: 'app' | 'baseline';
  rounds: Measured[];
  /** The round with the median req/s. */
  figures: Measured;
  warmupNon2xx: number;
  baseline?: string;
  ratio?: number;
  target?: { minRatio?: number; minReqPerSec?: number; maxP95Ms?: number; maxP99Ms?: number; source?: string };
  processes: number;
  verified?: { ok: boolean; note: string };
  /** Every response was 2xx, with no connection errors. */
  ok: boolean;
  targetMet?: boolean;
  pass: boolean;
  problem?: string;
}

async function main(): Promise<number> {
  installExitHandlers();
  const settings = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const adminUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_ADMIN_URL;
  mkdirSync(LOG_DIR, { recursive: true });
  say(`Balai bench (${settings.smoke ? 'smoke' : 'full'}): ${settings.connections} connections, ${settings.durationS} s per scenario after ${settings.warmupS} s warm-up, ${settings.rounds} round(s)`);
  say(`Machine: ${cpus().length} CPU (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; the load generator runs on the same cores as the servers.`);

  // 1. The harness's own database.
  buildServer();
  const reused = settings.reuseData ? await reusableDatabase(adminUrl, settings.data) : undefined;
  const db = reused?.db ?? (await recreateDatabase(adminUrl));
  say(reused ? `Database ${BENCH_DB} reused: generated ${reused.generatedAt} with the same sizes` : `Database ${BENCH_DB} recreated on PostgreSQL ${db.postgres}`);
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: String(POOL_SIZE) };
  // TRUST_PROXY: the app sits behind a reverse proxy as in production, and scenarios that stand for
  // many residents name a rotating client address in X-Forwarded-For, so per-address rate limits
  // (e.g. 60 reports a minute) stay in force without one address being throttled.
  const appEnv: NodeJS.ProcessEnv = { ...baseEnv, DATABASE_URL: db.url, SEED_DEMO: 'true', RUN_WORKERS: 'true', TRUST_PROXY: 'true' };

  // 2. Data.
  let tokenSeed: string;
  let generateMs = 0;
  if (reused) tokenSeed = reused.tokenSeed;
  else {
    tokenSeed = generatedTokenSeed();
    const genArgs = Object.entries(settings.data).flatMap(([k, n]) => [`--${k}`, String(n)]);
    say(`\nGenerating: ${genArgs.join(' ')}`);
    const genStarted = performance.now();
    await runGenerate([...genArgs, '--token-seed', tokenSeed], appEnv);
    generateMs = Math.round(performance.now() - genStarted);
    await saveBenchMeta(db.url, settings.data, tokenSeed);
  }
  const data = await loadBenchData(db.url, tokenSeed, settings.data.sessions ?? 0);
  const settled = await settleDatabase(db.url);
  say(`Database settled for measuring: checkpoint, ${fmt(settled.mb)} MB of tables and indexes read into memory (${(settled.ms / 1000).toFixed(1)} s)`);

  // 3. Servers.
  const appPort = settings.port;
  const basePort = settings.port + 1;
  const appUrl = `http://127.0.0.1:${appPort}`;
  const baseUrl = `http://127.0.0.1:${basePort}`;
  const t0 = performance.now();
  // BENCH_PROFILE_DIR: the app writes a V8 CPU profile there when it stops (chrome://inspect, or
  // any .cpuprofile viewer), to see where a scenario's server time goes.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const app = startChild('app', process.execPath, [...SERVER_NODE_FLAGS, ...profile, SERVER_ENTRY], { ...appEnv, PORT: String(appPort), HOST: '127.0.0.1', PUBLIC_URL: appUrl }, join(LOG_DIR, 'app.log'));
  const baseline = startChild(
    'baseline',
    'npx',
    ['tsx', 'bench/baseline-server.ts'],
    // The same Node flags as the app, so that the ratio compares the code, not the runtime's settings.
    { ...baseEnv, NODE_OPTIONS: SERVER_NODE_FLAGS.join(' '), DATABASE_URL: db.url, PORT: String(basePort), HOST: '127.0.0.1', BENCH_TENANT_ID: data.tenant.id },
    join(LOG_DIR, 'baseline.log'),
  );
  // A second app process on the same database, for the scenarios spread over two (see Scenario.processes).
  const chosen = scenarios.filter((s) => !settings.only || settings.only.includes(s.name));
  const app2Port = settings.port + 3;
  const app2Url = `http://127.0.0.1:${app2Port}`;
  await waitForOk(`${appUrl}/readyz`, app, t0, 60_000);
  // Started once the first is ready: two processes creating the job queue's schema at once on a
  // fresh database would collide.
  const app2 = chosen.some((s) => s.processes === 2)
    ? startChild('app2', process.execPath, [...SERVER_NODE_FLAGS, SERVER_ENTRY], { ...appEnv, PORT: String(app2Port), HOST: '127.0.0.1', PUBLIC_URL: app2Url }, join(LOG_DIR, 'app2.log'))
    : undefined;
  if (app2) await waitForOk(`${app2Url}/readyz`, app2, performance.now(), 60_000);
  await waitForOk(`${baseUrl}/bare`, baseline, t0, 60_000);
  await checkOnce(appUrl, baseUrl, data);
  say(`Servers ready: app ${appUrl} (log .tmp/bench/app.log)${app2 ? `, second app ${app2Url}` : ''}, baseline ${baseUrl}`);

  // 4. Load.
  const perScenario = new Map<string, { rounds: Measured[]; warmupNon2xx: number }>();
  const meter = cpuAccountingAvailable ? new CpuMeter(adminUrl, BENCH_DB) : undefined;
  for (const sc of chosen) await sc.setup?.({ appUrl, databaseUrl: db.url, data, smoke: settings.smoke });
  const loadOptions = (sc: Scenario, durationS: number) => ({
    // A scenario's own count holds in full mode; smoke runs cap every scenario at theirs.
    connections: settings.smoke ? Math.min(sc.connections ?? settings.connections, settings.connections) : (sc.connections ?? settings.connections),
    durationS,
    // Smoke runs offer a tenth of the rate: they prove the harness, not the machine.
    rate: sc.rate ? (settings.smoke ? Math.ceil(sc.rate / 10) : sc.rate) : undefined,
  });
  for (let round = 1; round <= settings.rounds; round++) {
    for (const sc of chosen) {
      const url = sc.server === 'baseline' ? baseUrl : sc.processes === 2 ? [appUrl, app2Url] : appUrl;
      const entry = perScenario.get(sc.name) ?? { rounds: [], warmupNon2xx: 0 };
      perScenario.set(sc.name, entry);
      const load = (durationS: number) => {
        const o = loadOptions(sc, durationS);
        return sc.pacing === 'even' && o.rate ? runPaced(url, sc.request(data), { ...o, rate: o.rate }) : runLoad(url, sc.request(data), o);
      };
      if (settings.warmupS > 0) {
        const w = await load(settings.warmupS);
        entry.warmupNon2xx += w.non2xx + w.errors;
      }
      const servers = sc.server === 'baseline' ? [baseline] : sc.processes === 2 && app2 ? [app, app2] : [app];
      const pgids = servers.map((x) => x.proc.pid!);
      const appName = sc.server === 'app' ? 'balai' : 'balai-bench-baseline';
      const before = await meter?.snapshot(pgids, appName);
      const measured = await load(settings.durationS);
      const cpu = before && meter ? await meter.since(before, pgids, appName, measured.requests) : undefined;
      const f: Measured = { ...measured, cpu };
      entry.rounds.push(f);
      say(
        `  ${sc.name.padEnd(18)} ${fmt(f.reqPerSec).padStart(8)} req/s  p50 ${f.latencyMs.p50} ms  p99 ${f.latencyMs.p99} ms` +
          (f.cpu ? `  CPU/req: server ${f.cpu.serverMs} ms, db ${f.cpu.databaseMs} ms, load generator ${f.cpu.loadGeneratorMs} ms` : '') +
          (f.non2xx + f.errors ? `  non-2xx ${f.non2xx} errors ${f.errors}` : '') +
          (settings.rounds > 1 ? `  (round ${round})` : ''),
      );
    }
  }
  // What the load wrote, checked once the load is over.
  const verified = new Map<string, { ok: boolean; note: string }>();
  for (const sc of chosen) {
    if (!sc.verify) continue;
    const v = await sc.verify({ appUrl, databaseUrl: db.url, data, smoke: settings.smoke });
    verified.set(sc.name, v);
    say(`  ${sc.name}: ${v.note}${v.ok ? '' : '  ← FAILED'}`);
  }
  // A queue call's reach: SSE clients on both app processes (issue 5: 1,000 within 1 s, p99).
  let fanout: FanoutResult | { error: string } | undefined;
  const fanoutWith = fanoutInputs();
  if (fanoutWith) {
    const clients = settings.smoke ? 100 : 1000;
    say(`\nQueue call fan-out: ${clients} SSE clients over ${app2 ? 2 : 1} app process(es)…`);
    try {
      fanout = await measureQueueFanout({ appUrls: app2 ? [appUrl, app2Url] : [appUrl], databaseUrl: db.url, tenantId: data.tenant.id, ...fanoutWith, clients, calls: settings.smoke ? 3 : 10 });
      say(
        fanout.skipped
          ? `  skipped: ${fanout.skipped}`
          : `  ${fanout.calls} calls × ${fanout.clients} clients: ${fanout.deliveries} deliveries, ${fanout.missed} missed; p50 ${fanout.latencyMs.p50} ms, p95 ${fanout.latencyMs.p95} ms, p99 ${fanout.latencyMs.p99} ms, max ${fanout.latencyMs.max} ms`,
      );
    } catch (e) {
      fanout = { error: e instanceof Error ? e.message : String(e) };
      say(`  failed: ${fanout.error}`);
    }
  }
  await stopChild(app);
  if (app2) await stopChild(app2);
  await stopChild(baseline);

  const results = chosen.map((sc) => judge(sc, perScenario, settings, verified.get(sc.name)));

  // The queue's time estimates, judged on a simulated poli (no server involved).
  const estimates = simulateEstimates();
  say(
    `\nHealth queue estimates, simulated poli (${estimates.days} days, ${estimates.visits} visits): mean absolute error ${estimates.maeMinutes} min ` +
      `(the assumed duration alone: ${estimates.maeAssumedMinutes} min); ${Math.round(estimates.within10 * 100)} % within 10 min`,
  );

  // 5. Start-up on the embedded database.
  let startup: (StartupFigures & { freshPass: boolean; restartPass: boolean }) | { error: string } | undefined;
  if (settings.startup) {
    say('\nStart-up (embedded PGlite, node dist/server/main.mjs → /readyz 200)…');
    try {
      const s = await measureStartup({ port: settings.port + 2, restarts: settings.restarts, logDir: LOG_DIR, env: baseEnv });
      startup = { ...s, freshPass: s.freshMs <= STARTUP_TARGET_FRESH_MS, restartPass: s.restartMedianMs <= STARTUP_TARGET_RESTART_MS };
    } catch (e) {
      startup = { error: e instanceof Error ? e.message : String(e) };
    }
  }

  // 6. Report.
  printTable(results, settings);
  if (startup) printStartup(startup, settings);
  const fanoutMet = !fanout || 'error' in fanout || Boolean(fanout.skipped) || (fanout.missed === 0 && fanout.latencyMs.p99 < FANOUT_TARGET_P99_MS);
  if (fanout && !('error' in fanout) && !fanout.skipped) {
    say(`queue call fan-out p99 ${fanout.latencyMs.p99} ms, ${fanout.missed} missed   target p99 < ${FANOUT_TARGET_P99_MS} ms, none missed   ${settings.smoke ? 'smoke' : fanoutMet ? 'PASS' : 'miss'}`);
  }
  const harnessOk = results.every((r) => r.ok) && !(startup && 'error' in startup) && !(fanout && 'error' in fanout);
  const targetsOk =
    results.every((r) => r.targetMet !== false) && !(startup && !('error' in startup) && !(startup.freshPass && startup.restartPass)) && fanoutMet;
  const pass = settings.smoke ? harnessOk : harnessOk && targetsOk;

  const record = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: settings.smoke ? 'smoke' : 'full',
    pass,
    git: { commit: git(['rev-parse', 'HEAD']), dirty: (git(['status', '--porcelain']) ?? '') !== '' },
    node: process.version,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, memoryMb: Math.round(totalmem() / 2 ** 20), loadAverageAtEnd: loadavg() },
    postgres: db.postgres,
    settings: { connections: settings.connections, durationS: settings.durationS, warmupS: settings.warmupS, rounds: settings.rounds, poolSize: POOL_SIZE, data: settings.data },
    generateMs,
    scenarios: results,
    healthEstimates: estimates,
    queueFanout: fanout ? ('error' in fanout ? fanout : { ...fanout, targetP99Ms: FANOUT_TARGET_P99_MS, targetMet: !fanout.skipped && fanout.missed === 0 && fanout.latencyMs.p99 < FANOUT_TARGET_P99_MS }) : null,
    startup: startup
      ? 'error' in startup
        ? startup
        : { ...startup, targets: { freshMs: STARTUP_TARGET_FRESH_MS, restartMs: STARTUP_TARGET_RESTART_MS } }
      : null,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(record, null, 2)}\n`);
  say(`\nResults: ${file.replace(`${process.cwd()}/`, '')} (and bench/results/latest.json)`);
  if (!harnessOk) say('BENCH FAILED: a scenario had errors or non-2xx responses, or the server did not start (see above).');
  else if (!targetsOk && settings.smoke) say('Smoke run: the harness works (performance targets are not judged in smoke mode).');
  else if (!targetsOk) say('BENCH FAILED: a performance target was missed (see FAIL above).');
  else say(settings.smoke ? 'Smoke run passed: every scenario answered 2xx.' : 'All targets met.');
  return pass ? 0 : 1;
}

function judge(sc: Scenario, per: Map<string, { rounds: Measured[]; warmupNon2xx: number }>, settings: Settings, verified?: { ok: boolean; note: string }): ScenarioResult {
  const entry = per.get(sc.name)!;
  const figures = median(entry.rounds);
  const ok = figures.status2xx > 0 && entry.rounds.every((f) => f.non2xx === 0 && f.errors === 0) && entry.warmupNon2xx === 0 && verified?.ok !== false;
  const base = sc.baseline ? per.get(sc.baseline) : undefined;
  // Each round's ratio pairs runs made minutes apart; the median of those is steadier on a busy machine.
  const ratios = base ? entry.rounds.map((f, i) => f.reqPerSec / Math.max((base.rounds[i] ?? median(base.rounds)).reqPerSec, 1)) : [];
  const ratio = base ? Math.round(middle(ratios) * 1000) / 1000 : undefined;
  const checks: boolean[] = [];
  if (sc.minRatio !== undefined && ratio !== undefined) checks.push(ratio >= sc.minRatio);
  if (sc.minReqPerSec !== undefined) checks.push(figures.reqPerSec >= sc.minReqPerSec);
  if (sc.maxP95Ms !== undefined) checks.push(figures.latencyMs.p95 < sc.maxP95Ms);
  if (sc.maxP99Ms !== undefined) checks.push(figures.latencyMs.p99 < sc.maxP99Ms);
  // A ratio target whose baseline was not run (--only) is not judged, rather than passed.
  const targetMet = checks.length && !(sc.minRatio !== undefined && ratio === undefined) ? checks.every(Boolean) : undefined;
  const hasTarget = sc.minRatio !== undefined || sc.minReqPerSec !== undefined || sc.maxP95Ms !== undefined || sc.maxP99Ms !== undefined;
  const problems: string[] = [];
  if (figures.status2xx === 0) problems.push('no 2xx response');
  const bad = entry.rounds.reduce((s, f) => s + f.non2xx, 0);
  if (bad) problems.push(`${bad} non-2xx (${JSON.stringify(figures.statusCodes)})`);
  const errors = entry.rounds.reduce((s, f) => s + f.errors, 0);
  if (errors) problems.push(`${errors} connection errors/timeouts`);
  if (entry.warmupNon2xx) problems.push(`${entry.warmupNon2xx} failures during warm-up`);
  if (sc.minRatio !== undefined && ratio === undefined) problems.push(`baseline ${sc.baseline} was not run`);
  if (verified && !verified.ok) problems.push(verified.note);
  return {
    name: sc.name,
    description: sc.description,
    server: sc.server,
    rounds: entry.rounds,
    figures,
    warmupNon2xx: entry.warmupNon2xx,
    baseline: sc.baseline,
    ratio,
    target: hasTarget ? { minRatio: sc.minRatio, minReqPerSec: sc.minReqPerSec, maxP95Ms: sc.maxP95Ms, maxP99Ms: sc.maxP99Ms, source: sc.targetSource } : undefined,
    processes: sc.processes ?? 1,
    verified,
    ok,
    targetMet,
    pass: ok && (settings.smoke || targetMet !== false),
    problem: problems.length ? problems.join('; ') : undefined,
  };
}

/** The median of numbers (mean of the two middle ones for an even count). */
function middle(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** The round with the (lower) median req/s: its latencies and CPU figures are reported. */
function median(rounds: Measured[]): Measured {
  const sorted = [...rounds].sort((a, b) => a.reqPerSec - b.reqPerSec);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function printTable(results: ScenarioResult[], settings: Settings): void {
  const head = ['scenario', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx/err', 'CPU ms/req srv+db', 'ratio', 'target', 'result'];
  const rows = results.map((r) => [
    r.name,
    fmt(r.figures.reqPerSec),
    r.figures.latencyMs.p50.toFixed(1),
    r.figures.latencyMs.p95.toFixed(1),
    r.figures.latencyMs.p99.toFixed(1),
    `${r.rounds.reduce((s, f) => s + f.non2xx, 0)}/${r.rounds.reduce((s, f) => s + f.errors, 0)}`,
    r.figures.cpu ? `${r.figures.cpu.serverMs.toFixed(3)}+${r.figures.cpu.databaseMs.toFixed(3)}` : '—',
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}× ${r.baseline}` : '—',
    r.target ? targetText(r.target) : '—',
    !r.ok ? 'FAIL' : r.targetMet === false ? (settings.smoke ? 'miss (smoke)' : 'FAIL') : r.target && r.targetMet ? 'PASS' : r.target ? 'not judged' : 'ok',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i >= 7 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  say('');
  say(line(head));
  say(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) say(line(row));
  for (const r of results) if (r.problem) say(`  ${r.name}: ${r.problem}`);
}

function targetText(t: NonNullable<ScenarioResult['target']>): string {
  const parts: string[] = [];
  if (t.minRatio !== undefined) parts.push(`≥ ${t.minRatio}×`);
  if (t.minReqPerSec !== undefined) parts.push(`≥ ${fmt(t.minReqPerSec)}/s`);
  if (t.maxP95Ms !== undefined) parts.push(`p95 < ${t.maxP95Ms} ms`);
  if (t.maxP99Ms !== undefined) parts.push(`p99 < ${t.maxP99Ms} ms`);
  return parts.join(', ');
}

function printStartup(s: (StartupFigures & { freshPass: boolean; restartPass: boolean }) | { error: string }, settings: Settings): void {
  say('');
  if ('error' in s) {
    say(`start-up FAILED: ${s.error}`);
    return;
  }
  const verdict = (ok: boolean) => (ok ? 'PASS' : settings.smoke ? 'miss (smoke)' : 'FAIL');
  say(`start-up, fresh data directory   ${fmt(s.freshMs).padStart(6)} ms   target ≤ ${fmt(STARTUP_TARGET_FRESH_MS)} ms   ${verdict(s.freshPass)}`);
  say(
    `start-up, restart (median of ${s.restartMs.length})  ${fmt(s.restartMedianMs).padStart(6)} ms   target ≤ ${fmt(STARTUP_TARGET_RESTART_MS)} ms   ${verdict(s.restartPass)}   (${s.restartMs.map(fmt).join(', ')} ms)`,
  );
}

function generatedTokenSeed(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Prepares the database and runs the bulk loader as an operator would: `npx balai …`. */
async function runGenerate(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  await runToEnd('balai migrate', 'npx', ['balai', 'migrate'], env);
  await runToEnd('balai seed', 'npx', ['balai', 'seed'], env);
  await runToEnd('balai generate', 'npx', ['balai', 'generate', ...args], env);
}

async function loadBenchData(url: string, tokenSeed: string, sessions: number): Promise<BenchData> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tenants } = await client.query(`SELECT id::text, slug FROM tenants WHERE slug = 'makassar'`);
    if (!tenants[0]) throw new Error('the bench database has no tenant makassar');
    const sessionTokens = Array.from({ length: sessions }, (_, i) => generatedSessionToken(tokenSeed, i + 1));
    const { rows } = await client.query('SELECT DISTINCT user_id::text AS id FROM sessions WHERE tenant_id = $1', [tenants[0].id]);
    if (sessionTokens.length === 0 || rows.length === 0) throw new Error('no generated sessions: the bench needs --sessions ≥ 1');
    return { tenant: tenants[0], sessionTokens, userIds: rows.map((r) => r.id) };
  } finally {
    await client.end();
  }
}

/** One request of each kind before the load, so that a broken setup fails with its reason. */
async function checkOnce(appUrl: string, baseUrl: string, data: BenchData): Promise<void> {
  const me = await fetch(`${appUrl}/api/v1/me`, { headers: { cookie: `balai_${data.tenant.slug}=${data.sessionTokens[0]}` } });
  if (me.status !== 200) throw new Error(`GET /api/v1/me with a generated session answered ${me.status}: ${await me.text()}`);
  await me.arrayBuffer().catch(() => {});
  const user = await fetch(`${baseUrl}/users/${data.userIds[0]}`);
  if (user.status !== 200) throw new Error(`baseline GET /users/:id answered ${user.status}: ${await user.text()}`);
  await user.arrayBuffer().catch(() => {});
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`\nBENCH FAILED: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  },
);
