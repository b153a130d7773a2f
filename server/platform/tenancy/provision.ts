import { readFileSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { SYSTEM_ROLES } from '../../../common/permissions.js';
import type { Database } from '../../db/client.js';
import { calendarDays } from '../calendar/schema.js';
import { type Clock, inTransaction, systemClock } from '../context.js';
import { Invalid } from '../errors.js';
import { units } from '../org/schema.js';
import { systemActor } from '../policies/actor.js';
import { roles } from '../policies/schema.js';
import { tenants } from './schema.js';
import type { Tenant } from './tenants.js';
import { packagePath } from '../../paths.js';

const HOLIDAYS_FILE = packagePath('server', 'seed', 'data', 'holidays-id-2026.json');

export interface ProvisionTenantInput {
  slug: string;
  name: string;
  kind: 'kota' | 'kabupaten' | 'provinsi';
  regionCode: string;
  timeZone: 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura';
  hosts?: string[];
  contact?: Tenant['contact'];
}

/**
 * Creates a tenant ready to use: its root unit (the pemda), the system roles and the national
 * working-day calendar. Returns the tenant and its root unit id.
 */
export async function provisionTenant(db: Database, input: ProvisionTenantInput, clock: Clock = systemClock): Promise<{ tenant: Tenant; rootUnitId: string }> {
  const [region] = await db.query<{ code: string; level: number }>('SELECT code, level FROM regions WHERE code = $1', [input.regionCode]);
  if (!region) throw Invalid.field('regionCode', 'field.region_unknown', { code: input.regionCode });
  const now = clock.now();
  const tenantId = uuidv7();
  const [tenant] = await db.orm
    .insert(tenants)
    .values({
      id: tenantId,
      slug: input.slug,
      name: input.name,
      kind: input.kind,
      regionCode: input.regionCode,
      timeZone: input.timeZone,
      hosts: input.hosts ?? [],
      contact: input.contact ?? {},
      settings: { workWeek: [1, 2, 3, 4, 5], officeStart: '08:00', officeEnd: '16:00' },
      active: true,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const rootUnitId = uuidv7();
  await inTransaction({ db, tenant, actor: systemActor, clock, locale: 'id' }, async (tx) => {
    await tx.tx.insert(units).values({
      tenantId,
      id: rootUnitId,
      parentId: null,
      kind: 'pemda',
      name: `Pemerintah ${input.name}`,
      code: 'PEMDA',
      regionCode: input.regionCode,
      path: [rootUnitId],
      createdAt: now,
      updatedAt: now,
    });
    await tx.tx.insert(roles).values(
      SYSTEM_ROLES.map((r) => ({ tenantId, id: uuidv7(), key: r.key, name: r.name, description: r.description, permissions: r.permissions, system: true, createdAt: now })),
    );
    const holidays = JSON.parse(readFileSync(HOLIDAYS_FILE, 'utf8')) as {
      national_holidays: { date: string; name: string }[];
      collective_leave: { date: string; name: string }[];
    };
    await tx.tx.insert(calendarDays).values([
      ...holidays.national_holidays.map((h) => ({ tenantId, day: h.date, kind: 'national_holiday' as const, name: h.name, createdAt: now })),
      ...holidays.collective_leave.map((h) => ({ tenantId, day: h.date, kind: 'collective_leave' as const, name: h.name, createdAt: now })),
    ]);
    await tx.audit({ action: 'tenant.provisioned', entityType: 'tenant', entityId: tenantId, data: { slug: input.slug, regionCode: input.regionCode } });
  });
  return { tenant, rootUnitId };
}
