import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import helmet from 'helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { modules } from './modules/index.js';
import { authRoutes } from './platform/auth/routes.js';
import { openSessionCache } from './platform/auth/sessionCache.js';
import { lookupApiKey, lookupSession, TOUCH_INTERVAL_MS, touchSession } from './platform/auth/sessions.js';
import { csrfFor, sessionCookieName } from './platform/auth/tokens.js';
import { type AfterCommit, type Clock, type Ctx, systemClock } from './platform/context.js';
import { Forbidden, Unauthenticated } from './platform/errors.js';
import { enforceAccess, type RouteRecord, trackRoutes } from './platform/http/access.js';
import { installProblemHandlers, requestLocale, sendProblem } from './platform/http/problems.js';
import { opsRoutes } from './platform/http/ops.js';
import { anonymous, type Actor } from './platform/policies/actor.js';
import type { Tenant } from './platform/tenancy/tenants.js';
import { TenantRegistry } from './platform/tenancy/tenants.js';
import { tenancyRoutes } from './platform/tenancy/routes.js';
import { unitRoutes, userRoutes } from './platform/org/routes.js';
import { roleRoutes } from './platform/policies/routes.js';
import { apiKeyRoutes } from './platform/auth/apikeys.routes.js';
import { auditRoutes } from './platform/audit/routes.js';
import { filesRoutes } from './platform/files/routes.js';
import { regionRoutes } from './platform/regions/routes.js';
import { calendarRoutes } from './platform/calendar/routes.js';
import { tenantAdminRoutes } from './platform/tenancy/adminRoutes.js';
import { outboxRoutes } from './platform/notify/outboxRoutes.js';
import { eventRoutes } from './platform/events/routes.js';
import { notificationRoutes } from './platform/notify/routes.js';

export interface AppDeps {
  config: Config;
  db: Database;
  clock?: Clock;
  /** Run after commands commit (event relay, audit sealing); the process wires its workers here. */
  afterCommit?: AfterCommit;
  /** Where the built web app lives; absent in API tests. */
  webDist?: string;
  logger?: boolean | FastifyBaseLogger | Record<string, unknown>;
}

