import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { Invalid, NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { requireCategoryManager } from '../commands/saveCategory.js';

/** Longest wait before an unconfirmed resolution is closed. */
export const AUTO_CLOSE_DAYS_MAX = 60;

const coordinate = (min: number, max: number) => z.number().min(min).max(max);

/** The module's settings of a tenant as the admin API shows and takes them. */
export const ComplaintSettingsView = z.object({
  /** The box in which report coordinates are accepted (the city's area). */
  bounds: z.object({ south: coordinate(-90, 90), west: coordinate(-180, 180), north: coordinate(-90, 90), east: coordinate(-180, 180) }),
  /** Days after which a resolved report the reporter neither confirmed nor reopened is closed. */
  autoCloseDays: z.number().int().min(1).max(AUTO_CLOSE_DAYS_MAX),
});
export type ComplaintSettings = z.infer<typeof ComplaintSettingsView>;

export const ComplaintSettingsPatch = z.strictObject({
  bounds: z
    .strictObject({ south: coordinate(-90, 90), west: coordinate(-180, 180), north: coordinate(-90, 90), east: coordinate(-180, 180) })
    .refine((b) => b.south < b.north && b.west < b.east, { message: 'complaints.bounds_inverted' })
    .optional(),
  autoCloseDays: z.number().int().min(1).max(AUTO_CLOSE_DAYS_MAX).optional(),
});

interface SettingsRow {
  south: number;
  west: number;
  north: number;
  east: number;
  auto_close_days: number;
}

export async function getComplaintSettings(ctx: Ctx): Promise<ComplaintSettings> {
  requireCategoryManager(ctx);
  const [row] = await rowsOf<SettingsRow>(
    ctx.db.orm,
    sql`SELECT bounds_south AS south, bounds_west AS west, bounds_north AS north, bounds_east AS east, auto_close_days FROM complaint_settings WHERE tenant_id = ${ctx.tenant.id}`,
  );
  if (!row) throw new NotFound();
  return present(row);
}

function present(row: SettingsRow): ComplaintSettings {
  return { bounds: { south: row.south, west: row.west, north: row.north, east: row.east }, autoCloseDays: row.auto_close_days };
}

/**
 * Changes the city's box for report coordinates and the automatic closing delay (tenant-wide, by
 * holders of complaints.categories.manage). Audited with the values before and after. A tenant
 * without settings yet must send the box.
 */
export async function updateComplaintSettings(ctx: Ctx, patch: z.infer<typeof ComplaintSettingsPatch>): Promise<ComplaintSettings> {
  requireCategoryManager(ctx);
  return inTransaction(ctx, async (tx) => {
    const [before] = await rowsOf<SettingsRow>(
      tx.tx,
      sql`SELECT bounds_south AS south, bounds_west AS west, bounds_north AS north, bounds_east AS east, auto_close_days FROM complaint_settings WHERE tenant_id = ${ctx.tenant.id} FOR UPDATE`,
    );
    const b = patch.bounds ?? (before ? { south: before.south, west: before.west, north: before.north, east: before.east } : undefined);
    if (!b) throw Invalid.field('bounds', 'field.required');
    const days = patch.autoCloseDays ?? before?.auto_close_days ?? 7;
    const now = ctx.clock.now().toISOString();
    const [after] = await rowsOf<SettingsRow>(
      tx.tx,
      sql`INSERT INTO complaint_settings (tenant_id, bounds_south, bounds_west, bounds_north, bounds_east, auto_close_days, updated_at)
          VALUES (${ctx.tenant.id}, ${b.south}, ${b.west}, ${b.north}, ${b.east}, ${days}, ${now}::timestamptz)
          ON CONFLICT (tenant_id) DO UPDATE SET bounds_south = EXCLUDED.bounds_south, bounds_west = EXCLUDED.bounds_west, bounds_north = EXCLUDED.bounds_north,
            bounds_east = EXCLUDED.bounds_east, auto_close_days = EXCLUDED.auto_close_days, updated_at = EXCLUDED.updated_at
          RETURNING bounds_south AS south, bounds_west AS west, bounds_north AS north, bounds_east AS east, auto_close_days`,
    );
    await tx.audit({ action: 'complaint_settings.updated', entityType: 'complaint_settings', entityId: ctx.tenant.id, data: { before: before ? present(before) : null, after: present(after) } });
    return present(after);
  });
}
