/**
 * Tenancy in the browser. A government without a host name of its own is served under
 * `/t/{slug}/…`; the prefix becomes the router's basename and is put before every API call.
 */
const TENANT_PREFIX = /^\/t\/([a-z0-9][a-z0-9-]{1,39})(?=\/|$)/;

export function detectBasePath(pathname: string): string {
  const m = TENANT_PREFIX.exec(pathname);
  return m ? m[0] : '';
}

/** `''` for the default government, `/t/{slug}` otherwise; fixed for the life of the page. */
export const basePath = detectBasePath(window.location.pathname);

/** An absolute path inside this government's site (for links that leave the router, e.g. SSE). */
export function withBase(path: string): string {
  return `${basePath}${path.startsWith('/') ? path : `/${path}`}`;
}

/** The home page of another government served by this installation. */
export function tenantHome(slug: string): string {
  return `/t/${slug}/`;
}
