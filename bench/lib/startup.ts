import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, stopChild, waitForOk } from './processes.js';
import { SERVER_ENTRY, SERVER_NODE_FLAGS } from './processes.js';

export interface StartupFigures {
  /** Spawn → first 200 of /readyz on an empty data directory (cluster, migrations, regions, demo). */
  freshMs: number;
  /** The same on the directory left by the previous start, one figure per restart. */
  restartMs: number[];
  restartMedianMs: number;
}

/**
 * Measures what `npm start` runs (`node --max-semi-space-size=32 dist/server/main.mjs`) on the embedded database: from spawn to the first 200 of
 * /readyz, on a fresh temporary DATA_DIR and then restarted on it (each stop is graceful and
 * complete before the next start).
 */
export async function measureStartup(opts: { port: number; restarts: number; logDir: string; env: NodeJS.ProcessEnv }): Promise<StartupFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'balai-bench-startup-'));
  const env: NodeJS.ProcessEnv = {
    ...opts.env,
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    RUN_WORKERS: 'true',
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${opts.port}`,
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const url = `http://127.0.0.1:${opts.port}/readyz`;
  const once = async (label: string, timeoutMs: number) => {
    const t0 = performance.now();
    const child = startChild(`app (${label})`, process.execPath, [...SERVER_NODE_FLAGS, SERVER_ENTRY], env, join(opts.logDir, `startup-${label}.log`));
    try {
      return Math.round(await waitForOk(url, child, t0, timeoutMs));
    } finally {
      await stopChild(child, 15_000);
    }
  };
  try {
    const freshMs = await once('fresh', 120_000);
    const restartMs: number[] = [];
    for (let i = 1; i <= opts.restarts; i++) restartMs.push(await once(`restart-${i}`, 60_000));
    const sorted = [...restartMs].sort((a, b) => a - b);
    return { freshMs, restartMs, restartMedianMs: sorted[Math.floor((sorted.length - 1) / 2)] };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