export type AppInstance = FastifyInstance<any, any, any, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant;
    actor: Actor;
    /** The raw session token when the request is authenticated by cookie. */
    sessionToken?: string;
    /** Build the command/query context of this request. */
    ctx(): Ctx;
  }
  interface FastifyInstance {
    deps: Required<Pick<AppDeps, 'config' | 'db' | 'clock'>> & AppDeps;
    tenants: TenantRegistry;
    routeTable: RouteRecord[];
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TENANT_PREFIX = /^\/t\/([a-z0-9][a-z0-9-]{1,39})(?=\/|$|\?)/;

export async function buildApp(input: AppDeps): Promise<AppInstance> {
  const deps = { ...input, clock: input.clock ?? systemClock };
  const { config, db } = deps;
  const loggerOption =
    deps.logger && typeof (deps.logger as FastifyBaseLogger).info === 'function'
      ? { loggerInstance: deps.logger as FastifyBaseLogger }
      : { logger: (deps.logger as boolean | Record<string, unknown> | undefined) ?? false };
  const app = Fastify({
    ...loggerOption,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 256 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    // `/t/{slug}/…` selects a tenant by path where no host name is configured (two demo cities on
    // localhost). The prefix is removed before routing and remembered on the raw request.
    rewriteUrl: (req) => {
      const url = req.url ?? '/';
      const m = TENANT_PREFIX.exec(url);
      if (!m) return url;
      (req as any).balaiTenantSlug = m[1];
      return url.slice(m[0].length) || '/';
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps as any);
  const sessionCache = await openSessionCache(db, config.SESSION_CACHE_SECONDS * 1000, TOUCH_INTERVAL_MS);
  app.addHook('onClose', () => sessionCache.close());
  app.decorate('tenants', new TenantRegistry(db, config.DEFAULT_TENANT));
  const routeTable: RouteRecord[] = [];
  app.decorate('routeTable', routeTable);
  trackRoutes(app, routeTable);
  installProblemHandlers(app);

  app.decorateRequest('tenant', null as unknown as Tenant);
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('ctx', function (this: FastifyRequest): Ctx {
    return {
      db,
      tenant: this.tenant,
      actor: this.actor,
      clock: deps.clock,
      locale: requestLocale(this),
      requestId: this.id,
      ip: this.ip,
      afterCommit: deps.afterCommit,
    };
  });

  await app.register(cookie);
  // Security headers (CSP and the rest of helmet's set), from a middleware built once: the Fastify
  // plugin (@fastify/helmet 13) rebuilt it and re-parsed the CSP on every request (~15–40 µs each).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  await app.register(rateLimit, { global: false });
  // `npm start` serves residents with no proxy in front: compress answers of 1 KB and more (a
  // street-level map is ~145 KB of JSON, ~20 KB gzipped). Images and PDFs are not compressible
  // types and pass as they are; event streams are written to the socket directly.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip', 'deflate'] });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Balai API', version: '1', description: 'REST API of Balai. Errors are RFC 9457 problem responses.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'balai_{tenant}' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });

  // Graceful stop: once close() is called, answers still in flight ask the client to close its
  // keep-alive connection, so that the server can finish without cutting anyone off.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  // Tenant, actor, access and CSRF, in that order, for every request.
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const slug = (req.raw as any).balaiTenantSlug as string | undefined;
    const tenant = await app.tenants.resolve(req.headers.host, slug);
    if (!tenant) {
      if (req.url.startsWith('/healthz') || req.url.startsWith('/readyz') || req.url.startsWith('/metrics')) {
        req.actor = anonymous;
        return;
      }
      return sendProblem(req, reply, 404, 'tenant_not_found', { slug: slug ?? req.headers.host });
    }
    req.tenant = tenant;
    req.actor = anonymous;
    await authenticate(req);
    // Who may call the route is decided before the body is even parsed or validated, so that a
    // caller without access learns nothing about the route's input.
    if (!req.routeOptions.url) return; // 404 handler
    enforceAccess(req);
    if (UNSAFE_METHODS.has(req.method) && req.sessionToken) {
      const sent = req.headers['x-csrf-token'];
      if (sent !== csrfFor(req.sessionToken)) throw new Forbidden('csrf_invalid');
    }
  });


  async function authenticate(req: FastifyRequest): Promise<void> {
    const auth = req.headers.authorization;
    const apiKey = (typeof req.headers['x-api-key'] === 'string' && req.headers['x-api-key']) || (auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined);
    if (apiKey) {
      const actor = await lookupApiKey(db, req.tenant.id, apiKey);
      if (!actor) throw new Unauthenticated('unauthenticated');
      req.actor = actor;
      return;
    }
    const token = req.cookies[sessionCookieName(req.tenant.slug)];
    if (!token) return;
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return;
    const now = deps.clock.now();
    const { found, cached } = await sessionCache.cache.lookup(req.tenant.id, token, now, () => lookupSession(db, req.tenant.id, token, now));
    if (!found) return;
    if (found.expired) {
      (req as any).sessionExpired = true;
      return;
    }
    req.actor = found.actor;
    req.sessionToken = token;
    if (found.stale) {
      await touchSession(db, req.tenant.id, token, now, config.SESSION_TTL_HOURS);
      if (cached) sessionCache.cache.touched(req.tenant.id, token, now);
    }
  }

  await app.register(async (api) => {
    opsRoutes(api as AppInstance);
    tenancyRoutes(api as AppInstance);
    authRoutes(api as AppInstance);
    await api.register(async (scope) => filesRoutes(scope as AppInstance));
    regionRoutes(api as AppInstance);
    calendarRoutes(api as AppInstance);
    tenantAdminRoutes(api as AppInstance);
    outboxRoutes(api as AppInstance);
    eventRoutes(api as AppInstance);
    notificationRoutes(api as AppInstance);
    unitRoutes(api as AppInstance);
    userRoutes(api as AppInstance);
    roleRoutes(api as AppInstance);
    apiKeyRoutes(api as AppInstance);
    auditRoutes(api as AppInstance);
    for (const m of modules) await m.routes(api as AppInstance, deps);
  });

  const webDist = deps.webDist;
  const indexHtml = webDist && existsSync(join(webDist, 'index.html')) ? readFileSync(join(webDist, 'index.html'), 'utf8') : undefined;
  if (webDist && indexHtml) {
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      index: false,
      wildcard: false,
      setHeaders: (res, path) => {
        if (path.includes(`${join(webDist, 'assets')}`)) res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const isApi = /^\/(api|open311|fhir|docs|healthz|readyz|metrics)(\/|$)/.test(req.url);
    if (isApi || req.method !== 'GET' || !indexHtml) {
      return sendProblem(req, reply, 404, 'route_not_found', { method: req.method, url: req.url.split('?')[0] });
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  });

  return app as AppInstance;
}
