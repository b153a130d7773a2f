import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { isPermission, type Permission } from '../../../common/permissions.js';
import type { Database } from '../../db/client.js';
import { type Ctx, inTransaction, reader } from '../context.js';
import { type FieldError, Forbidden, Invalid, NotFound } from '../errors.js';
import { decodeCursor, encodeCursor, ISO_US_RE, isoUtc, rowsOf, UUID_RE } from '../org/sql.js';
import { type Actor, can } from '../policies/actor.js';
import { missingPermissions } from '../policies/scope.js';
import { apiKeys } from './schema.js';
import { hashToken } from './tokens.js';

/**
 * Integration API keys: `bk_<8-character prefix>_<43-character secret>`, sent as
 * `Authorization: Bearer …` or `X-API-Key`. Only the sha256 of the whole key is stored; the prefix
 * is kept in clear so that admins can tell keys apart. A key acts with its own permissions on its
 * unit (or tenant-wide), and only on routes that declare `allowApiKey`.
 */
export const API_KEY_PATTERN = /^bk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{20,100}$/;
/** last_used_at is refreshed at most this often, so that reads stay (mostly) read-only. */
const LAST_USED_INTERVAL = '10 minutes';

export function newApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url');
  return { prefix, key: `bk_${prefix}_${randomBytes(32).toString('base64url')}` };
}

/**
 * The actor of a presented key, or null when it is malformed, unknown, revoked, or bound to a unit
 * that no longer exists or is inactive.
 */
export async function lookupApiKey(db: Database, tenantId: string, presented: string): Promise<Actor | null> {
  if (!API_KEY_PATTERN.test(presented)) return null;
  const rows = await db.query<{ id: string; name: string; permissions: string[]; path: string[] | null; stale: boolean }>(
    `SELECT k.id, k.name, k.permissions,
            (CASE WHEN k.unit_id IS NULL
                  THEN (SELECT path FROM units WHERE tenant_id = k.tenant_id AND parent_id IS NULL LIMIT 1)
                  ELSE (SELECT path FROM units WHERE tenant_id = k.tenant_id AND id = k.unit_id AND active) END)::text[] AS path,
            (k.last_used_at IS NULL OR k.last_used_at < now() - interval '${LAST_USED_INTERVAL}') AS stale
       FROM api_keys k
      WHERE k.tenant_id = $1 AND k.key_hash = $2 AND k.revoked_at IS NULL`,
    [tenantId, hashToken(presented)],
  );
  const k = rows[0];
  if (!k?.path?.length) return null;
  if (k.stale) await db.query('UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, k.id]);
  return {
    kind: 'apikey',
    id: k.id,
    name: k.name,
    grants: [{ grantId: k.id, roleKey: 'api_key', unitId: k.path.at(-1)!, unitPath: k.path, permissions: k.permissions.filter(isPermission) }],
  };
}

export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  /** The clear part of the key (`bk_<prefix>_…`), to recognise it. */
  prefix: z.string(),
  permissions: z.array(z.string()),
  /** The unit the key is limited to (and everything below it); null means tenant-wide. */
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  active: z.boolean(),
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  unit_id: string | null;
  unit_name: string | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: string;
  created_at_us: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const keySelect = sql`SELECT k.id, k.name, k.prefix, k.permissions, k.unit_id, un.name AS unit_name, k.created_by, cu.name AS created_by_name,
                             ${isoUtc(sql`k.created_at`)} AS created_at, ${isoUtc(sql`k.created_at`, 'us')} AS created_at_us,
                             ${isoUtc(sql`k.last_used_at`)} AS last_used_at, ${isoUtc(sql`k.revoked_at`)} AS revoked_at
                        FROM api_keys k
                        LEFT JOIN units un ON un.tenant_id = k.tenant_id AND un.id = k.unit_id
                        LEFT JOIN users cu ON cu.tenant_id = k.tenant_id AND cu.id = k.created_by`;

function present(r: ApiKeyRow): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    permissions: r.permissions,
    unitId: r.unit_id,
    unitName: r.unit_name,
    createdBy: r.created_by ? { id: r.created_by, name: r.created_by_name ?? '' } : null,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    active: r.revoked_at === null,
  };
}

/** Keys are tenant-wide integration credentials: managing them needs `apikeys.manage` on the root. */
function requireTenantWide(ctx: Ctx): void {
  if (!can(ctx.actor, 'apikeys.manage')) throw new Forbidden('tenant_wide_required', { permission: 'apikeys.manage' });
}

