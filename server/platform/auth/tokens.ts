import { createHash, randomBytes } from 'node:crypto';

/** A random 256-bit token, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The CSRF token that belongs to a session token; unguessable without the session token. */
export function csrfFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

export function sessionCookieName(tenantSlug: string): string {
  return `balai_${tenantSlug}`;
}
