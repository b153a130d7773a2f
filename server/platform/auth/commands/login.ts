import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { inTransaction } from '../../context.js';
import { Unauthenticated } from '../../errors.js';
import { users } from '../../org/schema.js';
import { verifyPassword } from '../passwords.js';
import { createSession } from '../sessions.js';
import { normalizePhone } from '../../../../common/validators.js';

/** Consecutive failures that lock an account. */
export const MAX_FAILED_LOGINS = 5;
/** How long a locked account stays locked. */
export const LOCKOUT_MINUTES = 15;

export interface LoginInput {
  /** E-mail address or mobile number. */
  login: string;
  password: string;
  ip?: string;
  userAgent?: string;
  ttlHours: number;
}

export function loginCondition(tenantId: string, login: string) {
  const trimmed = login.trim();
  if (trimmed.includes('@')) return and(eq(users.tenantId, tenantId), sql`lower(${users.email}) = ${trimmed.toLowerCase()}`);
  return and(eq(users.tenantId, tenantId), eq(users.phone, normalizePhone(trimmed) ?? trimmed));
}

/** Checks the password, applies the lockout rule and opens a session. */
export async function login(ctx: Ctx, input: LoginInput): Promise<{ token: string; userId: string }> {
  const now = ctx.clock.now();
  const [user] = await ctx.db.orm.select().from(users).where(loginCondition(ctx.tenant.id, input.login)).limit(1);
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user) throw new Unauthenticated('login_failed');
  if (user.status !== 'active') throw new Unauthenticated(user.status === 'invited' ? 'login_invited' : 'login_disabled');
  if (user.lockedUntil && user.lockedUntil > now) throw new Unauthenticated('login_locked');

  const actorCtx = { ...ctx, actor: { kind: 'user' as const, id: user.id, name: user.name, userKind: user.kind, grants: [] } };
  if (!ok) {
    const failures = user.failedLogins + 1;
    const locked = failures >= MAX_FAILED_LOGINS;
    await inTransaction(actorCtx, async (tx) => {
      await tx.tx
        .update(users)
        .set({ failedLogins: locked ? 0 : failures, lockedUntil: locked ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null })
        .where(and(eq(users.tenantId, ctx.tenant.id), eq(users.id, user.id)));
      await tx.audit({ action: locked ? 'user.locked' : 'user.login_failed', entityType: 'user', entityId: user.id, data: { failures } });
    });
    throw new Unauthenticated(locked ? 'login_locked' : 'login_failed');
  }

  return inTransaction(actorCtx, async (tx) => {
    await tx.tx
      .update(users)
      .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now })
      .where(and(eq(users.tenantId, ctx.tenant.id), eq(users.id, user.id)));
    const token = await createSession(tx.tx, { tenantId: ctx.tenant.id, userId: user.id, now, ttlHours: input.ttlHours, ip: input.ip, userAgent: input.userAgent });
    await tx.audit({ action: 'user.logged_in', entityType: 'user', entityId: user.id });
    return { token, userId: user.id };
  });
}
