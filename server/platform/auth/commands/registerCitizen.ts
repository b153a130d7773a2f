import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../context.js';
import { inTransaction } from '../../context.js';
import { Conflict, Invalid, isUniqueViolation } from '../../errors.js';
import { users } from '../../org/schema.js';
import { hashPassword } from '../passwords.js';
import { createSession } from '../sessions.js';

export interface RegisterCitizenInput {
  /** Full name as the resident wants to be addressed. */
  name: string;
  /** E-mail address (lower-cased); at least one of email and phone. */
  email?: string;
  /** Mobile number normalised to 62…. */
  phone?: string;
  password: string;
  locale: 'id' | 'en';
  ip?: string;
  userAgent?: string;
  ttlHours: number;
}

/** A resident creates their own account and is signed in. */
export async function registerCitizen(ctx: Ctx, input: RegisterCitizenInput): Promise<{ token: string; userId: string }> {
  if (!input.email && !input.phone) throw Invalid.field('email', 'field.email_or_phone');
  const passwordHash = await hashPassword(input.password);
  const id = uuidv7();
  const now = ctx.clock.now();
  try {
    return await inTransaction({ ...ctx, actor: { kind: 'user', id, name: input.name, userKind: 'citizen', grants: [] } }, async (tx) => {
      await tx.tx.insert(users).values({
        tenantId: ctx.tenant.id,
        id,
        kind: 'citizen',
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        passwordHash,
        status: 'active',
        locale: input.locale,
        createdAt: now,
        updatedAt: now,
      });
      await tx.audit({ action: 'user.registered', entityType: 'user', entityId: id, data: { kind: 'citizen', email: Boolean(input.email), phone: Boolean(input.phone) } });
      const token = await createSession(tx.tx, { tenantId: ctx.tenant.id, userId: id, now, ttlHours: input.ttlHours, ip: input.ip, userAgent: input.userAgent });
      return { token, userId: id };
    });
  } catch (e) {
    if (isUniqueViolation(e, 'users_email_uq')) throw new Conflict('account_exists', {}, [{ field: 'email', code: 'account_exists_email' }]);
    if (isUniqueViolation(e, 'users_phone_uq')) throw new Conflict('account_exists', {}, [{ field: 'phone', code: 'account_exists_phone' }]);
    throw e;
  }
}
