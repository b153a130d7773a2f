import { and, eq, lt, ne } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import type { Actor, GrantInfo } from '../policies/actor.js';
import { apiKeys, sessions } from './schema.js';
import { hashToken, newToken } from './tokens.js';

/** A session is refreshed (sliding expiry) at most this often, to keep reads read-only. */
export const TOUCH_INTERVAL_MS = 10 * 60 * 1000;

const grantsSql = (tenantParam: string, userExpr: string) => `
  COALESCE((
    SELECT json_agg(json_build_object('grantId', g.id, 'roleKey', r.key, 'unitId', g.unit_id,
                                      'unitPath', un.path, 'permissions', r.permissions))
      FROM grants g
      JOIN roles r ON r.tenant_id = g.tenant_id AND r.id = g.role_id
      JOIN units un ON un.tenant_id = g.tenant_id AND un.id = g.unit_id AND un.active
     WHERE g.tenant_id = ${tenantParam} AND g.user_id = ${userExpr}), '[]'::json)`;

const SESSION_SQL = `
SELECT u.id, u.name, u.kind, u.status, u.locale, s.expires_at, s.last_seen_at, ${grantsSql('s.tenant_id', 's.user_id')} AS grants
  FROM sessions s
  JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
 WHERE s.tenant_id = $1 AND s.token_hash = $2`;

const SESSION_QUERY_NAME = 'balai_session_lookup';

const USER_GRANTS_SQL = `SELECT ${grantsSql('$1', '$2')} AS grants`;

export interface SessionLookup {
  actor: Actor;
  expired: boolean;
  locale: 'id' | 'en';
  /** Whether the sliding expiry is due to be extended (see touchSession). */
  stale: boolean;
  /** The session's expiry and last touch as read (absent for an expired one). */
  expiresAt?: Date;
  lastSeenAt?: Date;
}

function parseGrants(raw: unknown): GrantInfo[] {
  const list = typeof raw === 'string' ? JSON.parse(raw) : raw;
  return (list as GrantInfo[]) ?? [];
}

/** One query: the session, its user and the user's grants with unit paths. */
export async function lookupSession(db: Database, tenantId: string, token: string, now: Date): Promise<SessionLookup | null> {
  const hash = hashToken(token);
  // Every authenticated request runs this join: on PostgreSQL it is a named prepared statement, so
  // each pooled connection plans it once (planning costs several times more than executing it).
  const rows = db.pool ? (await db.pool.query({ name: SESSION_QUERY_NAME, text: SESSION_SQL, values: [tenantId, hash] })).rows : await db.query<any>(SESSION_SQL, [tenantId, hash]);
  const r = rows[0];
  if (r?.status !== 'active') return null;
  const expiresAt = new Date(r.expires_at);
  if (expiresAt <= now) {
    await db.query('DELETE FROM sessions WHERE tenant_id = $1 AND token_hash = $2', [tenantId, hash]);
    return { actor: { kind: 'anonymous', grants: [] }, expired: true, locale: r.locale, stale: false };
  }
  const lastSeenAt = new Date(r.last_seen_at);
  return {
    expired: false,
    expiresAt,
    lastSeenAt,
    stale: now.getTime() - lastSeenAt.getTime() > TOUCH_INTERVAL_MS,
    locale: r.locale,
    actor: { kind: 'user', id: r.id, name: r.name, userKind: r.kind, grants: parseGrants(r.grants) },
  };
}

/** Extends a session's expiry when it was last touched a while ago. */
export async function touchSession(db: Database, tenantId: string, token: string, now: Date, ttlHours: number): Promise<void> {
  await db.query(
    `UPDATE sessions SET last_seen_at = $3, expires_at = $4
      WHERE tenant_id = $1 AND token_hash = $2 AND last_seen_at < $5`,
    [tenantId, hashToken(token), now, new Date(now.getTime() + ttlHours * 3600_000), new Date(now.getTime() - TOUCH_INTERVAL_MS)],
  );
}

export async function grantsOf(db: Database, tenantId: string, userId: string): Promise<GrantInfo[]> {
  const rows = await db.query<{ grants: unknown }>(USER_GRANTS_SQL, [tenantId, userId]);
  return parseGrants(rows[0]?.grants);
}

export async function createSession(
  db: Executor,
  input: { tenantId: string; userId: string; now: Date; ttlHours: number; ip?: string; userAgent?: string },
): Promise<string> {
  const token = newToken();
  await db.insert(sessions).values({
    tenantId: input.tenantId,
    tokenHash: hashToken(token),
    userId: input.userId,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.ttlHours * 3600_000),
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  // Housekeeping: forget this user's expired sessions.
  await db.delete(sessions).where(and(eq(sessions.tenantId, input.tenantId), eq(sessions.userId, input.userId), lt(sessions.expiresAt, input.now)));
  return token;
}

export async function deleteSession(db: Executor, tenantId: string, token: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.tokenHash, hashToken(token))));
}

/** Ends every session of a user, or every one but the current. */
export async function deleteUserSessions(db: Executor, tenantId: string, userId: string, exceptToken?: string): Promise<number> {
  const cond = [eq(sessions.tenantId, tenantId), eq(sessions.userId, userId)];
  if (exceptToken) cond.push(ne(sessions.tokenHash, hashToken(exceptToken)));
  const r = await db.delete(sessions).where(and(...cond)).returning({ userId: sessions.userId });
  return r.length;
}

/** Integration API keys live in apikeys.ts; re-exported here for the request authentication in app.ts. */
export { lookupApiKey } from './apikeys.js';

export { apiKeys };
