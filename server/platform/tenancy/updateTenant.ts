import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { DEFAULT_OFFICE_END, DEFAULT_OFFICE_START, DEFAULT_WORK_WEEK, parseHHMM } from '../calendar/workingTime.js';
import { type Ctx, inTransaction } from '../context.js';
import { Conflict, Forbidden, Invalid } from '../errors.js';
import { files } from '../files/schema.js';
import { can } from '../policies/actor.js';
import { regions } from '../regions/schema.js';
import { type TenantContact, tenants } from './schema.js';
import { claimFiles } from '../files/commands/claimFiles.js';
import { registerFilePolicy } from '../files/policies.js';

/** Purpose of logo files; they are public, so the policy only needs to exist. */
export const LOGO_PURPOSE = 'tenant.logo';
registerFilePolicy(LOGO_PURPOSE, async () => true);

/** Image types a logo may have (the portal shows it in an <img>). */
export const LOGO_MIME_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
/** Advisory lock serialising host-name changes, so two tenants never claim one host at once. */
const HOSTS_LOCK = 7_305_003;

export interface TenantSettingsView {
  workWeek: number[];
  officeStart: string;
  officeEnd: string;
}

export interface TenantAdminView {
  id: string;
  slug: string;
  name: string;
  kind: 'kota' | 'kabupaten' | 'provinsi';
  regionCode: string;
  regionName: string;
  timeZone: string;
  hosts: string[];
  logoFileId: string | null;
  logoUrl: string | null;
  contact: TenantContact;
  settings: TenantSettingsView;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UpdateTenantInput {
  /** Display name, e.g. "Kota Makassar". */
  name?: string;
  /** Replaces the whole contact block; absent fields are cleared. */
  contact?: TenantContact;
  /** Replaces the host names that select this tenant (lower-case, unique across tenants). */
  hosts?: string[];
  /** Merged into the current settings; officeStart must stay before officeEnd. */
  settings?: Partial<TenantSettingsView>;
  /** A file of this tenant (an image), or null to remove the logo. */
  logoFileId?: string | null;
}

/** Tenant settings apply to the whole government: a grant on the root unit is needed. */
function requireTenantWide(ctx: Ctx): void {
  if (!can(ctx.actor, 'tenant.manage')) throw new Forbidden('tenant_wide_required', { permission: 'tenant.manage' });
}

function settingsOf(s: { workWeek?: number[]; officeStart?: string; officeEnd?: string }): TenantSettingsView {
  return { workWeek: [...(s.workWeek ?? DEFAULT_WORK_WEEK)], officeStart: s.officeStart ?? DEFAULT_OFFICE_START, officeEnd: s.officeEnd ?? DEFAULT_OFFICE_END };
}

async function readTenant(ex: Executor, tenantId: string): Promise<TenantAdminView> {
  const [row] = await ex
    .select({ t: tenants, regionName: regions.name })
    .from(tenants)
    .innerJoin(regions, eq(regions.code, tenants.regionCode))
    .where(eq(tenants.id, tenantId));
  const t = row.t;
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    kind: t.kind,
    regionCode: t.regionCode,
    regionName: row.regionName,
    timeZone: t.timeZone,
    hosts: t.hosts,
    logoFileId: t.logoFileId,
    logoUrl: t.logoFileId ? `/api/v1/files/${t.logoFileId}` : null,
    contact: t.contact,
    settings: settingsOf(t.settings),
    active: t.active,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

/** The settings page of the government serving the request (read fresh, not from the tenant cache). */
export async function getTenantSettings(ctx: Ctx): Promise<TenantAdminView> {
  requireTenantWide(ctx);
  return readTenant(ctx.db.orm, ctx.tenant.id);
}

/**
 * Changes the government's name, contact, host names, work week / office hours or logo. Slug,
 * region, kind and time zone are fixed after provisioning (the routes refuse them). The caller
 * refreshes the tenant cache after this returns.
 */
export async function updateTenant(ctx: Ctx, input: UpdateTenantInput): Promise<TenantAdminView> {
  requireTenantWide(ctx);
  const keys = (Object.keys(input) as (keyof UpdateTenantInput)[]).filter((k) => input[k] !== undefined);
  if (keys.length === 0) throw new Invalid('nothing_to_change');
  const tenantId = ctx.tenant.id;
  return inTransaction(ctx, async (tx) => {
    const [current] = await tx.tx.select().from(tenants).where(eq(tenants.id, tenantId)).for('update');
    const set: Partial<typeof tenants.$inferInsert> = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const change = <K extends keyof typeof current>(key: K, value: (typeof current)[K]) => {
      if (JSON.stringify(current[key]) === JSON.stringify(value)) return;
      (set as any)[key] = value;
      before[key] = current[key];
      after[key] = value;
    };

    if (input.name !== undefined) change('name', input.name);
    if (input.contact !== undefined) {
      const contact = Object.fromEntries(Object.entries(input.contact).filter(([, v]) => typeof v === 'string' && v.length > 0)) as TenantContact;
      change('contact', contact);
    }
    if (input.settings !== undefined) {
      const merged = { ...settingsOf(current.settings), ...input.settings };
      merged.workWeek = [...merged.workWeek].sort((a, b) => a - b);
      if (parseHHMM(merged.officeStart)! >= parseHHMM(merged.officeEnd)!) {
        throw Invalid.field(input.settings.officeEnd !== undefined ? 'settings.officeEnd' : 'settings.officeStart', 'tenant.office_hours_order');
      }
      change('settings', { ...current.settings, ...merged });
    }
    if (input.hosts !== undefined) {
      const hosts = [...new Set(input.hosts.map((h) => h.toLowerCase()))];
      if (hosts.length) {
        await tx.tx.execute(sql`SELECT pg_advisory_xact_lock(${HOSTS_LOCK})`);
        // Served by tenants_hosts_idx (GIN on hosts).
        const taken = await tx.tx
          .select({ hosts: tenants.hosts })
          .from(tenants)
          .where(and(sql`${tenants.id} <> ${tenantId}`, sql`${tenants.hosts} && ${sql.param(hosts)}::text[]`));
        const clash = hosts.find((h) => taken.some((t) => t.hosts.includes(h)));
        if (clash) throw new Conflict('tenant.host_taken', { host: clash }, [{ field: `hosts.${input.hosts.findIndex((h) => h.toLowerCase() === clash)}`, code: 'tenant.host_taken', params: { host: clash } }]);
      }
      change('hosts', hosts);
    }
    if (input.logoFileId !== undefined) {
      if (input.logoFileId !== null) {
        const [file] = await tx.tx
          .select({ mime: files.mime, purpose: files.purpose, claimedAt: files.claimedAt })
          .from(files)
          .where(and(eq(files.tenantId, tenantId), eq(files.id, input.logoFileId)));
        if (!file) throw Invalid.field('logoFileId', 'tenant.logo_unknown');
        if (!LOGO_MIME_TYPES.includes(file.mime)) throw Invalid.field('logoFileId', 'tenant.logo_not_image');
        // The portal shows the logo to everyone: the admin's own upload becomes a public file.
        if (!file.claimedAt) {
          await claimFiles(tx, { files: [{ id: input.logoFileId }], purpose: LOGO_PURPOSE, visibility: 'public', field: 'logoFileId' });
        } else if (file.purpose !== LOGO_PURPOSE) {
          throw Invalid.field('logoFileId', 'tenant.logo_unknown');
        }
      }
      change('logoFileId', input.logoFileId);
    }

    if (Object.keys(set).length) {
      await tx.tx
        .update(tenants)
        .set({ ...set, updatedAt: ctx.clock.now() })
        .where(eq(tenants.id, tenantId));
      await tx.audit({ action: 'tenant.updated', entityType: 'tenant', entityId: tenantId, data: { before, after } });
    }
    return readTenant(tx.tx, tenantId);
  });
}
