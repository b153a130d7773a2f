import type { LightMyRequestResponse } from 'fastify';
import { type AppInstance, buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Database } from '../../server/db/client.js';
import { DEMO_PASSWORD } from '../../server/seed/demo.js';
import { sealAllAudit } from './audit.js';
import { FakeClock } from './clock.js';
import { createTestDb } from './db.js';

export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
  /** Path prefix selecting the tenant ('' for the default tenant Makassar). */
  prefix: string;
}

export interface TestApp {
  app: AppInstance;
  db: Database;
  clock: FakeClock;
  /** Signs in with a demo (or test-created) account. */
  login(email: string, opts?: { tenant?: string; password?: string }): Promise<Session>;
  /** app.inject with the session's cookie and CSRF token. */
  request(
    session: Session | null,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Seals pending audit events now (the background sealer is not running in tests). */
  seal(): Promise<number>;
  close(): Promise<void>;
}

export const DEMO = {
  admin: 'admin@makassarkota.go.id',
  auditor: 'auditor@makassarkota.go.id',
  puAdmin: 'admin.pu@makassarkota.go.id',
  puStaff: 'staf.binamarga@makassarkota.go.id',
  citizen: 'warga@example.com',
  tpiAdmin: 'admin@tanjungpinangkota.go.id',
  password: DEMO_PASSWORD,
} as const;

export async function createTestApp(opts: { clock?: FakeClock; env?: Record<string, string> } = {}): Promise<TestApp> {
  const db = await createTestDb();
  const clock = opts.clock ?? new FakeClock();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '.tmp/test-data', AUTH_RATE_PER_MINUTE: '10000', ...opts.env });
  const app = await buildApp({ config, db, clock });
  await app.ready();

  const request: TestApp['request'] = (session, method, url, body, headers = {}) => {
    const h: Record<string, string> = { ...headers };
    if (session) {
      h.cookie = session.cookie;
      if (method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = session.csrf;
    }
    const fullUrl = session && !url.startsWith('/t/') ? `${session.prefix}${url}` : url;
    return app.inject({ method, url: fullUrl, headers: h, ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }) });
  };

  return {
    app,
    db,
    clock,
    request,
    async login(email, o = {}) {
      const prefix = o.tenant && o.tenant !== 'makassar' ? `/t/${o.tenant}` : '';
      const res = await app.inject({ method: 'POST', url: `${prefix}/api/v1/auth/login`, payload: { login: email, password: o.password ?? DEMO_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
      const setCookie = res.headers['set-cookie'];
      const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)!.split(';')[0];
      const body = res.json();
      return { cookie, csrf: body.csrfToken, userId: body.userId, prefix };
    },
    seal: () => sealAllAudit(db, () => clock.now()),
    async close() {
      await app.close();
      await db.close();
    },
  };
}
