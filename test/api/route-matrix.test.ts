import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../../server/platform/http/access.js';
import { createTestApp, DEMO, type Session, type TestApp } from '../support/app.js';

/**
 * The route table is the list of what the API can do. These tests enumerate it, so a route added
 * later is covered without anyone remembering to: every route must declare who may call it, must
 * appear in the OpenAPI document, and every role is tried against every route.
 */
let t: TestApp;
const sessions: Record<string, Session | null> = {};

/** Actors of the matrix and what they hold (see server/seed/demo.ts and common/permissions.ts). */
const ACTORS = {
  anonymous: null,
  citizen: DEMO.citizen,
  staff: DEMO.puStaff,
  unitAdmin: DEMO.puAdmin,
  auditor: DEMO.auditor,
  admin: DEMO.admin,
} as const;

/** Routes that end the caller's own session or stream forever are tried last or only for denial. */
const SESSION_ENDING = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-all']);

function fillParams(url: string): string {
  return url
    .replace(/:day\b/g, '2026-12-31')
    .replace(/:code\b/g, '73.71')
    .replace(/:service_code\b/g, 'unknown')
    .replace(/:token\b/g, 'x'.repeat(43))
    .replace(/:(\w+)/g, '01900000-0000-7000-8000-000000000000');
}

function apiRoutes(app: TestApp['app']) {
  return app.routeTable.filter((r) => r.url.startsWith('/api/'));
}

beforeAll(async () => {
  t = await createTestApp();
  for (const [name, email] of Object.entries(ACTORS)) sessions[name] = email ? await t.login(email) : null;
});
afterAll(async () => {
  await t.close();
});

describe('route declarations', () => {
  it('every API route declares its access', () => {
    const routes = apiRoutes(t.app);
    expect(routes.length).toBeGreaterThan(10);
    const undeclared = routes.filter((r) => !r.access).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('every API route is in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const missing = apiRoutes(t.app)
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
  });
});

describe('route × role matrix', () => {
  function expectation(access: Access, actor: keyof typeof ACTORS, permissions: Set<string>): 'allowed' | 401 | 403 {
    if ('public' in access) return 'allowed';
    if (actor === 'anonymous') return 401;
    if ('authenticated' in access) {
      if (access.userKind && access.userKind !== (actor === 'citizen' ? 'citizen' : 'staff')) return 403;
      return 'allowed';
    }
    return permissions.has(access.permission) ? 'allowed' : 403;
  }

  it('grants and denies every route for every role exactly as declared', async () => {
    const perms: Record<string, Set<string>> = {};
    for (const [name, s] of Object.entries(sessions)) {
      perms[name] = new Set(s ? (await t.request(s, 'GET', '/api/v1/me')).json().permissions : []);
    }
    const failures: string[] = [];
    const routes = apiRoutes(t.app).sort((a, b) => Number(SESSION_ENDING.has(`${a.method} ${a.url}`)) - Number(SESSION_ENDING.has(`${b.method} ${b.url}`)));
    let checked = 0;
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const streaming = route.url.endsWith('/stream');
      for (const actor of Object.keys(ACTORS) as (keyof typeof ACTORS)[]) {
        const expected = expectation(route.access!, actor, perms[actor]);
        if (streaming && expected === 'allowed') continue; // an allowed stream never ends; its own tests cover it
        if (SESSION_ENDING.has(key) && actor !== 'anonymous') continue;
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        const res = await t.request(sessions[actor], route.method as any, fillParams(route.url), body);
        checked++;
        const ok = expected === 'allowed' ? res.statusCode !== 401 && res.statusCode !== 403 : res.statusCode === expected;
        if (!ok) failures.push(`${key} as ${actor}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (res.statusCode >= 500) failures.push(`${key} as ${actor}: server error ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });
});
