import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/seed/demo.js';
import { type ServerProcess, scratchDatabase, startServer } from '../support/server-process.js';

/**
 * The real process: `npm start`'s entry point on a fresh database, then a graceful stop while
 * requests are in flight.
 */
let server: ServerProcess;
let drop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  let databaseUrl: string | undefined;
  if (process.env.DATABASE_URL) {
    const db = await scratchDatabase(process.env.DATABASE_URL, `balai_proc_${process.pid}`);
    databaseUrl = db.url;
    drop = db.drop;
  }
  server = await startServer({ databaseUrl, env: { LOG_LEVEL: 'info' } });
}, 90_000);

afterAll(async () => {
  await server?.cleanup();
  await drop?.();
});

describe('server process', () => {
  it('starts on a fresh database with the demo city, the regions and both tenants', async () => {
    const mks = await (await fetch(`${server.url}/api/v1/tenant`)).json();
    expect(mks.name).toBe('Kota Makassar');
    const tpi = await (await fetch(`${server.url}/t/tanjungpinang/api/v1/tenant`)).json();
    expect(tpi.timeZone).toBe('Asia/Jakarta');
    expect(server.output()).toContain('admin@makassarkota.go.id');
  });

  it('finishes in-flight requests on SIGTERM and exits 0', async () => {
    // Each request on its own connection, written at once, so the server has read all of them
    // before the signal; 40 sign-ins cost seconds of argon2, so most are still running at SIGTERM.
    const before = (server.output().match(/auth\/login[^\n]*incoming request/g) ?? []).length;
    const started = Date.now();
    const inflight = Array.from({ length: 40 }, (_, i) => post(`${server.url}/api/v1/auth/login`, { login: 'warga@example.com', password: i % 2 ? DEMO_PASSWORD : 'salah-sandi-1' }));
    // Wait until the server has logged every request as received (pino logs "incoming request").
    const received = () => (server.output().match(/auth\/login[^\n]*incoming request/g) ?? []).length - before;
    for (let i = 0; i < 200 && received() < 40; i++) await new Promise((r) => setTimeout(r, 25));
    expect(received()).toBe(40);
    const code = await server.stop('SIGTERM');
    const statuses = await Promise.all(inflight);
    expect(statuses.filter((s) => s !== 200 && s !== 401)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThan(200);
    expect(code).toBe(0);
    expect(server.output()).toMatch(/stopped/);
  });
});

/** POST JSON on a fresh connection (no pooling), resolving with the status or the socket error. */
function post(url: string, body: unknown): Promise<number | string> {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? String(e)));
    req.end(data);
  });
}
