import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { inTransaction } from '../../context.js';
import { Invalid } from '../../errors.js';
import { enqueueEmail } from '../../notify/email.js';
import { users } from '../../org/schema.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { passwordResets } from '../schema.js';
import { deleteUserSessions } from '../sessions.js';
import { hashToken, newToken } from '../tokens.js';
import { loginCondition } from './login.js';
import { authChanged } from '../sessionCache.js';

/** Lifetime of a reset link. */
export const RESET_TTL_HOURS = 2;
/** Lifetime of a staff invitation link. */
export const INVITATION_TTL_HOURS = 72;

/** A signed-in user changes their password; every other session of theirs ends. */
export async function changePassword(ctx: Ctx, input: { current: string; next: string; keepToken?: string }): Promise<void> {
  const userId = ctx.actor.id!;
  const [user] = await ctx.db.orm.select().from(users).where(and(eq(users.tenantId, ctx.tenant.id), eq(users.id, userId)));
  if (!(await verifyPassword(user?.passwordHash ?? null, input.current))) throw Invalid.field('current', 'password_wrong');
  const passwordHash = await hashPassword(input.next);
  await inTransaction(ctx, async (tx) => {
    await tx.tx.update(users).set({ passwordHash, updatedAt: ctx.clock.now() }).where(and(eq(users.tenantId, ctx.tenant.id), eq(users.id, userId)));
    const ended = await deleteUserSessions(tx.tx, ctx.tenant.id, userId, input.keepToken);
    await tx.audit({ action: 'user.password_changed', entityType: 'user', entityId: userId, data: { sessionsEnded: ended } });
  });
  authChanged(ctx.db);
}

/** Creates a one-time link token for a user and puts the e-mail into the outbox. */
export async function issuePasswordLink(
  ctx: Ctx & { tx: any; audit: any },
  user: { id: string; name: string; email: string | null; locale: 'id' | 'en' },
  kind: 'password_reset' | 'staff_invitation',
  publicUrl: string,
): Promise<void> {
  const token = newToken();
  const hours = kind === 'password_reset' ? RESET_TTL_HOURS : INVITATION_TTL_HOURS;
  await ctx.tx.insert(passwordResets).values({
    tenantId: ctx.tenant.id,
    tokenHash: hashToken(token),
    userId: user.id,
    expiresAt: new Date(ctx.clock.now().getTime() + hours * 3600_000),
    createdAt: ctx.clock.now(),
  });
  if (user.email) {
    const base = publicUrl.replace(/\/$/, '');
    await enqueueEmail(ctx as any, {
      to: user.email,
      template: kind,
      locale: user.locale,
      params: { name: user.name, hours, link: `${base}/t/${ctx.tenant.slug}/reset-password?token=${token}` },
    });
  }
  await ctx.audit({ action: kind === 'password_reset' ? 'user.password_reset_requested' : 'user.invited', entityType: 'user', entityId: user.id });
}

/** Starts a reset by e-mail. Answers the same whether or not the account exists. */
export async function requestPasswordReset(ctx: Ctx, input: { login: string; publicUrl: string }): Promise<void> {
  const [user] = await ctx.db.orm.select().from(users).where(loginCondition(ctx.tenant.id, input.login)).limit(1);
  if (!user || user.status === 'disabled' || !user.email) return;
  await inTransaction({ ...ctx, actor: { kind: 'user', id: user.id, name: user.name, grants: [] } }, (tx) => issuePasswordLink(tx, user, 'password_reset', input.publicUrl));
}

/** Sets a new password from a reset or invitation link; the link works once. */
export async function resetPassword(ctx: Ctx, input: { token: string; password: string }): Promise<void> {
  const now = ctx.clock.now();
  const tokenHash = hashToken(input.token);
  const passwordHash = await hashPassword(input.password);
  await inTransaction(ctx, async (tx) => {
    const [link] = await tx.tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.tenantId, ctx.tenant.id), eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
      .returning();
    if (!link) throw Invalid.field('token', 'reset_token_invalid');
    // An invitation activates the account; a disabled account stays disabled.
    const [user] = await tx.tx
      .update(users)
      .set({ passwordHash, status: sql`CASE WHEN ${users.status} = 'invited' THEN 'active' ELSE ${users.status} END`, failedLogins: 0, lockedUntil: null, updatedAt: now })
      .where(and(eq(users.tenantId, ctx.tenant.id), eq(users.id, link.userId)))
      .returning({ status: users.status });
    if (!user || user.status === 'disabled') throw Invalid.field('token', 'reset_token_invalid');
    await deleteUserSessions(tx.tx, ctx.tenant.id, link.userId);
    await tx.audit({ action: 'user.password_reset', entityType: 'user', entityId: link.userId });
  });
  authChanged(ctx.db);
}
