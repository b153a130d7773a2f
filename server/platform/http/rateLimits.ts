import type { FastifyRequest } from 'fastify';

/**
 * A route's request budget per minute, counted per caller: an integration signed in with an API
 * key has its own budget, everyone else one per client address (per app process, like every
 * rate limit of the app).
 *
 * Why per key: a channel gateway (WhatsApp, social media) sends every resident's messages and
 * photos from one address, so an address budget sized for one resident's phone would throttle
 * it; and a key that leaks must still not let its holder flood the city's storage. The key's
 * budget is counted whatever address it comes from.
 */
export function perCallerRate(budget: { perAddress: number; perApiKey: number }) {
  return {
    timeWindow: '1 minute',
    keyGenerator: (req: FastifyRequest) => callerKey(req),
    max: (_req: FastifyRequest, key: string) => (key.startsWith('key:') ? budget.perApiKey : budget.perAddress),
  };
}

/** The counter a request is charged to: its API key (authentication runs before rate limits), else its address. */
export function callerKey(req: FastifyRequest): string {
  const actor = req.actor;
  if (actor?.kind === 'apikey' && actor.id) return `key:${req.tenant?.id ?? ''}:${actor.id}`;
  return `ip:${req.ip}`;
}
