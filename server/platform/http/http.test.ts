import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('operations endpoints', () => {
  it('answers /healthz, /readyz and /metrics', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
    await t.app.inject({ url: '/api/v1/tenant' });
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/balai_http_request_duration_seconds_bucket\{.*route="\/api\/v1\/tenant"/);
    expect(metrics.body).toMatch(/balai_process_cpu_seconds_total/);
  });

  it('reports unready with 503 while the database does not answer', async () => {
    const query = vi.spyOn(t.app.deps.db, 'query').mockRejectedValueOnce(new Error('connection terminated'));
    try {
      const res = await t.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable' });
    } finally {
      query.mockRestore();
    }
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it('echoes a well-formed request id and makes one otherwise', async () => {
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-12345678' } });
    expect(given.headers['x-request-id']).toBe('abc-12345678');
    const made = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': '<script>' } });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers with a strict content security policy', async () => {
    const res = await t.app.inject({ url: '/api/v1/tenant' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the OpenAPI document and its UI at /docs', async () => {
    const ui = await t.app.inject({ url: '/docs/' });
    expect([200, 302]).toContain(ui.statusCode);
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.info.title).toBe('Balai API');
    expect(doc.paths['/api/v1/auth/login'].post).toBeDefined();
  });
});

describe('compression', () => {
  it('gzips a large JSON answer for a client that accepts it, and not a small one', async () => {
    const plain = await t.app.inject({ url: '/api/v1/regions?limit=100' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);

    const zipped = await t.app.inject({ url: '/api/v1/regions?limit=100', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(String(zipped.headers.vary)).toMatch(/accept-encoding/i);
    expect(zipped.rawPayload.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'))).toEqual(plain.json());

    const small = await t.app.inject({ url: '/healthz', headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toEqual({ status: 'ok' });
  });
});

describe('errors', () => {
  it('never sends a stack trace: an unexpected error is a 500 problem in the request language', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const app = await buildApp({ config, db: t.db });
    app.get('/api/v1/__boom', { config: { access: { public: true } } }, async () => {
      throw new Error('secret internal detail at /srv/balai/server.ts:42');
    });
    await app.ready();
    const res = await app.inject({ url: '/api/v1/__boom', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).not.toMatch(/secret|server\.ts|at /);
    expect(res.json().title).toMatch(/Something went wrong/);
    await app.close();
  });

  it('refuses a route without an access declaration instead of serving it', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const app = await buildApp({ config, db: t.db });
    app.post('/api/v1/__undeclared', async () => ({ leaked: true }));
    await app.ready();
    const res = await app.inject({ method: 'POST', url: '/api/v1/__undeclared', payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('leaked');
    await app.close();
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/x-foo' }, payload: 'x' });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });
});
