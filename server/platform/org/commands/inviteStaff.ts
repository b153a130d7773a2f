import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Executor } from '../../../db/client.js';
import { issuePasswordLink } from '../../auth/commands/passwords.js';
import { type Ctx, inTransaction } from '../../context.js';
import { Conflict, type FieldError, Invalid, isUniqueViolation } from '../../errors.js';
import { scopeOf } from '../../policies/scope.js';
import { users } from '../schema.js';
import { rowsOf } from '../sql.js';
import { type GrantInput, insertGrant, type ResolvedGrant, resolveGrant } from './grants.js';

export interface InviteStaffInput {
  /** Full name, with titles as the person uses them. */
  name: string;
  /** Work e-mail address (lower-cased); the invitation goes there. */
  email: string;
  /** Mobile number normalised to 62…. */
  phone?: string;
  /** 18-digit civil-servant number (NIP), for ASN. */
  nip?: string;
  locale: 'id' | 'en';
  /** Roles to give at once; an actor who manages users only on some units must give at least one. */
  grants: GrantInput[];
  /** Base URL of the invitation link. */
  publicUrl: string;
}

/**
 * Which of e-mail, mobile number and NIP already belong to another account of the tenant, as
 * 409 field errors (all at once, so that the form can mark every clash).
 */
export async function contactClashes(
  ex: Executor,
  tenantId: string,
  v: { email?: string | null; phone?: string | null; nip?: string | null },
  exceptUserId?: string,
): Promise<FieldError[]> {
  const email = v.email ?? null;
  const phone = v.phone ?? null;
  const nip = v.nip ?? null;
  if (!email && !phone && !nip) return [];
  const rows = await rowsOf<{ email: boolean; phone: boolean; nip: boolean }>(
    ex,
    sql`SELECT coalesce(lower(email) = ${email}, false) AS email, coalesce(phone = ${phone}, false) AS phone, coalesce(nip = ${nip}, false) AS nip
          FROM users
         WHERE tenant_id = ${tenantId} AND (lower(email) = ${email} OR phone = ${phone} OR nip = ${nip})
           ${exceptUserId ? sql`AND id <> ${exceptUserId}` : sql``}`,
  );
  const out: FieldError[] = [];
  if (rows.some((r) => r.email)) out.push({ field: 'email', code: 'field.email_taken' });
  if (rows.some((r) => r.phone)) out.push({ field: 'phone', code: 'field.phone_taken' });
  if (rows.some((r) => r.nip)) out.push({ field: 'nip', code: 'field.nip_taken' });
  return out;
}

/** The unique index a violation came from, as a field error. */
export function clashFromViolation(e: unknown): Conflict | undefined {
  if (isUniqueViolation(e, 'users_email_uq')) return new Conflict('account_exists', {}, [{ field: 'email', code: 'field.email_taken' }]);
  if (isUniqueViolation(e, 'users_phone_uq')) return new Conflict('account_exists', {}, [{ field: 'phone', code: 'field.phone_taken' }]);
  if (isUniqueViolation(e, 'users_nip_uq')) return new Conflict('account_exists', {}, [{ field: 'nip', code: 'field.nip_taken' }]);
  return undefined;
}

/**
 * Creates a staff account in status `invited`, gives it the requested roles and e-mails an
 * invitation link (through the outbox) with which the person sets a password.
 */
export async function inviteStaff(ctx: Ctx, input: InviteStaffInput): Promise<string> {
  if (!scopeOf(ctx.actor, 'users.manage').tenantWide && input.grants.length === 0) {
    throw Invalid.field('grants', 'field.grants_required');
  }
  const id = uuidv7();
  const now = ctx.clock.now();
  try {
    await inTransaction(ctx, async (tx) => {
      const resolved: ResolvedGrant[] = [];
      const seen = new Set<string>();
      for (const [i, g] of input.grants.entries()) {
        const r = await resolveGrant(tx.tx, ctx, g, `grants.${i}.`);
        const key = `${r.role.id}/${r.unit.id}`;
        if (!seen.has(key)) resolved.push(r);
        seen.add(key);
      }
      const clashes = await contactClashes(tx.tx, ctx.tenant.id, input);
      if (clashes.length) throw new Conflict('account_exists', {}, clashes);
      const user = { id, name: input.name, email: input.email, locale: input.locale };
      await tx.tx.insert(users).values({
        tenantId: ctx.tenant.id,
        id,
        kind: 'staff',
        name: input.name,
        email: input.email,
        phone: input.phone ?? null,
        nip: input.nip ?? null,
        passwordHash: null,
        status: 'invited',
        locale: input.locale,
        createdAt: now,
        updatedAt: now,
      });
      for (const r of resolved) await insertGrant(tx, id, r);
      await issuePasswordLink(tx, user, 'staff_invitation', input.publicUrl);
    });
  } catch (e) {
    throw clashFromViolation(e) ?? e;
  }
  return id;
}
