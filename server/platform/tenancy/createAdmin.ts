import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { passwordSchema } from '../../../common/validators.js';
import type { Database } from '../../db/client.js';
import { hashPassword } from '../auth/passwords.js';
import { type Clock, inTransaction, systemClock } from '../context.js';
import { Conflict, Invalid, isUniqueViolation, NotFound } from '../errors.js';
import { units, users } from '../org/schema.js';
import { systemActor } from '../policies/actor.js';
import { grants, roles } from '../policies/schema.js';
import { tenants } from './schema.js';

/** Length of a generated password (base64url characters, ≈ 96 bits). */
const GENERATED_PASSWORD_LENGTH = 16;

export interface CreateAdminInput {
  /** Slug of the tenant, e.g. makassar. */
  tenant: string;
  /** Sign-in e-mail, already normalised (lower case). */
  email: string;
  name: string;
  /** Chosen password; when absent one is generated and returned once. */
  password?: string;
}

export interface CreatedAdmin {
  userId: string;
  tenantId: string;
  rootUnitName: string;
  /** The generated password, when none was given. Shown once, never stored in clear. */
  generatedPassword?: string;
}

/** A random password that satisfies the password rule (letters and digits). */
export function generatePassword(): string {
  for (;;) {
    const p = randomBytes(GENERATED_PASSWORD_LENGTH).toString('base64url').slice(0, GENERATED_PASSWORD_LENGTH);
    if (passwordSchema.safeParse(p).success) return p;
  }
}

/**
 * Creates a staff account holding the admin role on the tenant's root unit, for a real
 * installation (`npx balai create-admin`). Refuses weak passwords and an e-mail already in use
 * in that tenant (running it twice changes nothing the second time).
 */
export async function createAdmin(db: Database, input: CreateAdminInput, clock: Clock = systemClock): Promise<CreatedAdmin> {
  const [tenant] = await db.orm.select().from(tenants).where(eq(tenants.slug, input.tenant));
  if (!tenant) throw new NotFound('tenant_not_found', { slug: input.tenant });
  const password = input.password ?? generatePassword();
  if (!passwordSchema.safeParse(password).success) throw Invalid.field('password', 'field.password_weak');
  const [root] = await db.orm
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(eq(units.tenantId, tenant.id), isNull(units.parentId)));
  const [role] = await db.orm
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, tenant.id), eq(roles.key, 'admin')));
  if (!root || !role) throw new NotFound('not_found', { what: 'root unit or admin role' });
  const [taken] = await db.orm
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenant.id), sql`lower(${users.email}) = ${input.email.toLowerCase()}`));
  if (taken) throw emailTaken();
  const passwordHash = await hashPassword(password);
  const userId = uuidv7();
  const now = clock.now();
  const actor = { ...systemActor, name: 'CLI create-admin' };
  try {
    await inTransaction({ db, tenant, actor, clock, locale: 'id' }, async (tx) => {
      await tx.tx.insert(users).values({ tenantId: tenant.id, id: userId, kind: 'staff', name: input.name, email: input.email, passwordHash, status: 'active', createdAt: now, updatedAt: now });
      const grantId = uuidv7();
      await tx.tx.insert(grants).values({ tenantId: tenant.id, id: grantId, userId, roleId: role.id, unitId: root.id, createdAt: now });
      await tx.audit({ action: 'user.created', entityType: 'user', entityId: userId, data: { kind: 'staff', via: 'cli' } });
      await tx.audit({ action: 'grant.added', entityType: 'user', entityId: userId, unitId: root.id, data: { grantId, roleKey: 'admin', unitId: root.id } });
    });
  } catch (e) {
    if (isUniqueViolation(e, 'users_email_uq')) throw emailTaken();
    throw e;
  }
  return { userId, tenantId: tenant.id, rootUnitName: root.name, generatedPassword: input.password ? undefined : password };
}

function emailTaken(): Conflict {
  return new Conflict('account_exists_email', {}, [{ field: 'email', code: 'account_exists_email' }]);
}
