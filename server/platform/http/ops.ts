import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import type { AppInstance } from '../../app.js';

/** Liveness, readiness and Prometheus metrics. */
export function opsRoutes(app: AppInstance): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'balai_' });
  const duration = new Histogram({
    name: 'balai_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    duration.observe({ method: req.method, route: req.routeOptions.url ?? 'not_found', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get(
    '/healthz',
    { config: { access: { public: true } }, schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get('/readyz', { config: { access: { public: true } }, schema: { hide: true } }, async (req, reply) => {
    try {
      await app.deps.db.query('SELECT 1');
      return { status: 'ready' };
    } catch (err) {
      // Logged so that an unready instance says why (a probe alone only sees the 503).
      req.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  app.get('/metrics', { config: { access: { public: true } }, schema: { hide: true } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
