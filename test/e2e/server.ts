import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import pg from 'pg';

/**
 * The e2e web server: a fresh demo city every run, then the real server process.
 *
 * The reset happens here rather than in Playwright's globalSetup because Playwright starts the
 * webServer before globalSetup runs: resetting there would delete the data of a running server.
 * The web app is rebuilt first (E2E_SKIP_BUILD=1 skips it when dist/web is known to be current).
 */
const dataDir = process.env.DATA_DIR ?? '.tmp/e2e-data';
rmSync(dataDir, { recursive: true, force: true });

const url = process.env.DATABASE_URL;
if (url) {
  // DATABASE_URL points at balai_e2e (see playwright.config.ts); drop and recreate it via the
  // maintenance database of the same server.
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected e2e database name "${name}"`);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
}

if (process.env.E2E_SKIP_BUILD !== '1') {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}

// The journeys' clock control (deadlines): POST {"at": ISO} moves the server's clock, {"at": null}
// puts it back. It listens on its own port beside the app, so it is never part of the app.
const controlPort = Number(process.env.E2E_CONTROL_PORT ?? 0);
if (controlPort) {
  const { createServer } = await import('node:http');
  const { setProcessClock } = await import('../../server/platform/processClock.js');
  createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      try {
        const { at } = JSON.parse(body || '{}') as { at?: string | null };
        setProcessClock(at ? new Date(at) : null);
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  })
    .listen(controlPort, '127.0.0.1')
    .unref();
}

await import('../../server/main.js');