/** Keys of the tenant, newest first; revoked keys stay listed (greyed) for the record. */
export async function listApiKeys(ctx: Ctx, input: { cursor?: string; limit: number }): Promise<{ items: ApiKeyView[]; nextCursor: string | null }> {
  requireTenantWide(ctx);
  const after = decodeCursor(input.cursor, (p) => p.length === 2 && typeof p[0] === 'string' && ISO_US_RE.test(p[0]) && typeof p[1] === 'string' && UUID_RE.test(p[1]));
  const rows = await rowsOf<ApiKeyRow>(
    reader(ctx),
    sql`${keySelect}
         WHERE k.tenant_id = ${ctx.tenant.id}
           ${after ? sql`AND (k.created_at, k.id) < (${after[0] as string}::timestamptz, ${after[1] as string}::uuid)` : sql``}
         ORDER BY k.created_at DESC, k.id DESC
         LIMIT ${input.limit + 1}`,
  );
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page.at(-1);
  return { items: page.map(present), nextCursor: more && last ? encodeCursor([last.created_at_us, last.id]) : null };
}

export async function getApiKey(ctx: Ctx, id: string): Promise<ApiKeyView> {
  const [row] = await rowsOf<ApiKeyRow>(reader(ctx), sql`${keySelect} WHERE k.tenant_id = ${ctx.tenant.id} AND k.id = ${id}`);
  if (!row) throw new NotFound();
  return present(row);
}

export interface CreateApiKeyInput {
  /** What the key is for, e.g. "Integrasi LAPOR! SP4N". */
  name: string;
  /** Permissions from the catalogue; the creator must hold each of them where the key applies. */
  permissions: string[];
  /** Limit the key to a unit and everything below it. */
  unitId?: string;
}

/** Creates a key and returns it whole, once; afterwards only its prefix can be seen. */
export async function createApiKey(ctx: Ctx, input: CreateApiKeyInput): Promise<{ id: string; key: string }> {
  requireTenantWide(ctx);
  const errors: FieldError[] = [];
  input.permissions.forEach((p, i) => {
    if (!isPermission(p)) errors.push({ field: `permissions.${i}`, code: 'field.permission_unknown', params: { key: p } });
  });
  if (errors.length) throw new Invalid('validation', {}, errors);
  const permissions = [...new Set(input.permissions)] as Permission[];
  const { key, prefix } = newApiKey();
  const id = uuidv7();
  await inTransaction(ctx, async (tx) => {
    let unitPath: string[] | undefined;
    if (input.unitId) {
      const [unit] = await rowsOf<{ path: string[]; active: boolean }>(
        tx.tx,
        sql`SELECT path::text[] AS path, active FROM units WHERE tenant_id = ${ctx.tenant.id} AND id = ${input.unitId}`,
      );
      if (!unit) throw new NotFound();
      if (!unit.active) throw Invalid.field('unitId', 'field.unit_inactive');
      unitPath = unit.path;
    }
    const missing = missingPermissions(ctx.actor, permissions, unitPath);
    if (missing.length) throw new Forbidden('apikey_permission_not_held', { permissions: missing });
    await tx.tx.insert(apiKeys).values({
      tenantId: ctx.tenant.id,
      id,
      name: input.name,
      prefix,
      keyHash: hashToken(key),
      permissions,
      unitId: input.unitId ?? null,
      createdBy: ctx.actor.id ?? null,
      createdAt: ctx.clock.now(),
    });
    await tx.audit({ action: 'apikey.created', entityType: 'apikey', entityId: id, unitId: input.unitId ?? null, data: { name: input.name, prefix, permissions, unitId: input.unitId ?? null } });
  });
  return { id, key };
}

/** Revokes a key at once; revoking a revoked key changes nothing. */
export async function revokeApiKey(ctx: Ctx, id: string): Promise<void> {
  requireTenantWide(ctx);
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.tx
      .update(apiKeys)
      .set({ revokedAt: ctx.clock.now() })
      .where(and(eq(apiKeys.tenantId, ctx.tenant.id), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ name: apiKeys.name, prefix: apiKeys.prefix });
    if (row) {
      await tx.audit({ action: 'apikey.revoked', entityType: 'apikey', entityId: id, data: { name: row.name, prefix: row.prefix } });
      return;
    }
    const [exists] = await rowsOf<{ id: string }>(tx.tx, sql`SELECT id FROM api_keys WHERE tenant_id = ${ctx.tenant.id} AND id = ${id}`);
    if (!exists) throw new NotFound();
  });
}
