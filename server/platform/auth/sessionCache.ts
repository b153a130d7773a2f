import type { Database } from '../../db/client.js';
import type { SessionLookup } from './sessions.js';

/** NOTIFY channel on which the database says that sessions, users, grants, roles or units changed. */
export const AUTH_CHANNEL = 'balai_auth';

/** Entries kept at most; past this the cache starts over (a burst of sign-ins, not a leak). */
const MAX_ENTRIES = 50_000;

interface Entry {
  lookup: SessionLookup;
  expiresAt: number;
  lastSeenAt: number;
  /** performance.now() when read from the database. */
  readAt: number;
}

/**
 * The sessions a process has recently looked up, so that an authenticated request costs no
 * database round trip: the session join (session, user, grants with their units and roles) was
 * the largest single cost of a busy write route (npm run bench, health-register-spread: the
 * database's CPU per registration fell from 0.82 to 0.47 ms with it).
 *
 * An entry is dropped
 * - in every process at once when the database says that anything it is made of changed: triggers
 *   on sessions (deleted), users (status, name, kind, locale), grants, roles and units (path,
 *   active) NOTIFY `balai_auth` at commit (migration 0026);
 * - at once in the process that made the change (`authChanged`), before its answer goes out, so
 *   that a sign-out or a revoked role never outlives the request that did it there;
 * - when the LISTEN connection had to reconnect (a notification may have been lost);
 * - after `maxAgeMs` in any case (SESSION_CACHE_SECONDS), which bounds a lost notification;
 * - when the session's expiry passes (it is then read again: it may have slid).
 * A session that is unknown or expired is never cached.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Lookups in flight, shared by the requests of one session that miss at the same moment. */
  private readonly loading = new Map<string, Promise<SessionLookup | null>>();
  /** Bumped by clear(): a lookup that began before a change is not kept. */
  private generation = 0;

  constructor(
    private readonly maxAgeMs: number,
    private readonly touchIntervalMs: number,
  ) {}

  get(tenantId: string, token: string, now: Date): SessionLookup | null {
    if (this.maxAgeMs <= 0) return null;
    const key = `${tenantId}:${token}`;
    const e = this.entries.get(key);
    if (!e) return null;
    if (performance.now() - e.readAt > this.maxAgeMs || e.expiresAt <= now.getTime()) {
      this.entries.delete(key);
      return null;
    }
    return { ...e.lookup, stale: now.getTime() - e.lastSeenAt > this.touchIntervalMs };
  }

  /**
   * The session from the cache, else read by `read` (once for all the requests of the session
   * that arrive while it is read) and kept unless a change came in the meantime. Only the request
   * that read it is told that the expiry is due to slide (it touches the session).
   */
  async lookup(tenantId: string, token: string, now: Date, read: () => Promise<SessionLookup | null>): Promise<{ found: SessionLookup | null; cached: boolean }> {
    const hit = this.get(tenantId, token, now);
    if (hit) return { found: hit, cached: true };
    const key = `${tenantId}:${token}`;
    const pending = this.loading.get(key);
    if (pending) {
      const found = await pending;
      return { found: found && { ...found, stale: false }, cached: false };
    }
    const generation = this.generation;
    const loading = read();
    this.loading.set(key, loading);
    try {
      const found = await loading;
      if (found && generation === this.generation) this.set(tenantId, token, found, now);
      return { found, cached: false };
    } finally {
      if (this.loading.get(key) === loading) this.loading.delete(key);
    }
  }

  /** Keeps a session just read (and, when it was touched, the time of the touch). */
  set(tenantId: string, token: string, lookup: SessionLookup, now: Date): void {
    if (this.maxAgeMs <= 0 || lookup.expired || !lookup.expiresAt || !lookup.lastSeenAt) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(`${tenantId}:${token}`, {
      lookup,
      expiresAt: lookup.expiresAt.getTime(),
      lastSeenAt: lookup.stale ? now.getTime() : lookup.lastSeenAt.getTime(),
      readAt: performance.now(),
    });
  }

  /** The session was touched (its sliding expiry extended) now. */
  touched(tenantId: string, token: string, now: Date): void {
    const e = this.entries.get(`${tenantId}:${token}`);
    if (e) e.lastSeenAt = now.getTime();
  }

  clear(): void {
    this.entries.clear();
    this.loading.clear();
    this.generation++;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The caches of the apps running on a database (one per app; tests may run several). */
const caches = new WeakMap<Database, Set<SessionCache>>();

/**
 * A cache for an app on `db`, emptied whenever the database NOTIFYs a change (see SessionCache).
 * Returns the cache and the function that stops listening.
 */
export async function openSessionCache(db: Database, maxAgeMs: number, touchIntervalMs: number): Promise<{ cache: SessionCache; close: () => Promise<void> }> {
  const cache = new SessionCache(maxAgeMs, touchIntervalMs);
  let set = caches.get(db);
  if (!set) caches.set(db, (set = new Set()));
  set.add(cache);
  const unlisten = maxAgeMs > 0 ? await db.listen(AUTH_CHANNEL, () => cache.clear(), { onReconnect: () => cache.clear() }) : async () => {};
  return {
    cache,
    close: async () => {
      set.delete(cache);
      await unlisten();
    },
  };
}

/**
 * Says, in the process that changed them, that sessions, users, grants, roles or units changed:
 * every cache of this database in this process is emptied now, without waiting for the
 * notification (which the other processes get at commit).
 */
export function authChanged(db: Database): void {
  for (const c of caches.get(db) ?? []) c.clear();
}
