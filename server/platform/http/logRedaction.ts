/**
 * Query parameters whose values are personal data or secrets (what a resident typed while
 * searching for duplicates, a caller's phone, private-link tokens, API keys): request logs show
 * them as `[redacted]`.
 */
const SENSITIVE_PARAMS = new Set(['text', 'q', 'phone', 'token', 'api_key', 'email']);

/** The URL as request logs may show it. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  let changed = false;
  for (const key of [...params.keys()]) {
    if (SENSITIVE_PARAMS.has(key)) {
      params.set(key, '[redacted]');
      changed = true;
    }
  }
  return changed ? `${url.slice(0, at)}?${params.toString()}` : url;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  hostname?: string;
  host?: string;
  ip?: string;
  id?: string;
}

/** pino's `req` serializer for the server's logs: Fastify's fields, with the URL redacted. */
export function requestSerializer(req: LoggedRequest): Record<string, unknown> {
  return { method: req.method, url: req.url ? redactUrl(req.url) : undefined, host: req.host ?? req.hostname, remoteAddress: req.ip };
}
