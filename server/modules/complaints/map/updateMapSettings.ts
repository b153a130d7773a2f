import { sql } from 'drizzle-orm';
import { type Ctx, inTransaction } from '../../../platform/context.js';
import { NotFound } from '../../../platform/errors.js';
import { rowsOf } from '../../../platform/org/sql.js';
import { requireCategoryManager } from '../commands/saveCategory.js';

export interface MapSettingsInput {
  /** Raster tile URL with {z}, {x}, {y} (and optionally {s}) placeholders. */
  tileUrl?: string;
  /** Attribution the tile provider requires, shown on every map. */
  attribution?: string;
}

/** Changes the tile server of the tenant's maps (public map, report form, staff map). */
export async function updateMapSettings(ctx: Ctx, input: MapSettingsInput): Promise<void> {
  requireCategoryManager(ctx);
  await inTransaction(ctx, async (tx) => {
    const rows = await rowsOf<{ map_tile_url: string; map_attribution: string }>(
      tx.tx,
      sql`SELECT map_tile_url, map_attribution FROM complaint_settings WHERE tenant_id = ${tx.tenant.id} FOR UPDATE`,
    );
    if (!rows[0]) throw new NotFound('complaints.map_no_settings');
    await tx.tx.execute(
      sql`UPDATE complaint_settings SET map_tile_url = ${input.tileUrl ?? rows[0].map_tile_url}, map_attribution = ${input.attribution ?? rows[0].map_attribution},
                 updated_at = ${tx.clock.now().toISOString()}::timestamptz
           WHERE tenant_id = ${tx.tenant.id}`,
    );
    await tx.audit({
      action: 'complaint_settings.map_updated',
      entityType: 'complaint_settings',
      entityId: tx.tenant.id,
      data: { before: { tileUrl: rows[0].map_tile_url, attribution: rows[0].map_attribution }, changes: input },
    });
  });
}
