import { and, eq, sql } from 'drizzle-orm';
import { maskPhone } from '../../../../common/mask.js';
import { issuePasswordLink } from '../../auth/commands/passwords.js';
import { deleteUserSessions } from '../../auth/sessions.js';
import { type Ctx, inTransaction } from '../../context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors.js';
import { mayManageUser, maySeeUser } from '../policies.js';
import { findUser } from '../queries.js';
import { users } from '../schema.js';
import { rowsOf } from '../sql.js';
import { clashFromViolation, contactClashes } from './inviteStaff.js';
import { authChanged } from '../../auth/sessionCache.js';

export interface UpdateUserInput {
  name?: string;
  /** New mobile number (62…), or null to remove it (only when the account has an e-mail). */
  phone?: string | null;
  /** NIP of staff, or null to remove it. */
  nip?: string | null;
  /** `disabled` ends every session of the account; `active` lifts a disablement. */
  status?: 'active' | 'disabled';
}

/** Loads a user the actor may change: 404 when not visible, 403 when visible but above them. */
async function manageableUser(ex: Parameters<typeof findUser>[0], ctx: Ctx, id: string) {
  const target = await findUser(ex, ctx.tenant.id, id);
  if (!target || !maySeeUser(ctx.actor, target)) throw new NotFound();
  if (!mayManageUser(ctx.actor, target)) throw new Forbidden('user_outside_scope');
  return target;
}

/** Corrects an account's details or disables/re-enables it. */
export async function updateUser(ctx: Ctx, id: string, input: UpdateUserInput): Promise<void> {
  try {
    await inTransaction(ctx, async (tx) => {
      const { user } = await manageableUser(tx.tx, ctx, id);
      const now = ctx.clock.now();
      const where = and(eq(users.tenantId, ctx.tenant.id), eq(users.id, id));

      if (input.nip && user.kind === 'citizen') throw Invalid.field('nip', 'field.nip_staff_only');
      if (input.phone === null && !user.email) throw Invalid.field('phone', 'field.email_or_phone');
      const clashes = await contactClashes(tx.tx, ctx.tenant.id, { phone: input.phone, nip: input.nip }, id);
      if (clashes.length) throw new Conflict('account_exists', {}, clashes);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const change: Partial<typeof users.$inferInsert> = {};
      if (input.name !== undefined && input.name !== user.name) {
        before.name = user.name;
        after.name = change.name = input.name;
      }
      if (input.phone !== undefined && input.phone !== user.phone) {
        // The audit trail keeps that the number changed, not the number itself (UU PDP).
        before.phone = maskPhone(user.phone);
        after.phone = maskPhone(input.phone);
        change.phone = input.phone;
      }
      if (input.nip !== undefined && input.nip !== user.nip) {
        before.nip = user.nip;
        after.nip = change.nip = input.nip;
      }
      if (Object.keys(change).length) {
        await tx.tx
          .update(users)
          .set({ ...change, updatedAt: now })
          .where(where);
        await tx.audit({ action: 'user.updated', entityType: 'user', entityId: id, data: { before, after } });
      }

      if (input.status === 'disabled' && user.status !== 'disabled') {
        if (id === ctx.actor.id) throw new Conflict('user_disable_self');
        await tx.tx.update(users).set({ status: 'disabled', updatedAt: now }).where(where);
        const ended = await deleteUserSessions(tx.tx, ctx.tenant.id, id);
        await tx.audit({ action: 'user.disabled', entityType: 'user', entityId: id, data: { before: { status: user.status }, sessionsEnded: ended } });
      } else if (input.status === 'active' && user.status === 'disabled') {
        // Someone who never set a password goes back to waiting for their invitation.
        const [{ has_password }] = await rowsOf<{ has_password: boolean }>(
          tx.tx,
          sql`SELECT password_hash IS NOT NULL AS has_password FROM users WHERE tenant_id = ${ctx.tenant.id} AND id = ${id}`,
        );
        const status = has_password ? 'active' : 'invited';
        await tx.tx.update(users).set({ status, failedLogins: 0, lockedUntil: null, updatedAt: now }).where(where);
        await tx.audit({ action: 'user.enabled', entityType: 'user', entityId: id, data: { after: { status } } });
      }
    });
    authChanged(ctx.db);
  } catch (e) {
    throw clashFromViolation(e) ?? e;
  }
}

/** Sends a new invitation link to a staff account that has not set its password yet. */
export async function resendInvitation(ctx: Ctx, id: string, publicUrl: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const { user } = await manageableUser(tx.tx, ctx, id);
    if (user.kind !== 'staff' || user.status !== 'invited') throw new Conflict('user_not_invited');
    await issuePasswordLink(tx, user, 'staff_invitation', publicUrl);
  });
}
