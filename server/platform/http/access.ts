import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Permission } from '../../../common/permissions.js';
import { Forbidden, Unauthenticated } from '../errors.js';
import { canAnywhere } from '../policies/actor.js';

/**
 * Every route declares who may call it, in `config.access`:
 * - `public`: anyone, signed in or not;
 * - `authenticated`: any signed-in user (optionally only citizens or staff);
 * - a permission: a user or API key holding it on at least one unit. Unit-level checks then
 *   happen in the command with `can()`.
 */
export type Access =
  | { public: true }
  | { authenticated: true; userKind?: 'staff' | 'citizen' }
  | { permission: Permission; allowApiKey?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface RouteRecord {
  method: string;
  url: string;
  access: Access | undefined;
}

/** Collects the route table so that tests can prove every route declares its access. */
export function trackRoutes(app: FastifyInstance, table: RouteRecord[]): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // Static assets and API documentation are public; everything under /api must declare.
    const config = (route.config ??= {}) as { access?: Access };
    if (!config.access && !route.url.startsWith('/api') && methods.every((m) => m === 'GET' || m === 'HEAD')) {
      config.access = { public: true };
    }
    for (const method of methods) {
      if (method === 'HEAD') continue;
      table.push({ method, url: route.url, access: config.access });
    }
  });
}

/** Enforces the route's declared access; a route without a declaration is refused (500 in dev). */
export function enforceAccess(req: FastifyRequest): void {
  const access = req.routeOptions.config.access;
  if (!access) throw new Forbidden('forbidden');
  if ('public' in access) return;
  const actor = req.actor;
  if (actor.kind === 'anonymous') throw new Unauthenticated((req as { sessionExpired?: boolean }).sessionExpired ? 'session_expired' : 'unauthenticated');
  if ('authenticated' in access) {
    if (actor.kind !== 'user') throw new Forbidden();
    if (access.userKind && actor.userKind !== access.userKind) throw new Forbidden();
    return;
  }
  if (actor.kind === 'apikey' && !access.allowApiKey) throw new Forbidden();
  if (!canAnywhere(actor, access.permission)) throw new Forbidden();
}
